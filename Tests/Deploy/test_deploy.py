"""End-to-end tests of `pipespec plan`, `apply` and `run` against loopback Google APIs.

Each test runs the real binary in its own workspace (see conftest.py) against
fake-gcs-server (Cloud Storage) and fake_google.py (Cloud Scheduler, Vertex AI, OAuth), and
checks what ends up on the servers and which requests were sent, following
notes/deploy-contract.md: names and owner markers of remote resources, the PipelineJob every
schedule starts, plan JSON and exit codes, idempotence (a second apply sends nothing), field-
level updates, stale saved plans, retries through faults, partial failures, config errors
with file:line:column, and credentials (static token, service-account key, authorized user,
metadata server) that never show up in output or saved plans.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from harness import SCOPE, decode_body, locate, query_params, sha256_hex

OWNER = "acme-ml"
def marker(env: str, deployment: str, schedule: str) -> str:
    """The last line of the description of a Cloud Scheduler job pipespec owns."""
    return f"managed by pipespec (owner {OWNER}, environment {env}, deployment {deployment}, schedule {schedule})"
LOCATION = "us-central1"
URL_TARGET = "https://hooks.example.com/pipelines/run"
URL_AUDIENCE = "https://hooks.example.com"


# Configs.


def standard_config(ws) -> dict:
    """Two environments, two deployments, every target kind.

    dev:  churn-training template, weekly (cloud-scheduler), nightly (vertex-schedule);
          hello template, hourly (cloud-scheduler)
    prod: churn-training template, weekly (cloud-scheduler), hook (URL target);
          hello template, hourly (cloud-scheduler)
    """
    environments = {}
    for name in ("dev", "prod"):
        environment = dict(ws.environments[name])
        environment["labels"] = {"team": "ml"}
        environments[name] = environment
    environments["prod"]["network"] = "projects/123/global/networks/default"
    churn_params = dict(ws.CHURN_PARAMS)
    return {
        "owner": OWNER,
        "environments": environments,
        "deployments": {
            "churn-training": {
                "pipeline": "pipelines/customer-churn-training.yaml",
                "params": churn_params,
                "env": {"prod": {"params": {"aupr_threshold": 0.6}}},
                "schedules": {
                    "weekly": {
                        "cron": "0 9 * * MON",
                        "time_zone": "America/Chicago",
                        "target": "cloud-scheduler",
                        "description": "Weekly retraining",
                    },
                    "nightly": {"cron": "0 2 * * *", "target": "vertex-schedule", "environments": ["dev"]},
                    "hook": {
                        "cron": "30 6 * * *",
                        "target": {"url": URL_TARGET, "audience": URL_AUDIENCE},
                        "environments": ["prod"],
                    },
                },
            },
            "hello": {
                "pipeline": "pipelines/hello-container.yaml",
                "params": {"recipient": "team"},
                "schedules": {"hourly": {"cron": "0 * * * *", "target": "cloud-scheduler"}},
            },
        },
    }


STANDARD_RESOURCES = {
    # address: (kind, name kind)
    "dev/churn-training/template": "gcs-object",
    "dev/churn-training/schedule/weekly": "cloud-scheduler-job",
    "dev/churn-training/schedule/nightly": "vertex-schedule",
    "dev/hello/template": "gcs-object",
    "dev/hello/schedule/hourly": "cloud-scheduler-job",
    "prod/churn-training/template": "gcs-object",
    "prod/churn-training/schedule/weekly": "cloud-scheduler-job",
    "prod/churn-training/schedule/hook": "cloud-scheduler-job",
    "prod/hello/template": "gcs-object",
    "prod/hello/schedule/hourly": "cloud-scheduler-job",
}


def hello_config(ws, target="cloud-scheduler", **schedule) -> dict:
    """One environment, one small deployment, one schedule."""
    return {
        "owner": OWNER,
        "environments": {"dev": dict(ws.environments["dev"])},
        "deployments": {
            "hello": {
                "pipeline": "pipelines/hello-container.yaml",
                "params": {"recipient": "team"},
                "schedules": {"hourly": {"cron": "0 * * * *", "target": target, **schedule}},
            }
        },
    }


def expected_name(ws, address: str) -> str:
    env, deployment, *rest = address.split("/")
    if rest == ["template"]:
        return ws.template_uri(env, deployment)
    schedule = rest[1]
    if STANDARD_RESOURCES.get(address) == "vertex-schedule":
        return f"{deployment}-{schedule}"
    return ws.job_name(env, deployment, schedule)


# Assertions and small helpers.


def ok(result, *codes):
    assert result.returncode in (codes or (0,)), str(result)
    return result


ACTIONS = {"create", "update", "replace", "delete", "no-op"}


def changes(plan: dict, include_none: bool = False) -> dict:
    """The plan's changes by address, without the unchanged resources.

    An unchanged resource's action is "no-op", Terraform's word (checked by
    test_plan_json_uses_the_contract_vocabulary)."""
    return {c["address"]: c for c in plan["changes"] if include_none or c["action"] != "no-op"}


def summary(created=0, updated=0, replaced=0, deleted=0) -> str:
    return f"Apply complete: {created} created, {updated} updated, {replaced} replaced, {deleted} deleted."


def mutations(ws) -> list[tuple]:
    return [(e["service"], e["method"], e["path"], query_params(e).get("updateMask")) for e in ws.mutating_requests()]


def output(result) -> str:
    return result.stdout + result.stderr


def template(ws, env, deployment) -> tuple[dict, dict]:
    """(object metadata, parsed template) as stored in Cloud Storage."""
    meta = ws.gcs.object_metadata(ws.bucket(env), ws.template_object(env, deployment))
    assert meta is not None, f"no template object gs://{ws.bucket(env)}/{ws.template_object(env, deployment)}"
    return meta, json.loads(ws.gcs.download(ws.bucket(env), ws.template_object(env, deployment)))


def job(ws, env, deployment, schedule) -> dict:
    jobs = ws.google.jobs(ws.project(env), LOCATION)
    name = ws.job_name(env, deployment, schedule)
    assert name in jobs, f"no job {name}; jobs: {sorted(jobs)}"
    return jobs[name]


def vertex_schedule(ws, env, deployment, schedule) -> dict:
    schedules = ws.google.schedules(ws.project(env), LOCATION)
    name = f"{deployment}-{schedule}"
    assert name in schedules, f"no schedule {name}; schedules: {sorted(schedules)}"
    return schedules[name]


def seconds(duration) -> float:
    """'3600s' / '3600.000s' / {'seconds': 3600} -> 3600.0"""
    if isinstance(duration, dict):
        return float(duration.get("seconds", 0)) + float(duration.get("nanos", 0)) / 1e9
    assert isinstance(duration, str) and duration.endswith("s"), duration
    return float(duration[:-1])


def check_pipeline_job(ws, body: dict, env: str, deployment: str, schedule: str | None, params: dict, config: dict,
                       spec_is_template: bool = True):
    """A PipelineJob as pipespec sends it: valid proto, template inline, config values."""
    from google.cloud import aiplatform_v1
    from google.protobuf import json_format

    json_format.ParseDict(body, aiplatform_v1.PipelineJob.pb(aiplatform_v1.PipelineJob()))
    environment = config["environments"][env]
    assert body.get("displayName"), body.keys()
    _, stored = template(ws, env, deployment)
    spec = body["pipelineSpec"]
    if spec_is_template:
        assert spec == stored, "the job's inline pipelineSpec is not the uploaded template"
    runtime = body["runtimeConfig"]
    assert runtime["gcsOutputDirectory"].startswith(environment["pipeline_root"]), runtime
    for name, value in params.items():
        assert runtime["parameterValues"].get(name) == value, (name, runtime["parameterValues"])
    assert body["serviceAccount"] == environment["service_account"]
    if "network" in environment:
        assert body["network"] == environment["network"]
    else:
        assert "network" not in body
    labels = body.get("labels", {})
    assert labels.get("pipespec-owner") == OWNER and labels.get("pipespec-deployment") == deployment, labels
    if schedule:
        assert labels.get("pipespec-schedule") == schedule, labels
    for key, value in environment.get("labels", {}).items():
        assert labels.get(key) == value, labels


def expected_params(config, env, deployment) -> dict:
    """Deployment params, then environment params, then the deployment's per-env params."""
    values = dict(config["deployments"][deployment].get("params", {}))
    values.update(config["environments"][env].get("params", {}))
    values.update(config["deployments"][deployment].get("env", {}).get(env, {}).get("params", {}))
    return values


