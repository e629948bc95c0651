"""Twin of examples/importer.yaml."""

from kfp import dsl
from kfp.dsl import Dataset, Input, Model

YAML = "examples/importer.yaml"


@dsl.container_component
def train(data: Input[Dataset], baseline: Input[Model]):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0", command=["train", "--data", data.path, "--baseline", baseline.uri]
    )


@dsl.pipeline(name="importer", description="Trains on a dataset that already exists in Cloud Storage.")
def pipeline(data_uri: str = "gs://acme-ml-data/churn/2026-11.csv", owner: str = "churn-ml"):
    dataset = dsl.importer(
        artifact_uri=data_uri, artifact_class=Dataset, metadata={"owner": owner, "rows": 120000}
    ).set_display_name("dataset")
    baseline = dsl.importer(
        artifact_uri="gs://acme-ml-models/churn/baseline", artifact_class=Model, reimport=True
    ).set_display_name("baseline")
    train(data=dataset.output, baseline=baseline.output).set_display_name("train")
