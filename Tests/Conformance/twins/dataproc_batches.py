"""Twin of examples/dataproc-batches.yaml."""

from kfp import dsl
from google_cloud_pipeline_components.v1.dataproc import (
    DataprocPySparkBatchOp,
    DataprocSparkBatchOp,
    DataprocSparkRBatchOp,
    DataprocSparkSqlBatchOp,
)

YAML = "examples/dataproc-batches.yaml"


@dsl.pipeline(name="dataproc-batches")
def pipeline(project_id: str, service_account: str, region: str = "europe-west1"):
    job_id = dsl.PIPELINE_JOB_ID_PLACEHOLDER
    shared = dict(
        project=project_id,
        location=region,
        service_account=service_account,
        runtime_config_version="2.2",
        labels={"team": "ml-platform", "cost-center": "analytics"},
    )
    ingest = DataprocSparkBatchOp(
        batch_id=f"ingest-{job_id}",
        main_class="com.acme.ingest.Main",
        jar_file_uris=["gs://acme-jobs/ingest-1.8.jar"],
        args=["--date", dsl.PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER],
        **shared,
    ).set_display_name("ingest")
    aggregate = DataprocSparkSqlBatchOp(
        batch_id=f"aggregate-{job_id}",
        query_file_uri="gs://acme-jobs/sql/aggregate.sql",
        query_variables={"source_table": "events", "run": job_id},
        runtime_config_properties={"spark.sql.shuffle.partitions": "64"},
        **shared,
    ).set_display_name("aggregate").after(ingest)
    DataprocSparkRBatchOp(batch_id=f"report-{job_id}", main_r_file_uri="gs://acme-jobs/r/report.R", **shared).set_display_name("report").after(aggregate)
    DataprocPySparkBatchOp(
        batch_id=f"score-{job_id}",
        main_python_file_uri="gs://acme-jobs/pyspark/score.py",
        python_file_uris=["gs://acme-jobs/pyspark/common.py"],
        **dict(shared, location="us-central1"),
    ).set_display_name("score").after(aggregate)