@pytest.fixture
def standard(workspace):
    workspace.write_config(standard_config(workspace))
    return workspace


@pytest.fixture
def applied(standard):
    ok(standard.apply())
    standard.clear_logs()
    return standard


# Plan before anything exists.


def test_plan_shows_creates_for_templates_and_every_schedule_target(standard):
    result = ok(standard.plan("--detailed-exitcode"), 2)
    plan = result.json()
    assert plan["format_version"] == 1
    found = changes(plan, include_none=True)
    assert set(found) == set(STANDARD_RESOURCES), sorted(found)
    for address, kind in STANDARD_RESOURCES.items():
        change = found[address]
        assert (change["kind"], change["action"]) == (kind, "create"), change
        assert change["name"] == expected_name(standard, address), change
    assert plan["summary"] == {"create": 10, "update": 0, "replace": 0, "delete": 0}
    assert mutations(standard) == []


def test_plan_text_names_every_change(standard):
    result = ok(standard.pipespec("plan"))
    for address in STANDARD_RESOURCES:
        assert address in result.stdout, f"{address} missing from the text plan\n{result}"
    assert "create" in result.stdout.lower()
    assert mutations(standard) == []


def test_plan_exit_codes(standard):
    ok(standard.pipespec("plan"), 0)
    ok(standard.pipespec("plan", "--detailed-exitcode"), 2)
    ok(standard.apply())
    ok(standard.pipespec("plan"), 0)
    ok(standard.pipespec("plan", "--detailed-exitcode"), 0)


def test_plan_json_uses_the_contract_vocabulary(standard):
    created = standard.plan_json()
    ok(standard.apply())
    unchanged = standard.plan_json()
    for plan in (created, unchanged):
        assert set(plan) >= {"format_version", "changes", "summary"}
        assert set(plan["summary"]) == {"create", "update", "replace", "delete"}
        for change in plan["changes"]:
            assert {"address", "kind", "name", "action"} <= set(change), change
            assert change["action"] in ACTIONS, change
            assert change["kind"] in {"gcs-object", "cloud-scheduler-job", "vertex-schedule"}, change


def test_plan_for_one_environment(standard):
    plan = standard.plan_json("--env", "dev")
    assert set(changes(plan)) == {a for a in STANDARD_RESOURCES if a.startswith("dev/")}


def test_plan_is_deterministic_and_independent_of_parallelism(standard):
    first = standard.plan_json()
    assert standard.plan_json() == first
    assert standard.plan_json("--parallelism", "1") == first
    assert standard.plan_json("--parallelism", "16") == first


# Apply: what gets created.


def test_apply_creates_everything_and_reports_it(standard):
    result = ok(standard.apply())
    assert summary(created=10) in result.stdout, result
    for address in STANDARD_RESOURCES:
        assert address in result.stdout or expected_name(standard, address) in result.stdout, f"no line for {address}\n{result}"


def test_templates_are_uploaded_with_owner_metadata_and_create_preconditions(standard):
    ok(standard.apply())
    for env in ("dev", "prod"):
        for deployment, pipeline in (("churn-training", "pipelines/customer-churn-training.yaml"), ("hello", "pipelines/hello-container.yaml")):
            meta, stored = template(standard, env, deployment)
            data = standard.gcs.download(standard.bucket(env), standard.template_object(env, deployment))
            assert meta["contentType"].startswith("application/json")
            custom = meta.get("metadata", {})
            assert custom.get("pipespec-owner") == OWNER
            assert custom.get("pipespec-sha256") == sha256_hex(data)
            assert custom.get("pipespec-summary"), custom
            assert stored == json.loads(standard.compile(pipeline)), "the template is not what pipespec compile writes"
    uploads = [e for e in standard.gcs.requests() if e["mutating"]]
    assert len(uploads) == 4, uploads
    for upload in uploads:
        query = query_params(upload)
        assert upload["method"] == "POST" and upload["path"].startswith("/upload/storage/v1/b/"), upload
        assert query.get("uploadType") == "multipart" and query.get("ifGenerationMatch") == "0", upload


def test_cloud_scheduler_job_posts_the_pipeline_job(standard):
    ok(standard.apply())
    config = standard.config
    for env in ("dev", "prod"):
        weekly = job(standard, env, "churn-training", "weekly")
        assert weekly["schedule"] == "0 9 * * MON"
        assert weekly["timeZone"] == "America/Chicago"
        lines = weekly["description"].rstrip("\n").splitlines()
        assert lines[-1] == marker(env, "churn-training", "weekly") and "Weekly retraining" in weekly["description"], weekly["description"]
        target = weekly["httpTarget"]
        project = standard.project(env)
        assert target["uri"] == f"https://{LOCATION}-aiplatform.googleapis.com/v1/projects/{project}/locations/{LOCATION}/pipelineJobs"
        assert target.get("httpMethod") == "POST"
        assert target["headers"].get("Content-Type") == "application/json"
        assert target["oauthToken"] == {"serviceAccountEmail": config["environments"][env]["service_account"], "scope": SCOPE}
        assert "oidcToken" not in target
        body = decode_body(weekly)
        params = expected_params(config, env, "churn-training")
        check_pipeline_job(standard, body, env, "churn-training", "weekly", params, config)
        # The deployment's per-environment params win.
        assert body["runtimeConfig"]["parameterValues"]["aupr_threshold"] == (0.6 if env == "prod" else 0.5)
        assert body["runtimeConfig"]["parameterValues"]["code_bucket"] == "gs://acme-code"
    hourly = job(standard, "dev", "hello", "hourly")
    assert hourly["timeZone"] == "UTC"
    assert hourly["description"].rstrip("\n").splitlines()[-1] == marker("dev", "hello", "hourly")
    check_pipeline_job(standard, decode_body(hourly), "dev", "hello", "hourly", {"recipient": "team"}, config)


def test_url_target_job_uses_an_oidc_token(standard):
    ok(standard.apply())
    hook = job(standard, "prod", "churn-training", "hook")
    target = hook["httpTarget"]
    assert target["uri"] == URL_TARGET
    assert target.get("httpMethod") == "POST"
    assert target["oidcToken"] == {"serviceAccountEmail": standard.config["environments"]["prod"]["service_account"], "audience": URL_AUDIENCE}
    assert "oauthToken" not in target
    check_pipeline_job(standard, decode_body(hook), "prod", "churn-training", "hook",
                       expected_params(standard.config, "prod", "churn-training"), standard.config)


