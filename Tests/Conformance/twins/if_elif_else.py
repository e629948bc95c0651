"""Twin of examples/if-elif-else.yaml."""

from kfp import dsl

YAML = "examples/if-elif-else.yaml"


@dsl.container_component
def score_model(score: dsl.OutputPath(float)):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/trainer:2.1.0", command=["score", "--out", score])


@dsl.container_component
def run(action: str):
    return dsl.ContainerSpec(image="gcr.io/acme-ml/ops:1.0", command=["run", action])


@dsl.pipeline(name="if-elif-else")
def pipeline(deploy_threshold: float = 0.9):
    score = score_model().set_display_name("score")
    with dsl.If(score.outputs["score"] >= deploy_threshold, name="quality-gate"):
        deploy = run(action="deploy").set_display_name("deploy")
        run(action=f"announce {score.outputs['score']}").after(deploy).set_display_name("announce")
    with dsl.Elif(score.outputs["score"] >= 0.5, name="quality-gate-elif-1"):
        run(action="retrain").set_display_name("retrain")
        with dsl.If(score.outputs["score"] < 0.6, name="double-check"):
            run(action="review").set_display_name("review")
    with dsl.Else(name="quality-gate-else"):
        run(action="alert").set_display_name("alert")
