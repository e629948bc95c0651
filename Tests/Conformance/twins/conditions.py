"""Twin of examples/conditions.yaml."""

from kfp import dsl

YAML = "examples/conditions.yaml"


@dsl.container_component
def count_rows(rows: dsl.OutputPath(int), ratio: dsl.OutputPath(float)):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["count-rows", rows, ratio])


@dsl.container_component
def step(name: str):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["step", name])


@dsl.pipeline(name="conditions")
def pipeline(mode: str = "full", min_rows: int = 1000, publish: bool = False):
    count = count_rows().set_display_name("count")
    with dsl.If(mode == "full"):
        step(name="full-refresh").set_display_name("full-refresh")
    with dsl.If(count.outputs["rows"] >= min_rows):
        with dsl.If(count.outputs["ratio"] > 0.5):
            step(name=f"train on {count.outputs['rows']} rows").set_display_name("train")
    with dsl.If(count.outputs["rows"] < 2.5):
        step(name="widen").set_display_name("widen")
    with dsl.If(publish == True):
        step(name="publish").set_display_name("publish")
