"""Checks that fake_google is as strict as the Google services it stands in for: what they
refuse it refuses, what they accept it accepts, and its test hooks (request log, faults,
seeding, stopping by itself) work.

Run: .venv/bin/python -m pytest Tests/Deploy/test_fake_google.py -q -p no:cacheprovider
"""

import base64
import copy
import http.client
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml
from google.cloud import aiplatform_v1, scheduler_v1

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
sys.path.insert(0, str(HERE))

import fake_google  # noqa: E402
from fake_google import FakeGoogle, make_service_account_key, sign_jwt  # noqa: E402

TOKEN = "test-token"
PROJECT = "acme-ml-dev"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
SA = f"runner@{PROJECT}.iam.gserviceaccount.com"
PIPELINE_JOBS_URI = f"https://{LOCATION}-aiplatform.googleapis.com/v1/{PARENT}/pipelineJobs"
HELLO = json.loads((REPOSITORY / "Tests/Golden/examples/hello-container.json").read_text())
TYPED = json.loads((REPOSITORY / "Tests/Golden/examples/typed-params.json").read_text())


# ------------------------------------------------------------------------------------------
# Helpers


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body.decode()
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    @property
    def error_status(self):
        return (self.json or {}).get("error", {}).get("status")

    @property
    def message(self):
        return (self.json or {}).get("error", {}).get("message", "")

    def __repr__(self):
        return f"<{self.status} {self.text[:500]}>"


def call(base, method, path, body=None, token=TOKEN, query=None, headers=None, form=None):
    url = base + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    all_headers = dict(headers or {})
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def pipeline_job(spec=HELLO, values=None, **extra):
    job = {
        "displayName": "churn-training-weekly",
        "pipelineSpec": copy.deepcopy(spec),
        "labels": {"pipespec-owner": "acme-ml", "pipespec-deployment": "churn-training", "pipespec-schedule": "weekly"},
        "runtimeConfig": {"gcsOutputDirectory": "gs://acme-ml-dev-pipelines/root", "parameterValues": values or {}},
        "serviceAccount": SA,
    }
    job.update(extra)
    return job


def encode(body):
    return base64.b64encode(json.dumps(body).encode()).decode()


def scheduler_job(job_id="churn-training-weekly", body=None, **extra):
    job = {
        "name": f"{PARENT}/jobs/{job_id}",
        "description": "Weekly training.\nmanaged by pipespec (owner acme-ml)",
        "schedule": "0 9 * * MON",
        "timeZone": "America/Chicago",
        "httpTarget": {
            "uri": PIPELINE_JOBS_URI,
            "httpMethod": "POST",
            "headers": {"Content-Type": "application/json"},
            "body": encode(body if body is not None else pipeline_job()),
            "oauthToken": {"serviceAccountEmail": SA, "scope": "https://www.googleapis.com/auth/cloud-platform"},
        },
        "retryConfig": {"retryCount": 2, "minBackoffDuration": "5s", "maxBackoffDuration": "3600s", "maxDoublings": 5},
        "attemptDeadline": "180s",
    }
    job.update(extra)
    return job


def vertex_schedule(display_name="churn-training-weekly", job=None, **extra):
    schedule = {
        "displayName": display_name,
        "cron": "TZ=America/Chicago 0 9 * * MON",
        "createPipelineJobRequest": {"parent": PARENT, "pipelineJob": job if job is not None else pipeline_job()},
        "maxConcurrentRunCount": "1",
        "allowQueueing": False,
    }
    schedule.update(extra)
    return schedule


