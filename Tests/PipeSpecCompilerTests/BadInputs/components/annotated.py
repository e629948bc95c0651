"""Functions for the Python-interface bad inputs."""

from kfp.dsl import Dataset, Input


def typed(data: Input[Dataset], epochs: int = 10) -> float:
    return 0.5


def untyped(data, epochs: int = 10):
    return None
