"""Twin of examples/task-settings.yaml."""

from kfp import dsl

YAML = "examples/task-settings.yaml"


@dsl.container_component
def train():
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer-gpu:2.1.0", command=["train"])


@dsl.container_component
def notify():
    return dsl.ContainerSpec(image="curlimages/curl:8.10.1", command=["curl", "-fsS", "-X", "POST", "https://hooks.example.com/done"])


@dsl.pipeline(name="task-settings")
def pipeline():
    trained = (
        train()
        .set_display_name("Train on GPU")
        .set_caching_options(True)
        .set_retry(num_retries=3, backoff_duration="30s", backoff_factor=1.5, backoff_max_duration="10m")
        .set_cpu_limit("8")
        .set_cpu_request("500m")
        .set_memory_limit("32Gi")
        .set_memory_request("16G")
        .set_accelerator_type("NVIDIA_TESLA_T4")
        .set_accelerator_limit(1)
        .set_env_variable("TF_CPP_MIN_LOG_LEVEL", "2")
        .set_env_variable("WANDB_MODE", "offline")
    )
    notify().after(trained).set_caching_options(False).set_retry(num_retries=2)