def parse_time(text):
    """RFC 3339 with nanoseconds -> integer nanoseconds."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{9})Z", text)
    assert match, f"not RFC 3339 with nanoseconds: {text}"
    seconds = time.mktime(time.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")) - time.timezone
    return int(seconds) * 1_000_000_000 + int(match.group(2))


@pytest.fixture
def fake():
    with FakeGoogle(accept_tokens=[TOKEN], default_page_size=3) as server:
        yield server


def create_job(fake, job=None):
    return call(fake.url, "POST", f"/v1/{PARENT}/jobs", job or scheduler_job())


def create_schedule(fake, schedule=None):
    return call(fake.url, "POST", f"/v1/{PARENT}/schedules", schedule or vertex_schedule())


# ------------------------------------------------------------------------------------------
# Auth


def test_api_requests_need_an_accepted_bearer_token(fake):
    missing = call(fake.url, "GET", f"/v1/{PARENT}/jobs", token=None)
    assert missing.status == 401 and missing.error_status == "UNAUTHENTICATED"
    assert missing.json["error"]["code"] == 401
    assert "WWW-Authenticate" in missing.headers
    wrong = call(fake.url, "GET", f"/v1/{PARENT}/schedules", token="not-issued")
    assert wrong.status == 401 and wrong.error_status == "UNAUTHENTICATED"
    basic = call(fake.url, "GET", f"/v1/{PARENT}/jobs", token=None, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status == 401
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs").status == 200
    assert call(fake.url, "GET", "/_admin/requests", token=None).status == 200


def test_metadata_server_needs_its_header_and_issues_working_tokens(fake):
    path = "/computeMetadata/v1/instance/service-accounts/default/token"
    refused = call(fake.url, "GET", path, token=None)
    assert refused.status == 403
    answer = call(fake.url, "GET", path, token=None, headers={"Metadata-Flavor": "Google"})
    assert answer.status == 200 and answer.headers["Metadata-Flavor"] == "Google"
    assert answer.json["token_type"] == "Bearer" and answer.json["expires_in"] == 3600
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs", token=answer.json["access_token"]).status == 200
    fake.expire_tokens()
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs", token=answer.json["access_token"]).status == 401


def jwt_claims(fake, email, **changes):
    now = int(time.time())
    claims = {"iss": email, "scope": fake_google.CLOUD_PLATFORM_SCOPE, "aud": fake.token_url, "iat": now, "exp": now + 3600}
    claims.update(changes)
    return claims


def test_jwt_bearer_grant_checks_signature_and_claims(fake, tmp_path):
    email = "deployer@acme-ml-dev.iam.gserviceaccount.com"
    credentials = fake.service_account_file(tmp_path / "key.json", email=email)
    assert json.loads((tmp_path / "key.json").read_text())["token_uri"] == fake.token_url
    key = credentials["private_key"]

    def exchange(assertion):
        return call(fake.url, "POST", "/token", token=None, form={"grant_type": fake_google.JWT_BEARER, "assertion": assertion})

    good = exchange(sign_jwt(key, jwt_claims(fake, email), {"alg": "RS256", "typ": "JWT", "kid": credentials["private_key_id"]}))
    assert good.status == 200, good
    assert set(good.json) >= {"access_token", "expires_in", "token_type"} and good.json["expires_in"] == 3600
    assert call(fake.url, "GET", f"/v1/{PARENT}/schedules", token=good.json["access_token"]).status == 200

    other_key, _ = make_service_account_key(email, fake.token_url)
    bad_signature = exchange(sign_jwt(other_key["private_key"], jwt_claims(fake, email)))
    assert bad_signature.status == 400 and bad_signature.json["error"] == "invalid_grant"
    assert "Signature" in bad_signature.json["error_description"]

    tampered = sign_jwt(key, jwt_claims(fake, email)).split(".")
    tampered[1] = base64.urlsafe_b64encode(json.dumps(jwt_claims(fake, email, exp=int(time.time()) + 60)).encode()).decode().rstrip("=")
    assert exchange(".".join(tampered)).json["error"] == "invalid_grant"

    for claims in (
        jwt_claims(fake, email, aud="https://oauth2.googleapis.com/token"),
        jwt_claims(fake, email, exp=int(time.time()) - 10, iat=int(time.time()) - 100),
        jwt_claims(fake, email, exp=int(time.time()) + 7200),
        jwt_claims(fake, "someone-else@acme-ml-dev.iam.gserviceaccount.com"),
    ):
        answer = exchange(sign_jwt(key, claims))
        assert answer.status == 400 and answer.json["error"] == "invalid_grant", (claims, answer)
    no_scope = exchange(sign_jwt(key, jwt_claims(fake, email, scope="https://www.googleapis.com/auth/devstorage.read_only")))
    assert no_scope.status == 400
    assert exchange("not-a-jwt").json["error"] == "invalid_grant"
    unsupported = call(fake.url, "POST", "/token", token=None, form={"grant_type": "password"})
    assert unsupported.status == 400


def test_refresh_token_grant(fake, tmp_path):
    credentials = fake.authorized_user_file(tmp_path / "adc.json")
    form = {k: credentials[k] for k in ("client_id", "client_secret", "refresh_token")}
    good = call(fake.url, "POST", "/token", token=None, form={"grant_type": "refresh_token", **form})
    assert good.status == 200 and good.json["token_type"] == "Bearer"
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs", token=good.json["access_token"]).status == 200
    bad = call(fake.url, "POST", "/token", token=None, form={"grant_type": "refresh_token", **form, "refresh_token": "1//nope"})
    assert bad.status == 400 and bad.json["error"] == "invalid_grant"
    not_form = call(fake.url, "POST", "/token", token=None, body={"grant_type": "refresh_token", **form})
    assert not_form.status == 400


# ------------------------------------------------------------------------------------------
# Cloud Scheduler


def test_valid_scheduler_job_is_created_with_server_fields(fake):
    created = create_job(fake)
    assert created.status == 200, created
    job = created.json
    assert job["name"] == f"{PARENT}/jobs/churn-training-weekly"
    assert job["state"] == "ENABLED"
    parse_time(job["userUpdateTime"])
    assert "scheduleTime" in job
    # What Cloud Scheduler fills in by itself.
    assert job["httpTarget"]["headers"]["User-Agent"] == "Google-Cloud-Scheduler"
    assert job["retryConfig"]["maxRetryDuration"] == "0s"
    body = json.loads(base64.b64decode(job["httpTarget"]["body"]))
    assert body["labels"]["pipespec-owner"] == "acme-ml"
    got = call(fake.url, "GET", f"/v1/{PARENT}/jobs/churn-training-weekly")
    assert got.status == 200 and got.json == job
    duplicate = create_job(fake)
    assert duplicate.status == 409 and duplicate.error_status == "ALREADY_EXISTS"
    missing = call(fake.url, "GET", f"/v1/{PARENT}/jobs/nope")
    assert missing.status == 404 and missing.error_status == "NOT_FOUND"
    deleted = call(fake.url, "DELETE", f"/v1/{PARENT}/jobs/churn-training-weekly")
    assert deleted.status == 200 and deleted.json == {}
    assert call(fake.url, "DELETE", f"/v1/{PARENT}/jobs/churn-training-weekly").status == 404


def test_scheduler_defaults_can_be_turned_off():
    with FakeGoogle(accept_tokens=[TOKEN], server_defaults=False) as server:
        job = scheduler_job()
        del job["retryConfig"], job["attemptDeadline"]
        created = create_job(server, job).json
        assert "User-Agent" not in created["httpTarget"]["headers"]
        assert "retryConfig" not in created and "attemptDeadline" not in created


@pytest.mark.parametrize(
    "change, needle",
    [
        (lambda j: j.update(colour="blue"), "colour"),
        (lambda j: j["httpTarget"].update(timeout="10s"), "timeout"),
        (lambda j: j["retryConfig"].update(retryCount="many"), "retryCount"),
        (lambda j: j.update(attemptDeadline="3m"), "attemptDeadline"),
        (lambda j: j["httpTarget"].update(body=encode(pipeline_job(colour="blue"))), "colour"),
        (lambda j: j["httpTarget"].update(body=encode(pipeline_job(runtimeConfig={"gcsOutputDirectory": "gs://bkt/r", "extra": 1}))), "extra"),
    ],
)
def test_scheduler_rejects_unknown_fields(fake, change, needle):
    job = scheduler_job()
    change(job)
    answer = create_job(fake, job)
    assert answer.status == 400 and answer.error_status == "INVALID_ARGUMENT", answer
    assert needle in answer.message
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs").json == {}


@pytest.mark.parametrize("field, value", [
    ("state", "ENABLED"), ("userUpdateTime", "2027-01-01T00:00:00Z"), ("status", {"code": 0}),
    ("scheduleTime", "2027-01-01T00:00:00Z"), ("lastAttemptTime", "2027-01-01T00:00:00Z"),
])
def test_scheduler_rejects_output_only_fields(fake, field, value):
    answer = create_job(fake, scheduler_job(**{field: value}))
    assert answer.status == 400 and "output-only" in answer.message


def test_scheduler_rejects_output_only_fields_of_the_pipeline_job_body(fake):
    for field, value in (("state", "PIPELINE_STATE_RUNNING"), ("createTime", "2027-01-01T00:00:00Z"), ("name", "x")):
        answer = create_job(fake, scheduler_job(body=pipeline_job(**{field: value})))
        assert answer.status == 400 and "output-only" in answer.message, (field, answer)


def test_scheduler_job_name_and_id_rules(fake):
    no_name = scheduler_job()
    del no_name["name"]
    assert create_job(fake, no_name).status == 400
    other_parent = scheduler_job(name=f"projects/other/locations/{LOCATION}/jobs/x")
    assert create_job(fake, other_parent).status == 400
    assert create_job(fake, scheduler_job(job_id="has.dot")).status == 400
    assert create_job(fake, scheduler_job(job_id="ok_Id-1")).status == 200


def test_scheduler_target_token_rules(fake):
    oidc = scheduler_job()
    del oidc["httpTarget"]["oauthToken"]
    oidc["httpTarget"]["oidcToken"] = {"serviceAccountEmail": SA, "audience": PIPELINE_JOBS_URI}
    answer = create_job(fake, oidc)
    assert answer.status == 400 and "OIDC" in answer.message

    no_token = scheduler_job()
    del no_token["httpTarget"]["oauthToken"]
    assert create_job(fake, no_token).status == 400

    url_target = scheduler_job(job_id="hook")
    url_target["httpTarget"]["uri"] = "https://hooks.example.com/run"
    assert create_job(fake, url_target).status == 400  # OAuth to a non-Google URL
    del url_target["httpTarget"]["oauthToken"]
    url_target["httpTarget"]["oidcToken"] = {"serviceAccountEmail": SA, "audience": "https://hooks.example.com"}
    assert create_job(fake, url_target).status == 200

    plain_http = scheduler_job(job_id="plain")
    plain_http["httpTarget"]["uri"] = PIPELINE_JOBS_URI.replace("https://", "http://")
    answer = create_job(fake, plain_http)
    assert answer.status == 400 and "http://" in answer.message


def test_scheduler_pipeline_job_body_rules(fake):
    wrong_region = scheduler_job()
    wrong_region["httpTarget"]["uri"] = PIPELINE_JOBS_URI.replace("https://us-central1-", "https://europe-west4-")
    assert create_job(fake, wrong_region).status == 400
    no_content_type = scheduler_job()
    no_content_type["httpTarget"]["headers"] = {}
    assert "Content-Type" in create_job(fake, no_content_type).message
    not_json = scheduler_job()
    not_json["httpTarget"]["body"] = base64.b64encode(b"{not json").decode()
    assert create_job(fake, not_json).status == 400
    no_root = pipeline_job()
    del no_root["runtimeConfig"]["gcsOutputDirectory"]
    answer = create_job(fake, scheduler_job(body=no_root))
    assert answer.status == 400 and "gcsOutputDirectory" in answer.message


@pytest.mark.parametrize(
    "change, needle",
    [
        (lambda s: s.update(colour=1), "colour"),
        (lambda s: s["root"]["dag"]["tasks"]["greet"].update(retries=3), "retries"),
        (lambda s: s["root"]["dag"]["tasks"]["greet"]["componentRef"].update(name="comp-missing"), "comp-missing"),
        (lambda s: s["components"]["comp-greet"].update(executorLabel="exec-missing"), "exec-missing"),
        (lambda s: s["root"]["dag"]["tasks"]["shout"].update(dependentTasks=["ghost"]), "ghost"),
        (lambda s: s["pipelineInfo"].update(name="Hello_Container"), "pipelineInfo.name"),
        (lambda s: s.update(schemaVersion="3.0.0"), "schemaVersion"),
        (lambda s: s["root"]["inputDefinitions"]["parameters"]["recipient"].update(parameterType="TEXT"), "parameterType"),
    ],
)
def test_bad_pipeline_specs_are_rejected_everywhere(fake, change, needle):
    spec = copy.deepcopy(HELLO)
    change(spec)
    for answer in (
        create_job(fake, scheduler_job(body=pipeline_job(spec))),
        create_schedule(fake, vertex_schedule(job=pipeline_job(spec))),
        call(fake.url, "POST", f"/v1/{PARENT}/pipelineJobs", pipeline_job(spec)),
    ):
        assert answer.status == 400 and answer.error_status == "INVALID_ARGUMENT", answer
        assert needle in answer.message, answer
    assert fake.state()["jobs"] == fake.state()["schedules"] == fake.state()["pipelineJobs"] == []


@pytest.mark.parametrize(
    "values, needle",
    [
        ({"dataset_uri": 3}, "dataset_uri"),
        ({"dataset_uri": "gs://d", "epochs": "ten"}, "epochs"),
        ({"dataset_uri": "gs://d", "epochs": 1.5}, "epochs"),
        ({"dataset_uri": "gs://d", "learning_rate": True}, "learning_rate"),
        ({"dataset_uri": "gs://d", "shuffle": "true"}, "shuffle"),
        ({"dataset_uri": "gs://d", "layers": {"a": 1}}, "layers"),
        ({"dataset_uri": "gs://d", "optimizer": ["adam"]}, "optimizer"),
        ({"dataset_uri": "gs://d", "learning-rate": 0.1}, "learning-rate"),
        ({"epochs": 3}, "dataset_uri"),
    ],
)
def test_parameter_values_must_be_inputs_of_the_right_type(fake, values, needle):
    for answer in (
        create_job(fake, scheduler_job(body=pipeline_job(TYPED, values))),
        create_schedule(fake, vertex_schedule(job=pipeline_job(TYPED, values))),
        call(fake.url, "POST", f"/v1/{PARENT}/pipelineJobs", pipeline_job(TYPED, values)),
    ):
        assert answer.status == 400, answer
        assert needle in answer.message, answer


def test_parameter_values_of_every_type_are_accepted(fake):
    values = {
        "dataset_uri": "gs://data/x", "epochs": 20, "learning_rate": 1, "shuffle": False, "layers": [3, 2],
        "optimizer": {"name": "sgd"}, "run_label": "nightly",
    }
    assert create_job(fake, scheduler_job(body=pipeline_job(TYPED, values))).status == 200
    assert create_schedule(fake, vertex_schedule(job=pipeline_job(TYPED, values))).status == 200


def test_a_pipeline_compiled_by_kfp_is_accepted(fake, tmp_path):
    from kfp import compiler, dsl

    @dsl.component(base_image="python:3.11")
    def add(a: int, b: float) -> float:
        return a + b

    @dsl.pipeline(name="tiny-sum")
    def tiny(a: int = 1, b: float = 2.5, items: list = [1, 2]):
        with dsl.ParallelFor(items) as item:
            add(a=a, b=item)

    path = tmp_path / "tiny.yaml"
    compiler.Compiler().compile(tiny, str(path))
    spec = yaml.safe_load(path.read_text())
    assert create_job(fake, scheduler_job(body=pipeline_job(spec, {"a": 2, "items": [1.5]}))).status == 200
    assert create_schedule(fake, vertex_schedule(job=pipeline_job(spec, {"b": 3}))).status == 200
    assert create_job(fake, scheduler_job("t2", body=pipeline_job(spec, {"a": 2.5}))).status == 400


def test_scheduler_update_mask_rules(fake):
    created = create_job(fake).json
    path = f"/v1/{PARENT}/jobs/churn-training-weekly"
    body = scheduler_job(description="new description\nmanaged by pipespec (owner acme-ml)", schedule="0 10 * * TUE")

    assert call(fake.url, "PATCH", path, body).status == 400  # no updateMask
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "colour"}).status == 400
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "state"}).status == 400
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "name"}).status == 400
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "description", "force": "1"}).status == 400
    assert call(fake.url, "PATCH", path, dict(body, state="PAUSED"), query={"updateMask": "description"}).status == 400
    renamed = call(fake.url, "PATCH", path, dict(body, name=f"{PARENT}/jobs/other"), query={"updateMask": "description"})
    assert renamed.status == 400

    updated = call(fake.url, "PATCH", path, body, query={"updateMask": "description"})
    assert updated.status == 200, updated
    assert updated.json["description"].startswith("new description")
    assert updated.json["schedule"] == created["schedule"]  # not in the mask: unchanged
    assert parse_time(updated.json["userUpdateTime"]) > parse_time(created["userUpdateTime"])

    both = call(fake.url, "PATCH", path, body, query={"updateMask": "description,schedule"})
    assert both.json["schedule"] == "0 10 * * TUE"
    nested = call(fake.url, "PATCH", path, {"retryConfig": {"retryCount": 4}}, query={"updateMask": "retryConfig.retryCount"})
    assert nested.status == 200 and nested.json["retryConfig"]["retryCount"] == 4
    assert nested.json["retryConfig"]["minBackoffDuration"] == "5s"
    # A masked field absent from the body is cleared; the result must still be a valid job.
    cleared = call(fake.url, "PATCH", path, {}, query={"updateMask": "timeZone"})
    assert cleared.status == 200 and "timeZone" not in cleared.json
    assert call(fake.url, "PATCH", path, {}, query={"updateMask": "httpTarget"}).status == 400
    bad_body = call(fake.url, "PATCH", path, {"httpTarget": dict(body["httpTarget"], body=encode(pipeline_job(colour=1)))},
                    query={"updateMask": "httpTarget"})
    assert bad_body.status == 400
    assert call(fake.url, "PATCH", f"/v1/{PARENT}/jobs/nope", body, query={"updateMask": "description"}).status == 404


def test_scheduler_pause_resume_and_increasing_update_times(fake):
    path = f"/v1/{PARENT}/jobs/churn-training-weekly"
    times = [parse_time(create_job(fake).json["userUpdateTime"])]
    for action, state in ((":pause", "PAUSED"), (":resume", "ENABLED"), (":pause", "PAUSED")):
        answer = call(fake.url, "POST", path + action, {})
        assert answer.status == 200 and answer.json["state"] == state
        times.append(parse_time(answer.json["userUpdateTime"]))
    again = call(fake.url, "POST", path + ":pause", {})
    assert again.status == 400 and again.error_status == "FAILED_PRECONDITION"
    patched = call(fake.url, "PATCH", path, {"description": "x"}, query={"updateMask": "description"})
    assert patched.json["state"] == "PAUSED"
    times.append(parse_time(patched.json["userUpdateTime"]))
    assert times == sorted(set(times)) and len(times) == 5
    # :resume takes an empty body: {} or none at all.
    request = urllib.request.Request(fake.url + path + ":resume", method="POST", data=b"",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["state"] == "ENABLED"


def test_scheduler_pagination(fake):
    names = [f"{PARENT}/jobs/job-{i}" for i in range(7)]
    for i in range(7):
        assert create_job(fake, scheduler_job(job_id=f"job-{i}")).status == 200
    # A job of another location is not listed (its target URI names the location it runs in).
    elsewhere = call(fake.url, "POST", f"/v1/projects/{PROJECT}/locations/europe-west4/jobs",
                     scheduler_job(name=f"projects/{PROJECT}/locations/europe-west4/jobs/x"))
    assert elsewhere.status == 200, elsewhere

    seen, token, pages = [], None, 0
    while True:
        answer = call(fake.url, "GET", f"/v1/{PARENT}/jobs", query={"pageToken": token} if token else None)
        assert answer.status == 200
        pages += 1
        seen += [j["name"] for j in answer.json.get("jobs", [])]
        token = answer.json.get("nextPageToken")
        if not token:
            break
    assert seen == names and pages == 3
    big = call(fake.url, "GET", f"/v1/{PARENT}/jobs", query={"pageSize": 100}).json
    assert len(big["jobs"]) == 7 and "nextPageToken" not in big
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs", query={"pageToken": "garbage"}).status == 400
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs", query={"pageSize": "-1"}).status == 400
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs", query={"filter": "x"}).status == 400


def test_seeded_resources_are_listed(fake):
    foreign = {
        "name": f"{PARENT}/jobs/someone-elses", "schedule": "*/5 * * * *",
        "pubsubTarget": {"topicName": f"projects/{PROJECT}/topics/t", "data": "aGk="}, "state": "PAUSED",
    }
    seeded = call(fake.url, "POST", "/_admin/seed", {"kind": "job", "resource": foreign}, token=None)
    assert seeded.status == 200 and seeded.json["state"] == "PAUSED"
    schedule = call(fake.url, "POST", "/_admin/seed", {"kind": "schedule", "parent": PARENT,
                                                        "resource": {"displayName": "theirs", "cron": "0 0 * * *"}}, token=None)
    assert schedule.status == 200 and schedule.json["state"] == "ACTIVE"
    assert [j["name"] for j in call(fake.url, "GET", f"/v1/{PARENT}/jobs").json["jobs"]] == [foreign["name"]]
    assert call(fake.url, "GET", f"/v1/{PARENT}/schedules").json["schedules"][0]["displayName"] == "theirs"
    assert call(fake.url, "POST", "/_admin/seed", {"kind": "job", "resource": foreign}, token=None).status == 409
    assert fake.mutating_requests() == []


# ------------------------------------------------------------------------------------------
# Vertex AI schedules and pipeline jobs


def test_valid_vertex_schedule_lifecycle(fake):
    created = create_schedule(fake)
    assert created.status == 200, created
    schedule = created.json
    number = fake.project_number(PROJECT)
    assert re.fullmatch(rf"projects/{number}/locations/{LOCATION}/schedules/\d+", schedule["name"])
    assert schedule["state"] == "ACTIVE" and schedule["maxConcurrentRunCount"] == "1"
    assert schedule["createTime"] == schedule["updateTime"]
    schedule_id = schedule["name"].rsplit("/", 1)[1]
    path = f"/v1/{PARENT}/schedules/{schedule_id}"
    assert call(fake.url, "GET", path).json == schedule
    assert call(fake.url, "GET", f"/v1/projects/{number}/locations/{LOCATION}/schedules/{schedule_id}").status == 200

    times = [parse_time(schedule["updateTime"])]
    assert call(fake.url, "POST", path + ":pause", {}).json == {}
    paused = call(fake.url, "GET", path).json
    assert paused["state"] == "PAUSED" and "lastPauseTime" in paused
    times.append(parse_time(paused["updateTime"]))
    again = call(fake.url, "POST", path + ":pause", {})
    assert again.status == 400 and again.error_status == "FAILED_PRECONDITION"
    assert call(fake.url, "POST", path + ":resume", {"catchUp": False}).status == 200
    resumed = call(fake.url, "GET", path).json
    assert resumed["state"] == "ACTIVE"
    times.append(parse_time(resumed["updateTime"]))
    assert call(fake.url, "POST", path + ":resume", {}).error_status == "FAILED_PRECONDITION"
    assert call(fake.url, "POST", path + ":resume", {"colour": 1}).status == 400
    assert times == sorted(set(times))

    deleted = call(fake.url, "DELETE", path)
    assert deleted.status == 200 and deleted.json["done"] is True
    assert re.fullmatch(rf"projects/{number}/locations/{LOCATION}/operations/\d+", deleted.json["name"])
    operation = call(fake.url, "GET", f"/v1/{PARENT}/operations/{deleted.json['name'].rsplit('/', 1)[1]}")
    assert operation.json["done"] is True
    assert call(fake.url, "GET", path).status == 404
    assert call(fake.url, "DELETE", path).status == 404


@pytest.mark.parametrize(
    "change, needle",
    [
        (lambda s: s.update(colour=1), "colour"),
        (lambda s: s.update(name=f"{PARENT}/schedules/1"), "name"),
        (lambda s: s.update(state="ACTIVE"), "output-only"),
        (lambda s: s.update(createTime="2027-01-01T00:00:00Z"), "output-only"),
        (lambda s: s.update(startedRunCount="3"), "output-only"),
        (lambda s: s.update(catchUp=True), "output-only"),
        (lambda s: s["createPipelineJobRequest"]["pipelineJob"].update(state="PIPELINE_STATE_RUNNING"), "output-only"),
        (lambda s: s["createPipelineJobRequest"]["pipelineJob"].update(jobDetail={}), "output-only"),
        (lambda s: s.pop("displayName"), "displayName"),
        (lambda s: s.pop("cron"), "cron"),
        (lambda s: s.update(cron="TZ=Mars/Olympus 0 9 * * MON"), "time zone"),
        (lambda s: s.update(cron="every monday"), "cron"),
        (lambda s: s.pop("createPipelineJobRequest"), "createPipelineJobRequest"),
        (lambda s: s.pop("maxConcurrentRunCount"), "maxConcurrentRunCount"),
        (lambda s: s.update(maxConcurrentRunCount="0"), "maxConcurrentRunCount"),
        (lambda s: s["createPipelineJobRequest"].update(parent=f"projects/{PROJECT}/locations/europe-west4"), "parent"),
        (lambda s: s["createPipelineJobRequest"]["pipelineJob"]["labels"].update({"Owner": "x"}), "label"),
        (lambda s: s["createPipelineJobRequest"]["pipelineJob"].update(network="default"), "network"),
        (lambda s: s.update(endTime="2001-01-01T00:00:00Z"), "endTime"),
    ],
)
def test_vertex_schedule_rejections(fake, change, needle):
    schedule = vertex_schedule()
    change(schedule)
    answer = create_schedule(fake, schedule)
    assert answer.status == 400 and answer.error_status == "INVALID_ARGUMENT", answer
    assert needle in answer.message, answer


def test_vertex_schedule_update_mask_rules(fake):
    created = create_schedule(fake, vertex_schedule(maxRunCount="10")).json
    path = "/v1/" + created["name"]
    body = vertex_schedule(cron="TZ=UTC 0 10 * * *", maxRunCount="5")

    assert call(fake.url, "PATCH", path, body).status == 400  # no updateMask
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "colour"}).status == 400
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "state"}).status == 400
    assert call(fake.url, "PATCH", path, body, query={"updateMask": "createTime"}).status == 400
    assert call(fake.url, "PATCH", path, dict(body, updateTime="2027-01-01T00:00:00Z"), query={"updateMask": "cron"}).status == 400

    updated = call(fake.url, "PATCH", path, body, query={"updateMask": "cron"})
    assert updated.status == 200, updated
    assert updated.json["cron"] == "TZ=UTC 0 10 * * *" and updated.json["maxRunCount"] == "10"
    assert parse_time(updated.json["updateTime"]) > parse_time(created["updateTime"])
    assert updated.json["createTime"] == created["createTime"]

    # A masked field absent from the body cannot clear a field that is set.
    no_max = dict(body)
    del no_max["maxRunCount"]
    cleared = call(fake.url, "PATCH", path, no_max, query={"updateMask": "maxRunCount"})
    assert cleared.status == 400 and "cleared" in cleared.message
    assert call(fake.url, "PATCH", path, {"displayName": "x"}, query={"updateMask": "displayName,cron"}).status == 400
    # An explicit value is fine, defaults included; so is a masked field that was never set.
    assert call(fake.url, "PATCH", path, {"allowQueueing": True}, query={"updateMask": "allowQueueing"}).json["allowQueueing"] is True
    assert "allowQueueing" not in call(fake.url, "PATCH", path, {"allowQueueing": False}, query={"updateMask": "allowQueueing"}).json
    assert call(fake.url, "PATCH", path, {}, query={"updateMask": "endTime"}).status == 200
    new_job = pipeline_job(TYPED, {"dataset_uri": "gs://d/x"})
    replaced = call(fake.url, "PATCH", path, {"createPipelineJobRequest": {"parent": PARENT, "pipelineJob": new_job}},
                    query={"updateMask": "createPipelineJobRequest"})
    assert replaced.status == 200, replaced
    bad_job = pipeline_job(TYPED, {"dataset_uri": 7})
    assert call(fake.url, "PATCH", path, {"createPipelineJobRequest": {"parent": PARENT, "pipelineJob": bad_job}},
                query={"updateMask": "createPipelineJobRequest"}).status == 400
    assert call(fake.url, "PATCH", path, {"createPipelineJobRequest": {"parent": PARENT, "pipelineJob": dict(new_job, state="PIPELINE_STATE_FAILED")}},
                query={"updateMask": "createPipelineJobRequest"}).status == 400
    nested = call(fake.url, "PATCH", path, {"createPipelineJobRequest": {"pipelineJob": {"displayName": "renamed"}}},
                  query={"updateMask": "createPipelineJobRequest.pipelineJob.displayName"})
    assert nested.status == 200 and nested.json["createPipelineJobRequest"]["pipelineJob"]["displayName"] == "renamed"


def test_vertex_schedule_list_filter_and_pagination(fake):
    for i in range(5):
        assert create_schedule(fake, vertex_schedule(display_name=f"dep-{i}")).status == 200
    create_schedule(fake, vertex_schedule(display_name="dep-2"))
    first = call(fake.url, "GET", f"/v1/{PARENT}/schedules").json
    assert len(first["schedules"]) == 3 and first["nextPageToken"]
    second = call(fake.url, "GET", f"/v1/{PARENT}/schedules", query={"pageToken": first["nextPageToken"]}).json
    assert len(second["schedules"]) == 3 and "nextPageToken" not in second
    filtered = call(fake.url, "GET", f"/v1/{PARENT}/schedules", query={"filter": 'display_name="dep-2"'}).json
    assert [s["displayName"] for s in filtered["schedules"]] == ["dep-2", "dep-2"]
    other_filter = call(fake.url, "GET", f"/v1/{PARENT}/schedules", query={"filter": 'display_name="dep-2"', "pageToken": first["nextPageToken"]})
    assert other_filter.status == 400  # a token is for the listing it came from
    assert call(fake.url, "GET", f"/v1/{PARENT}/schedules", query={"filter": "cron:*"}).status == 400
    empty = call(fake.url, "GET", f"/v1/projects/{PROJECT}/locations/europe-west4/schedules")
    assert empty.status == 200 and empty.json == {}


def test_pipeline_jobs_create_and_get(fake):
    created = call(fake.url, "POST", f"/v1/{PARENT}/pipelineJobs", pipeline_job(), query={"pipelineJobId": "run-1"})
    assert created.status == 200, created
    assert created.json["name"].endswith("/pipelineJobs/run-1") and created.json["state"] == "PIPELINE_STATE_PENDING"
    parse_time(created.json["createTime"])
    assert call(fake.url, "GET", f"/v1/{PARENT}/pipelineJobs/run-1").json == created.json
    assert call(fake.url, "POST", f"/v1/{PARENT}/pipelineJobs", pipeline_job(), query={"pipelineJobId": "run-1"}).status == 409
    assert call(fake.url, "POST", f"/v1/{PARENT}/pipelineJobs", pipeline_job(), query={"pipelineJobId": "Run_1"}).status == 400
    auto = call(fake.url, "POST", f"/v1/{PARENT}/pipelineJobs", pipeline_job())
    assert re.search(r"/pipelineJobs/\d+$", auto.json["name"])
    assert call(fake.url, "GET", f"/v1/{PARENT}/pipelineJobs/none").status == 404
    listed = call(fake.url, "GET", f"/v1/{PARENT}/pipelineJobs", query={"filter": 'labels.pipespec-owner="acme-ml"'}).json
    assert len(listed["pipelineJobs"]) == 2


def test_services_are_kept_apart_under_their_own_prefixes(fake):
    env = fake.endpoint_env()
    scheduler = env["CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER"].rstrip("/")
    vertex = env["CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM"].rstrip("/")
    assert call(scheduler, "POST", f"/v1/{PARENT}/jobs", scheduler_job()).status == 200
    assert call(vertex, "POST", f"/v1/{PARENT}/schedules", vertex_schedule()).status == 200
    assert call(vertex, "GET", f"/v1/{PARENT}/jobs").status == 404
    assert call(scheduler, "GET", f"/v1/{PARENT}/schedules").status == 404
    services = [(r["service"], r["status"]) for r in fake.request_log]
    assert services == [("cloudscheduler", 200), ("aiplatform", 200), (None, 404), (None, 404)]


# ------------------------------------------------------------------------------------------
# Request log and faults


def test_request_log_marks_mutating_requests(fake):
    create_job(fake)
    call(fake.url, "GET", f"/v1/{PARENT}/jobs", query={"pageSize": 2})
    call(fake.url, "POST", f"/v1/{PARENT}/jobs/churn-training-weekly:pause", {})
    call(fake.url, "GET", "/computeMetadata/v1/instance/service-accounts/default/token", token=None, headers={"Metadata-Flavor": "Google"})
    call(fake.url, "GET", "/_admin/state", token=None)
    log = call(fake.url, "GET", "/_admin/requests", token=None).json
    assert [(r["method"], r["mutating"], r["status"]) for r in log] == [
        ("POST", True, 200), ("GET", False, 200), ("POST", True, 200), ("GET", False, 200),
    ]
    assert log[1]["query"] == {"pageSize": "2"} and log[1]["path"] == f"/v1/{PARENT}/jobs"
    assert log[0]["token"] == TOKEN and log[0]["body"]["name"].endswith("churn-training-weekly")
    assert fake.request_log == log
    assert call(fake.url, "DELETE", "/_admin/requests", token=None).status == 200
    assert fake.request_log == []


def test_status_faults_with_retry_after(fake):
    faults = {"faults": [{"method": "POST", "path_regex": r"/jobs$", "status": 503, "retry_after": 1, "times": 2}]}
    assert call(fake.url, "POST", "/_admin/faults", faults, token=None).status == 200
    first = create_job(fake)
    assert first.status == 503 and first.error_status == "UNAVAILABLE" and first.headers["Retry-After"] == "1"
    assert create_job(fake).status == 503
    assert call(fake.url, "GET", f"/v1/{PARENT}/jobs").status == 200  # does not match
    assert create_job(fake).status == 200
    assert [r["fault"] for r in fake.request_log] == ["status", "status", None, None]
    assert call(fake.url, "GET", "/_admin/faults", token=None).json["faults"][0]["hits"] == 2


def test_delay_and_drop_faults(fake):
    fake.add_fault(r"/schedules$", method="GET", delay=0.5)
    start = time.monotonic()
    assert call(fake.url, "GET", f"/v1/{PARENT}/schedules").status == 200
    assert time.monotonic() - start >= 0.5

    fake.add_fault(r"/schedules$", method="POST", drop=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)):
        create_schedule(fake)
    assert fake.state()["schedules"] == []
    assert fake.request_log[-1]["status"] is None and fake.request_log[-1]["fault"] == "drop"
    assert create_schedule(fake).status == 200


def test_a_lost_response_still_changes_state(fake):
    fake.add_fault(r"/jobs$", method="POST", status=500, when="after")
    assert create_job(fake).status == 500
    assert len(fake.state()["jobs"]) == 1
    assert create_job(fake).status == 409
    assert fake.request_log[0]["handled"] and fake.request_log[0]["fault"] == "status"


def test_faults_can_be_cleared_and_unlimited(fake):
    fake.add_fault(r"/token$", status=500, times=-1)
    for _ in range(3):
        assert call(fake.url, "POST", "/token", token=None, form={"grant_type": "refresh_token"}).status == 500
    assert call(fake.url, "DELETE", "/_admin/faults", token=None).status == 200
    assert call(fake.url, "POST", "/token", token=None, form={"grant_type": "refresh_token"}).status == 400


# ------------------------------------------------------------------------------------------
# The output-only table, and the command line


def _documented_output_only(cls):
    parts = re.split(r"\n {8}(\w+) \(", cls.__doc__)
    names = set()
    for i in range(1, len(parts), 2):
        text = " ".join(parts[i + 1].split("\n", 1)[1].split()) if "\n" in parts[i + 1] else ""
        if text.startswith("Output only"):
            names.add(parts[i])
    return names


def test_output_only_table_matches_the_protos():
    for cls in (scheduler_v1.types.Job, aiplatform_v1.types.Schedule, aiplatform_v1.types.PipelineJob):
        full_name = cls.pb().DESCRIPTOR.full_name
        assert fake_google.OUTPUT_ONLY[full_name] == _documented_output_only(cls), full_name


def _start_cli(tmp_path, *arguments):
    port_file = tmp_path / "port"
    process = subprocess.Popen(
        [sys.executable, str(HERE / "fake_google.py"), "--port", "0", "--port-file", str(port_file), *arguments],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not port_file.exists():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "no port file"
        time.sleep(0.05)
    return process, int(port_file.read_text())


def test_cli_serves_and_stops_when_idle(tmp_path):
    key, public_pem = make_service_account_key("sa@p.iam.gserviceaccount.com", "unused")
    (tmp_path / "sa.pem").write_bytes(public_pem)
    process, port = _start_cli(
        tmp_path, "--accept-token", "cli-token", "--idle-timeout", "2",
        "--service-account-public-key", str(tmp_path / "sa.pem"), "--service-account-email", "sa@p.iam.gserviceaccount.com",
        "--authorized-user", "cid:csecret:rtoken",
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert call(base, "GET", f"/v1/{PARENT}/jobs", token="cli-token").status == 200
        assert call(base, "GET", f"/v1/{PARENT}/jobs", token="other").status == 401
        now = int(time.time())
        claims = {"iss": "sa@p.iam.gserviceaccount.com", "scope": fake_google.CLOUD_PLATFORM_SCOPE, "aud": f"{base}/token",
                  "iat": now, "exp": now + 3600}
        granted = call(base, "POST", "/token", token=None, form={"grant_type": fake_google.JWT_BEARER, "assertion": sign_jwt(key["private_key"], claims)})
        assert granted.status == 200, granted
        refreshed = call(base, "POST", "/token", token=None,
                         form={"grant_type": "refresh_token", "client_id": "cid", "client_secret": "csecret", "refresh_token": "rtoken"})
        assert refreshed.status == 200
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_stops_when_its_parent_is_gone(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process, port = _start_cli(tmp_path, "--parent-pid", str(parent.pid), "--idle-timeout", "0")
    try:
        assert call(f"http://127.0.0.1:{port}", "GET", f"/v1/{PARENT}/jobs", token=None).status == 401
        assert process.poll() is None
        parent.kill()
        parent.wait()
        assert process.wait(timeout=15) == 0
    finally:
        for p in (parent, process):
            if p.poll() is None:
                p.kill()
                p.wait()
