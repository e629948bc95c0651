"""Twins: each module is a pipeline written with the KFP SDK that pipespec's YAML version
must compile to (semantically). A module names its YAML file in `YAML` and defines
`pipeline`. Paths are relative to the repository root."""

import importlib.util
import pathlib

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]


def load_function(path, name):
    """A function from a Python file of the repository, for `dsl.component(...)`; kfp reads
    its source with `inspect`, so it must come from the real file."""
    spec = importlib.util.spec_from_file_location(pathlib.Path(path).stem, REPOSITORY / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)
