"""Twin of examples/typed-params.yaml."""

from kfp import dsl

YAML = "examples/typed-params.yaml"


@dsl.container_component
def train(data: str, epochs: int, learning_rate: float, shuffle: bool, layers: list, optimizer: dict, tag: str = "untagged"):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/trainer:2.1.0",
        command=["python", "-m", "trainer"],
        args=[
            f"--data={data}",
            f"--epochs={epochs}",
            f"--learning-rate={learning_rate}",
            f"--shuffle={shuffle}",
            f"--layers={layers}",
            f"--optimizer={optimizer}",
            f"--tag={tag}",
        ],
    )


@dsl.pipeline(name="typed-params")
def pipeline(
    dataset_uri: str,
    run_label: str = None,
    epochs: int = 10,
    learning_rate: float = 0.01,
    shuffle: bool = True,
    layers: list = [128, 64],
    optimizer: dict = {"name": "adam", "beta1": 0.9},
):
    train(
        data=dataset_uri,
        epochs=epochs,
        learning_rate=learning_rate,
        shuffle=shuffle,
        layers=layers,
        optimizer=optimizer,
        tag=f"run-{run_label}-e{epochs}",
    )