def test_vertex_schedule_creates_the_pipeline_job(standard):
    ok(standard.apply())
    nightly = vertex_schedule(standard, "dev", "churn-training", "nightly")
    assert nightly["cron"] == "TZ=UTC 0 2 * * *"
    request = nightly["createPipelineJobRequest"]
    # By project ID or by the number Vertex AI uses in its names.
    projects = {standard.project("dev"), standard.google.project_number(standard.project("dev"))}
    assert request["parent"] in {f"projects/{p}/locations/{LOCATION}" for p in projects}, request["parent"]
    assert int(nightly.get("maxConcurrentRunCount", 0)) == 1
    assert not nightly.get("allowQueueing", False)
    check_pipeline_job(standard, request["pipelineJob"], "dev", "churn-training", "nightly",
                       expected_params(standard.config, "dev", "churn-training"), standard.config)
    # Schedules only where asked for.
    assert vertex_schedule_names(standard, "prod") == set()
    assert set(standard.google.jobs(standard.project("dev"), LOCATION)) == {
        standard.job_name("dev", "churn-training", "weekly"), standard.job_name("dev", "hello", "hourly")}


def vertex_schedule_names(ws, env) -> set:
    return set(ws.google.schedules(ws.project(env), LOCATION))


def test_admin_state_holds_what_the_api_shows(standard):
    ok(standard.apply())
    state = json.dumps(standard.google.state())
    for env in ("dev", "prod"):
        for name in standard.google.jobs(standard.project(env), LOCATION):
            assert name in state
    for schedule in standard.google.schedules(standard.project("dev"), LOCATION).values():
        assert schedule["name"] in state


def test_environment_params_override_deployment_params(workspace):
    config = standard_config(workspace)
    del config["deployments"]["hello"]
    for env in ("dev", "prod"):
        config["environments"][env]["params"] = {"project_id": workspace.project(env), "metrics_bucket": f"gs://{env}-metrics"}
    workspace.write_config(config)
    ok(workspace.apply())
    for env in ("dev", "prod"):
        values = decode_body(job(workspace, env, "churn-training", "weekly"))["runtimeConfig"]["parameterValues"]
        assert values["project_id"] == workspace.project(env) and values["metrics_bucket"] == f"gs://{env}-metrics"
        assert values["aupr_threshold"] == (0.6 if env == "prod" else 0.5)
        assert values["code_bucket"] == "gs://acme-code"


def test_scheduler_options_reach_the_job(workspace):
    config = hello_config(workspace, description="Hourly greeting", attempt_deadline="3m",
                          retry={"count": 2, "min_backoff": "5s", "max_backoff": "1h", "max_doublings": 5, "max_duration": "0s"},
                          labels={"purpose": "smoke"})
    workspace.write_config(config)
    ok(workspace.apply())
    hourly = job(workspace, "dev", "hello", "hourly")
    retry = hourly["retryConfig"]
    assert int(retry["retryCount"]) == 2 and int(retry["maxDoublings"]) == 5, retry
    assert seconds(retry["minBackoffDuration"]) == 5 and seconds(retry["maxBackoffDuration"]) == 3600, retry
    assert seconds(retry.get("maxRetryDuration", "0s")) == 0, retry
    assert seconds(hourly["attemptDeadline"]) == 180
    assert decode_body(hourly)["labels"].get("purpose") == "smoke"


def test_vertex_schedule_options_reach_the_schedule(workspace):
    config = hello_config(workspace, target="vertex-schedule", time_zone="Europe/Berlin", start_time="2027-01-01T00:00:00Z",
                          end_time="2028-01-01T00:00:00Z", max_runs=10, max_concurrent_runs=2, allow_queueing=True)
    workspace.write_config(config)
    ok(workspace.apply())
    schedule = vertex_schedule(workspace, "dev", "hello", "hourly")
    assert schedule["cron"] == "TZ=Europe/Berlin 0 * * * *"
    assert schedule["startTime"].startswith("2027-01-01T00:00:00") and schedule["endTime"].startswith("2028-01-01T00:00:00")
    assert int(schedule["maxRunCount"]) == 10 and int(schedule["maxConcurrentRunCount"]) == 2
    assert schedule["allowQueueing"] is True
    assert workspace.plan_json()["summary"] == {"create": 0, "update": 0, "replace": 0, "delete": 0}


def test_caching_false_rewrites_the_sent_spec_only(workspace):
    workspace.write_config(hello_config(workspace, caching=False))
    ok(workspace.apply())
    _, stored = template(workspace, "dev", "hello")
    assert stored == json.loads(workspace.compile("pipelines/hello-container.yaml"))
    sent = decode_body(job(workspace, "dev", "hello", "hourly"))["pipelineSpec"]
    tasks = sent["root"]["dag"]["tasks"]
    assert tasks and all(t["cachingOptions"].get("enableCache", False) is False for t in tasks.values()), tasks
    assert {k: v for k, v in sent.items() if k != "root"} == {k: v for k, v in stored.items() if k != "root"}


# Idempotence.


def test_plan_after_apply_has_no_changes(applied):
    result = ok(applied.plan("--detailed-exitcode"), 0)
    plan = result.json()
    assert changes(plan) == {}, plan
    assert plan["summary"] == {"create": 0, "update": 0, "replace": 0, "delete": 0}
    assert mutations(applied) == []


def test_second_apply_sends_no_mutating_request(applied):
    result = ok(applied.apply())
    assert mutations(applied) == [], result
    assert summary() in result.stdout or "no changes" in result.stdout.lower(), result


# Updates.


@pytest.mark.parametrize("target,field,value,mask", [
    ("cloud-scheduler", "cron", "15 * * * *", "schedule"),
    ("cloud-scheduler", "time_zone", "Asia/Tokyo", "timeZone"),
    ("cloud-scheduler", "description", "Greets every hour", "description"),
    ("vertex-schedule", "cron", "15 * * * *", "cron"),
    ("vertex-schedule", "max_concurrent_runs", 3, "maxConcurrentRunCount"),
])
def test_changing_one_schedule_setting_patches_only_that_field(workspace, target, field, value, mask):
    config = hello_config(workspace, target=target)
    workspace.write_config(config)
    ok(workspace.apply())
    generation = template(workspace, "dev", "hello")[0]["generation"]
    config["deployments"]["hello"]["schedules"]["hourly"][field] = value
    workspace.write_config(config)
    workspace.clear_logs()
    plan = workspace.plan_json()
    found = changes(plan)
    assert set(found) == {"dev/hello/schedule/hourly"}, plan
    assert found["dev/hello/schedule/hourly"]["action"] == "update"
    assert found["dev/hello/schedule/hourly"].get("fields"), found
    result = ok(workspace.apply())
    assert summary(updated=1) in result.stdout, result
    sent = mutations(workspace)
    assert len(sent) == 1 and sent[0][:2] == ("google", "PATCH"), sent
    assert sent[0][3] == mask, sent
    assert template(workspace, "dev", "hello")[0]["generation"] == generation
    if target == "cloud-scheduler":
        remote = job(workspace, "dev", "hello", "hourly")
        if field == "cron":
            assert remote["schedule"] == value
        elif field == "time_zone":
            assert remote["timeZone"] == value
        else:
            assert remote["description"].startswith(value) and remote["description"].rstrip().endswith(marker("dev", "hello", "hourly"))
    else:
        remote = vertex_schedule(workspace, "dev", "hello", "hourly")
        if field == "cron":
            assert remote["cron"] == f"TZ=UTC {value}"
        else:
            assert int(remote["maxConcurrentRunCount"]) == value
    ok(workspace.plan("--detailed-exitcode"), 0)


