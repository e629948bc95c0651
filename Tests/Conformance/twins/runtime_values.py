"""Twin of examples/runtime-values.yaml."""

from kfp import dsl
from google_cloud_pipeline_components import _placeholders

YAML = "examples/runtime-values.yaml"


@dsl.container_component
def show(line: str):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["echo", f"task {dsl.PIPELINE_TASK_NAME_PLACEHOLDER} ({dsl.PIPELINE_TASK_ID_PLACEHOLDER}) of {dsl.PIPELINE_JOB_NAME_PLACEHOLDER}"],
        args=[line],
    )


@dsl.pipeline(name="runtime-values")
def pipeline():
    show(line=f"job {dsl.PIPELINE_JOB_ID_PLACEHOLDER} = {dsl.PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER}").set_display_name("ids")
    show(line=f"created {dsl.PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER}, scheduled {dsl.PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER}").set_display_name("times")
    show(
        line=f"{_placeholders.PROJECT_ID_PLACEHOLDER}/{_placeholders.LOCATION_PLACEHOLDER} as {_placeholders.SERVICE_ACCOUNT_PLACEHOLDER}, artifacts under {dsl.PIPELINE_ROOT_PLACEHOLDER}"
    ).set_display_name("where")
    show(line=dsl.PIPELINE_JOB_ID_PLACEHOLDER).set_display_name("whole")
    show(line="a literal ${pipeline.job_id}").set_display_name("literal")
