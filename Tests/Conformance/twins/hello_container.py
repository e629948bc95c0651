"""Twin of examples/hello-container.yaml."""

from kfp import dsl

YAML = "examples/hello-container.yaml"


@dsl.container_component
def greet(name: str, greeting: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image="alpine:3.20", command=["sh", "-c", 'echo "hello, $0" | tee "$1"'], args=[name, greeting])


@dsl.container_component
def shout(text: str):
    return dsl.ContainerSpec(image="alpine:3.20", command=["sh", "-c", 'echo "$0" | tr a-z A-Z'], args=[text])


@dsl.pipeline(name="hello-container")
def pipeline(recipient: str = "world"):
    greeting = greet(name=recipient)
    shout(text=greeting.outputs["greeting"])