def test_cron_field_change_is_shown_with_old_and_new_values(workspace):
    config = hello_config(workspace)
    workspace.write_config(config)
    ok(workspace.apply())
    config["deployments"]["hello"]["schedules"]["hourly"]["cron"] = "15 * * * *"
    workspace.write_config(config)
    change = changes(workspace.plan_json())["dev/hello/schedule/hourly"]
    assert {"path": "schedule", "old": "0 * * * *", "new": "15 * * * *"} in change["fields"], change


@pytest.mark.parametrize("target", ["cloud-scheduler", "vertex-schedule"])
def test_changing_a_param_keeps_the_template_and_changes_the_job_body(workspace, target):
    config = hello_config(workspace, target=target)
    workspace.write_config(config)
    ok(workspace.apply())
    generation = template(workspace, "dev", "hello")[0]["generation"]
    config["deployments"]["hello"]["params"]["recipient"] = "everyone"
    workspace.write_config(config)
    workspace.clear_logs()
    found = changes(workspace.plan_json())
    assert set(found) == {"dev/hello/schedule/hourly"}, found
    ok(workspace.apply())
    assert [m[:2] for m in mutations(workspace)] == [("google", "PATCH")]
    assert template(workspace, "dev", "hello")[0]["generation"] == generation
    if target == "cloud-scheduler":
        body = decode_body(job(workspace, "dev", "hello", "hourly"))
    else:
        body = vertex_schedule(workspace, "dev", "hello", "hourly")["createPipelineJobRequest"]["pipelineJob"]
    assert body["runtimeConfig"]["parameterValues"]["recipient"] == "everyone"


def test_changing_the_pipeline_updates_the_template(workspace):
    config = hello_config(workspace)
    workspace.write_config(config)
    ok(workspace.apply())
    old_meta, _ = template(workspace, "dev", "hello")
    pipeline = workspace.root / "pipelines/hello-container.yaml"
    pipeline.write_text(pipeline.read_text().replace("Two container tasks, the second reading the first's output.", "Greets, then shouts."))
    workspace.clear_logs()
    found = changes(workspace.plan_json())
    assert found["dev/hello/template"]["action"] == "update", found
    ok(workspace.apply())
    new_meta, stored = template(workspace, "dev", "hello")
    assert new_meta["generation"] != old_meta["generation"]
    data = workspace.gcs.download(workspace.bucket("dev"), workspace.template_object("dev", "hello"))
    assert new_meta["metadata"]["pipespec-sha256"] == sha256_hex(data) != old_meta["metadata"]["pipespec-sha256"]
    assert stored["pipelineInfo"]["description"] == "Greets, then shouts."
    uploads = [e for e in workspace.gcs.requests() if e["mutating"]]
    assert len(uploads) == 1 and query_params(uploads[0]).get("ifGenerationMatch") == old_meta["generation"], uploads
    assert decode_body(job(workspace, "dev", "hello", "hourly"))["pipelineSpec"] == stored
    ok(workspace.plan("--detailed-exitcode"), 0)


# Deletes and ownership.


@pytest.mark.parametrize("schedule", ["weekly", "nightly"])
def test_removing_a_schedule_deletes_it(applied, schedule):
    config = copy.deepcopy(applied.config)
    del config["deployments"]["churn-training"]["schedules"][schedule]
    applied.write_config(config)
    found = changes(applied.plan_json("--env", "dev"))
    assert {a: c["action"] for a, c in found.items()} == {f"dev/churn-training/schedule/{schedule}": "delete"}
    result = ok(applied.apply("--env", "dev"))
    assert summary(deleted=1) in result.stdout, result
    sent = mutations(applied)
    assert len(sent) == 1 and sent[0][1] == "DELETE", sent
    if schedule == "weekly":
        assert applied.job_name("dev", "churn-training", "weekly") not in applied.google.jobs(applied.project("dev"), LOCATION)
        assert "churn-training-nightly" in vertex_schedule_names(applied, "dev")
    else:
        assert vertex_schedule_names(applied, "dev") == set()
        job(applied, "dev", "churn-training", "weekly")
    template(applied, "dev", "churn-training")


def test_removing_a_deployment_deletes_its_template_and_schedules(applied):
    config = copy.deepcopy(applied.config)
    del config["deployments"]["hello"]
    applied.write_config(config)
    found = changes(applied.plan_json())
    assert {a: c["action"] for a, c in found.items()} == {
        "dev/hello/template": "delete", "dev/hello/schedule/hourly": "delete",
        "prod/hello/template": "delete", "prod/hello/schedule/hourly": "delete"}
    ok(applied.apply())
    for env in ("dev", "prod"):
        assert applied.gcs.object_metadata(applied.bucket(env), applied.template_object(env, "hello")) is None
        assert applied.job_name(env, "hello", "hourly") not in applied.google.jobs(applied.project(env), LOCATION)
        template(applied, env, "churn-training")


def seed_unowned(ws):
    """Resources in the same projects and bucket that this config does not own."""
    project = ws.project("dev")
    body = "eyJkaXNwbGF5TmFtZSI6ICJoYW5kbWFkZSJ9"
    jobs = [
        {"name": f"projects/{project}/locations/{LOCATION}/jobs/other-team-nightly", "schedule": "0 1 * * *", "timeZone": "UTC",
         "description": "Another team's job", "httpTarget": {"uri": "https://example.com/a", "httpMethod": "POST", "body": body}},
        {"name": f"projects/{project}/locations/{LOCATION}/jobs/hello-legacy", "schedule": "0 1 * * *", "timeZone": "UTC",
         "description": "Old\nmanaged by pipespec (owner someone-else)", "httpTarget": {"uri": "https://example.com/b", "httpMethod": "POST", "body": body}},
    ]
    for item in jobs:
        ws.google.seed("job", item)
    schedule = {"displayName": "hello-weekly", "cron": "TZ=UTC 0 3 * * *", "maxConcurrentRunCount": "1",
                "createPipelineJobRequest": {"parent": f"projects/{project}/locations/{LOCATION}",
                                             "pipelineJob": {"displayName": "handmade", "labels": {"pipespec-owner": "someone-else"}}}}
    ws.google.seed("schedule", schedule, parent=f"projects/{project}/locations/{LOCATION}")
    for name, metadata in (("handmade.json", None), ("legacy.json", {"pipespec-owner": "someone-else"})):
        response = ws.gcs.upload_multipart(ws.bucket("dev"), f"templates/{name}", b"{}", metadata, if_generation_match=0)
        assert response.status == 200
    return {
        "jobs": {j["name"]: ws.google.jobs(project, LOCATION)[j["name"]] for j in jobs},
        "schedules": {"hello-weekly": ws.google.schedules(project, LOCATION)["hello-weekly"]},
        "objects": {o["name"]: o for o in ws.gcs.list_objects(ws.bucket("dev"), "templates/")},
    }


