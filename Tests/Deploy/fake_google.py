#!/usr/bin/env python3
"""A loopback stand-in for the Google endpoints `pipespec plan/apply/run` talks to.

Serves, on 127.0.0.1 only, with all state in memory:

- Cloud Scheduler v1 REST: projects.locations.jobs (create, list, get, patch, delete, pause,
  resume, run);
- Vertex AI v1 REST: projects.locations.schedules (create, list, get, patch, delete, pause,
  resume), projects.locations.pipelineJobs (create, list, get) and projects.locations.operations
  (get);
- Google's OAuth 2.0 token endpoint (`POST /token`: RS256 JWT bearer grant, refresh-token grant);
- the GCE metadata server's token endpoint.

Every request body is parsed strictly (`json_format.ParseDict`, unknown fields rejected) into
Google's own protos from PyPI: `google.cloud.scheduler_v1.types.Job`,
`google.cloud.aiplatform_v1.types.Schedule` / `PipelineJob`, and the embedded pipeline spec into
kfp's `pipeline_spec_pb2.PipelineSpec`. On top of what the protos express, the semantic checks
the real services make and a client can get wrong are applied (output-only fields, names and
IDs, cron and time zones, update masks, parameter types, token kinds for Google API targets,
labels, ...). A request the real service would refuse is refused here with Google's error JSON,
`{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}`.

Where the real services fill in values the client never sent, so does this server (unless
told not to), so that a client comparing what it wants with what it reads back must cope with
them: Cloud Scheduler returns `httpMethod`, a `User-Agent: Google-Cloud-Scheduler` header, an
`attemptDeadline` of 180s and a default `retryConfig`; Vertex AI names resources by project
*number*, not project ID. int64 fields come back as JSON strings, as from Google.

Both services share one port. The API is served under `/v1/...` and also under
`/cloudscheduler/v1/...` (Scheduler only) and `/aiplatform/v1/...` (Vertex AI only), so a client
given per-service base URLs (`FakeGoogle.endpoint_env()`) that sends a request to the wrong
service gets a 404.

A test-only admin API (no auth) under `/_admin/` shows the request log and the state, injects
faults and seeds resources; see `FakeGoogle._admin`.

In-process use (pytest)::

    from fake_google import FakeGoogle
    with FakeGoogle(accept_tokens=["t0k"]) as fake:   # or fake = FakeGoogle(...).start(); fake.stop()
        env = {**fake.endpoint_env(), "GOOGLE_OAUTH_ACCESS_TOKEN": "t0k"}
        ...run pipespec with env...
        assert not [r for r in fake.request_log if r["mutating"]]

As a process::

    python fake_google.py --port 0 --port-file PATH [--accept-token TOKEN]...
        [--service-account-public-key PEMFILE --service-account-email EMAIL]...
        [--authorized-user CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN]...
        [--idle-timeout 300] [--max-lifetime 1800] [--parent-pid PID]

It writes the port it listens on to the port file once listening, and stops by itself after
`--idle-timeout` seconds without a request, after `--max-lifetime` seconds, or once the process
`--parent-pid` is gone.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import hashlib
import http.server
import json
import os
import re
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse
import zoneinfo

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from google.cloud import aiplatform_v1, scheduler_v1
from google.protobuf import duration_pb2, json_format, timestamp_pb2
from kfp.pipeline_spec import pipeline_spec_pb2

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"

JobPb = scheduler_v1.types.Job.pb()
ListJobsResponsePb = scheduler_v1.types.ListJobsResponse.pb()
SchedulePb = aiplatform_v1.types.Schedule.pb()
ListSchedulesResponsePb = aiplatform_v1.types.ListSchedulesResponse.pb()
PipelineJobPb = aiplatform_v1.types.PipelineJob.pb()
ListPipelineJobsResponsePb = aiplatform_v1.types.ListPipelineJobsResponse.pb()
PauseJobRequestPb = scheduler_v1.types.PauseJobRequest.pb()
ResumeJobRequestPb = scheduler_v1.types.ResumeJobRequest.pb()
RunJobRequestPb = scheduler_v1.types.RunJobRequest.pb()
PauseScheduleRequestPb = aiplatform_v1.types.PauseScheduleRequest.pb()
ResumeScheduleRequestPb = aiplatform_v1.types.ResumeScheduleRequest.pb()

# Fields documented "Output only." in the protos (the descriptors shipped on PyPI carry no
# field_behavior options, so they are listed here; test_fake_google checks this table against
# the docstrings). Keyed by message full name; values are proto field names.
OUTPUT_ONLY = {
    "google.cloud.scheduler.v1.Job": {"user_update_time", "state", "status", "schedule_time", "last_attempt_time"},
    "google.cloud.aiplatform.v1.Schedule": {
        "started_run_count", "state", "create_time", "update_time", "next_run_time", "last_pause_time",
        "last_resume_time", "catch_up", "last_scheduled_run_response",
    },
    "google.cloud.aiplatform.v1.PipelineJob": {
        "name", "create_time", "start_time", "end_time", "update_time", "state", "job_detail", "error",
        "template_metadata", "schedule_name",
    },
}

# Query parameters every Google REST API takes besides a method's own.
SYSTEM_QUERY_PARAMETERS = {"alt", "prettyPrint", "$prettyPrint", "$alt", "$.xgafv", "fields", "quotaUser", "key"}

STATUS_NAMES = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED", 408: "DEADLINE_EXCEEDED", 409: "ALREADY_EXISTS", 411: "LENGTH_REQUIRED",
    412: "FAILED_PRECONDITION", 429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL",
    501: "UNIMPLEMENTED", 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}

PIPELINE_JOBS_URI = re.compile(
    r"^https://(?P<region>[a-z0-9-]+)-aiplatform\.googleapis\.com/v1/projects/(?P<project>[^/?#]+)"
    r"/locations/(?P<location>[^/?#]+)/pipelineJobs$"
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,500}$")
PIPELINE_JOB_ID = re.compile(r"^[a-z][-a-z0-9]{0,127}$")
PIPELINE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,?#-]+$")
LOCATION = re.compile(r"^[a-z][a-z0-9-]*$")
NETWORK = re.compile(r"^projects/[0-9]+/global/networks/[^/]+$")
FORBIDDEN_HEADERS = re.compile(r"^(host|content-length|x-google-.*|x-appengine-.*|authorization)$", re.IGNORECASE)

SCHEDULER_DEFAULT_USER_AGENT = "Google-Cloud-Scheduler"


# --------------------------------------------------------------------------------------------
# Errors and small helpers


class ApiError(Exception):
    """An error answered in Google's JSON form."""

    def __init__(self, code, status, message, headers=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.headers = headers or {}

    def body(self):
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def invalid(message):
    return ApiError(400, "INVALID_ARGUMENT", message)


def failed_precondition(message):
    return ApiError(400, "FAILED_PRECONDITION", message)


def not_found(message):
    return ApiError(404, "NOT_FOUND", message)


def already_exists(message):
    return ApiError(409, "ALREADY_EXISTS", message)


class OAuthError(Exception):
    """An error of the token endpoint, answered as `{"error": ..., "error_description": ...}`."""

    def __init__(self, error, description, code=400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.code = code


class _Drop(Exception):
    """Close the connection without answering."""


class Clock:
    """Nanosecond wall-clock timestamps, strictly increasing across the whole server, with a
    non-zero last digit so that every timestamp renders with nine fractional digits."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last = 0

    def now_ns(self):
        with self._lock:
            t = max(time.time_ns(), self._last + 1)
            if t % 1000 == 0:
                t += 1
            self._last = t
            return t

    def timestamp(self):
        t = self.now_ns()
        return timestamp_pb2.Timestamp(seconds=t // 1_000_000_000, nanos=t % 1_000_000_000)


def next_minute(after_seconds):
    """A plausible next fire time: the first whole minute after `after_seconds`."""
    return timestamp_pb2.Timestamp(seconds=(int(after_seconds) // 60 + 1) * 60)


def _strict_json(text, what):
    def pairs(items):
        result = {}
        for key, value in items:
            if key in result:
                raise invalid(f"Invalid JSON payload received in {what}. Duplicate field \"{key}\".")
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except ApiError:
        raise
    except (ValueError, UnicodeDecodeError) as error:
        raise invalid(f"Invalid JSON payload received in {what}. {error}")


def parse_strict(data, message_class, what):
    """`data` parsed into a new `message_class`, unknown fields and bad values refused."""
    if not isinstance(data, dict):
        raise invalid(f"Invalid JSON payload received. {what} must be a JSON object.")
    message = message_class()
    try:
        json_format.ParseDict(data, message, ignore_unknown_fields=False)
    except json_format.ParseError as error:
        raise invalid(f"Invalid JSON payload received in {what}. {error}")
    return message


def _field(descriptor, key):
    """The field of `descriptor` that JSON key `key` names (lowerCamelCase or proto name)."""
    return descriptor.fields_by_camelcase_name.get(key) or descriptor.fields_by_name.get(key)


def _is_repeated(field):
    flag = getattr(field, "is_repeated", None)
    return flag if flag is not None else field.label == field.LABEL_REPEATED


def _is_map(field):
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def reject_output_only(data, descriptor, where):
    """Refuses output-only fields anywhere in a request body (walking nested messages)."""
    if not isinstance(data, dict):
        return
    output_only = OUTPUT_ONLY.get(descriptor.full_name, set())
    for key, value in data.items():
        field = _field(descriptor, key)
        if field is None:
            continue  # the strict parse refuses it
        path = f"{where}.{field.json_name}" if where else field.json_name
        if field.name in output_only and value is not None:
            raise invalid(f"{path} is an output-only field and cannot be set in a request.")
        if field.message_type is None or _is_map(field) or field.message_type.full_name.startswith("google.protobuf."):
            continue
        if _is_repeated(field) and isinstance(value, list):
            for index, item in enumerate(value):
                reject_output_only(item, field.message_type, f"{path}[{index}]")
        else:
            reject_output_only(value, field.message_type, path)


def to_json(message):
    """A message as Google's REST JSON: lowerCamelCase, defaults omitted, int64 as strings,
    integral doubles without a fractional part."""
    return _integral_floats(json_format.MessageToDict(message))


def _integral_floats(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _integral_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral_floats(v) for v in value]
    return value


def _duration(seconds):
    return duration_pb2.Duration(seconds=seconds)


def _seconds(duration):
    return duration.seconds + duration.nanos / 1e9


def b64url_decode(text):
    text = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --------------------------------------------------------------------------------------------
# Update masks


def resolve_mask_path(descriptor, path):
    """The fields along an update-mask path (`a.b.c`, lowerCamelCase or snake_case)."""
    fields = []
    current = descriptor
    segments = path.split(".")
    for index, segment in enumerate(segments):
        field = _field(current, segment) if current is not None else None
        if field is None:
            raise invalid(f"Invalid update mask path '{path}': '{segment}' is not a field of {descriptor.name}.")
        fields.append(field)
        if index < len(segments) - 1:
            if field.message_type is None or _is_repeated(field) or field.message_type.full_name.startswith("google.protobuf."):
                raise invalid(f"Invalid update mask path '{path}': '{segment}' has no subfields.")
            current = field.message_type
    return fields


def _raw_present(raw, fields):
    current = raw
    for field in fields:
        if not isinstance(current, dict):
            return False
        if field.json_name in current:
            current = current[field.json_name]
        elif field.name in current:
            current = current[field.name]
        else:
            return False
        if current is None:
            return False
    return True


def _field_is_set(message, field):
    if _is_repeated(field):
        return len(getattr(message, field.name)) > 0
    if field.message_type is not None or field.has_presence:
        return message.HasField(field.name)
    return getattr(message, field.name) != field.default_value


def _copy_field(destination, source, field):
    name = field.name
    if _is_map(field):
        destination.ClearField(name)
        target = getattr(destination, name)
        value_field = field.message_type.fields_by_name["value"]
        for key, value in getattr(source, name).items():
            if value_field.message_type is not None:
                target[key].CopyFrom(value)
            else:
                target[key] = value
    elif _is_repeated(field):
        destination.ClearField(name)
        getattr(destination, name).extend(getattr(source, name))
    elif field.message_type is not None:
        getattr(destination, name).CopyFrom(getattr(source, name))
    else:
        setattr(destination, name, getattr(source, name))


def update_mask_paths(query):
    values = query.get("updateMask", []) + query.get("update_mask", [])
    paths = [p.strip() for v in values for p in v.split(",") if p.strip()]
    if not paths:
        raise invalid("updateMask is required: name the fields to update, e.g. ?updateMask=description,schedule.")
    return paths


def apply_update_mask(stored, body, raw, paths, forbidden, may_clear, kind):
    """A copy of `stored` with the masked fields taken from `body`.

    A masked field absent from the body is cleared when `may_clear`; otherwise, when it is set
    in `stored`, the update is refused (the field cannot be cleared)."""
    result = copy.deepcopy(stored)
    for path in paths:
        fields = resolve_mask_path(stored.DESCRIPTOR, path)
        if fields[0].name in forbidden:
            raise invalid(f"Invalid update mask path '{path}': {kind}.{fields[0].json_name} cannot be updated.")
        destination, source = result, body
        for field in fields[:-1]:
            destination = getattr(destination, field.name)
            source = getattr(source, field.name)
        leaf = fields[-1]
        if _raw_present(raw, fields):
            _copy_field(destination, source, leaf)
        else:
            if not may_clear and _field_is_set(destination, leaf):
                raise invalid(
                    f"Field '{path}' is in the update mask but absent from the {kind}: it cannot be cleared."
                )
            destination.ClearField(leaf.name)
    return result


# --------------------------------------------------------------------------------------------
# Pagination and filters


def paginate(items, query, default_size, max_size, fingerprint):
    """(page, next_page_token) of `items` for the request's pageSize/pageToken."""
    size_text = (query.get("pageSize") or query.get("page_size") or ["0"])[-1]
    try:
        size = int(size_text)
    except ValueError:
        raise invalid(f"Invalid value for pageSize: '{size_text}'.")
    if size < 0:
        raise invalid("pageSize must not be negative.")
    size = min(size or default_size, max_size)
    token = (query.get("pageToken") or query.get("page_token") or [""])[-1]
    offset = 0
    if token:
        try:
            decoded = json.loads(b64url_decode(token))
            offset = int(decoded["o"])
            if decoded["f"] != fingerprint or offset < 0:
                raise ValueError("token of another listing")
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise invalid("Invalid page token: it must be a nextPageToken of this same listing.")
    page = items[offset : offset + size]
    next_token = ""
    if offset + size < len(items):
        next_token = base64.urlsafe_b64encode(json.dumps({"o": offset + size, "f": fingerprint}).encode()).decode().rstrip("=")
    return page, next_token


FILTER_TERM = re.compile(r'^\s*(?P<field>[A-Za-z_][A-Za-z0-9_.\-]*)\s*(?P<op>!=|=)\s*(?P<value>"(?:[^"\\]|\\.)*"|[^\s"]+)\s*$')


def parse_filter(text, supported):
    """[(field, op, value)] for a conjunction of `field = "value"` / `field != value` terms.

    `supported` is a set of field names; `labels.` names any label. Anything else is refused:
    this server supports only that much of AIP-160."""
    terms = []
    if not text.strip():
        return terms
    for part in re.split(r"\s+AND\s+", text.strip()):
        match = FILTER_TERM.match(part)
        if not match:
            raise invalid(f"Unsupported filter '{text}': use field=\"value\" terms joined by AND.")
        field, op, value = match.group("field"), match.group("op"), match.group("value")
        field = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), field) if not field.startswith("labels.") else field
        if field not in supported and not (field.startswith("labels.") and "labels" in supported):
            raise invalid(f"Unsupported filter field '{field}' (supported: {', '.join(sorted(supported))}).")
        if value.startswith('"'):
            value = json.loads(value)
        terms.append((field, op, value))
    return terms


