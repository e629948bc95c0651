"""Twin of examples/component-file-v1.yaml: the same v1 component file, loaded by kfp."""

from kfp import components, dsl

from twins import REPOSITORY

YAML = "examples/component-file-v1.yaml"

train_model = components.load_component_from_file(str(REPOSITORY / "examples/components/train-model.component.yaml"))


@dsl.container_component
def make_data(data: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["make-data", data.path])


@dsl.pipeline(name="component-file-v1", description="Trains a model with a component from a v1 component file.")
def pipeline():
    data = make_data().set_display_name("data")
    train_model(training_data=data.outputs["data"], label_column="churned").set_display_name("train")
    train_model(training_data=data.outputs["data"], label_column="churned", learning_rate=0.3, epochs=3).set_display_name("train-fast")
