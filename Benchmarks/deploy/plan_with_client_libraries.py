#!/usr/bin/env python3
"""The plan `pipespec plan` makes, written the way a user would with Google's client libraries.

For every deployment of a pipespec.yaml (one environment), reads the template object's
metadata from Cloud Storage (google-cloud-storage) and the Cloud Scheduler job
(google-cloud-scheduler, REST transport), compares them with what the config wants, and prints
a summary: how many resources would be created, updated or left as they are.

It is the comparison point for Benchmarks/deploy/bench_deploy.py, so it is deliberately a
straightforward script, one request per resource, in the order of the config:
- templates are compared by MD5 of the compiled bytes (the object's md5Hash, no download) and
  the owner metadata; the compiled templates are given ready-made (`--compiled DIR`, one
  `<pipeline file stem>.json` each, as `pipespec compile` writes them), so the script does no
  compiling and gets a head start over pipespec, which compiles every pipeline on each plan;
- jobs are compared on schedule, time zone, target URI, service account and the PipelineJob
  they post (template, parameter values, service account, output directory).
Only cloud-scheduler targets are handled, which is what the benchmark deploys.

Endpoints: --storage-endpoint (default STORAGE_EMULATOR_HOST) and --scheduler-endpoint
(default CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER); the access token from
GOOGLE_OAUTH_ACCESS_TOKEN is sent to both as static credentials.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import hashlib
import json
import os
import pathlib
import sys

import yaml
from google.api_core import exceptions
from google.api_core.client_options import ClientOptions
from google.cloud import scheduler_v1, storage
from google.oauth2.credentials import Credentials


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="pipespec.yaml")
    parser.add_argument("--env", required=True)
    parser.add_argument("--compiled", required=True, help="directory of compiled templates, <pipeline stem>.json")
    parser.add_argument("--storage-endpoint", default=os.environ.get("STORAGE_EMULATOR_HOST"))
    parser.add_argument("--scheduler-endpoint", default=os.environ.get("CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER"))
    parser.add_argument("--threads", type=int, default=1, help="requests in flight (1: one after another)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser.parse_args(argv)


def desired_state(config_path: pathlib.Path, env: str, compiled: pathlib.Path):
    config = yaml.safe_load(config_path.read_text())
    owner = config.get("owner", "pipespec")
    environment = config["environments"][env]
    bucket, _, prefix = environment["templates"].removeprefix("gs://").partition("/")
    wanted = []
    for name, deployment in config.get("deployments", {}).items():
        template_bytes = (compiled / (pathlib.Path(deployment["pipeline"]).stem + ".json")).read_bytes()
        params = dict(deployment.get("params", {}))
        params.update(environment.get("params", {}))
        params.update(deployment.get("env", {}).get(env, {}).get("params", {}))
        jobs = []
        for schedule_name, schedule in deployment.get("schedules", {}).items():
            if env not in schedule.get("environments", [env]):
                continue
            if schedule.get("target", "cloud-scheduler") != "cloud-scheduler":
                raise SystemExit(f"{name}/{schedule_name}: only cloud-scheduler targets are handled here")
            project, location = environment["project"], environment["location"]
            jobs.append({
                "schedule_name": schedule_name,
                "name": f"projects/{project}/locations/{location}/jobs/{name}-{schedule_name}",
                "schedule": schedule["cron"],
                "time_zone": schedule.get("time_zone", "UTC"),
                "uri": f"https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/pipelineJobs",
                "service_account": environment["service_account"],
                "pipeline_spec": json.loads(template_bytes),
                "parameter_values": params,
                "output_directory": environment["pipeline_root"],
            })
        wanted.append({
            "deployment": name,
            "bucket": bucket,
            "object": f"{prefix}/{name}.json" if prefix else f"{name}.json",
            "md5": base64.b64encode(hashlib.md5(template_bytes).digest()).decode(),
            "owner": owner,
            "jobs": jobs,
        })
    return wanted


def compare_template(bucket: storage.Bucket, wanted: dict) -> str:
    blob = bucket.get_blob(wanted["object"])
    if blob is None:
        return "create"
    if (blob.metadata or {}).get("pipespec-owner") != wanted["owner"]:
        return "conflict"
    return "none" if blob.md5_hash == wanted["md5"] else "update"


def compare_job(client: scheduler_v1.CloudSchedulerClient, wanted: dict) -> str:
    try:
        job = client.get_job(name=wanted["name"])
    except exceptions.NotFound:
        return "create"
    target = job.http_target
    body = json.loads(target.body or b"{}")
    runtime = body.get("runtimeConfig", {})
    same = (
        job.schedule == wanted["schedule"]
        and job.time_zone == wanted["time_zone"]
        and target.uri == wanted["uri"]
        and target.oauth_token.service_account_email == wanted["service_account"]
        and body.get("pipelineSpec") == wanted["pipeline_spec"]
        and body.get("serviceAccount") == wanted["service_account"]
        and runtime.get("parameterValues") == wanted["parameter_values"]
        and str(runtime.get("gcsOutputDirectory", "")).startswith(wanted["output_directory"])
    )
    return "none" if same else "update"


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    config = pathlib.Path(arguments.config)
    wanted = desired_state(config, arguments.env, pathlib.Path(arguments.compiled))
    token = os.environ.get("GOOGLE_OAUTH_ACCESS_TOKEN")
    if not token:
        print("GOOGLE_OAUTH_ACCESS_TOKEN is not set", file=sys.stderr)
        return 2
    credentials = Credentials(token=token)
    project = yaml.safe_load(config.read_text())["environments"][arguments.env]["project"]
    storage_client = storage.Client(project=project, credentials=credentials,
                                    client_options=ClientOptions(api_endpoint=arguments.storage_endpoint))
    scheduler_client = scheduler_v1.CloudSchedulerClient(
        credentials=credentials, transport="rest",
        client_options=ClientOptions(api_endpoint=arguments.scheduler_endpoint.rstrip("/")))

    tasks = []
    for item in wanted:
        bucket = storage_client.bucket(item["bucket"])
        tasks.append((f"{item['deployment']}/template", compare_template, bucket, item))
        for job in item["jobs"]:
            tasks.append((f"{item['deployment']}/schedule/{job['schedule_name']}", compare_job, scheduler_client, job))

    if arguments.threads > 1:
        with concurrent.futures.ThreadPoolExecutor(arguments.threads) as pool:
            actions = list(pool.map(lambda t: t[1](t[2], t[3]), tasks))
    else:
        actions = [compare(client, item) for _, compare, client, item in tasks]

    counts = {action: actions.count(action) for action in ("create", "update", "none", "conflict")}
    changes = [(address, action) for (address, *_), action in zip(tasks, actions) if action != "none"]
    if arguments.json:
        print(json.dumps({"resources": len(tasks), "summary": counts, "changes": changes}))
    else:
        for address, action in changes:
            print(f"{action:8} {arguments.env}/{address}")
        print(f"{len(tasks)} resources: {counts['create']} to create, {counts['update']} to update, "
              f"{counts['none']} unchanged, {counts['conflict']} not owned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
