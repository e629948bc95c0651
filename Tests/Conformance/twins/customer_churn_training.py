"""The kfp twin of pipelines/customer-churn-training.yaml, written with the KFP SDK and
GCPC as the pipeline would be written without pipespec."""

from kfp import dsl
from google_cloud_pipeline_components.v1.dataproc import DataprocPySparkBatchOp
from google_cloud_pipeline_components.v1.dataset import TabularDatasetCreateOp

from twins import load_function

YAML = "pipelines/customer-churn-training.yaml"

evaluate_model = dsl.component(
    base_image="python:3.10", packages_to_install=["numpy==1.26.4", "scikit-learn==1.5.2"]
)(load_function("components/evaluate_model.py", "evaluate_model"))


@dsl.pipeline(
    name="customer-churn-training",
    display_name="Customer churn training",
    description="Spark MLlib churn model trained on Dataproc Serverless, evaluated, and tuned when its AUPR clears a threshold.",
)
def pipeline(
    project_id: str,
    project_number: str,
    service_account: str,
    subnetwork_uri: str,
    history_server: str,
    container_image: str,
    code_bucket: str,
    metrics_bucket: str,
    location: str = "us-central1",
    dataproc_runtime_version: str = "1.1",
    aupr_threshold: float = 0.5,
):
    job_id = dsl.PIPELINE_JOB_ID_PLACEHOLDER

    def spark(batch_id, main_python_file_uri, **extra):
        return DataprocPySparkBatchOp(
            project=project_id,
            location=location,
            service_account=service_account,
            subnetwork_uri=subnetwork_uri,
            spark_history_dataproc_cluster=history_server,
            container_image=container_image,
            runtime_config_version=dataproc_runtime_version,
            python_file_uris=[f"{code_bucket}/pyspark/common_utils.py"],
            args=[
                f"--pipelineID={job_id}",
                f"--projectID={project_id}",
                f"--projectNbr={project_number}",
                "--displayPrintStatements=True",
            ],
            batch_id=batch_id,
            main_python_file_uri=main_python_file_uri,
            **extra,
        ).set_caching_options(False)

    preprocessing = spark(f"churn-preprocess-{job_id}", f"{code_bucket}/pyspark/preprocessing.py")
    preprocessing.set_display_name("Preprocessing")

    register = TabularDatasetCreateOp(
        project=project_id,
        location=location,
        display_name=f"customer-churn-{job_id}",
        bq_source=f"bq://{project_id}.customer_churn_ds.training_data",
    ).after(preprocessing)
    register.set_display_name("Register managed dataset").set_caching_options(False)

    train = spark(f"churn-train-{job_id}", f"{code_bucket}/pyspark/model_training.py").after(preprocessing)
    train.set_display_name("Model training")

    evaluate = evaluate_model(
        metrics_uri=f"{metrics_bucket}/customer-churn-model/training/{job_id}/full/metrics.json"
    ).after(train)
    evaluate.set_display_name("Model evaluation").set_caching_options(False)

    with dsl.If(evaluate.outputs["threshold_metric"] >= aupr_threshold, name="aupr-gate"):
        tune = spark(
            f"churn-tune-{job_id}",
            f"{code_bucket}/pyspark/hyperparameter_tuning.py",
            runtime_config_properties={
                "spark.jars.packages": "ml.combust.mleap:mleap-spark-base_2.12:0.20.0,ml.combust.mleap:mleap-spark_2.12:0.20.0"
            },
        )
        tune.set_display_name("Hyperparameter tuning")
