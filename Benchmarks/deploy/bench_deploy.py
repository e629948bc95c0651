#!/usr/bin/env python3
"""Deploy benchmark: `pipespec plan` against the same plan written with Google's client libraries.

Starts the loopback servers of Tests/Deploy (fake-gcs-server behind a recording proxy, and
fake_google.py), generates N deployments (default 50: one template plus one cloud-scheduler
schedule each, the small hello-container pipeline), creates them once with
`pipespec apply --auto-approve`, then measures, interleaved over several rounds:

- wall time of the whole `pipespec plan --detailed-exitcode` process against the wall time of
  the whole `plan_with_client_libraries.py` process (interpreter start and imports included,
  as a user would run it), both sent straight to fake-gcs-server;
- reads per resource: GET requests seen by fake_google.py plus GET requests seen by the
  Cloud Storage proxy, divided by the number of resources (2 N), for one run of each;
- a no-op `pipespec apply --auto-approve`: how many mutating requests it sends (target 0).

Prints medians, ratios and the targets (plan < 2 s, <= 1 read per resource, 0 mutating
requests, pipespec >= 10x faster than the client-library script); exits 1 if a target is
missed.

    PIPESPEC=.build/release/pipespec .venv/bin/python Benchmarks/deploy/bench_deploy.py [--deployments 50] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
sys.path.insert(0, str(REPOSITORY / "Tests/Deploy"))

import yaml  # noqa: E402

from harness import FakeGcs, FakeGoogle  # noqa: E402

SCRIPT = HERE / "plan_with_client_libraries.py"
LOCATION = "us-central1"
PROJECT = "bench-project"
BUCKET = "bench-project-pipelines"
# The client-library script is also timed with this many requests in flight, for reference.
THREADED = 8


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipespec", default=os.environ.get("PIPESPEC", str(REPOSITORY / ".build/release/pipespec")))
    parser.add_argument("--python", default=sys.executable, help="interpreter for the client-library script")
    parser.add_argument("--deployments", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1, help="--threads of the client-library script")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args(argv)


def generate(work: pathlib.Path, count: int):
    (work / "pipelines").mkdir(parents=True)
    shutil.copy(REPOSITORY / "examples/hello-container.yaml", work / "pipelines")
    config = {
        "owner": "bench",
        "environments": {
            "bench": {
                "project": PROJECT,
                "location": LOCATION,
                "service_account": f"runner@{PROJECT}.iam.gserviceaccount.com",
                "pipeline_root": f"gs://{BUCKET}/root",
                "templates": f"gs://{BUCKET}/templates",
            }
        },
        "deployments": {
            f"d{i:03d}": {
                "pipeline": "pipelines/hello-container.yaml",
                "params": {"recipient": f"team-{i:03d}"},
                "schedules": {"hourly": {"cron": f"{i % 60} * * * *", "time_zone": "UTC", "target": "cloud-scheduler"}},
            }
            for i in range(count)
        },
    }
    (work / "pipespec.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


class Bench:
    def __init__(self, arguments, work: pathlib.Path, gcs: FakeGcs, google: FakeGoogle, token: str):
        self.arguments = arguments
        self.work = work
        self.gcs = gcs
        self.google = google
        self.token = token
        self.plan_exit_codes: list[int] = []

    def environment(self, through_proxy: bool) -> dict:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.work / ".home"),
            "LANG": "C.UTF-8",
            "STORAGE_EMULATOR_HOST": self.gcs.url if through_proxy else self.gcs.direct_url,
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDSCHEDULER": f"{self.google.url}/cloudscheduler/",
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_AIPLATFORM": f"{self.google.url}/aiplatform/",
            "GOOGLE_OAUTH_ACCESS_TOKEN": self.token,
        }

    def run(self, command: list[str], through_proxy=False, expect=(0,)) -> tuple[float, subprocess.CompletedProcess]:
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=self.work, env=self.environment(through_proxy), capture_output=True, text=True, timeout=600)
        elapsed = time.perf_counter() - started
        if completed.returncode not in expect:
            raise SystemExit(f"$ {' '.join(command)}\nexit {completed.returncode}\n{completed.stdout}\n{completed.stderr}")
        return elapsed, completed

    def pipespec_plan(self, through_proxy=False):
        # Exit 2 (changes) is timed too; whether the plan was empty is reported separately.
        elapsed, completed = self.run([self.arguments.pipespec, "plan", "--detailed-exitcode"], through_proxy, expect=(0, 2))
        self.plan_exit_codes.append(completed.returncode)
        return elapsed, completed

    def python_plan(self, through_proxy=False, threads=None):
        return self.run([self.arguments.python, str(SCRIPT), "--env", "bench", "--compiled", "compiled",
                         "--threads", str(threads or self.arguments.threads), "--json"], through_proxy)

    def python_plan_threaded(self, through_proxy=False):
        return self.python_plan(through_proxy, threads=THREADED)

    def reads(self, run) -> int:
        self.gcs.clear_requests()
        self.google.clear_requests()
        run(through_proxy=True)
        return (sum(1 for e in self.google.requests() if e["method"] == "GET" and e.get("kind") == "api")
                + sum(1 for e in self.gcs.requests() if e["method"] == "GET"))

    def mutations(self) -> list[dict]:
        return [e for e in self.google.requests() if e["mutating"]] + [e for e in self.gcs.requests() if e["mutating"]]


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    # Commands run in the work directory.
    arguments.pipespec = os.path.abspath(arguments.pipespec)
    if not os.access(arguments.pipespec, os.X_OK):
        print(f"no pipespec at {arguments.pipespec}; build it (swift build -c release) or set PIPESPEC", file=sys.stderr)
        return 2
    work = pathlib.Path(tempfile.mkdtemp(prefix="pipespec-bench-deploy-"))
    (work / ".home").mkdir()
    token = "ya29.bench-" + secrets.token_urlsafe(16)
    gcs = FakeGcs(log_path=work / "fake-gcs-server.log").start()
    google = FakeGoogle(accept_token=token, workdir=work, log_path=work / "fake_google.log").start()
    try:
        gcs.create_bucket(BUCKET, PROJECT)
        generate(work, arguments.deployments)
        bench = Bench(arguments, work, gcs, google, token)
        resources = 2 * arguments.deployments

        create_time, _ = bench.run([arguments.pipespec, "apply", "--auto-approve"])
        (work / "compiled").mkdir()
        _, compiled = bench.run([arguments.pipespec, "compile", "pipelines/hello-container.yaml"])
        (work / "compiled/hello-container.json").write_text(compiled.stdout)

        # Both must agree that nothing is to be done before their times are compared.
        _, python_plan = bench.python_plan()
        summary = json.loads(python_plan.stdout)
        if summary["summary"]["none"] != resources:
            print(f"warning: the client-library script sees changes after apply: {summary['summary']} {summary['changes'][:5]}", file=sys.stderr)

        times = {"pipespec": [], "python": [], "threaded": []}
        for round_number in range(arguments.rounds):
            # Rotate which goes first, so none always runs on a warm cache.
            order = [("pipespec", bench.pipespec_plan), ("python", bench.python_plan), ("threaded", bench.python_plan_threaded)]
            shift = round_number % len(order)
            for name, run in order[shift:] + order[:shift]:
                elapsed, _ = run()
                times[name].append(elapsed)
        pipespec_times, python_times = times["pipespec"], times["python"]

        pipespec_reads = bench.reads(bench.pipespec_plan)
        python_reads = bench.reads(bench.python_plan)

        gcs.clear_requests()
        google.clear_requests()
        noop_time, _ = bench.run([arguments.pipespec, "apply", "--auto-approve"], through_proxy=True)
        mutating = bench.mutations()

        pipespec_median = statistics.median(pipespec_times)
        python_median = statistics.median(python_times)
        speedup = python_median / pipespec_median
        rows = [
            ("", "pipespec", "client libraries", "ratio", "target"),
            (f"plan wall time, median of {arguments.rounds}", f"{pipespec_median:.3f} s", f"{python_median:.3f} s", f"{speedup:.1f}x",
             "< 2 s; >= 10x"),
            (f"reads per resource ({resources} resources)", f"{pipespec_reads / resources:.2f}", f"{python_reads / resources:.2f}",
             f"{(python_reads / pipespec_reads) if pipespec_reads else float('inf'):.1f}x", "<= 1"),
            (f"  same, script with {THREADED} threads", "", f"{statistics.median(times['threaded']):.3f} s",
             f"{statistics.median(times['threaded']) / pipespec_median:.1f}x", ""),
            ("no-op apply: mutating requests", str(len(mutating)), "", "", "0"),
            ("no-op apply wall time", f"{noop_time:.3f} s", "", "", ""),
            (f"first apply (creates {resources})", f"{create_time:.3f} s", "", "", ""),
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        print(f"\npipespec plan runs: {', '.join(f'{t:.3f}' for t in pipespec_times)} s")
        print(f"script runs:        {', '.join(f'{t:.3f}' for t in python_times)} s")
        verdicts = [
            ("plan < 2 s", pipespec_median < 2.0),
            ("<= 1 read per resource", pipespec_reads <= resources),
            ("0 mutating requests in a no-op apply", not mutating),
            ("pipespec >= 10x faster than the client-library script", speedup >= 10),
            ("plan after apply shows no changes (exit 0)", set(bench.plan_exit_codes) == {0}),
        ]
        print()
        for line, passed in verdicts:
            print(f"{line}: {'PASS' if passed else 'FAIL'}")
        if mutating:
            print("mutating requests:", [(e["method"], e["path"]) for e in mutating][:10])
        return 0 if all(passed for _, passed in verdicts) else 1
    finally:
        gcs.stop()
        google.stop()
        if arguments.keep:
            print(f"work directory: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
