"""Twin of examples/compiled-pipeline.yaml: the same compiled pipeline file, loaded by kfp."""

from kfp import components, dsl

from twins import REPOSITORY

YAML = "examples/compiled-pipeline.yaml"

prepare_table = components.load_component_from_file(str(REPOSITORY / "examples/components/prepare-table.pipeline.yaml"))


@dsl.container_component
def train(rows: int, more_rows: int):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["train", "--rows", rows, "--more-rows", more_rows])


@dsl.pipeline(name="compiled-pipeline", description="Prepares two tables with a compiled pipeline and trains on them.")
def pipeline():
    events = prepare_table(table="churn.events").set_display_name("events")
    accounts = prepare_table(table="churn.accounts", min_rows=10).set_display_name("accounts")
    train(rows=events.output, more_rows=accounts.output).set_display_name("train")
