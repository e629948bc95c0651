"""Conformance suite: pipespec's output checked by the official tools.

For every pipeline in pipelines/ and examples/, its golden file (Tests/Golden/...) must be
what pipespec compiles it to today, and must be accepted by:
- the protobuf schema: a strict `json_format.ParseDict` into `pipeline_spec_pb2.PipelineSpec`;
- the kfp SDK: `kfp.components.load_component_from_file`;
- the Vertex AI SDK: `aiplatform.PipelineJob(template_path=...)`, built offline;
and must be semantically equal (see specdiff.py) to what kfp 2.15 + GCPC 2.22 compile the
pipeline's Python twin (twins/) to.

Also checked: job bodies parse as Vertex AI `PipelineJob` protos; the built-in components
have GCPC's interfaces; the component file used by an example is what kfp compiles; the
schema is valid JSON Schema 2020-12 and agrees with the `jsonschema` package on which
files it accepts.

Run by scripts/test with PIPESPEC set to the built binary.
"""

import importlib
import json
import os
import pathlib
import subprocess
import sys

import jsonschema
import kfp.components
import pytest
import yaml
from ruamel.yaml import YAML
from google.auth.credentials import AnonymousCredentials
from google.cloud import aiplatform, aiplatform_v1
from google.protobuf import json_format
from kfp import compiler
from kfp.pipeline_spec import pipeline_spec_pb2

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
sys.path.insert(0, str(HERE))

import gcpc_catalog  # noqa: E402
import specdiff  # noqa: E402
import twins  # noqa: E402

PIPESPEC = os.environ.get("PIPESPEC", str(REPOSITORY / ".build/debug/pipespec"))
PIPELINES = sorted(str(p.relative_to(REPOSITORY)) for d in ("pipelines", "examples") for p in (REPOSITORY / d).glob("*.yaml"))
TWINS = sorted(p.stem for p in (HERE / "twins").glob("*.py") if p.stem not in ("__init__", "word_count_component"))
BAD_INPUTS = sorted((HERE.parent / "PipeSpecCompilerTests/BadInputs").glob("*.yaml"))
BUILTINS = sorted((REPOSITORY / "Sources/EmbeddedResources/builtin").glob("*/*.yaml"))
SAMPLE_VALUES = {"STRING": "x", "NUMBER_INTEGER": 1, "NUMBER_DOUBLE": 0.5, "BOOLEAN": True, "LIST": [], "STRUCT": {}}


def golden(pipeline):
    return REPOSITORY / "Tests/Golden" / pathlib.Path(pipeline).with_suffix(".json")


def pipespec(*arguments):
    return subprocess.run([PIPESPEC, *arguments], cwd=REPOSITORY, capture_output=True, text=True)


def load_twin(name):
    return importlib.import_module(f"twins.{name}")


def required_values(spec):
    """A value of the right type for every required param, as a run would pass."""
    parameters = spec["root"].get("inputDefinitions", {}).get("parameters", {})
    return {name: SAMPLE_VALUES[p["parameterType"]] for name, p in parameters.items() if not p.get("isOptional")}


# Golden files and the oracles.


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_golden_file_is_what_pipespec_compiles_today(pipeline):
    result = pipespec("compile", pipeline)
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden(pipeline).read_text(), f"regenerate {golden(pipeline)}"


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_protobuf_schema_accepts_it_strictly(pipeline):
    message = json_format.ParseDict(json.loads(golden(pipeline).read_text()), pipeline_spec_pb2.PipelineSpec())
    assert message.schema_version == "2.1.0"
    assert message.root.dag.tasks


def load_error(path):
    """The exception the kfp SDK raises loading `path`, or None when it loads."""
    try:
        kfp.components.load_component_from_file(str(path))
    except Exception as error:  # noqa: BLE001 - any failure of the oracle is the result
        return error
    return None


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_kfp_sdk_loads_it(pipeline, tmp_path):
    error = load_error(golden(pipeline))
    if error is not None:
        # The SDK cannot load some specs it compiles itself (importer executors): ours must
        # then fail exactly as the twin's does.
        twin = next(load_twin(name) for name in TWINS if load_twin(name).YAML == pipeline)
        compiler.Compiler().compile(twin.pipeline, str(tmp_path / "twin.json"))
        twin_error = load_error(tmp_path / "twin.json")
        assert twin_error is not None, f"kfp loads the twin but not ours: {error!r}"
        assert (type(error), str(error)) == (type(twin_error), str(twin_error))
        return
    component = kfp.components.load_component_from_file(str(golden(pipeline)))
    spec = json.loads(golden(pipeline).read_text())
    assert component.name == spec["pipelineInfo"]["name"]
    assert set(component.component_spec.inputs or {}) == set(spec["root"].get("inputDefinitions", {}).get("parameters", {}))


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_vertex_sdk_accepts_it(pipeline):
    spec = json.loads(golden(pipeline).read_text())
    job = aiplatform.PipelineJob(
        display_name="conformance",
        template_path=str(golden(pipeline)),
        pipeline_root="gs://conformance-bucket/root",
        parameter_values=required_values(spec),
        project="conformance-project",
        location="us-central1",
        credentials=AnonymousCredentials(),
    )
    body = job.to_dict()
    assert body["pipelineSpec"]["root"] == spec["root"]
    assert set(body["runtimeConfig"].get("parameterValues", {})) >= set(required_values(spec))


