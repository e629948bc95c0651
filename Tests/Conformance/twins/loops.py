"""Twin of examples/loops.yaml."""

from typing import List

from kfp import dsl

YAML = "examples/loops.yaml"


@dsl.container_component
def echo(text: str):
    return dsl.ContainerSpec(image="alpine", command=["echo", text])


@dsl.container_component
def list_shards(shards: dsl.OutputPath(List[str])):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["list-shards", "--out", shards])


@dsl.container_component
def train(region: str, rate: str, score: dsl.OutputPath(float)):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0", command=["train", "--region", region, "--rate", rate, "--score", score]
    )


@dsl.container_component
def pick_best(scores: List[float]):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["pick-best", scores])


@dsl.pipeline(name="loops", description="Trains one model per region and greets each team.")
def pipeline(regions: List[str] = ["us-central1", "europe-west4"]):
    with dsl.ParallelFor(items=["data", "platform", "research"], parallelism=2, name="per-team") as team:
        greeted = echo(text=f"hello {team} team").set_display_name("greet")
    with dsl.ParallelFor(items=regions, name="per-region") as region:
        echo(text=region).set_display_name("announce")
        with dsl.If(region == "us-central1"):
            echo(text="home").set_display_name("announce-home")
    with dsl.ParallelFor(items=[{"region": "us-central1", "rate": 0.1}, {"region": "europe-west4", "rate": 0.2}], name="per-config") as config:
        trained = train(region=config.region, rate=config.rate).set_display_name("train-region")
    pick_best(scores=dsl.Collected(trained.outputs["score"])).set_display_name("best-config")
    shards = list_shards().set_display_name("shards")
    with dsl.ParallelFor(items=shards.outputs["shards"], name="per-shard") as shard:
        echo(text=shard).set_display_name("process")
    echo(text="done").after(greeted).set_display_name("wrap-up")
