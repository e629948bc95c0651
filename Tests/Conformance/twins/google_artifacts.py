"""Twin of examples/google-artifacts.yaml."""

from typing import Optional

from google_cloud_pipeline_components.types.artifact_types import VertexDataset
from google_cloud_pipeline_components.v1.dataset import TabularDatasetCreateOp
from kfp import dsl
from kfp.dsl import Input, Model

YAML = "examples/google-artifacts.yaml"


@dsl.container_component
def train(dataset: Input[VertexDataset], warm_start: Optional[Input[Model]] = None):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0",
        command=["train", "--dataset", dataset.uri, "--warm-start", warm_start.path],
    )


@dsl.pipeline(name="google-artifacts", description="Registers a BigQuery table as a Vertex AI dataset and trains on it.")
def pipeline(project_id: str = "acme-ml"):
    register = TabularDatasetCreateOp(
        project=project_id,
        location="us-central1",
        display_name="churn-training",
        bq_source="bq://acme-ml.customer_churn_ds.training_data",
    ).set_display_name("register")
    train(dataset=register.outputs["dataset"]).set_display_name("train")
