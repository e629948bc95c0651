"""Twin of examples/artifact-params.yaml, with examples/pipelines/profile-dataset.yaml."""

from typing import NamedTuple

from kfp import dsl

YAML = "examples/artifact-params.yaml"


@dsl.container_component
def profile(data: dsl.Input[dsl.Dataset], sample_rows: int, report: dsl.Output[dsl.Markdown]):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/tools:1.4", command=["profile", data.path, "--rows", sample_rows, "--report", report.path])


@dsl.pipeline(name="profile-dataset", description="Profiles a dataset and writes a report.")
def profile_dataset(data: dsl.Input[dsl.Dataset], sample_rows: int = 1000) -> NamedTuple("Outputs", report=dsl.Markdown):
    profiled = profile(data=data, sample_rows=sample_rows).set_display_name("profile")
    Outputs = NamedTuple("Outputs", report=dsl.Markdown)
    return Outputs(report=profiled.outputs["report"])


@dsl.container_component
def fetch(uri: str, data: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(image="google/cloud-sdk:slim", command=["gsutil", "cp", uri, data.path])


@dsl.pipeline(name="artifact-params", description="Downloads a dataset and profiles it with a pipeline of its own.")
def pipeline(source_uri: str) -> NamedTuple("Outputs", report=dsl.Markdown):
    fetched = fetch(uri=source_uri).set_display_name("fetch")
    profiled = profile_dataset(data=fetched.outputs["data"]).set_display_name("profile")
    Outputs = NamedTuple("Outputs", report=dsl.Markdown)
    return Outputs(report=profiled.outputs["report"])
