"""Twin of examples/component-file.yaml: loads the same component file."""

from kfp import components, dsl

from twins.word_count_component import COMPONENT_FILE

YAML = "examples/component-file.yaml"


@dsl.container_component
def download(uri: str, text: dsl.Output[dsl.Artifact]):
    return dsl.ContainerSpec(image="google/cloud-sdk:slim", command=["gsutil", "cp", uri, text.path])


@dsl.pipeline(name="component-file")
def pipeline(document_uri: str):
    count = components.load_component_from_file(str(COMPONENT_FILE))
    text = download(uri=document_uri)
    count(text=text.outputs["text"], min_length=3).set_display_name("count")
