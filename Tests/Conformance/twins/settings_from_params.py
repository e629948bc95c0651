"""Twin of examples/settings-from-params.yaml."""

from kfp import dsl

YAML = "examples/settings-from-params.yaml"


@dsl.container_component
def train():
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer-gpu:2.1.0", command=["train"])


@dsl.container_component
def prepare():
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["prepare"])


@dsl.pipeline(name="settings-from-params", description="Trains on the machine shape a run asks for.")
def pipeline(cpu: str = "8", memory: str = "32Gi", gpu: str = "NVIDIA_TESLA_T4", gpus: int = 1):
    prepared = prepare().set_display_name("prepare").set_cpu_limit(cpu).set_memory_limit("4Gi")
    (train().set_display_name("train").after(prepared)
     .set_cpu_limit(cpu).set_cpu_request("2").set_memory_limit(memory)
     .set_accelerator_type(gpu).set_accelerator_limit(gpus))
    (train().set_display_name("train-t4").after(prepared)
     .set_accelerator_type("NVIDIA_TESLA_T4").set_accelerator_limit(gpus))
