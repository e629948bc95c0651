"""Twin of examples/python-component.yaml."""

from kfp import dsl

from twins import load_function

YAML = "examples/python-component.yaml"

split_dataset = dsl.component(base_image="python:3.11-slim")(load_function("examples/components/split_dataset.py", "split_dataset"))
describe_split = dsl.component(
    base_image="python:3.11", packages_to_install=["tabulate==0.9.0"],
    pip_index_urls=["https://pypi.acme.internal/simple", "https://pypi.org/simple"],
)(
    load_function("examples/components/split_dataset.py", "describe_split")
)


@dsl.container_component
def fetch(uri: str, data: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(image="google/cloud-sdk:slim", command=["gsutil", "cp", uri, data.path])


@dsl.pipeline(name="python-component")
def pipeline(source_uri: str, test_fraction: float = 0.25):
    fetched = fetch(uri=source_uri).set_display_name("fetch")
    split = split_dataset(source=fetched.outputs["data"], test_fraction=test_fraction).set_display_name("split")
    describe_split(train_rows=split.outputs["train_rows"], test_rows=split.outputs["test_rows"]).set_display_name("describe")
