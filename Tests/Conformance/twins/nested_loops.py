"""Twin of examples/nested-loops.yaml."""

from typing import List, NamedTuple

from kfp import dsl

YAML = "examples/nested-loops.yaml"


@dsl.container_component
def train(region: str, seed: int, score: dsl.OutputPath(float), model: dsl.Output[dsl.Model]):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0",
        command=["train", "--region", region, "--seed", seed, "--score", score, "--model", model.path])


@dsl.container_component
def pick_best(scores: list):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["pick-best", scores])


@dsl.container_component
def register(models: dsl.Input[List[dsl.Model]]):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["register", models])


@dsl.pipeline(name="nested-loops", description="Trains one model per region and seed, then picks and registers them.")
def pipeline() -> NamedTuple("Outputs", models=List[dsl.Model]):
    with dsl.ParallelFor(["us-central1", "europe-west4"], name="per-region") as region:
        with dsl.ParallelFor([1, 2, 3], name="per-seed") as seed:
            trained = train(region=region, seed=seed).set_display_name("train")
    pick_best(scores=dsl.Collected(trained.outputs["score"])).set_display_name("pick")
    register(models=dsl.Collected(trained.outputs["model"])).set_display_name("register")
    Outputs = NamedTuple("Outputs", models=List[dsl.Model])
    return Outputs(models=dsl.Collected(trained.outputs["model"]))
