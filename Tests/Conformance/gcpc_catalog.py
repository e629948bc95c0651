"""The built-in components: for each pipespec name, the Google Cloud Pipeline Components
operation it is. scripts/generate-builtins compiles them into the embedded resources, and
the conformance suite checks every built-in equal to what GCPC compiles.

Names are FAMILY/NAME: the operation's name in kebab case, without `Op`, under the family of
its Google Cloud service (bigquery, dataflow, dataproc, or vertex for Vertex AI); a few read
better shortened (vertex/custom-job, vertex/batch-predict, vertex/notification-email)."""

import re

GCPC_VERSION = "2.22.0"

# Names that differ from the rule.
_RENAMED = {
    "CustomTrainingJobOp": "vertex/custom-job",
    "ModelBatchPredictOp": "vertex/batch-predict",
    "VertexNotificationEmailOp": "vertex/notification-email",
    "HyperparameterTuningJobRunOp": "vertex/hyperparameter-tuning-job",
    "GetVertexDatasetOp": "vertex/dataset-get",
    "DataprocPySparkBatchOp": "dataproc/pyspark-batch",
    "DataprocSparkBatchOp": "dataproc/spark-batch",
    "DataprocSparkRBatchOp": "dataproc/spark-r-batch",
    "DataprocSparkSqlBatchOp": "dataproc/spark-sql-batch",
}

# The v1 modules whose container components run on Vertex AI Pipelines, and their family.
_MODULES = {
    "batch_predict_job": "vertex",
    "bigquery": "bigquery",
    "custom_job": "vertex",
    "dataflow": "dataflow",
    "dataproc": "dataproc",
    "dataset": "vertex",
    "endpoint": "vertex",
    "forecasting": "vertex",
    "hyperparameter_tuning_job": "vertex",
    "model": "vertex",
    "model_evaluation": "vertex",
    "vertex_notification_email": "vertex",
    "wait_gcp_resources": "vertex",
}


def _kebab(name):
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[0-9]+", name)
    return "-".join(word.lower() for word in words)


def name_of(operation_name, family):
    if operation_name in _RENAMED:
        return _RENAMED[operation_name]
    stem = operation_name[: -len("Op")]
    for prefix in ("Bigquery", "Dataflow", "Dataproc"):
        if stem.startswith(prefix):
            stem = stem[len(prefix):]
    return f"{family}/{_kebab(stem)}"


def operations():
    """pipespec name → GCPC operation, for every single-container component (the
    model-evaluation pipelines are pipelines, not components, and are left out)."""
    import importlib

    from kfp.dsl import base_component

    result = {}
    for module_name, family in _MODULES.items():
        module = importlib.import_module(f"google_cloud_pipeline_components.v1.{module_name}")
        for operation_name in getattr(module, "__all__", []):
            operation = getattr(module, operation_name)
            if not operation_name.endswith("Op") or not isinstance(operation, base_component.BaseComponent):
                continue
            result[name_of(operation_name, family)] = operation
    return dict(sorted(result.items()))
