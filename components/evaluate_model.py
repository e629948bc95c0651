"""Evaluation step of the customer churn training pipeline.

`pipelines/customer-churn-training.yaml` runs `evaluate_model` as a Python function
component: the KFP executor calls it with the metrics file written by the training batch
and the two output artifacts, and records the AUPR it returns as the `threshold_metric`
output that gates hyperparameter tuning.
"""

from typing import NamedTuple

from kfp.dsl import ClassificationMetrics, Metrics, Output


def evaluate_model(
    metrics_uri: str,
    metrics: Output[Metrics],
    plots: Output[ClassificationMetrics],
) -> NamedTuple("Outputs", [("threshold_metric", float)]):
    """Logs the test metrics of the trained model and returns its AUPR."""
    import json
    from collections import namedtuple

    import numpy as np
    from sklearn.metrics import confusion_matrix, roc_curve

    # Vertex AI mounts Cloud Storage under /gcs, so the training output reads as a file.
    with open(metrics_uri.replace("gs://", "/gcs/", 1)) as metrics_file:
        results = json.load(metrics_file)

    scalars = {
        "Test_areaUnderROC": results["test_area_roc"],
        "Test_areaUnderPRC": results["test_area_prc"],
        "Test_Accuracy": results["test_accuracy"],
        "Test_f1-score": results["test_f1"],
        "Test_Precision": results["test_precision"],
        "Test_Recall": results["test_recall"],
    }
    for name, value in scalars.items():
        metrics.log_metric(name, value)

    labels = np.array(results["true"])
    false_positive_rate, true_positive_rate, thresholds = roc_curve(
        y_true=labels, y_score=np.array(results["score"]), pos_label=True
    )
    plots.log_roc_curve(
        false_positive_rate.tolist(), true_positive_rate.tolist(), thresholds.tolist()
    )
    matrix = confusion_matrix(labels, np.array(results["prediction"]))
    plots.log_confusion_matrix(["yes", "no"], matrix.tolist())

    outputs = namedtuple("Outputs", ["threshold_metric"])
    return outputs(results["test_area_prc"])
