"""Functions run as Python components by examples/python-annotations.yaml, whose
interfaces come from their annotations alone."""

from typing import List, NamedTuple, Optional

from kfp.dsl import Dataset, Input, Metrics, Model, Output


def train(data: Input[Dataset], model: Output[Model], epochs: int = 10, rate: float = 0.05,
          tags: List[str] = ["churn", "weekly"], note: Optional[str] = None) -> float:
    """Trains a model and returns its loss."""
    with open(model.path, "w") as out:
        out.write(f"{epochs} {rate} {tags} {note}")
    return 0.1


def rounded(value: float, digits: int = 3) -> float:
    """A helper the evaluate component embeds (kfp's additional_funcs)."""
    return round(value, digits)


def evaluate(model: Input[Model], loss: float, metrics: Output[Metrics]) -> NamedTuple("Outputs", [("aupr", float), ("passed", bool)]):
    """Scores a model."""
    from collections import namedtuple
    metrics.log_metric("loss", rounded(loss))
    return namedtuple("Outputs", ["aupr", "passed"])(rounded(0.8), loss < 0.5)


def summarize(models: Input[List[Model]]) -> Dataset:
    """Writes one line per model into a new dataset (a "pythonic" artifact return)."""
    from kfp import dsl
    summary = Dataset(uri=dsl.get_uri())
    with open(summary.path, "w") as out:
        out.writelines(f"{model.uri}\n" for model in models)
    return summary