def filter_matches(terms, values):
    for field, op, expected in terms:
        if field.startswith("labels."):
            actual = values.get("labels", {}).get(field[len("labels."):])
        else:
            actual = values.get(field)
        if (actual == expected) != (op == "="):
            return False
    return True


# --------------------------------------------------------------------------------------------
# Validation shared by Cloud Scheduler bodies, Vertex AI schedules and pipeline jobs


def check_cron(expression, where):
    fields = expression.split()
    if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
        raise invalid(f"{where} '{expression}' is not a unix-cron expression of five fields.")


def check_time_zone(zone, where):
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise invalid(f"{where} '{zone}' is not a time zone of the tz database.")


def check_labels(labels, where):
    if len(labels) > 64:
        raise invalid(f"{where}: at most 64 labels.")
    for key, value in labels.items():
        if not LABEL_KEY.match(key):
            raise invalid(
                f"{where}: label key '{key}' is invalid: it must start with a lowercase letter and have at most 63 "
                "lowercase letters, digits, '_' or '-'."
            )
        if not LABEL_VALUE.match(value):
            raise invalid(f"{where}: label value '{value}' of '{key}' is invalid: at most 63 lowercase letters, digits, '_' or '-'.")


PARAMETER_CHECKS = {
    "NUMBER_DOUBLE": ("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    "NUMBER_INTEGER": ("an integer", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer()),
    "STRING": ("a string", lambda v: isinstance(v, str)),
    "BOOLEAN": ("a boolean", lambda v: isinstance(v, bool)),
    "LIST": ("a list", lambda v: isinstance(v, list)),
    "STRUCT": ("an object", lambda v: isinstance(v, dict)),
}
LEGACY_PRIMITIVE_TYPES = {"INT": "NUMBER_INTEGER", "DOUBLE": "NUMBER_DOUBLE", "STRING": "STRING"}


def _raw_key(data, *keys):
    for key in keys:
        if isinstance(data, dict) and key in data:
            return data[key]
    return None


def check_pipeline_spec(spec_dict, where):
    """The spec parsed strictly into kfp's PipelineSpec and checked for what Vertex AI checks
    before it accepts a run: names, schema version, and that every reference resolves."""
    spec = parse_strict(spec_dict, pipeline_spec_pb2.PipelineSpec, where)
    if spec.schema_version not in ("2.0.0", "2.1.0"):
        raise invalid(f"{where}.schemaVersion '{spec.schema_version}' is not supported (2.0.0 or 2.1.0).")
    if not PIPELINE_NAME.match(spec.pipeline_info.name):
        raise invalid(
            f"{where}.pipelineInfo.name '{spec.pipeline_info.name}' is invalid: it must match ^[a-z0-9][a-z0-9-]{{0,127}}$."
        )
    if not spec.root.HasField("dag"):
        raise invalid(f"{where}.root must be a DAG.")
    executors = json_format.MessageToDict(spec.deployment_spec).get("executors", {})
    components = spec.components
    for name, component in components.items():
        label = component.executor_label
        if component.WhichOneof("implementation") == "executor_label" and label not in executors:
            raise invalid(f"{where}.components.{name}.executorLabel '{label}' is not an executor of deploymentSpec.")
    dags = [("root", spec.root)] + [(f"components.{n}", c) for n, c in components.items() if c.HasField("dag")]
    for owner, component in dags:
        tasks = component.dag.tasks
        for task_name, task in tasks.items():
            at = f"{where}.{owner}.dag.tasks.{task_name}"
            if task.component_ref.name not in components:
                raise invalid(f"{at}.componentRef.name '{task.component_ref.name}' is not a component of the spec.")
            for dependency in task.dependent_tasks:
                if dependency not in tasks:
                    raise invalid(f"{at}.dependentTasks names '{dependency}', which is not a task of the same DAG.")
            for key, parameter in task.inputs.parameters.items():
                if parameter.WhichOneof("kind") == "task_output_parameter":
                    producer = parameter.task_output_parameter.producer_task
                    if producer not in tasks:
                        raise invalid(f"{at}.inputs.parameters.{key} reads task '{producer}', which is not in the same DAG.")
            for key, artifact in task.inputs.artifacts.items():
                if artifact.WhichOneof("kind") == "task_output_artifact":
                    producer = artifact.task_output_artifact.producer_task
                    if producer not in tasks:
                        raise invalid(f"{at}.inputs.artifacts.{key} reads task '{producer}', which is not in the same DAG.")
    return spec


def check_pipeline_job(job_dict, where, require_output_directory=True):
    """A PipelineJob request body parsed strictly and checked as Vertex AI does on create."""
    reject_output_only(job_dict, PipelineJobPb.DESCRIPTOR, where)
    job = parse_strict(job_dict, PipelineJobPb, where)
    if len(job.display_name) > 128:
        raise invalid(f"{where}.displayName is longer than 128 characters.")
    spec_dict = _raw_key(job_dict, "pipelineSpec", "pipeline_spec")
    if job.HasField("pipeline_spec") and job.template_uri:
        raise invalid(f"{where}: set one of pipelineSpec and templateUri, not both.")
    if not job.HasField("pipeline_spec") and not job.template_uri:
        raise invalid(f"{where}: pipelineSpec (or templateUri) is required.")
    spec = check_pipeline_spec(spec_dict, f"{where}.pipelineSpec") if job.HasField("pipeline_spec") else None
    if job.template_uri and not re.match(r"^(gs://[^/]+/.+|https://.+)$", job.template_uri):
        raise invalid(f"{where}.templateUri '{job.template_uri}' must be a gs:// object or an Artifact Registry https:// URL.")

    runtime = job.runtime_config
    if require_output_directory and not runtime.gcs_output_directory:
        raise invalid(f"{where}.runtimeConfig.gcsOutputDirectory is required (the pipeline root).")
    if runtime.gcs_output_directory and not re.match(r"^gs://[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](/.*)?$", runtime.gcs_output_directory):
        raise invalid(f"{where}.runtimeConfig.gcsOutputDirectory '{runtime.gcs_output_directory}' is not a gs:// path.")
    if len(runtime.parameters) and (spec is None or spec.schema_version == "2.1.0"):
        raise invalid(f"{where}.runtimeConfig.parameters is for schemaVersion 2.0.0; use runtimeConfig.parameterValues.")
    raw_runtime = _raw_key(job_dict, "runtimeConfig", "runtime_config") or {}
    raw_values = _raw_key(raw_runtime, "parameterValues", "parameter_values") or {}
    if spec is not None:
        definitions = spec.root.input_definitions.parameters
        for key, value in raw_values.items():
            if key not in definitions:
                known = ", ".join(sorted(definitions)) or "none"
                raise invalid(f"{where}.runtimeConfig.parameterValues.{key}: the pipeline has no input parameter '{key}' (inputs: {known}).")
            definition = definitions[key]
            type_name = pipeline_spec_pb2.ParameterType.ParameterTypeEnum.Name(definition.parameter_type)
            if definition.parameter_type == 0 and definition.type:
                type_name = LEGACY_PRIMITIVE_TYPES.get(pipeline_spec_pb2.PrimitiveType.PrimitiveTypeEnum.Name(definition.type), type_name)
            if type_name not in PARAMETER_CHECKS:
                raise invalid(f"{where}.runtimeConfig.parameterValues.{key}: a {type_name} parameter cannot be given a value.")
            description, accepts = PARAMETER_CHECKS[type_name]
            if value is None or not accepts(value):
                raise invalid(
                    f"{where}.runtimeConfig.parameterValues.{key}: the parameter is {type_name} and takes {description}, "
                    f"not {json.dumps(value)}."
                )
            if len(definition.literals):
                allowed = [json_format.MessageToDict(v) for v in definition.literals]
                if value not in allowed:
                    raise invalid(f"{where}.runtimeConfig.parameterValues.{key}: {json.dumps(value)} is not one of {json.dumps(allowed)}.")
        for key, definition in definitions.items():
            if not definition.is_optional and not definition.HasField("default_value") and key not in raw_values:
                raise invalid(f"{where}.runtimeConfig.parameterValues: the pipeline's required input parameter '{key}' has no value.")
        artifacts = spec.root.input_definitions.artifacts
        for key in runtime.input_artifacts:
            if key not in artifacts:
                raise invalid(f"{where}.runtimeConfig.inputArtifacts.{key}: the pipeline has no input artifact '{key}'.")
    check_labels(job.labels, f"{where}.labels")
    if job.service_account and not EMAIL.match(job.service_account):
        raise invalid(f"{where}.serviceAccount '{job.service_account}' is not a service account email.")
    if job.network and not NETWORK.match(job.network):
        raise invalid(f"{where}.network '{job.network}' must be projects/<project number>/global/networks/<network>.")
    return job


# --------------------------------------------------------------------------------------------
# Service-account keys for tests


def make_service_account_key(email, token_uri, key_id=None):
    """(credentials-file dict, public-key PEM bytes) for a new RSA key of `email`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    credentials = {
        "type": "service_account",
        "project_id": email.split("@")[-1].split(".")[0],
        "private_key_id": key_id or secrets.token_hex(20),
        "private_key": private_pem,
        "client_email": email,
        "client_id": str(100000000000000000000 + secrets.randbelow(10**20)),
        "token_uri": token_uri,
    }
    return credentials, public_pem


def sign_jwt(private_key_pem, claims, header=None):
    """An RS256 JWT of `claims` (what a client sends as the jwt-bearer assertion)."""
    key = serialization.load_pem_private_key(private_key_pem.encode() if isinstance(private_key_pem, str) else private_key_pem, None)
    header = header or {"alg": "RS256", "typ": "JWT"}

    def encode(data):
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    signing_input = encode(json.dumps(header).encode()) + "." + encode(json.dumps(claims).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + encode(signature)


# --------------------------------------------------------------------------------------------
# The server


class _Entry:
    __slots__ = ("message", "seq")

    def __init__(self, message, seq):
        self.message = message
        self.seq = seq


class _Fault:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault is a JSON object")
        unknown = set(spec) - {"method", "path_regex", "status", "retry_after", "times", "delay", "drop", "when", "message"}
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        self.method = (spec.get("method") or "").upper() or None
        self.path_regex = spec.get("path_regex") or ""
        self.pattern = re.compile(self.path_regex)
        self.status = spec.get("status")
        self.retry_after = spec.get("retry_after")
        self.times = spec.get("times", 1)
        self.delay = float(spec.get("delay") or 0.0)
        self.drop = bool(spec.get("drop", False))
        self.when = spec.get("when", "before")
        self.message = spec.get("message")
        if self.when not in ("before", "after"):
            raise ValueError("fault 'when' is 'before' (instead of handling) or 'after' (handled, answer replaced)")
        if self.status is not None and not (isinstance(self.status, int) and 100 <= self.status <= 599):
            raise ValueError("fault 'status' is an HTTP status code")
        if not isinstance(self.times, int):
            raise ValueError("fault 'times' is an integer (-1: every matching request)")
        self.hits = 0

    def matches(self, method, path):
        return self.times != 0 and (self.method is None or self.method == method) and self.pattern.search(path) is not None

    def to_json(self):
        return {
            "method": self.method, "path_regex": self.path_regex, "status": self.status, "retry_after": self.retry_after,
            "times": self.times, "delay": self.delay, "drop": self.drop, "when": self.when, "hits": self.hits,
        }


class FakeGoogle:
    """The fake endpoints, run in a background thread (see the module docstring).

    Parameters:
        accept_tokens: access tokens taken as `Authorization: Bearer` without being issued.
        service_accounts: (email, public key PEM bytes/str or path, key_id or None) whose JWTs
            `POST /token` exchanges for tokens.
        authorized_users: (client_id, client_secret, refresh_token) that `POST /token` takes.
        default_page_size: page size of list calls without pageSize (small, so paging happens).
        server_defaults: fill in what Cloud Scheduler fills in (httpMethod, User-Agent header,
            attemptDeadline, retryConfig).
        vertex_project_numbers: name Vertex AI resources by project number, as Vertex AI does.
        project_numbers: {project ID: number} for that; other IDs get a stable 12-digit number.
        token_lifetime: expires_in of issued tokens, in seconds; they stop working after it.
        metadata: serve the metadata server's endpoints.
        operation_polls: GETs of a delete operation answered done=false before done=true.
        idle_timeout / max_lifetime: seconds after which the server stops by itself (None: never).
    """

    def __init__(
        self,
        accept_tokens=(),
        service_accounts=(),
        authorized_users=(),
        *,
        port=0,
        default_page_size=50,
        server_defaults=True,
        vertex_project_numbers=True,
        project_numbers=None,
        token_lifetime=3600,
        metadata=True,
        metadata_email="default@fake-project.iam.gserviceaccount.com",
        metadata_project="fake-project",
        operation_polls=0,
        idle_timeout=None,
        max_lifetime=None,
        verbose=False,
    ):
        self._lock = threading.RLock()
        self._clock = Clock()
        self._requested_port = port
        self.default_page_size = default_page_size
        self.server_defaults = server_defaults
        self.vertex_project_numbers = vertex_project_numbers
        self._project_numbers = dict(project_numbers or {})
        self.token_lifetime = token_lifetime
        self.metadata = metadata
        self.metadata_email = metadata_email
        self.metadata_project = metadata_project
        self.operation_polls = operation_polls
        self.idle_timeout = idle_timeout
        self.max_lifetime = max_lifetime
        self.verbose = verbose

        self._static_tokens = set(accept_tokens)
        self._issued_tokens = {}  # token -> (expiry, source)
        self._service_accounts = {}  # email -> [(public key, key id)]
        for account in service_accounts:
            self.add_service_account(*account)
        self._authorized_users = set()
        for user in authorized_users:
            self.add_authorized_user(*user)

        self._log = []
        self._faults = []
        self._seq = 0
        self._ids = 0
        self._jobs = {}
        self._schedules = {}
        self._pipeline_jobs = {}
        self._operations = {}

        self._server = None
        self._thread = None
        self._watchdog = None
        self._stopped = threading.Event()
        self._started_at = None
        self._last_activity = time.monotonic()

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self):
        """Binds 127.0.0.1 and serves in a daemon thread; returns self."""
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = _Server(("127.0.0.1", self._requested_port), Handler)
        self._started_at = time.monotonic()
        self._last_activity = self._started_at
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="fake-google", daemon=True)
        self._thread.start()
        if self.idle_timeout or self.max_lifetime:
            self._watchdog = threading.Thread(target=self._watch, args=(None,), name="fake-google-watchdog", daemon=True)
            self._watchdog.start()
        return self

    def stop(self):
        """Stops serving and closes the socket (idempotent)."""
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        self._stopped.set()

    def wait(self, timeout=None):
        """Blocks until the server stopped (by stop(), a timeout, or its parent's end)."""
        return self._stopped.wait(timeout)

    def watch_parent(self, pid):
        """Stops the server once process `pid` is gone."""
        thread = threading.Thread(target=self._watch, args=(pid,), name="fake-google-parent", daemon=True)
        thread.start()

    def _watch(self, parent_pid):
        while not self._stopped.wait(0.2):
            now = time.monotonic()
            reason = None
            if parent_pid is not None and not _process_alive(parent_pid):
                reason = f"parent process {parent_pid} is gone"
            elif self.idle_timeout and now - self._last_activity > self.idle_timeout:
                reason = f"idle for {self.idle_timeout}s"
            elif self.max_lifetime and now - self._started_at > self.max_lifetime:
                reason = f"ran for {self.max_lifetime}s"
            if reason:
                if self.verbose:
                    print(f"fake_google: stopping: {reason}", file=sys.stderr)
                threading.Thread(target=self.stop, daemon=True).start()
                return

    def __enter__(self):
        return self.start() if self._server is None else self

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        """Base URL, `http://127.0.0.1:PORT` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_url(self):
        return f"{self.url}/token"

    @property
    def metadata_host(self):
        """Value for GCE_METADATA_HOST."""
        return f"127.0.0.1:{self.port}"

    def endpoint_env(self, per_service=True):
        """The endpoint-override environment for pipespec. With `per_service`, each service gets
        its own base path, so that a request sent to the wrong service is a 404."""
        if per_service:
            return {
                "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER": f"{self.url}/cloudscheduler/",
                "CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM": f"{self.url}/aiplatform/",
            }
        return {
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER": f"{self.url}/",
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM": f"{self.url}/",
        }

    # ---- credentials -------------------------------------------------------------------

    def accept_token(self, token):
        with self._lock:
            self._static_tokens.add(token)

    def issue_token(self, source="test"):
        """A new access token the API accepts until it expires."""
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self._issued_tokens[token] = (time.time() + self.token_lifetime, source)
        return token

    def expire_tokens(self):
        """Makes every issued token (not the accept_tokens) stop working."""
        with self._lock:
            self._issued_tokens.clear()

    def add_service_account(self, email, public_key, key_id=None):
        if isinstance(public_key, str) and not public_key.lstrip().startswith("-----"):
            with open(public_key, "rb") as f:
                public_key = f.read()
        if isinstance(public_key, str):
            public_key = public_key.encode()
        if b"PRIVATE KEY" in public_key:
            loaded = serialization.load_pem_private_key(public_key, None).public_key()
        else:
            loaded = serialization.load_pem_public_key(public_key)
        with self._lock:
            self._service_accounts.setdefault(email, []).append((loaded, key_id))

    def add_authorized_user(self, client_id, client_secret, refresh_token):
        with self._lock:
            self._authorized_users.add((client_id, client_secret, refresh_token))

    def service_account_file(self, path, email="deployer@fake-project.iam.gserviceaccount.com", token_uri=None):
        """Writes a service-account key file whose JWTs this server accepts; returns its dict."""
        credentials, public_pem = make_service_account_key(email, token_uri or self.token_url)
        self.add_service_account(email, public_pem, credentials["private_key_id"])
        with open(path, "w") as f:
            json.dump(credentials, f)
        return credentials

    def authorized_user_file(self, path, token_uri=None):
        """Writes an authorized-user file whose refresh token this server accepts; returns its dict."""
        credentials = {
            "type": "authorized_user",
            "client_id": f"{secrets.randbelow(10**12)}-fake.apps.googleusercontent.com",
            "client_secret": secrets.token_urlsafe(18),
            "refresh_token": "1//fake-" + secrets.token_urlsafe(30),
            "token_uri": token_uri or self.token_url,
        }
        self.add_authorized_user(credentials["client_id"], credentials["client_secret"], credentials["refresh_token"])
        with open(path, "w") as f:
            json.dump(credentials, f)
        return credentials

    # ---- test hooks ----------------------------------------------------------------------

    @property
    def request_log(self):
        """Every non-admin request so far, in arrival order (copies)."""
        with self._lock:
            return [dict(entry) for entry in self._log]

    def mutating_requests(self):
        return [entry for entry in self.request_log if entry["mutating"]]

    def clear_request_log(self):
        with self._lock:
            self._log.clear()

    def add_fault(self, path_regex="", method=None, status=None, retry_after=None, times=1, delay=0.0, drop=False, when="before", message=None):
        """The next `times` requests (-1: all) whose method is `method` (None: any) and whose
        path matches `path_regex` (re.search) are answered `status` (Google error JSON, with
        Retry-After when given), or delayed `delay` seconds before being handled, or have their
        connection closed without an answer (`drop`). With when="after" the request is handled
        first (state changes happen) and only its answer is replaced: a lost response."""
        fault = _Fault({
            "method": method, "path_regex": path_regex, "status": status, "retry_after": retry_after, "times": times,
            "delay": delay, "drop": drop, "when": when, "message": message,
        })
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self):
        with self._lock:
            self._faults.clear()

    def reset(self):
        """Forgets resources, the request log and faults (not credentials)."""
        with self._lock:
            self._jobs.clear()
            self._schedules.clear()
            self._pipeline_jobs.clear()
            self._operations.clear()
            self._log.clear()
            self._faults.clear()

    def state(self):
        """{"jobs": [...], "schedules": [...], "pipelineJobs": [...], "operations": [...]} as REST JSON."""
        with self._lock:
            def dump(store):
                return [to_json(e.message) for e in sorted(store.values(), key=lambda e: e.seq)]

            return {
                "jobs": dump(self._jobs),
                "schedules": dump(self._schedules),
                "pipelineJobs": dump(self._pipeline_jobs),
                "operations": [dict(op["body"], name=name) for name, op in self._operations.items()],
                "projectNumbers": dict(self._project_numbers),
            }

    def jobs(self):
        return self.state()["jobs"]

    def schedules(self):
        return self.state()["schedules"]

    def pipeline_jobs(self):
        return self.state()["pipelineJobs"]

    def seed(self, kind, resource, parent=None):
        """Stores a resource as it is (no request validation beyond the proto; output-only
        fields allowed), e.g. one that some other tool owns. Returns its REST JSON."""
        with self._lock:
            if kind == "job":
                job = parse_strict(resource, JobPb, "seeded job")
                match = re.fullmatch(r"projects/([^/]+)/locations/([^/]+)/jobs/([^/]+)", job.name)
                if not match:
                    raise invalid("a seeded job needs a name projects/P/locations/L/jobs/J")
                if job.name in self._jobs:
                    raise already_exists(f"Job {job.name} already exists.")
                if job.state == 0:
                    job.state = JobPb.State.ENABLED
                if not job.HasField("user_update_time"):
                    job.user_update_time.CopyFrom(self._clock.timestamp())
                self._store(self._jobs, job.name, job)
                return to_json(job)
            if kind in ("schedule", "pipelineJob"):
                message_class = SchedulePb if kind == "schedule" else PipelineJobPb
                collection = "schedules" if kind == "schedule" else "pipelineJobs"
                message = parse_strict(resource, message_class, f"seeded {kind}")
                if message.name:
                    match = re.fullmatch(rf"projects/([^/]+)/locations/([^/]+)/{collection}/([^/]+)", message.name)
                    if not match:
                        raise invalid(f"a seeded {kind} name is projects/P/locations/L/{collection}/ID")
                    project, location, resource_id = match.groups()
                else:
                    match = re.fullmatch(r"projects/([^/]+)/locations/([^/]+)", parent or "")
                    if not match:
                        raise invalid(f"a seeded {kind} without a name needs parent projects/P/locations/L")
                    project, location = match.groups()
                    resource_id = self._new_id()
                message.name = f"{self._vertex_parent(project, location)}/{collection}/{resource_id}"
                store = self._schedules if kind == "schedule" else self._pipeline_jobs
                if message.name in store:
                    raise already_exists(f"{kind} {message.name} already exists.")
                now = self._clock.timestamp()
                if not message.HasField("create_time"):
                    message.create_time.CopyFrom(now)
                if not message.HasField("update_time"):
                    message.update_time.CopyFrom(now)
                if message.state == 0:
                    message.state = SchedulePb.State.ACTIVE if kind == "schedule" else aiplatform_v1.types.PipelineState.PIPELINE_STATE_PENDING
                self._store(store, message.name, message)
                return to_json(message)
            raise invalid("seed kind is 'job', 'schedule' or 'pipelineJob'")

    # ---- internals -----------------------------------------------------------------------

    def _store(self, store, name, message):
        entry = store.get(name)
        if entry is None:
            self._seq += 1
            store[name] = _Entry(message, self._seq)
        else:
            entry.message = message

    def _new_id(self):
        self._ids += 1
        return str(7_000_000_000_000_000_000 + self._ids * 7919)

    def project_number(self, project):
        """The number Vertex AI names `project` by."""
        if project.isdigit():
            return project
        with self._lock:
            number = self._project_numbers.get(project)
            if number is None:
                number = str(100_000_000_000 + int(hashlib.sha256(project.encode()).hexdigest(), 16) % 900_000_000_000)
                self._project_numbers[project] = number
            return number

    def _vertex_parent(self, project, location):
        project = self.project_number(project) if self.vertex_project_numbers else project
        return f"projects/{project}/locations/{location}"

    def _same_vertex_parent(self, a, b):
        def canonical(parent):
            match = re.fullmatch(r"projects/([^/]+)/locations/([^/]+)", parent)
            return self._vertex_parent(*match.groups()) if match else parent

        return canonical(a) == canonical(b)

    def _authorized(self, token):
        with self._lock:
            if token in self._static_tokens:
                return True
            issued = self._issued_tokens.get(token)
            return issued is not None and issued[0] > time.time()

    # ---- request handling ----------------------------------------------------------------

    def _handle(self, handler):
        self._last_activity = time.monotonic()
        parsed = urllib.parse.urlsplit(handler.path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        method = handler.command
        try:
            body = handler.read_body()
        except ValueError as error:
            handler.send_json(400, ApiError(400, "INVALID_ARGUMENT", str(error)).body())
            return

        if path.startswith("/_admin/") or path == "/_admin":
            try:
                status, payload = self._admin(method, path, body)
            except (ValueError, ApiError, re.error) as error:
                status, payload = 400, {"error": str(error)}
            handler.send_json(status, payload)
            if path == "/_admin/stop" and status == 200:
                threading.Thread(target=self.stop, daemon=True).start()
            return

        kind, service = _classify(path)
        entry = {
            "method": method,
            "path": path,
            "query": {k: v[-1] for k, v in query.items()},
            "query_string": parsed.query,
            "status": None,
            "mutating": kind == "api" and method in ("POST", "PATCH", "PUT", "DELETE"),
            "kind": kind,
            "service": service,
            "token": _bearer(handler.headers.get("Authorization")),
            "body": _loggable_body(kind, handler.headers.get("Content-Type"), body),
            "fault": None,
            "handled": False,
            "time": time.time(),
        }
        with self._lock:
            entry["seq"] = len(self._log) + 1
            self._log.append(entry)
            fault = next((f for f in self._faults if f.matches(method, path)), None)
            if fault is not None:
                fault.hits += 1
                if fault.times > 0:
                    fault.times -= 1

        def finish(status, payload, headers=None, text=False):
            with self._lock:
                entry["status"] = status
            if text:
                handler.send_text(status, payload, headers)
            else:
                handler.send_json(status, payload, headers)

        def apply_fault():
            with self._lock:
                entry["fault"] = "drop" if fault.drop else ("status" if fault.status else "delay")
            if fault.drop:
                raise _Drop()
            status = fault.status
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            message = fault.message or f"The service is currently unavailable (injected fault {status})."
            finish(status, ApiError(status, STATUS_NAMES.get(status, "UNKNOWN"), message).body(), headers)

        if fault is not None and fault.when == "before":
            if fault.delay:
                time.sleep(fault.delay)
                with self._lock:
                    entry["fault"] = "delay"
            if fault.drop or fault.status:
                apply_fault()
                return

        try:
            status, payload, headers, text = self._dispatch(kind, service, method, path, query, body, handler, entry)
        except ApiError as error:
            status, payload, headers, text = error.code, error.body(), error.headers, False
        except OAuthError as error:
            status, payload, headers, text = error.code, {"error": error.error, "error_description": error.description}, {}, False
        with self._lock:
            entry["handled"] = True

        if fault is not None and fault.when == "after":
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop or fault.status:
                apply_fault()
                return
        finish(status, payload, headers, text)

    def _dispatch(self, kind, service, method, path, query, body, handler, entry):
        if kind == "token":
            if method != "POST":
                raise ApiError(405, "METHOD_NOT_ALLOWED", "The token endpoint takes POST.")
            return 200, self._token(handler.headers, body), {"Cache-Control": "no-store"}, False
        if kind == "metadata":
            return self._metadata(method, path, handler.headers)
        if kind == "unknown":
            raise not_found(f"The requested URL {path} was not found on this server.")

        token = entry["token"]
        if token is None:
            raise ApiError(
                401, "UNAUTHENTICATED",
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential.",
                {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
            )
        if not self._authorized(token):
            raise ApiError(
                401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
                "valid authentication credential.",
                {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'},
            )

        api_path = re.sub(r"^/(cloudscheduler|aiplatform)(?=/v1/)", "", path)
        payload = None
        if body:
            content_type = (handler.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type != "application/json":
                raise invalid(f"Request bodies are JSON: Content-Type must be application/json, not '{content_type}'.")
            if not _utf8(body):
                raise invalid("Invalid JSON payload received. The request body is not UTF-8.")
            payload = _strict_json(body.decode("utf-8"), "request body")

        routes = _SCHEDULER_ROUTES if service == "cloudscheduler" else _VERTEX_ROUTES
        for pattern, methods in routes:
            match = pattern.fullmatch(api_path)
            if not match:
                continue
            if method not in methods:
                raise not_found(f"Method {method} is not supported on {path}.")
            action, allowed_query = methods[method]
            unknown = set(query) - allowed_query - SYSTEM_QUERY_PARAMETERS
            if unknown:
                name = sorted(unknown)[0]
                raise invalid(f"Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query parameter.")
            if query.get("alt", ["json"])[-1] != "json":
                raise invalid("Only alt=json is supported.")
            with self._lock:
                result = getattr(self, action)(*match.groups(), query=query, payload=payload)
            return 200, result, {}, False
        raise not_found(f"The requested URL {path} was not found on this server.")

    # ---- OAuth token endpoint and metadata server ------------------------------------------

    def _token(self, headers, body):
        content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise OAuthError("invalid_request", "The token request must be form-encoded (application/x-www-form-urlencoded).")
        try:
            form = urllib.parse.parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            raise OAuthError("invalid_request", "The token request body is not a valid form.")
        for key, values in form.items():
            if len(values) > 1:
                raise OAuthError("invalid_request", f"Parameter {key} is given more than once.")
        form = {k: v[0] for k, v in form.items()}
        grant = form.get("grant_type")
        if grant == JWT_BEARER:
            email = self._verify_assertion(form.get("assertion", ""), headers)
            token = self.issue_token(f"service account {email}")
        elif grant == "refresh_token":
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
            basic = headers.get("Authorization") or ""
            if basic.startswith("Basic "):
                try:
                    client_id, client_secret = base64.b64decode(basic[6:]).decode().split(":", 1)
                except (ValueError, binascii.Error):
                    raise OAuthError("invalid_client", "Malformed Basic authorization.", 401)
            with self._lock:
                known = (client_id, client_secret, form.get("refresh_token")) in self._authorized_users
                known_client = any(u[0] == client_id and u[1] == client_secret for u in self._authorized_users)
            if not known_client:
                raise OAuthError("invalid_grant", "The OAuth client was not found or its secret is wrong.")
            if not known:
                raise OAuthError("invalid_grant", "Token has been expired or revoked.")
            token = self.issue_token(f"authorized user {client_id}")
        else:
            raise OAuthError("unsupported_grant_type", f"Invalid grant_type: {grant or ''}")
        return {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer", "scope": CLOUD_PLATFORM_SCOPE}

    def _verify_assertion(self, assertion, headers):
        parts = assertion.split(".")
        if len(parts) != 3:
            raise OAuthError("invalid_grant", "Invalid JWT: the assertion is not header.claims.signature.")
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except (ValueError, binascii.Error):
            raise OAuthError("invalid_grant", "Invalid JWT: a part is not base64url-encoded JSON.")
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise OAuthError("invalid_grant", "Invalid JWT: header and claims are JSON objects.")
        if header.get("alg") != "RS256":
            raise OAuthError("invalid_grant", f"Invalid JWT: alg is {header.get('alg')!r}, not RS256.")
        email = claims.get("iss")
        with self._lock:
            keys = list(self._service_accounts.get(email, []))
        if not keys:
            raise OAuthError("invalid_grant", f"Invalid JWT: iss {email!r} is not a known service account.")
        signing_input = (parts[0] + "." + parts[1]).encode()
        verified = False
        for public_key, key_id in keys:
            if key_id is not None and header.get("kid") not in (None, key_id):
                continue
            try:
                public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
                verified = True
                break
            except InvalidSignature:
                pass
        if not verified:
            raise OAuthError("invalid_grant", "Invalid JWT Signature.")
        audiences = {self.token_url}
        host = headers.get("Host")
        if host:
            audiences.add(f"http://{host}/token")
        if claims.get("aud") not in audiences:
            raise OAuthError("invalid_grant", f"Invalid JWT: aud {claims.get('aud')!r} is not this token endpoint ({self.token_url}).")
        scopes = str(claims.get("scope", "")).split()
        if CLOUD_PLATFORM_SCOPE not in scopes:
            raise OAuthError("invalid_scope", f"Invalid JWT: scope must include {CLOUD_PLATFORM_SCOPE}.")
        iat, exp = claims.get("iat"), claims.get("exp")
        now = time.time()
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (iat, exp)):
            raise OAuthError("invalid_grant", "Invalid JWT: iat and exp must be integers (seconds since the epoch).")
        if exp <= now or exp <= iat or exp - iat > 3600 or iat > now + 300:
            raise OAuthError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                "Check your iat and exp values in the JWT claim.",
            )
        return email

    def _metadata(self, method, path, headers):
        flavor = {"Metadata-Flavor": "Google"}
        if not self.metadata:
            raise not_found("No metadata server here.")
        if headers.get("Metadata-Flavor") != "Google":
            return 403, "Missing required header \"Metadata-Flavor\": \"Google\"\n", flavor, True
        if headers.get("X-Forwarded-For"):
            return 403, "Request had an X-Forwarded-For header and was rejected.\n", flavor, True
        if method != "GET":
            return 405, "Method not allowed\n", flavor, True
        sub = path[len("/computeMetadata/v1"):] if path.startswith("/computeMetadata/v1") else None
        if sub in ("/instance/service-accounts/default/token", f"/instance/service-accounts/{self.metadata_email}/token"):
            token = self.issue_token("metadata server")
            return 200, {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"}, flavor, False
        if sub in ("/instance/service-accounts/default/email",):
            return 200, self.metadata_email, flavor, True
        if sub == "/project/project-id":
            return 200, self.metadata_project, flavor, True
        if path in ("/", "/computeMetadata/", "/computeMetadata/v1", "/computeMetadata/v1/"):
            return 200, "instance/\nproject/\n", flavor, True
        return 404, "Not found\n", flavor, True

    # ---- Cloud Scheduler -------------------------------------------------------------------

    def _job_get(self, name):
        entry = self._jobs.get(name)
        if entry is None:
            raise not_found(f"Job not found: {name}.")
        return entry.message

    def _check_job(self, job, project, location, where="job"):
        """Semantic checks of a whole job (after create or update), then server defaults."""
        match = re.fullmatch(r"projects/([^/]+)/locations/([^/]+)/jobs/([^/]*)", job.name)
        if not match or match.group(1) != project or match.group(2) != location:
            raise invalid(f"{where}.name '{job.name}' must be projects/{project}/locations/{location}/jobs/JOB_ID.")
        if not JOB_ID.match(match.group(3)):
            raise invalid(f"{where}.name: job ID '{match.group(3)}' may hold only letters, digits, '-' and '_', at most 500.")
        if len(job.description) > 500:
            raise invalid(f"{where}.description is longer than 500 characters.")
        target = job.WhichOneof("target")
        if target is None:
            raise invalid(f"{where}: a target (httpTarget, pubsubTarget or appEngineHttpTarget) is required.")
        if not job.schedule:
            raise invalid(f"{where}.schedule is required.")
        check_cron(job.schedule, f"{where}.schedule")
        if job.time_zone:
            check_time_zone(job.time_zone, f"{where}.timeZone")
        if job.HasField("retry_config"):
            retry = job.retry_config
            if not 0 <= retry.retry_count <= 5:
                raise invalid(f"{where}.retryConfig.retryCount must be between 0 and 5.")
            for field in ("max_retry_duration", "min_backoff_duration", "max_backoff_duration"):
                if retry.HasField(field) and _seconds(getattr(retry, field)) < 0:
                    raise invalid(f"{where}.retryConfig.{field} must not be negative.")
            if retry.max_doublings < 0:
                raise invalid(f"{where}.retryConfig.maxDoublings must not be negative.")
            if (retry.HasField("min_backoff_duration") and retry.HasField("max_backoff_duration")
                    and _seconds(retry.min_backoff_duration) > _seconds(retry.max_backoff_duration)):
                raise invalid(f"{where}.retryConfig.minBackoffDuration must not exceed maxBackoffDuration.")
        if job.HasField("attempt_deadline"):
            deadline = _seconds(job.attempt_deadline)
            low, high = (15, 1800) if target == "http_target" else (15, 86400)
            if not low <= deadline <= high:
                raise invalid(f"{where}.attemptDeadline must be between {low}s and {high}s.")
        if target == "http_target":
            self._check_http_target(job.http_target, f"{where}.httpTarget")
        elif target == "pubsub_target":
            if not re.fullmatch(r"projects/[^/]+/topics/[^/]+", job.pubsub_target.topic_name):
                raise invalid(f"{where}.pubsubTarget.topicName must be projects/P/topics/T.")
            if not job.pubsub_target.data and not len(job.pubsub_target.attributes):
                raise invalid(f"{where}.pubsubTarget needs data or attributes.")
        elif target == "app_engine_http_target" and not job.app_engine_http_target.relative_uri.startswith("/"):
            raise invalid(f"{where}.appEngineHttpTarget.relativeUri must start with '/'.")

        if self.server_defaults:
            if target == "http_target":
                if job.http_target.http_method == 0:
                    job.http_target.http_method = scheduler_v1.types.HttpMethod.POST
                if not any(k.lower() == "user-agent" for k in job.http_target.headers):
                    job.http_target.headers["User-Agent"] = SCHEDULER_DEFAULT_USER_AGENT
                if not job.HasField("attempt_deadline"):
                    job.attempt_deadline.CopyFrom(_duration(180))
            if not job.HasField("retry_config"):
                job.retry_config.max_doublings = 5
            retry = job.retry_config
            if not retry.HasField("min_backoff_duration"):
                retry.min_backoff_duration.CopyFrom(_duration(5))
            if not retry.HasField("max_backoff_duration"):
                retry.max_backoff_duration.CopyFrom(_duration(3600))
            if not retry.HasField("max_retry_duration"):
                retry.max_retry_duration.CopyFrom(_duration(0))

    def _check_http_target(self, target, where):
        uri = target.uri
        parsed = urllib.parse.urlsplit(uri)
        if not uri:
            raise invalid(f"{where}.uri is required.")
        if parsed.scheme == "http":
            raise invalid(f"{where}.uri '{uri}' is http://: targets must be https:// (tokens are sent only over TLS).")
        if parsed.scheme != "https" or not parsed.hostname:
            raise invalid(f"{where}.uri '{uri}' must be an absolute https:// URL.")
        method_name = scheduler_v1.types.HttpMethod(target.http_method).name if target.http_method else "POST"
        if target.body and method_name not in ("POST", "PUT", "PATCH"):
            raise invalid(f"{where}.body is allowed only with httpMethod POST, PUT or PATCH.")
        for header in target.headers:
            if FORBIDDEN_HEADERS.match(header):
                raise invalid(f"{where}.headers: header '{header}' cannot be set.")
        authorization = target.WhichOneof("authorization_header")
        google_api = parsed.hostname.endswith(".googleapis.com")
        if google_api:
            if authorization == "oidc_token":
                raise invalid(
                    f"{where}: {parsed.hostname} is a Google API, which takes OAuth access tokens and refuses OIDC ID tokens: "
                    "use oauthToken, not oidcToken."
                )
            if authorization != "oauth_token":
                raise invalid(f"{where}: calling the Google API {parsed.hostname} needs oauthToken.")
            token = target.oauth_token
            if not EMAIL.match(token.service_account_email):
                raise invalid(f"{where}.oauthToken.serviceAccountEmail is required (a service account email).")
            if token.scope and not all(s.startswith("https://www.googleapis.com/auth/") for s in token.scope.split()):
                raise invalid(f"{where}.oauthToken.scope '{token.scope}' is not an OAuth scope of Google APIs.")
        else:
            if authorization != "oidc_token":
                raise invalid(f"{where}: a non-Google https:// target must be called with oidcToken (an ID token).")
            if not EMAIL.match(target.oidc_token.service_account_email):
                raise invalid(f"{where}.oidcToken.serviceAccountEmail is required (a service account email).")
            audience = target.oidc_token.audience
            if audience and not re.match(r"^https?://", audience):
                raise invalid(f"{where}.oidcToken.audience '{audience}' must be a URL.")

        match = PIPELINE_JOBS_URI.match(uri)
        if match:
            if match.group("region") != match.group("location"):
                raise invalid(
                    f"{where}.uri: the regional endpoint {match.group('region')} does not serve location {match.group('location')}."
                )
            if method_name != "POST":
                raise invalid(f"{where}.httpMethod must be POST to create pipeline jobs.")
            content_types = [v for k, v in target.headers.items() if k.lower() == "content-type"]
            if not content_types or content_types[0].split(";")[0].strip().lower() != "application/json":
                raise invalid(f"{where}.headers must set Content-Type: application/json for a pipelineJobs body.")
            if not target.body:
                raise invalid(f"{where}.body is required: the PipelineJob to create.")
            try:
                text = target.body.decode("utf-8")
            except UnicodeDecodeError:
                raise invalid(f"{where}.body is not UTF-8 JSON.")
            check_pipeline_job(_strict_json(text, f"{where}.body"), f"{where}.body")

    def scheduler_list(self, project, location, query, payload):
        parent = f"projects/{project}/locations/{location}"
        prefix = parent + "/jobs/"
        items = [e.message for e in sorted(self._jobs.values(), key=lambda e: e.seq) if e.message.name.startswith(prefix)]
        page, token = paginate(items, query, self.default_page_size, 500, parent)
        response = ListJobsResponsePb(jobs=page, next_page_token=token)
        return to_json(response)

    def scheduler_create(self, project, location, query, payload):
        if payload is None:
            raise invalid("The request body (a Job) is required.")
        reject_output_only(payload, JobPb.DESCRIPTOR, "job")
        job = parse_strict(payload, JobPb, "job")
        if not job.name:
            raise invalid("job.name is required: projects/PROJECT/locations/LOCATION/jobs/JOB_ID.")
        self._check_job(job, project, location)
        if job.name in self._jobs:
            raise already_exists(f"Job {job.name} already exists.")
        job.state = JobPb.State.ENABLED
        job.user_update_time.CopyFrom(self._clock.timestamp())
        job.schedule_time.CopyFrom(next_minute(time.time()))
        self._store(self._jobs, job.name, job)
        return to_json(job)

    def scheduler_get(self, project, location, job_id, query, payload):
        return to_json(self._job_get(f"projects/{project}/locations/{location}/jobs/{job_id}"))

    def scheduler_patch(self, project, location, job_id, query, payload):
        name = f"projects/{project}/locations/{location}/jobs/{job_id}"
        stored = self._job_get(name)
        if payload is None:
            raise invalid("The request body (a Job) is required.")
        paths = update_mask_paths(query)
        reject_output_only(payload, JobPb.DESCRIPTOR, "job")
        body = parse_strict(payload, JobPb, "job")
        if body.name and body.name != name:
            raise invalid(f"job.name '{body.name}' does not match the URL's {name}.")
        forbidden = {"name"} | OUTPUT_ONLY[JobPb.DESCRIPTOR.full_name]
        updated = apply_update_mask(stored, body, payload, paths, forbidden, True, "job")
        self._check_job(updated, project, location)
        updated.user_update_time.CopyFrom(self._clock.timestamp())
        self._store(self._jobs, name, updated)
        return to_json(updated)

    def scheduler_delete(self, project, location, job_id, query, payload):
        name = f"projects/{project}/locations/{location}/jobs/{job_id}"
        self._job_get(name)
        del self._jobs[name]
        return {}

    def _scheduler_state_change(self, project, location, job_id, payload, request_class, want, new_state):
        name = f"projects/{project}/locations/{location}/jobs/{job_id}"
        job = self._job_get(name)
        request = parse_strict(payload or {}, request_class, "request")
        if request.name and request.name != name:
            raise invalid(f"name '{request.name}' does not match the URL's {name}.")
        if job.state != want:
            state = JobPb.State.Name(job.state)
            raise failed_precondition(f"Job {name} is {state}; it must be {JobPb.State.Name(want)}.")
        job = copy.deepcopy(job)
        job.state = new_state
        job.user_update_time.CopyFrom(self._clock.timestamp())
        self._store(self._jobs, name, job)
        return to_json(job)

    def scheduler_pause(self, project, location, job_id, query, payload):
        return self._scheduler_state_change(project, location, job_id, payload, PauseJobRequestPb, JobPb.State.ENABLED, JobPb.State.PAUSED)

    def scheduler_resume(self, project, location, job_id, query, payload):
        return self._scheduler_state_change(project, location, job_id, payload, ResumeJobRequestPb, JobPb.State.PAUSED, JobPb.State.ENABLED)

    def scheduler_run(self, project, location, job_id, query, payload):
        """Forces a run: the job's attempt time is set and, for a pipelineJobs target, the
        PipelineJob in its body is created as the real target would."""
        name = f"projects/{project}/locations/{location}/jobs/{job_id}"
        job = copy.deepcopy(self._job_get(name))
        parse_strict(payload or {}, RunJobRequestPb, "request")
        job.last_attempt_time.CopyFrom(self._clock.timestamp())
        if job.WhichOneof("target") == "http_target":
            match = PIPELINE_JOBS_URI.match(job.http_target.uri)
            if match:
                body = _strict_json(job.http_target.body.decode("utf-8"), "job body")
                self._create_pipeline_job(match.group("project"), match.group("location"), body, None, "httpTarget.body", schedule_name=None)
        self._store(self._jobs, name, job)
        return to_json(job)

    # ---- Vertex AI schedules ------------------------------------------------------------------

    def _schedule_get(self, project, location, schedule_id):
        name = f"{self._vertex_parent(project, location)}/schedules/{schedule_id}"
        entry = self._schedules.get(name)
        if entry is None:
            raise not_found(f"Schedule {name} not found.")
        return name, entry.message

    def _check_schedule(self, schedule, parent, where="schedule", creating=False):
        if not schedule.display_name:
            raise invalid(f"{where}.displayName is required.")
        if len(schedule.display_name) > 128:
            raise invalid(f"{where}.displayName is longer than 128 characters.")
        if schedule.WhichOneof("time_specification") != "cron":
            raise invalid(f"{where}.cron is required.")
        match = re.fullmatch(r"(?:(?:CRON_TZ|TZ)=(\S+)\s+)?(.*)", schedule.cron.strip())
        if match.group(1):
            check_time_zone(match.group(1), f"{where}.cron time zone")
        check_cron(match.group(2), f"{where}.cron")
        request = schedule.WhichOneof("request")
        if request is None:
            raise invalid(f"{where}.createPipelineJobRequest is required.")
        if request != "create_pipeline_job_request":
            raise ApiError(501, "UNIMPLEMENTED", f"{where}.{request} is not supported here; use createPipelineJobRequest.")
        create = schedule.create_pipeline_job_request
        if not create.parent:
            raise invalid(f"{where}.createPipelineJobRequest.parent is required.")
        if not self._same_vertex_parent(create.parent, parent):
            raise invalid(f"{where}.createPipelineJobRequest.parent '{create.parent}' must be the schedule's parent {parent}.")
        if create.pipeline_job_id:
            raise invalid(f"{where}.createPipelineJobRequest.pipelineJobId cannot be set: every scheduled run needs a new ID.")
        if not create.HasField("pipeline_job"):
            raise invalid(f"{where}.createPipelineJobRequest.pipelineJob is required.")
        check_pipeline_job(json_format.MessageToDict(create.pipeline_job), f"{where}.createPipelineJobRequest.pipelineJob")
        if schedule.max_concurrent_run_count <= 0:
            raise invalid(f"{where}.maxConcurrentRunCount is required and must be greater than 0.")
        if schedule.max_run_count < 0:
            raise invalid(f"{where}.maxRunCount must not be negative.")
        if schedule.max_concurrent_active_run_count < 0:
            raise invalid(f"{where}.maxConcurrentActiveRunCount must not be negative.")
        if schedule.HasField("start_time") and schedule.HasField("end_time"):
            if schedule.end_time.ToNanoseconds() <= schedule.start_time.ToNanoseconds():
                raise invalid(f"{where}.endTime must be after startTime.")
        if creating and schedule.HasField("end_time") and schedule.end_time.ToNanoseconds() <= time.time_ns():
            raise invalid(f"{where}.endTime is in the past.")

    def _next_run(self, schedule):
        start = schedule.start_time.ToSeconds() if schedule.HasField("start_time") else 0
        return next_minute(max(time.time(), start))

    def vertex_schedule_list(self, project, location, query, payload):
        parent = self._vertex_parent(project, location)
        terms = parse_filter((query.get("filter") or [""])[-1], {"display_name", "state"})
        items = []
        for entry in sorted(self._schedules.values(), key=lambda e: e.seq):
            schedule = entry.message
            if not schedule.name.startswith(parent + "/schedules/"):
                continue
            values = {"display_name": schedule.display_name, "state": SchedulePb.State.Name(schedule.state)}
            if filter_matches(terms, values):
                items.append(schedule)
        items = _order(items, (query.get("orderBy") or query.get("order_by") or [""])[-1], {"create_time", "update_time", "display_name", "name"})
        fingerprint = json.dumps([parent, query.get("filter"), query.get("orderBy")])
        page, token = paginate(items, query, self.default_page_size, 100, fingerprint)
        return to_json(ListSchedulesResponsePb(schedules=page, next_page_token=token))

    def vertex_schedule_create(self, project, location, query, payload):
        if payload is None:
            raise invalid("The request body (a Schedule) is required.")
        if _raw_key(payload, "name") is not None:
            raise invalid("schedule.name cannot be set on create: the server assigns it.")
        reject_output_only(payload, SchedulePb.DESCRIPTOR, "schedule")
        schedule = parse_strict(payload, SchedulePb, "schedule")
        parent = self._vertex_parent(project, location)
        self._check_schedule(schedule, parent, creating=True)
        schedule.name = f"{parent}/schedules/{self._new_id()}"
        now = self._clock.timestamp()
        schedule.state = SchedulePb.State.ACTIVE
        schedule.create_time.CopyFrom(now)
        schedule.update_time.CopyFrom(now)
        schedule.next_run_time.CopyFrom(self._next_run(schedule))
        self._store(self._schedules, schedule.name, schedule)
        return to_json(schedule)

    def vertex_schedule_get(self, project, location, schedule_id, query, payload):
        return to_json(self._schedule_get(project, location, schedule_id)[1])

    def vertex_schedule_patch(self, project, location, schedule_id, query, payload):
        name, stored = self._schedule_get(project, location, schedule_id)
        if payload is None:
            raise invalid("The request body (a Schedule) is required.")
        paths = update_mask_paths(query)
        reject_output_only(payload, SchedulePb.DESCRIPTOR, "schedule")
        body = parse_strict(payload, SchedulePb, "schedule")
        if body.name and body.name != name and body.name != f"projects/{project}/locations/{location}/schedules/{schedule_id}":
            raise invalid(f"schedule.name '{body.name}' does not match the URL's {name}.")
        forbidden = {"name"} | OUTPUT_ONLY[SchedulePb.DESCRIPTOR.full_name]
        updated = apply_update_mask(stored, body, payload, paths, forbidden, False, "schedule")
        self._check_schedule(updated, self._vertex_parent(project, location))
        updated.update_time.CopyFrom(self._clock.timestamp())
        if updated.state == SchedulePb.State.ACTIVE:
            updated.next_run_time.CopyFrom(self._next_run(updated))
        self._store(self._schedules, name, updated)
        return to_json(updated)

    def vertex_schedule_delete(self, project, location, schedule_id, query, payload):
        name, _ = self._schedule_get(project, location, schedule_id)
        del self._schedules[name]
        operation_name = f"{self._vertex_parent(project, location)}/operations/{self._new_id()}"
        now = json_format.MessageToJson(self._clock.timestamp()).strip('"')
        body = {
            "metadata": {
                "@type": "type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata",
                "genericMetadata": {"createTime": now, "updateTime": now},
            },
        }
        self._operations[operation_name] = {"body": body, "polls_left": self.operation_polls}
        return self._operation_json(operation_name)

    def _operation_json(self, name):
        operation = self._operations[name]
        result = {"name": name, **operation["body"]}
        if operation["polls_left"] <= 0:
            result["done"] = True
            result["response"] = {"@type": "type.googleapis.com/google.protobuf.Empty"}
        return result

    def vertex_operation_get(self, project, location, operation_id, query, payload):
        name = f"{self._vertex_parent(project, location)}/operations/{operation_id}"
        if name not in self._operations:
            raise not_found(f"Operation {name} not found.")
        result = self._operation_json(name)
        self._operations[name]["polls_left"] -= 1
        return result

    def _vertex_state_change(self, project, location, schedule_id, payload, request_class, want, new_state):
        name, schedule = self._schedule_get(project, location, schedule_id)
        request = parse_strict(payload or {}, request_class, "request")
        if request.name:
            raise invalid("name is bound by the URL and cannot be in the body.")
        if schedule.state != want:
            state = SchedulePb.State.Name(schedule.state)
            verb = "paused" if new_state == SchedulePb.State.PAUSED else "resumed"
            raise failed_precondition(f"Schedule {name} is {state} and cannot be {verb}; it must be {SchedulePb.State.Name(want)}.")
        schedule = copy.deepcopy(schedule)
        now = self._clock.timestamp()
        schedule.state = new_state
        schedule.update_time.CopyFrom(now)
        if new_state == SchedulePb.State.PAUSED:
            schedule.last_pause_time.CopyFrom(now)
        else:
            schedule.last_resume_time.CopyFrom(now)
            schedule.catch_up = bool(getattr(request, "catch_up", False))
            schedule.next_run_time.CopyFrom(self._next_run(schedule))
        self._store(self._schedules, name, schedule)
        return {}

    def vertex_schedule_pause(self, project, location, schedule_id, query, payload):
        return self._vertex_state_change(project, location, schedule_id, payload, PauseScheduleRequestPb, SchedulePb.State.ACTIVE, SchedulePb.State.PAUSED)

    def vertex_schedule_resume(self, project, location, schedule_id, query, payload):
        return self._vertex_state_change(project, location, schedule_id, payload, ResumeScheduleRequestPb, SchedulePb.State.PAUSED, SchedulePb.State.ACTIVE)

    # ---- Vertex AI pipeline jobs -------------------------------------------------------------

    def _create_pipeline_job(self, project, location, payload, job_id, where, schedule_name=None):
        job = check_pipeline_job(payload, where)
        if job_id is not None and not PIPELINE_JOB_ID.match(job_id):
            raise invalid(f"pipelineJobId '{job_id}' must match [a-z][-a-z0-9]{{0,127}}.")
        parent = self._vertex_parent(project, location)
        job.name = f"{parent}/pipelineJobs/{job_id or self._new_id()}"
        if job.name in self._pipeline_jobs:
            raise already_exists(f"PipelineJob {job.name} already exists.")
        now = self._clock.timestamp()
        job.state = aiplatform_v1.types.PipelineState.PIPELINE_STATE_PENDING
        job.create_time.CopyFrom(now)
        job.update_time.CopyFrom(now)
        if schedule_name:
            job.schedule_name = schedule_name
        self._store(self._pipeline_jobs, job.name, job)
        return job

    def vertex_pipeline_job_create(self, project, location, query, payload):
        if payload is None:
            raise invalid("The request body (a PipelineJob) is required.")
        job_id = (query.get("pipelineJobId") or query.get("pipeline_job_id") or [None])[-1]
        return to_json(self._create_pipeline_job(project, location, payload, job_id, "pipelineJob"))

    def vertex_pipeline_job_get(self, project, location, job_id, query, payload):
        name = f"{self._vertex_parent(project, location)}/pipelineJobs/{job_id}"
        entry = self._pipeline_jobs.get(name)
        if entry is None:
            raise not_found(f"PipelineJob {name} not found.")
        return to_json(entry.message)

    def vertex_pipeline_job_list(self, project, location, query, payload):
        parent = self._vertex_parent(project, location)
        terms = parse_filter((query.get("filter") or [""])[-1], {"display_name", "state", "labels"})
        items = []
        for entry in sorted(self._pipeline_jobs.values(), key=lambda e: e.seq):
            job = entry.message
            if not job.name.startswith(parent + "/pipelineJobs/"):
                continue
            values = {
                "display_name": job.display_name,
                "state": aiplatform_v1.types.PipelineState(job.state).name,
                "labels": dict(job.labels),
            }
            if filter_matches(terms, values):
                items.append(job)
        items = _order(items, (query.get("orderBy") or query.get("order_by") or [""])[-1], {"create_time", "update_time", "end_time", "start_time"})
        fingerprint = json.dumps([parent, query.get("filter"), query.get("orderBy")])
        page, token = paginate(items, query, self.default_page_size, 100, fingerprint)
        return to_json(ListPipelineJobsResponsePb(pipeline_jobs=page, next_page_token=token))

    # ---- admin API ----------------------------------------------------------------------------

    def _admin(self, method, path, body):
        """Test-only endpoints (no auth, not logged):

        GET    /_admin/requests   the request log; DELETE clears it
        POST   /_admin/faults     {"faults": [{method, path_regex, status, retry_after, times, delay, drop, when}]}
        GET    /_admin/faults     the faults and how often each fired; DELETE clears them
        GET    /_admin/state      jobs, schedules, pipelineJobs, operations
        POST   /_admin/seed       {"kind": "job"|"schedule"|"pipelineJob", "resource": {...}, "parent"?: "projects/P/locations/L"}
        POST   /_admin/reset      forget resources, log and faults
        POST   /_admin/tokens     {"token": T} accept T; {} issue a new one; DELETE expires issued tokens
        POST   /_admin/stop       stop the server
        """
        data = _strict_json(body.decode("utf-8"), "admin request") if body else {}
        if path == "/_admin/requests" and method == "GET":
            return 200, self.request_log
        if path == "/_admin/requests" and method == "DELETE":
            self.clear_request_log()
            return 200, {}
        if path == "/_admin/faults" and method == "POST":
            faults = [_Fault(f) for f in data.get("faults", [])]
            with self._lock:
                self._faults.extend(faults)
                return 200, {"faults": [f.to_json() for f in self._faults]}
        if path == "/_admin/faults" and method == "GET":
            with self._lock:
                return 200, {"faults": [f.to_json() for f in self._faults]}
        if path == "/_admin/faults" and method == "DELETE":
            self.clear_faults()
            return 200, {}
        if path == "/_admin/state" and method == "GET":
            return 200, self.state()
        if path == "/_admin/seed" and method == "POST":
            try:
                return 200, self.seed(data.get("kind"), data.get("resource"), data.get("parent"))
            except ApiError as error:
                return error.code, error.body()
        if path == "/_admin/reset" and method == "POST":
            self.reset()
            return 200, {}
        if path == "/_admin/tokens" and method == "POST":
            if data.get("token"):
                self.accept_token(data["token"])
                return 200, {"token": data["token"]}
            return 200, {"token": self.issue_token("admin")}
        if path == "/_admin/tokens" and method == "DELETE":
            self.expire_tokens()
            return 200, {}
        if path == "/_admin/stop" and method == "POST":
            return 200, {}
        return 404, {"error": f"no admin endpoint {method} {path}"}


def _order(items, order_by, supported):
    """`items` sorted by an AIP-132 orderBy ("field [desc], ...")."""
    if not order_by.strip():
        return items
    keys = []
    for part in order_by.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise invalid(f"Invalid orderBy '{order_by}'.")
        field = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), words[0])
        if field not in supported:
            raise invalid(f"Unsupported orderBy field '{words[0]}' (supported: {', '.join(sorted(supported))}).")
        keys.append((field, len(words) == 2 and words[1].lower() == "desc"))
    for field, descending in reversed(keys):
        def key(message, field=field):
            value = getattr(message, field)
            return value.ToNanoseconds() if hasattr(value, "ToNanoseconds") else value
        items = sorted(items, key=key, reverse=descending)
    return items


def _classify(path):
    """(kind, service) of a request path: kind is api, token, metadata or unknown."""
    if path == "/token":
        return "token", "oauth2"
    if path == "/" or path.startswith("/computeMetadata"):
        return "metadata", "metadata"
    match = re.match(r"^/(cloudscheduler/|aiplatform/)?v1/projects/[^/]+/locations/[^/]+/([A-Za-z]+)(?:/|$)", path)
    if match:
        prefix, collection = match.group(1), match.group(2)
        service = "cloudscheduler" if collection == "jobs" else "aiplatform"
        if prefix and prefix.rstrip("/") != service:
            return "unknown", None
        if collection in ("jobs", "schedules", "pipelineJobs", "operations"):
            return "api", service
    return "unknown", None


def _bearer(header):
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _loggable_body(kind, content_type, body):
    if not body:
        return None
    if kind == "token":
        form = urllib.parse.parse_qs(body.decode("ascii", errors="replace"), keep_blank_values=True)
        return {k: ("<redacted>" if k in ("assertion", "client_secret", "refresh_token") else v[-1]) for k, v in form.items()}
    try:
        return json.loads(body)
    except ValueError:
        return {"<non-json bytes>": len(body)}


_ID = r"([^/:]+)"
_PARENT = rf"/v1/projects/{_ID}/locations/{_ID}"
_LIST_QUERY = {"pageSize", "pageToken", "page_size", "page_token"}
_VERTEX_LIST_QUERY = _LIST_QUERY | {"filter", "orderBy", "order_by"}
_MASK_QUERY = {"updateMask", "update_mask"}

_SCHEDULER_ROUTES = [
    (re.compile(rf"{_PARENT}/jobs"), {"GET": ("scheduler_list", _LIST_QUERY), "POST": ("scheduler_create", set())}),
    (re.compile(rf"{_PARENT}/jobs/{_ID}"), {
        "GET": ("scheduler_get", set()), "PATCH": ("scheduler_patch", _MASK_QUERY), "DELETE": ("scheduler_delete", set()),
    }),
    (re.compile(rf"{_PARENT}/jobs/{_ID}:pause"), {"POST": ("scheduler_pause", set())}),
    (re.compile(rf"{_PARENT}/jobs/{_ID}:resume"), {"POST": ("scheduler_resume", set())}),
    (re.compile(rf"{_PARENT}/jobs/{_ID}:run"), {"POST": ("scheduler_run", set())}),
]
_VERTEX_ROUTES = [
    (re.compile(rf"{_PARENT}/schedules"), {"GET": ("vertex_schedule_list", _VERTEX_LIST_QUERY), "POST": ("vertex_schedule_create", set())}),
    (re.compile(rf"{_PARENT}/schedules/{_ID}"), {
        "GET": ("vertex_schedule_get", set()), "PATCH": ("vertex_schedule_patch", _MASK_QUERY), "DELETE": ("vertex_schedule_delete", set()),
    }),
    (re.compile(rf"{_PARENT}/schedules/{_ID}:pause"), {"POST": ("vertex_schedule_pause", set())}),
    (re.compile(rf"{_PARENT}/schedules/{_ID}:resume"), {"POST": ("vertex_schedule_resume", set())}),
    (re.compile(rf"{_PARENT}/pipelineJobs"), {
        "GET": ("vertex_pipeline_job_list", _VERTEX_LIST_QUERY), "POST": ("vertex_pipeline_job_create", {"pipelineJobId", "pipeline_job_id"}),
    }),
    (re.compile(rf"{_PARENT}/pipelineJobs/{_ID}"), {"GET": ("vertex_pipeline_job_get", set())}),
    (re.compile(rf"{_PARENT}/operations/{_ID}"), {"GET": ("vertex_operation_get", set())}),
]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that hang up (or connections the fake drops on purpose) are not errors.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, socket.timeout, OSError)):
            return
        super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeGoogle/1.0"
    timeout = 60
    fake = None  # set per server

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        if self.fake is not None and self.fake.verbose:
            sys.stderr.write("fake_google: %s - %s\n" % (self.address_string(), format % args))

    def _serve(self):
        try:
            self.fake._handle(self)
        except _Drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_HEAD = _serve

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise ValueError("malformed chunked request body")
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            length = int(length)
        except ValueError:
            raise ValueError("malformed Content-Length")
        return self.rfile.read(length) if length > 0 else b""

    def send_json(self, status, payload, headers=None):
        data = (json.dumps(payload, indent=2) + "\n").encode()
        self._send(status, data, "application/json; charset=UTF-8", headers)

    def send_text(self, status, text, headers=None):
        self._send(status, text.encode(), "text/plain; charset=UTF-8" if status != 200 else "application/text", headers)

    def _send(self, status, data, content_type, headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


# --------------------------------------------------------------------------------------------
# Command line


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", help="written with the port once listening")
    parser.add_argument("--accept-token", action="append", default=[], metavar="TOKEN", help="an access token the API accepts")
    parser.add_argument("--service-account-public-key", action="append", default=[], metavar="PEMFILE",
                        help="public (or private) key PEM of a service account; pairs with --service-account-email")
    parser.add_argument("--service-account-email", action="append", default=[], metavar="EMAIL")
    parser.add_argument("--service-account-key-id", action="append", default=[], metavar="KID",
                        help="optional private_key_id of the matching key: a JWT with another kid is refused")
    parser.add_argument("--authorized-user", action="append", default=[], metavar="CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN")
    parser.add_argument("--idle-timeout", type=float, default=300, help="stop after this many seconds without a request (0: never)")
    parser.add_argument("--max-lifetime", type=float, default=1800, help="stop after this many seconds (0: never)")
    parser.add_argument("--parent-pid", type=int, help="stop once this process is gone")
    parser.add_argument("--default-page-size", type=int, default=50)
    parser.add_argument("--token-lifetime", type=int, default=3600, help="expires_in of issued tokens")
    parser.add_argument("--project-number", action="append", default=[], metavar="PROJECT_ID=NUMBER")
    parser.add_argument("--no-server-defaults", action="store_true", help="do not fill in Cloud Scheduler's defaults")
    parser.add_argument("--no-vertex-project-numbers", action="store_true", help="name Vertex AI resources by project ID")
    parser.add_argument("--no-metadata", action="store_true", help="do not serve the metadata server")
    parser.add_argument("--operation-polls", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    if len(args.service_account_public_key) != len(args.service_account_email):
        parser.error("--service-account-public-key and --service-account-email come in pairs")
    if args.service_account_key_id and len(args.service_account_key_id) != len(args.service_account_email):
        parser.error("--service-account-key-id, when given, is given once per service account")
    key_ids = args.service_account_key_id or [None] * len(args.service_account_email)
    accounts = list(zip(args.service_account_email, args.service_account_public_key, key_ids))
    users = []
    for user in args.authorized_user:
        parts = user.split(":", 2)
        if len(parts) != 3 or not all(parts):
            parser.error("--authorized-user is CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN")
        users.append(tuple(parts))
    numbers = {}
    for item in args.project_number:
        project, _, number = item.partition("=")
        if not project or not number.isdigit():
            parser.error("--project-number is PROJECT_ID=NUMBER")
        numbers[project] = number

    fake = FakeGoogle(
        accept_tokens=args.accept_token,
        service_accounts=accounts,
        authorized_users=users,
        port=args.port,
        default_page_size=args.default_page_size,
        server_defaults=not args.no_server_defaults,
        vertex_project_numbers=not args.no_vertex_project_numbers,
        project_numbers=numbers,
        token_lifetime=args.token_lifetime,
        metadata=not args.no_metadata,
        operation_polls=args.operation_polls,
        idle_timeout=args.idle_timeout or None,
        max_lifetime=args.max_lifetime or None,
        verbose=args.verbose,
    )
    fake.start()
    if args.parent_pid:
        fake.watch_parent(args.parent_pid)

    def on_signal(signum, frame):
        threading.Thread(target=fake.stop, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    if args.port_file:
        temporary = f"{args.port_file}.{os.getpid()}.tmp"
        with open(temporary, "w") as f:
            f.write(f"{fake.port}\n")
        os.replace(temporary, args.port_file)
    print(f"fake_google: listening on {fake.url}", file=sys.stderr, flush=True)
    while not fake.wait(0.5):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