def test_resources_without_the_owner_marker_are_left_alone(workspace):
    workspace.write_config(hello_config(workspace))
    before = seed_unowned(workspace)
    workspace.clear_logs()
    plan = workspace.plan_json()
    assert {a for a in changes(plan)} == {"dev/hello/template", "dev/hello/schedule/hourly"}, plan
    ok(workspace.apply())
    touched = [m for m in mutations(workspace) if any(n.split("/")[-1] in m[2] for n in [*before["jobs"], "hello-weekly", "handmade.json", "legacy.json"])]
    assert touched == []
    jobs = workspace.google.jobs(workspace.project("dev"), LOCATION)
    for name, seeded in before["jobs"].items():
        assert jobs[name] == seeded
    assert workspace.google.schedules(workspace.project("dev"), LOCATION)["hello-weekly"] == before["schedules"]["hello-weekly"]
    objects = {o["name"]: o for o in workspace.gcs.list_objects(workspace.bucket("dev"), "templates/")}
    for name, seeded in before["objects"].items():
        assert objects[name]["generation"] == seeded["generation"]
    # Removing everything from the config still leaves them alone.
    config = hello_config(workspace)
    config["deployments"] = {}
    workspace.write_config(config)
    workspace.clear_logs()
    ok(workspace.apply())
    assert {m[1] for m in mutations(workspace)} <= {"DELETE"}
    jobs = workspace.google.jobs(workspace.project("dev"), LOCATION)
    assert set(before["jobs"]) <= set(jobs)
    assert "hello-weekly" in vertex_schedule_names(workspace, "dev")
    assert {"templates/handmade.json", "templates/legacy.json"} <= {o["name"] for o in workspace.gcs.list_objects(workspace.bucket("dev"), "templates/")}


def test_a_job_of_the_same_name_without_the_marker_is_not_taken_over(workspace):
    workspace.write_config(hello_config(workspace))
    name = workspace.job_name("dev", "hello", "hourly")
    seeded = {"name": name, "schedule": "0 1 * * *", "timeZone": "UTC", "description": "hand-made",
              "httpTarget": {"uri": "https://example.com", "httpMethod": "POST", "body": "e30="}}
    workspace.google.seed("job", seeded)
    before = job(workspace, "dev", "hello", "hourly")
    workspace.clear_logs()
    result = workspace.apply()
    assert result.returncode == 1, result
    assert "hello-hourly" in output(result), result
    assert not [m for m in mutations(workspace) if m[0] == "google" and "hello-hourly" in m[2]]
    assert job(workspace, "dev", "hello", "hourly") == before


def test_a_template_object_of_the_same_name_without_the_marker_is_not_overwritten(workspace):
    workspace.write_config(hello_config(workspace))
    response = workspace.gcs.upload_multipart(workspace.bucket("dev"), workspace.template_object("dev", "hello"), b'{"handmade": true}', None, if_generation_match=0)
    assert response.status == 200
    workspace.clear_logs()
    result = workspace.apply()
    assert result.returncode == 1, result
    assert "hello.json" in output(result), result
    assert workspace.gcs.download(workspace.bucket("dev"), workspace.template_object("dev", "hello")) == b'{"handmade": true}'
    # Nothing scheduled against a template that is not ours.
    assert workspace.google.jobs(workspace.project("dev"), LOCATION) == {}


# Saved plans.


def test_saved_plan_applies_when_nothing_changed_meanwhile(workspace):
    workspace.write_config(hello_config(workspace))
    ok(workspace.pipespec("plan", "--out", "plan.bin"))
    assert not workspace.secrets.leaks((workspace.root / "plan.bin").read_bytes().decode("utf-8", "replace"))
    result = ok(workspace.pipespec("apply", "plan.bin", "--auto-approve"))
    assert summary(created=2) in result.stdout, result
    ok(workspace.plan("--detailed-exitcode"), 0)


def test_apply_without_a_plan_asks_and_refuses_without_a_terminal(workspace):
    workspace.write_config(hello_config(workspace))
    workspace.clear_logs()
    result = workspace.pipespec("apply")
    assert result.returncode == 1, result
    assert "--auto-approve" in result.stderr, result
    assert workspace.mutating_requests() == []
    assert workspace.google.jobs(workspace.project("dev"), LOCATION) == {}


def _change_job(ws):
    response = ws.google.api("PATCH", f"v1/{ws.job_name('dev', 'hello', 'hourly')}", {"schedule": "*/5 * * * *"}, query={"updateMask": "schedule"})
    assert response.status == 200, response.body


def _change_template(ws):
    meta, _ = template(ws, "dev", "hello")
    response = ws.gcs.upload_multipart(ws.bucket("dev"), ws.template_object("dev", "hello"), b'{"changed": "by hand"}', meta["metadata"],
                                       if_generation_match=meta["generation"])
    assert response.status == 200, response.body


def _delete_job(ws):
    assert ws.google.api("DELETE", f"v1/{ws.job_name('dev', 'hello', 'hourly')}").status == 200


@pytest.mark.parametrize("remote_change", [_change_job, _change_template, _delete_job], ids=["job-edited", "template-replaced", "job-deleted"])
def test_stale_saved_plan_is_refused_without_mutating_anything(workspace, remote_change):
    config = hello_config(workspace)
    workspace.write_config(config)
    ok(workspace.apply())
    config["deployments"]["hello"]["schedules"]["hourly"]["cron"] = "45 * * * *"
    workspace.write_config(config)
    pipeline = workspace.root / "pipelines/hello-container.yaml"
    pipeline.write_text(pipeline.read_text().replace("default: world", "default: planet"))
    ok(workspace.pipespec("plan", "--out", "plan.bin"))
    remote_change(workspace)
    workspace.clear_logs()
    result = workspace.pipespec("apply", "plan.bin", "--auto-approve")
    assert result.returncode == 1, result
    assert "stale" in output(result).lower(), result
    assert mutations(workspace) == []


def test_stale_saved_plan_when_a_resource_appeared_meanwhile(workspace):
    workspace.write_config(hello_config(workspace))
    ok(workspace.pipespec("plan", "--out", "plan.bin"))
    # The same config applied from elsewhere between plan and apply.
    ok(workspace.apply())
    workspace.clear_logs()
    result = workspace.pipespec("apply", "plan.bin", "--auto-approve")
    assert result.returncode == 1 and "stale" in output(result).lower(), result
    assert mutations(workspace) == []


# Paused schedules.


@pytest.mark.parametrize("target,paused_state,active_state", [
    ("cloud-scheduler", "PAUSED", "ENABLED"), ("vertex-schedule", "PAUSED", "ACTIVE")])
def test_paused_schedules_are_paused_and_resumed(workspace, target, paused_state, active_state):
    config = hello_config(workspace, target=target, paused=True)
    workspace.write_config(config)
    ok(workspace.apply())
    pauses = [m for m in mutations(workspace) if m[2].endswith(":pause")]
    assert len(pauses) == 1 and pauses[0][1] == "POST", mutations(workspace)
    remote = job(workspace, "dev", "hello", "hourly") if target == "cloud-scheduler" else vertex_schedule(workspace, "dev", "hello", "hourly")
    assert remote["state"] == paused_state
    workspace.clear_logs()
    ok(workspace.plan("--detailed-exitcode"), 0)
    ok(workspace.apply())
    assert mutations(workspace) == []
    config["deployments"]["hello"]["schedules"]["hourly"]["paused"] = False
    workspace.write_config(config)
    ok(workspace.apply())
    sent = mutations(workspace)
    assert len(sent) == 1 and sent[0][1] == "POST" and sent[0][2].endswith(":resume"), sent
    remote = job(workspace, "dev", "hello", "hourly") if target == "cloud-scheduler" else vertex_schedule(workspace, "dev", "hello", "hourly")
    assert remote["state"] == active_state
    # Pausing an existing schedule sends only the pause.
    config["deployments"]["hello"]["schedules"]["hourly"]["paused"] = True
    workspace.write_config(config)
    workspace.clear_logs()
    ok(workspace.apply())
    sent = mutations(workspace)
    assert len(sent) == 1 and sent[0][2].endswith(":pause"), sent


# Faults.


def converged(ws):
    ok(ws.plan("--detailed-exitcode"), 0)


