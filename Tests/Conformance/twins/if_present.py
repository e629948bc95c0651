"""Twin of examples/if-present.yaml."""

from typing import Optional

from kfp import dsl

YAML = "examples/if-present.yaml"


@dsl.container_component
def export(table: str, rows: dsl.Output[dsl.Dataset], filter: Optional[str] = None, limit: Optional[int] = None):
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/tools:1.4",
        command=["export", table],
        args=[
            dsl.IfPresentPlaceholder(input_name="filter", then=["--where", filter], else_=["--all"]),
            dsl.IfPresentPlaceholder(input_name="limit", then=[f"--limit={limit}"]),
            "--out",
            rows.path,
        ])


@dsl.pipeline(name="if-present", description="Exports a table, filtered when a task passes a filter.")
def pipeline():
    export(table="churn.events").set_display_name("everything")
    export(table="churn.events", filter="day > '2026-11-01'", limit=1000).set_display_name("recent")
