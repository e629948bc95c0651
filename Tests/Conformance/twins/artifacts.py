"""Twin of examples/artifacts.yaml."""

from kfp import dsl
from kfp.dsl import Artifact, Dataset, Input, Metrics, Model, Output, OutputPath

YAML = "examples/artifacts.yaml"


@dsl.container_component
def make_dataset(dataset: Output[Dataset]):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["make-dataset", "--out", dataset.path])


@dsl.container_component
def train(data: Input[Dataset], model: Output[Model]):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0",
        command=["train"],
        args=["--data", data.path, "--data-uri", data.uri, "--model", model.path, "--model-uri", model.uri],
    )


@dsl.container_component
def evaluate(model: Input[Model], data: Input[Artifact], metrics: Output[Metrics], score: OutputPath(float)):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["evaluate", model.path, data.path, metrics.path, score])


@dsl.container_component
def publish(model: Input[Model]):
    return dsl.ContainerSpec(image="google/cloud-sdk:slim", command=["gsutil", "cp", "-r", model.uri, "gs://acme-models/churn/"])


@dsl.pipeline(name="artifacts")
def pipeline():
    dataset = make_dataset().set_display_name("dataset")
    trained = train(data=dataset.outputs["dataset"])
    evaluation = evaluate(model=trained.outputs["model"], data=dataset.outputs["dataset"])
    with dsl.If(evaluation.outputs["score"] >= 0.8):
        publish(model=trained.outputs["model"])
