"""`pipespec import`: a compiled spec back into a pipespec pipeline. Whatever it imports must
compile to what it was made from (semantically, as the suite compares specs); what it does
not import yet must be refused for the right reason, with nothing written."""

import json
import os
import pathlib
import subprocess
import sys

import pytest
from kfp import compiler

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
sys.path.insert(0, str(HERE))

import specdiff  # noqa: E402
import twins  # noqa: E402
from test_conformance import PIPELINES, TWINS, golden, load_twin  # noqa: E402

PIPESPEC = os.environ.get("PIPESPEC", str(REPOSITORY / ".build/debug/pipespec"))
REFERENCE = REPOSITORY.parent / "shared/reference/customer_churn_vai_pipeline_template.json"


def pipespec(*arguments):
    return subprocess.run([PIPESPEC, *arguments], cwd=REPOSITORY, capture_output=True, text=True)


def groups_not_imported(spec):
    """The kinds of group an import refuses, found in a spec: loops and if/elif/else."""
    kinds = set()

    def visit(dag):
        for key, task in dag.get("tasks", {}).items():
            component = spec["components"][task["componentRef"]["name"]]
            if "dag" in component:
                if "parameterIterator" in task or "artifactIterator" in task:
                    kinds.add("loop")
                elif key.startswith("condition-branches-"):
                    kinds.add("branches")
                visit(component["dag"])

    visit(spec["root"]["dag"])
    return kinds


def round_trip(spec_path, tmp_path):
    """Imports the spec, compiles the import; the recompiled spec, or the refusal."""
    result = pipespec("import", str(spec_path), "-o", str(tmp_path / "imported"))
    if result.returncode != 0:
        return None, result
    pipeline = next((tmp_path / "imported").glob("*.yaml"))
    compiled = pipespec("compile", str(pipeline))
    assert compiled.returncode == 0, compiled.stderr
    return json.loads(compiled.stdout), result


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_an_imported_pipeline_compiles_back_to_the_same_spec(pipeline, tmp_path):
    spec = json.loads(golden(pipeline).read_text())
    recompiled, result = round_trip(golden(pipeline), tmp_path)
    if recompiled is None:
        assert groups_not_imported(spec), result.stderr
        assert "[import-unsupported]" in result.stderr
        assert not (tmp_path / "imported").exists(), "a refused import wrote files"
        return
    assert not groups_not_imported(spec)
    differences = specdiff.compare(spec, recompiled)
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", TWINS)
def test_a_kfp_compiled_twin_imports_to_the_same_spec(name, tmp_path):
    twin = load_twin(name)
    compiler.Compiler().compile(twin.pipeline, str(tmp_path / "twin.json"))
    spec = json.loads((tmp_path / "twin.json").read_text())
    recompiled, result = round_trip(tmp_path / "twin.json", tmp_path)
    if recompiled is None:
        assert groups_not_imported(spec), result.stderr
        return
    differences = specdiff.compare(spec, recompiled)
    assert not differences, "\n".join(differences)


def test_the_reference_template_imports_to_a_pipeline_that_compiles(tmp_path):
    result = pipespec("import", str(REFERENCE), "-o", str(tmp_path / "reference"))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "[import-incomplete]" in result.stderr
    # Its params' values hold one run's execution ID, and say so.
    assert "param 'model_training_pyspark_batch_id' defaults to" in result.stderr and "looks like one run's ID" in result.stderr
    files = sorted(str(p.relative_to(tmp_path / "reference")) for p in (tmp_path / "reference").rglob("*") if p.is_file())
    assert any("/" not in f and f.endswith(".yaml") for f in files) and any(f.startswith("components/") for f in files), files