def test_apply_converges_through_503_with_retry_after_and_429(standard):
    standard.google.set_faults([
        {"method": "POST", "path_regex": r"/jobs$", "status": 503, "retry_after": 1, "times": 2},
        {"method": "GET", "path_regex": r"/jobs", "status": 429, "retry_after": 1, "times": 2},
        {"method": "POST", "path_regex": r"/schedules$", "status": 503, "times": 1},
    ])
    standard.gcs.set_faults([{"method": "POST", "path_regex": r"^/upload/", "status": 503, "retry_after": 1, "times": 1},
                             {"method": "GET", "path_regex": r"/o", "status": 429, "times": 1}])
    result = ok(standard.apply())
    assert summary(created=10) in result.stdout, result
    log = standard.requests()
    assert [e["status"] for e in log if e["status"] in (429, 503)].count(503) == 4, log
    creates = [e for e in standard.google.requests() if e["method"] == "POST" and e["path"].endswith("/jobs") and e["status"] == 200]
    assert len(creates) == 5, creates
    standard.google.clear_faults()
    standard.gcs.clear_faults()
    converged(standard)


def test_retry_after_is_honoured_for_cloud_storage(workspace):
    workspace.write_config(hello_config(workspace))
    workspace.gcs.set_faults([{"method": "POST", "path_regex": r"^/upload/", "status": 503, "retry_after": 2, "times": 1}])
    ok(workspace.apply())
    uploads = [e for e in workspace.gcs.requests() if e["method"] == "POST"]
    assert [e["status"] for e in uploads] == [503, 200], uploads
    waited = uploads[1]["started"] - uploads[0]["started"]
    assert waited >= 1.9, f"the upload was sent again {waited:.3f} s after a 503 with Retry-After: 2"


@pytest.mark.parametrize("status", [503, 429])
def test_retry_after_is_honoured_for_cloud_scheduler(workspace, status):
    workspace.write_config(hello_config(workspace))
    workspace.google.set_faults([{"method": "POST", "path_regex": r"/jobs$", "status": status, "retry_after": 2, "times": 1}])
    ok(workspace.apply())
    creates = [e for e in workspace.google.requests() if e["method"] == "POST" and e["path"].endswith("/jobs")]
    assert [e["status"] for e in creates] == [status, 200], creates
    waited = creates[1]["time"] - creates[0]["time"]
    assert waited >= 1.9, f"the job create was sent again {waited:.3f} s after a {status} with Retry-After: 2"


def test_dropped_connections_are_retried(standard):
    standard.google.set_faults([
        {"method": "GET", "path_regex": r"/jobs", "drop": True, "times": 1},
        {"method": "POST", "path_regex": r"/jobs$", "drop": True, "times": 1},
    ])
    standard.gcs.set_faults([{"method": "GET", "path_regex": r"/o", "drop": True, "times": 1},
                             {"method": "POST", "path_regex": r"^/upload/", "drop": True, "times": 1}])
    ok(standard.apply())
    for env in ("dev", "prod"):
        assert len(standard.google.jobs(standard.project(env), LOCATION)) == (2 if env == "dev" else 3)
    standard.google.clear_faults()
    standard.gcs.clear_faults()
    converged(standard)


def test_plan_survives_a_dropped_connection(applied):
    applied.google.set_faults([{"method": "GET", "path_regex": r"/(jobs|schedules)", "drop": True, "times": 2}])
    applied.gcs.set_faults([{"method": "GET", "path_regex": r"/o", "drop": True, "times": 1}])
    ok(applied.plan("--detailed-exitcode"), 0)


def test_failure_halfway_leaves_no_schedule_without_its_template_and_rerun_completes(standard):
    standard.google.set_faults([{"method": "POST", "path_regex": r"/jobs$", "status": 500, "times": 1000}])
    result = standard.apply()
    assert result.returncode == 1, result
    for env in ("dev", "prod"):
        for deployment in ("churn-training", "hello"):
            template(standard, env, deployment)
        assert standard.google.jobs(standard.project(env), LOCATION) == {}
    standard.google.clear_faults()
    result = ok(standard.apply())
    assert "Apply complete:" in result.stdout
    converged(standard)


def test_failed_template_upload_blocks_its_schedules(standard):
    standard.gcs.set_faults([{"method": "POST", "path_regex": r"^/upload/", "status": 500, "times": 1000}])
    result = standard.apply()
    assert result.returncode == 1, result
    for env in ("dev", "prod"):
        for deployment in ("churn-training", "hello"):
            assert standard.gcs.object_metadata(standard.bucket(env), standard.template_object(env, deployment)) is None
        assert standard.google.jobs(standard.project(env), LOCATION) == {}
        assert vertex_schedule_names(standard, env) == set()
    standard.gcs.clear_faults()
    ok(standard.apply())
    converged(standard)


def test_an_api_error_is_reported_with_its_status(applied):
    applied.google.set_faults([{"method": "GET", "path_regex": r"/jobs", "status": 403, "times": 1000}])
    result = applied.plan()
    assert result.returncode == 1, result
    assert "403" in output(result) or "permission" in output(result).lower(), result


# Config errors: file:line:column, a suggestion where one helps, nothing sent.


ERROR_BASE = """\
owner: acme-ml
environments:
  dev:
    project: {dev}
    location: us-central1
    service_account: runner@{dev}.iam.gserviceaccount.com
    pipeline_root: gs://{dev}-pipelines/root
    templates: gs://{dev}-pipelines/templates
  prod:
    project: {prod}
    location: us-central1
    service_account: runner@{prod}.iam.gserviceaccount.com
    pipeline_root: gs://{prod}-pipelines/root
    templates: gs://{prod}-pipelines/templates
deployments:
  hello:
    pipeline: pipelines/hello-container.yaml
    params:
      recipient: team
    schedules:
      hourly:
        cron: "0 * * * *"
        time_zone: America/Chicago
        target: cloud-scheduler
        environments: [dev, prod]
  churn-training:
    pipeline: pipelines/customer-churn-training.yaml
    params:
      project_id: acme-ml-dev
      project_number: "123456789012"
      service_account: spark@acme-ml-dev.iam.gserviceaccount.com
      subnetwork_uri: projects/acme-ml-dev/regions/us-central1/subnetworks/default
      history_server: projects/acme-ml-dev/regions/us-central1/clusters/history
      container_image: us-docker.pkg.dev/acme-ml-dev/spark/churn:1
      code_bucket: gs://acme-code
      metrics_bucket: gs://acme-metrics
      aupr_threshold: 0.5
    env:
      prod:
        params:
          aupr_threshold: 0.6
    schedules:
      weekly:
        cron: "0 9 * * MON"
        target: vertex-schedule
"""

