"""Twin of examples/sub-pipelines.yaml, with examples/pipelines/ as pipelines used as components."""

from typing import NamedTuple

from kfp import dsl

YAML = "examples/sub-pipelines.yaml"


@dsl.container_component
def score(model_uri: str, aupr: dsl.OutputPath(float)):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["score", model_uri, "--out", aupr])


@dsl.container_component
def verdict(aupr: float, threshold: float, passed: dsl.OutputPath(bool)):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["verdict", aupr, threshold, "--out", passed])


@dsl.pipeline(name="evaluate", description="Scores a model on held-out data.")
def evaluate(model_uri: str, threshold: float = 0.8) -> NamedTuple("Outputs", aupr=float, passed=bool):
    scored = score(model_uri=model_uri).set_display_name("score")
    checked = verdict(aupr=scored.outputs["aupr"], threshold=threshold).set_display_name("verdict")
    Outputs = NamedTuple("Outputs", aupr=float, passed=bool)
    return Outputs(aupr=scored.outputs["aupr"], passed=checked.outputs["passed"])


@dsl.container_component
def train(region: str, epochs: int, model_uri: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0", command=["train", "--region", region, "--epochs", epochs, "--uri", model_uri])


@dsl.pipeline(name="train-and-evaluate", description="Trains a model in one region and evaluates it.")
def train_and_evaluate(region: str, epochs: int = 10) -> NamedTuple("Outputs", aupr=float):
    trained = train(region=region, epochs=epochs).set_display_name("train")
    with dsl.If(epochs > 0, name="check"):
        evaluate(model_uri=trained.outputs["model_uri"], threshold=0.9).set_display_name("evaluate")
    summary = evaluate(model_uri=trained.outputs["model_uri"]).set_display_name("summary")
    Outputs = NamedTuple("Outputs", aupr=float)
    return Outputs(aupr=summary.outputs["aupr"])


@dsl.container_component
def report(us: float, eu: float):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/ops:1.0", command=["report", us, eu])


@dsl.pipeline(name="sub-pipelines", description="Trains and evaluates a model in two regions and reports both scores.")
def pipeline():
    us = train_and_evaluate(region="us-central1").set_display_name("us")
    eu = train_and_evaluate(region="europe-west4", epochs=20).set_display_name("eu")
    report(us=us.outputs["aupr"], eu=eu.outputs["aupr"]).set_display_name("report")
