"""Twin of examples/custom-training-job.yaml."""

from google_cloud_pipeline_components.v1.custom_job import create_custom_training_job_from_component
from kfp import dsl

from twins import load_function

YAML = "examples/custom-training-job.yaml"


@dsl.container_component
def make_data(data: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/tools:1.4", command=["make-data", data.path])


@dsl.container_component
def score(model: dsl.Input[dsl.Model], scores: dsl.Output[dsl.Dataset], threshold: float = 0.5):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/score:2.1",
        command=["score", "--model", model.path, "--threshold", threshold, "--out", scores.path])


train = create_custom_training_job_from_component(
    dsl.component(packages_to_install=["pandas==2.2.3"])(load_function("examples/components/scoring.py", "train")),
    display_name="churn-train", machine_type="n1-highmem-8", accelerator_type="NVIDIA_TESLA_T4", accelerator_count=2,
    boot_disk_size_gb=200, timeout="7200s", labels={"team": "churn"}, env=[{"name": "TF_CPP_MIN_LOG_LEVEL", "value": "2"}])
score_job = create_custom_training_job_from_component(
    score, display_name="score", replica_count=2, machine_type="n2-standard-16", boot_disk_type="pd-standard",
    network="projects/123456789/global/networks/ml-vpc", strategy="SPOT", reservation_affinity_type="ANY_RESERVATION")


@dsl.pipeline(
    name="custom-training-job",
    description="Trains a model on a GPU machine and scores it on two replicas, each a Vertex AI CustomJob.")
def pipeline(service_account: str = "trainer@acme-ml.iam.gserviceaccount.com"):
    data = make_data().set_display_name("data")
    trained = train(data=data.outputs["data"], epochs=20, service_account=service_account).set_display_name("train")
    score_job(model=trained.outputs["model"], threshold=0.7).set_display_name("score")