# (id, old text, new text, located text, message pattern, suggestion or None)
CONFIG_ERRORS = [
    ("unknown-env-in-schedule", "environments: [dev, prod]", "environments: [dev, prdo]", "prdo", r"prdo", "prod"),
    ("unknown-env-in-overrides", "    env:\n      prod:", "    env:\n      prodd:", "prodd", r"prodd", "prod"),
    ("unknown-param", "      aupr_threshold: 0.5", "      aupr_treshold: 0.5", "aupr_treshold", r"aupr_treshold", "aupr_threshold"),
    ("wrong-param-type", "      aupr_threshold: 0.5", "      aupr_threshold: high", "high", r"aupr_threshold.*(float|number)|(float|number).*aupr_threshold", None),
    ("wrong-param-type-in-override", "          aupr_threshold: 0.6", "          aupr_threshold: [0.6]", "[0.6]", r"aupr_threshold", None),
    ("wrong-type-string-param", "      recipient: team", "      recipient: {name: team}", "{name: team}", r"recipient", None),
    ("bad-cron-fields", '"0 9 * * MON"', '"0 9 * MON"', '"0 9 * MON"', r"cron", None),
    ("bad-cron-range", '"0 * * * *"', '"0 25 * * *"', '"0 25 * * *"', r"cron|hour|25", None),
    ("bad-time-zone", "time_zone: America/Chicago", "time_zone: America/Chicgo", "America/Chicgo", r"America/Chicgo|time zone|time_zone", "America/Chicago"),
    ("unknown-target", "target: cloud-scheduler", "target: cloud-schedular", "cloud-schedular", r"cloud-schedular", "cloud-scheduler"),
    ("unknown-schedule-key", "        time_zone: America/Chicago", "        timezone: America/Chicago", "timezone", r"timezone", "time_zone"),
    ("missing-pipeline-file", "pipeline: pipelines/hello-container.yaml", "pipeline: pipelines/hello-containr.yaml", "pipelines/hello-containr.yaml", r"hello-containr\.yaml", None),
]


def error_config(ws, old=None, new=None) -> str:
    text = ERROR_BASE.format(dev=ws.project("dev"), prod=ws.project("prod"))
    if old is not None:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def diagnostics(result, file="pipespec.yaml") -> list[tuple[int, int, str]]:
    pattern = re.compile(rf"^(?:.*/)?{re.escape(file)}:(\d+):(\d+): error: (.*)$", re.M)
    return [(int(line), int(column), message) for line, column, message in pattern.findall(result.stderr)]


def test_error_config_base_is_valid(workspace):
    workspace.write_config(text=error_config(workspace))
    ok(workspace.plan("--detailed-exitcode"), 2)


@pytest.mark.parametrize("case", CONFIG_ERRORS, ids=[c[0] for c in CONFIG_ERRORS])
@pytest.mark.parametrize("command", ["plan", "apply"])
def test_config_error_is_located_and_explained(workspace, case, command):
    _, old, new, located, message, suggestion = case
    text = error_config(workspace, old, new)
    workspace.write_config(text=text)
    result = workspace.pipespec(*(["plan"] if command == "plan" else ["apply", "--auto-approve"]))
    assert result.returncode == 1, result
    line, column = locate(text, located)
    found = diagnostics(result)
    assert found, f"no pipespec.yaml:LINE:COLUMN: error: in stderr\n{result}"
    # Quoted scalars may be reported at their opening quote or their first character.
    at = [d for d in found if d[0] == line and column <= d[1] <= column + 1]
    assert at, f"expected an error at pipespec.yaml:{line}:{column}, got {found}\n{result}"
    assert any(re.search(message, d[2], re.I) for d in at), (message, at)
    if suggestion:
        assert any(f"did you mean '{suggestion}'" in d[2] for d in at), (suggestion, at)
    assert mutations(workspace) == []


def test_missing_required_param_names_it_at_the_deployment(workspace):
    text = error_config(workspace, "      code_bucket: gs://acme-code\n", "")
    workspace.write_config(text=text)
    result = workspace.pipespec("plan", "--detailed-exitcode")
    assert result.returncode == 1, result
    first, _ = locate(text, "  churn-training:")
    last, _ = locate(text, "    env:")
    found = [d for d in diagnostics(result) if "code_bucket" in d[2]]
    assert found and all(first <= d[0] <= last for d in found), (first, last, found, result.stderr)


def test_several_config_errors_are_reported_in_one_run(workspace):
    text = error_config(workspace, "environments: [dev, prod]", "environments: [dev, prdo]")
    text = text.replace("time_zone: America/Chicago", "time_zone: Mars/Olympus").replace('"0 9 * * MON"', '"0 9 * MON"')
    workspace.write_config(text=text)
    result = workspace.pipespec("plan")
    assert result.returncode == 1
    lines = {d[0] for d in diagnostics(result)}
    assert {locate(text, "prdo")[0], locate(text, "Mars/Olympus")[0], locate(text, '"0 9 * MON"')[0]} <= lines, result


def test_param_errors_of_several_deployments_are_reported_in_one_run(workspace):
    text = error_config(workspace, "      recipient: team", "      recipient: {name: team}").replace("aupr_threshold: 0.5", "aupr_threshold: high")
    workspace.write_config(text=text)
    result = workspace.pipespec("plan")
    assert result.returncode == 1
    lines = {d[0] for d in diagnostics(result)}
    assert {locate(text, "{name: team}")[0], locate(text, "high")[0]} <= lines, result


def test_errors_in_a_pipeline_are_reported_in_the_pipeline_file(workspace):
    text = error_config(workspace)
    workspace.write_config(text=text)
    pipeline = workspace.root / "pipelines/hello-container.yaml"
    source = pipeline.read_text().replace("text: ${tasks.greet.outputs.greeting}", "text: ${tasks.gret.outputs.greeting}")
    pipeline.write_text(source)
    result = workspace.pipespec("plan")
    assert result.returncode == 1, result
    line, _ = locate(source, "${tasks.gret")
    assert re.search(rf"hello-container\.yaml:{line}:\d+: error: .*gret", result.stderr), result
    assert "did you mean 'greet'" in result.stderr


def test_unknown_environment_on_the_command_line(standard):
    result = standard.pipespec("plan", "--env", "prdo")
    assert result.returncode in (1, 2), result
    assert "prdo" in result.stderr and "did you mean 'prod'" in result.stderr, result


# Credentials.


def service_account_file(ws, credentials, private_key=None) -> str:
    path = ws.root / ".home/service-account.json"
    path.write_text(json.dumps({
        "type": "service_account",
        "project_id": "acme-ml-ci",
        "private_key_id": credentials["private_key_id"],
        "private_key": private_key or credentials["private_key"],
        "client_email": credentials["client_email"],
        "client_id": "1000000000000000000",
        "token_uri": f"{ws.google.url}/token",
    }))
    return str(path)


def authorized_user_file(ws, credentials) -> str:
    path = ws.root / ".home/authorized-user.json"
    path.write_text(json.dumps({
        "type": "authorized_user",
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "refresh_token": credentials["refresh_token"],
        "token_uri": f"{ws.google.url}/token",
    }))
    return str(path)


def auth_environment(ws, credentials, mode) -> dict:
    none = {"GOOGLE_OAUTH_ACCESS_TOKEN": None, "GOOGLE_APPLICATION_CREDENTIALS": None, "GCE_METADATA_HOST": None}
    if mode == "access-token":
        return {"GOOGLE_OAUTH_ACCESS_TOKEN": credentials["access_token"]}
    if mode == "service-account":
        return {**none, "GOOGLE_APPLICATION_CREDENTIALS": service_account_file(ws, credentials)}
    if mode == "authorized-user":
        return {**none, "GOOGLE_APPLICATION_CREDENTIALS": authorized_user_file(ws, credentials)}
    if mode == "metadata-server":
        return {**none, "GCE_METADATA_HOST": ws.google.host}
    raise ValueError(mode)


def bearer_tokens(ws, services=("gcs", "google")) -> set[str]:
    """Every bearer token pipespec sent (both servers log the Authorization header)."""
    tokens = set()
    if "gcs" in services:
        tokens |= {e["authorization"].split(" ", 1)[1] for e in ws.gcs.requests() if (e.get("authorization") or "").startswith("Bearer ")}
    if "google" in services:
        tokens |= {e["token"] for e in ws.google.requests() if e.get("token")}
    return tokens


