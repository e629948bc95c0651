"""Twin of examples/python-annotations.yaml."""

from typing import NamedTuple

from kfp import dsl

from twins import load_function

YAML = "examples/python-annotations.yaml"

train = dsl.component(load_function("examples/components/scoring.py", "train"))
evaluate = dsl.component(additional_funcs=[load_function("examples/components/scoring.py", "rounded")])(
    load_function("examples/components/scoring.py", "evaluate")
)
summarize = dsl.component(target_image="gcr.io/acme-ml/scoring:1.0")(load_function("examples/components/scoring.py", "summarize"))


@dsl.container_component
def make_data(data: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["make-data", data.path])


@dsl.pipeline(name="python-annotations", description="Trains and evaluates a model with components described by their annotations.")
def pipeline() -> NamedTuple("Outputs", aupr=float):
    data = make_data().set_display_name("data")
    trained = train(data=data.outputs["data"], epochs=20).set_display_name("train")
    evaluated = evaluate(model=trained.outputs["model"], loss=trained.outputs["Output"]).set_display_name("evaluate")
    with dsl.ParallelFor([1, 2], name="per-seed") as seed:
        retrained = train(data=data.outputs["data"], epochs=seed).set_display_name("retrain")
    summarize(models=dsl.Collected(retrained.outputs["model"])).set_display_name("summarize")
    Outputs = NamedTuple("Outputs", aupr=float)
    return Outputs(aupr=evaluated.outputs["aupr"])
