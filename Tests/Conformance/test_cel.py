"""Every condition pipespec writes is CEL that cel-python parses, and compound conditions
(and, or, not, parentheses) evaluate as they read.

Run by scripts/test with PIPESPEC set to the built binary.
"""

import json
import os
import subprocess
from pathlib import Path

import celpy
import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
PIPESPEC = os.environ.get("PIPESPEC", str(REPOSITORY / ".build/debug/pipespec"))
GOLDEN = sorted((REPOSITORY / "Tests/Golden").rglob("*.json"))


def conditions(spec):
    """Every triggerPolicy.condition in a PipelineSpec."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            condition = value.get("triggerPolicy", {}).get("condition")
            if condition:
                found.append(condition)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(spec)
    return found


def evaluate(condition, values):
    environment = celpy.Environment()
    program = environment.program(environment.compile(condition))
    activation = {"inputs": celpy.json_to_cel({"parameter_values": values})}
    return bool(program.evaluate(activation))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: str(path.relative_to(REPOSITORY)))
def test_every_golden_condition_parses_as_cel(path):
    for condition in conditions(json.loads(path.read_text())):
        celpy.Environment().compile(condition)


def test_cel_parser_rejects_what_is_not_cel():
    with pytest.raises(celpy.CELParseError):
        celpy.Environment().compile("inputs.parameter_values['a'] && || true")


PIPELINE = """
name: compound
params:
  mode: {type: string, default: full}
  rows: {type: int, default: 10}
  force: {type: bool, default: false}
components:
  step: {container: {image: alpine}}
tasks:
  refresh:
    uses: step
    when: ${params.mode} == 'full' and (${params.rows} > 1000 or ${params.force}) and not ${params.mode} == 'dry'
"""


@pytest.mark.parametrize(
    "mode, rows, force, runs",
    [("full", 5000, False, True), ("full", 10, True, True), ("full", 10, False, False), ("dry", 5000, True, False), ("part", 5000, True, False)],
)
def test_a_compound_condition_evaluates_as_it_reads(mode, rows, force, runs):
    result = subprocess.run([PIPESPEC, "compile", "-"], input=PIPELINE, capture_output=True, text=True, cwd=REPOSITORY)
    assert result.returncode == 0, result.stderr
    [condition] = conditions(json.loads(result.stdout))
    values = {"pipelinechannel--mode": mode, "pipelinechannel--rows": rows, "pipelinechannel--force": force}
    assert evaluate(condition, values) == runs, condition