# Twins.


def test_every_pipeline_has_a_twin():
    assert sorted(load_twin(name).YAML for name in TWINS) == PIPELINES


@pytest.mark.parametrize("name", TWINS)
def test_semantically_equal_to_the_kfp_compiled_twin(name, tmp_path):
    twin = load_twin(name)
    compiler.Compiler().compile(twin.pipeline, str(tmp_path / "twin.json"))
    differences = specdiff.compare(json.loads(golden(twin.YAML).read_text()), json.loads((tmp_path / "twin.json").read_text()))
    assert not differences, "\n".join(differences)
    # `pipespec diff`, from the pipeline file, agrees.
    result = pipespec("diff", twin.YAML, str(tmp_path / "twin.json"))
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_semantic_comparison_notices_a_difference(tmp_path):
    twin = load_twin("customer_churn_training")
    compiler.Compiler().compile(twin.pipeline, str(tmp_path / "twin.json"))
    ours = json.loads(golden(twin.YAML).read_text())
    ours["root"]["dag"]["tasks"]["condition-aupr-gate"]["triggerPolicy"]["condition"] += " && true"
    assert specdiff.compare(ours, json.loads((tmp_path / "twin.json").read_text()))
    (tmp_path / "ours.json").write_text(json.dumps(ours))
    result = pipespec("diff", str(tmp_path / "ours.json"), str(tmp_path / "twin.json"), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert [difference["path"] for difference in json.loads(result.stdout)] == ["$.root.dag.tasks.aupr-gate.triggerPolicy.condition"]


def test_component_file_is_what_kfp_compiles_word_count(tmp_path):
    from twins.word_count_component import COMPONENT_FILE, word_count

    compiler.Compiler().compile(word_count, str(tmp_path / "word-count.yaml"))
    assert yaml.safe_load((tmp_path / "word-count.yaml").read_text()) == yaml.safe_load(COMPONENT_FILE.read_text())


# Job bodies.


def test_job_body_is_a_valid_vertex_pipeline_job():
    spec = json.loads(golden("pipelines/customer-churn-training.yaml").read_text())
    values = [f"--param={name}=x" for name in required_values(spec)]
    result = pipespec("compile", "pipelines/customer-churn-training.yaml", "--format", "job",
                      "--pipeline-root", "gs://churn-runs/root", "--param", "aupr_threshold=0.75", *values)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    job = json_format.ParseDict(body, aiplatform_v1.PipelineJob.pb(aiplatform_v1.PipelineJob()))
    assert job.runtime_config.gcs_output_directory == "gs://churn-runs/root"
    assert job.runtime_config.parameter_values["aupr_threshold"].number_value == 0.75
    json_format.ParseDict(body["pipelineSpec"], pipeline_spec_pb2.PipelineSpec())
    assert body["pipelineSpec"] == spec


# Built-in components.


def test_every_catalog_component_is_a_builtin():
    assert sorted(gcpc_catalog.operations()) == [f"{p.parent.name}/{p.stem}" for p in BUILTINS]


@pytest.mark.parametrize("builtin", BUILTINS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_builtin_has_the_gcpc_interface_and_executor(builtin, tmp_path):
    operation = gcpc_catalog.operations()[f"{builtin.parent.name}/{builtin.stem}"]
    compiler.Compiler().compile(operation, str(tmp_path / "gcpc.yaml"))
    gcpc = specdiff._drop_descriptions(yaml.safe_load((tmp_path / "gcpc.yaml").read_text()))
    ours = yaml.safe_load(builtin.read_text())
    for document in (gcpc, ours):
        document.pop("sdkVersion", None)
    assert ours == gcpc


# The schema.


def schema():
    return json.loads((REPOSITORY / "schemas/pipeline.schema.json").read_text())


def load_yaml_1_2(path):
    """A pipeline file read as pipespec reads it: YAML 1.2, where `no` is a string."""
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(path.read_text())))


def test_schema_is_valid_json_schema_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_jsonschema_accepts_every_pipeline(pipeline):
    jsonschema.Draft202012Validator(schema()).validate(load_yaml_1_2(REPOSITORY / pipeline))


@pytest.mark.parametrize("bad", [p for p in BAD_INPUTS if p.name.startswith(("schema-", "semantic-"))], ids=lambda p: p.name)
def test_jsonschema_agrees_on_bad_inputs(bad):
    """Files named schema-* break the schema, so `jsonschema` must reject them too; files
    named semantic-* are well-formed and fail only pipespec's later checks."""
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(load_yaml_1_2(bad)))
    if bad.name.startswith("schema-"):
        assert errors, f"{bad.name} is accepted by jsonschema"
    else:
        assert not errors, f"{bad.name}: {errors[0].message}"
