"""`pipespec import`: a compiled spec back into a pipespec pipeline. Every example and every
kfp-compiled twin must import to a pipeline that compiles to what it was made from
(semantically, as the suite compares specs); what it cannot import is refused, with nothing
written."""

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
from test_conformance import PIPELINES, TWINS, golden, load_twin  # noqa: E402

PIPESPEC = os.environ.get("PIPESPEC", str(REPOSITORY / ".build/debug/pipespec"))
# The reference workload's template as kfp 1.8 compiled it (schemaVersion 2.0.0).
REFERENCE = HERE / "reference/customer_churn_vai_pipeline_template.json"


def pipespec(*arguments):
    return subprocess.run([PIPESPEC, *arguments], cwd=REPOSITORY, capture_output=True, text=True)


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
    recompiled, result = round_trip(golden(pipeline), tmp_path)
    assert recompiled is not None, result.stderr
    differences = specdiff.compare(json.loads(golden(pipeline).read_text()), recompiled)
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("name", TWINS)
def test_a_kfp_compiled_twin_imports_to_the_same_spec(name, tmp_path):
    twin = load_twin(name)
    compiler.Compiler().compile(twin.pipeline, str(tmp_path / "twin.json"))
    recompiled, result = round_trip(tmp_path / "twin.json", tmp_path)
    assert recompiled is not None, result.stderr
    differences = specdiff.compare(json.loads((tmp_path / "twin.json").read_text()), recompiled)
    assert not differences, "\n".join(differences)


def test_a_refused_import_writes_nothing(tmp_path):
    spec = {"pipelineInfo": {"name": "p"}, "components": {"comp-for-loop-1": {"dag": {"tasks": {}}}},
            "root": {"dag": {"tasks": {"for-loop-1": {"componentRef": {"name": "comp-for-loop-1"}, "artifactIterator": {}}}}}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    result = pipespec("import", str(tmp_path / "spec.json"), "-o", str(tmp_path / "imported"))
    assert result.returncode == 1 and "[import-unsupported]" in result.stderr
    assert not (tmp_path / "imported").exists()


def test_the_reference_template_imports_to_a_pipeline_that_compiles(tmp_path):
    result = pipespec("import", str(REFERENCE), "-o", str(tmp_path / "reference"))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "[import-incomplete]" in result.stderr
    # Its params' values hold one run's execution ID, and say so.
    assert "param 'model_training_pyspark_batch_id' defaults to" in result.stderr and "looks like one run's ID" in result.stderr
    files = sorted(str(p.relative_to(tmp_path / "reference")) for p in (tmp_path / "reference").rglob("*") if p.is_file())
    assert any("/" not in f and f.endswith(".yaml") for f in files) and any(f.startswith("components/") for f in files), files


def test_names_from_the_spec_cannot_write_outside_the_directory(tmp_path):
    spec = json.loads(golden("examples/hello-container.yaml").read_text())
    spec["pipelineInfo"]["name"] = "../../escaped"
    first = sorted(spec["components"])[0]
    spec["components"]["comp-../../evil"] = spec["components"].pop(first)
    for task in spec["root"]["dag"]["tasks"].values():
        if task["componentRef"]["name"] == first:
            task["componentRef"]["name"] = "comp-../../evil"
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    result = pipespec("import", str(tmp_path / "spec.json"), "-o", str(tmp_path / "out" / "imported"))
    assert result.returncode == 0, result.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert all(path == "spec.json" or path.startswith("out/imported/") for path in written), written


def test_a_component_that_holds_itself_is_refused_not_followed_forever(tmp_path):
    spec = {"pipelineInfo": {"name": "p"},
            "components": {"comp-a": {"dag": {"tasks": {"again": {"componentRef": {"name": "comp-a"}, "taskInfo": {"name": "again"},
                                                                   "triggerPolicy": {"condition": "true == true"}}}}}},
            "root": {"dag": {"tasks": {"a": {"componentRef": {"name": "comp-a"}, "taskInfo": {"name": "a"},
                                             "triggerPolicy": {"condition": "true == true"}}}}}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    result = pipespec("import", str(tmp_path / "spec.json"), "-o", str(tmp_path / "imported"))
    assert result.returncode == 1 and "[import-unsupported]" in result.stderr, result.stderr
    assert not (tmp_path / "imported").exists()