AUTH_MODES = ["access-token", "service-account", "authorized-user", "metadata-server"]


@pytest.mark.parametrize("mode", AUTH_MODES)
def test_credentials_work_for_every_api_and_never_leak(workspace, credentials, mode):
    workspace.write_config(hello_config(workspace, target="vertex-schedule"))
    config = workspace.config
    config["deployments"]["hello"]["schedules"]["daily"] = {"cron": "0 0 * * *", "target": "cloud-scheduler"}
    workspace.write_config(config)
    workspace.auth_env = auth_environment(workspace, credentials, mode)
    ok(workspace.pipespec("plan", "--out", "plan.bin"))
    ok(workspace.pipespec("plan", "--format", "json"))
    ok(workspace.pipespec("apply", "plan.bin", "--auto-approve"))
    ok(workspace.plan("--detailed-exitcode"), 0)
    log = workspace.google.requests()
    api = [e for e in log if e.get("kind") == "api"]
    assert api and all(e["status"] not in (401, 403) for e in api), api
    gcs_log = workspace.gcs.requests()
    assert gcs_log and all((e.get("authorization") or "").startswith("Bearer ") for e in gcs_log), "Cloud Storage requests without a bearer token"
    token_requests = [e for e in log if e["path"] == "/token"]
    metadata_requests = [e for e in log if e["path"].startswith("/computeMetadata/")]
    if mode == "access-token":
        assert bearer_tokens(workspace) == {credentials["access_token"]}
        assert token_requests == [] and metadata_requests == []
    elif mode == "metadata-server":
        assert metadata_requests and token_requests == []
        assert all(e["status"] == 200 for e in metadata_requests)
    else:
        assert token_requests and metadata_requests == []
        assert all(e["status"] == 200 for e in token_requests)
    # Tokens issued during the test, the planted secrets, and key material: nowhere.
    issued = bearer_tokens(workspace)
    planted = workspace.secrets.values
    texts = {f"output of pipespec {' '.join(r.arguments)}": r.stdout + r.stderr for r in workspace.results}
    texts["plan.bin"] = (workspace.root / "plan.bin").read_bytes().decode("utf-8", "replace")
    for where, text in texts.items():
        leaked = [s for s in (*issued, *planted) if s in text]
        assert not leaked, f"{len(leaked)} credential(s) found in {where}"


@pytest.mark.parametrize("mode", ["service-account", "authorized-user", "metadata-server"])
def test_one_token_request_per_run(workspace, credentials, mode):
    workspace.write_config(standard_config(workspace))
    workspace.auth_env = auth_environment(workspace, credentials, mode)
    ok(workspace.pipespec("plan"))
    fetched = [e for e in workspace.google.requests() if e["path"] == "/token" or (e["path"].startswith("/computeMetadata/") and e["path"].endswith("/token"))]
    assert len(fetched) == 1, fetched


def test_access_token_comes_first(workspace, credentials):
    workspace.write_config(hello_config(workspace))
    workspace.auth_env = {"GOOGLE_OAUTH_ACCESS_TOKEN": credentials["access_token"],
                          "GOOGLE_APPLICATION_CREDENTIALS": service_account_file(workspace, credentials),
                          "GCE_METADATA_HOST": workspace.google.host}
    ok(workspace.pipespec("plan"))
    assert not [e for e in workspace.google.requests() if e["path"] == "/token" or e["path"].startswith("/computeMetadata/")]
    assert bearer_tokens(workspace) == {credentials["access_token"]}


def test_rejected_token_fails_without_printing_it(workspace):
    workspace.write_config(hello_config(workspace))
    wrong = "ya29.wrong-" + "x" * 40
    workspace.secrets.add(wrong)
    try:
        result = workspace.pipespec("plan", env={"GOOGLE_OAUTH_ACCESS_TOKEN": wrong})
    finally:
        workspace.secrets.values.remove(wrong)
    assert result.returncode == 1, result
    assert re.search(r"401|unauthori[sz]ed|unauthenticated|credential", output(result), re.I), result


def test_key_the_token_endpoint_rejects_fails_without_printing_it(workspace, credentials):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    workspace.secrets.add_private_key(other)
    workspace.write_config(hello_config(workspace))
    workspace.auth_env = {"GOOGLE_APPLICATION_CREDENTIALS": service_account_file(workspace, credentials, private_key=other)}
    result = workspace.pipespec("plan")
    assert result.returncode == 1, result
    assert "/token" in output(result) or "token" in output(result).lower(), result


def test_no_credentials_is_an_error(workspace):
    workspace.write_config(hello_config(workspace))
    workspace.auth_env = {}
    # A metadata host nobody listens on, so the test never reaches a real metadata server.
    result = workspace.pipespec("plan", env={"GCE_METADATA_HOST": "127.0.0.1:9"}, timeout=60)
    assert result.returncode == 1, result
    assert "credential" in output(result).lower(), result


# pipespec run.


def test_run_creates_a_pipeline_job_and_prints_its_name_and_console_url(standard):
    result = ok(standard.pipespec("run", "churn-training", "--env", "dev"))
    jobs = standard.google.pipeline_jobs(standard.project("dev"), LOCATION)
    assert len(jobs) == 1, jobs
    created = jobs[0]
    assert created["name"] in result.stdout, result
    job_id = created["name"].rsplit("/", 1)[1]
    url = re.search(r"https://console\.cloud\.google\.com/\S+", result.stdout)
    projects = {standard.project("dev"), standard.google.project_number(standard.project("dev"))}
    assert url and job_id in url.group(0) and any(p and p in url.group(0) for p in projects), result
    runtime = created["runtimeConfig"]
    params = expected_params(standard.config, "dev", "churn-training")
    for name, value in params.items():
        assert runtime["parameterValues"][name] == value
    assert created["pipelineSpec"] == json.loads(standard.compile("pipelines/customer-churn-training.yaml"))
    assert created["serviceAccount"] == standard.config["environments"]["dev"]["service_account"]
    posts = [(e["method"], e["api_path"]) for e in standard.google.requests() if e["mutating"]]
    assert posts == [("POST", f"/v1/projects/{standard.project('dev')}/locations/{LOCATION}/pipelineJobs")]


def test_run_with_param_overrides(standard):
    ok(standard.pipespec("run", "churn-training", "--env", "prod", "--param", "aupr_threshold=0.75", "--param", "code_bucket=gs://other"))
    created = standard.google.pipeline_jobs(standard.project("prod"), LOCATION)[0]
    values = created["runtimeConfig"]["parameterValues"]
    assert values["aupr_threshold"] == 0.75 and values["code_bucket"] == "gs://other" and values["project_id"] == "acme-ml-dev"
    assert created["network"] == "projects/123/global/networks/default"


@pytest.mark.parametrize("arguments,suggestion", [
    (["run", "churn-trainig", "--env", "dev"], "churn-training"),
    (["run", "churn-training", "--env", "dev", "--param", "aupr_treshold=0.7"], "aupr_threshold"),
])
def test_run_errors_suggest_names(standard, arguments, suggestion):
    result = standard.pipespec(*arguments)
    # A name given on the command line: a config error (1) or a usage error (2).
    assert result.returncode in (1, 2), result
    assert f"did you mean '{suggestion}'" in result.stderr, result
    assert mutations(standard) == []


def test_run_with_a_wrong_param_type(standard):
    result = standard.pipespec("run", "churn-training", "--env", "dev", "--param", "aupr_threshold=high")
    assert result.returncode == 1 and "aupr_threshold" in result.stderr, result
    assert mutations(standard) == []
