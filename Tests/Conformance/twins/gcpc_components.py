"""Twin of examples/gcpc-components.yaml."""

from google_cloud_pipeline_components.types import artifact_types
from google_cloud_pipeline_components.v1.bigquery import BigqueryQueryJobOp
from google_cloud_pipeline_components.v1.custom_job import CustomTrainingJobOp
from google_cloud_pipeline_components.v1.endpoint import EndpointCreateOp, ModelDeployOp
from google_cloud_pipeline_components.v1.model import ModelUploadOp
from google_cloud_pipeline_components.v1.vertex_notification_email import VertexNotificationEmailOp
from kfp import dsl

YAML = "examples/gcpc-components.yaml"


@dsl.pipeline(name="gcpc-components", description="Queries features, trains, uploads and deploys a model, and mails the outcome.")
def pipeline(project_id: str = "acme-ml", model_uri: str = "gs://acme-ml-models/churn/latest"):
    notify = VertexNotificationEmailOp(recipients=["ml-team@acme.example"]).set_display_name("notify")
    with dsl.ExitHandler(notify, name="guarded"):
        features = BigqueryQueryJobOp(
            project=project_id, location="US", query="SELECT * FROM `acme-ml.churn.features`").set_display_name("features")
        train = CustomTrainingJobOp(
            display_name=f"churn-train-{dsl.PIPELINE_JOB_ID_PLACEHOLDER}",
            worker_pool_specs=[{
                "machine_spec": {"machine_type": "n1-standard-8"},
                "replica_count": 1,
                "container_spec": {"image_uri": "gcr.io/acme-ml/trainer:2.1.0", "args": ["--output", "gs://acme-ml-models/churn/latest"]},
            }],
        ).after(features).set_display_name("train")
        serving_model = dsl.importer(
            artifact_uri=model_uri, artifact_class=artifact_types.UnmanagedContainerModel,
            metadata={"containerSpec": {"imageUri": "us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest"}},
        ).after(train).set_display_name("serving-model")
        upload = ModelUploadOp(display_name="churn", unmanaged_container_model=serving_model.outputs["artifact"]).set_display_name("upload")
        endpoint = EndpointCreateOp(display_name="churn").set_display_name("endpoint")
        ModelDeployOp(
            model=upload.outputs["model"], endpoint=endpoint.outputs["endpoint"],
            dedicated_resources_machine_type="n1-standard-4", dedicated_resources_min_replica_count=1,
        ).set_display_name("deploy")
