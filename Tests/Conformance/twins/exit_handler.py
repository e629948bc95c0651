"""Twin of examples/exit-handler.yaml."""

from kfp import dsl

YAML = "examples/exit-handler.yaml"


@dsl.container_component
def run(action: str):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/ops:1.0", command=["run", action])


@dsl.container_component
def notify(status: dsl.PipelineTaskFinalStatus, channel: str):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/ops:1.0", command=["notify", "--channel", channel, "--status", status])


@dsl.pipeline(name="exit-handler", description="Trains a model and reports how the run ended.")
def pipeline(channel: str = "#ml-alerts"):
    report = notify(channel=channel).set_display_name("report")
    with dsl.ExitHandler(report, name="guarded"):
        prepare = run(action="prepare").set_display_name("prepare")
        train = run(action="train").after(prepare).set_display_name("train")
        run(action="clean-up").after(train).ignore_upstream_failure().set_display_name("clean-up")
