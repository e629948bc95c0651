"""Twin of examples/branch-outputs.yaml."""

from typing import NamedTuple

from kfp import dsl

YAML = "examples/branch-outputs.yaml"


@dsl.container_component
def count_rows(rows: dsl.OutputPath(int)):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["count-rows", "--out", rows])


@dsl.container_component
def train(size: str, model: dsl.Output[dsl.Model], summary: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0",
        command=["train", "--size", size, "--model", model.path, "--summary", summary])


@dsl.container_component
def publish(model: dsl.Input[dsl.Model], note: str):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["publish", model.path, "--note", note])


@dsl.pipeline(name="branch-outputs", description="Trains a small or a large model depending on the data, then publishes the one trained.")
def pipeline(rows_threshold: int = 1000000) -> NamedTuple("Outputs", rows=int, model=dsl.Model):
    rows = count_rows().set_display_name("rows")
    with dsl.If(rows.outputs["rows"] < 1000, name="sized"):
        tiny = train(size="tiny").set_display_name("train-tiny")
    with dsl.Elif(rows.outputs["rows"] < rows_threshold, name="sized-elif-1"):
        small = train(size="small").set_display_name("train-small")
    with dsl.Else(name="sized-else"):
        large = train(size="large").set_display_name("train-large")
    model = dsl.OneOf(tiny.outputs["model"], small.outputs["model"], large.outputs["model"])
    summary = dsl.OneOf(tiny.outputs["summary"], small.outputs["summary"], large.outputs["summary"])
    publish(model=model, note=summary).set_display_name("publish")
    Outputs = NamedTuple("Outputs", rows=int, model=dsl.Model)
    return Outputs(rows=rows.outputs["rows"], model=model)
