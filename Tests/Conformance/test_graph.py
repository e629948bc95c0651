"""`pipespec graph`: Mermaid output read by a strict parser of the flowchart subset it
writes, DOT output read by Graphviz's own `dot`; both must show every task of the compiled
spec once, and every edge must join things drawn."""

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
PIPESPEC = os.environ.get("PIPESPEC", str(REPOSITORY / ".build/debug/pipespec"))
PIPELINES = sorted(str(p.relative_to(REPOSITORY)) for d in ("pipelines", "examples") for p in (REPOSITORY / d).glob("*.yaml"))

IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
LABEL = r'"[^"\n]*"'
NODE = re.compile(rf"^(?P<indent> *)(?P<id>{IDENTIFIER})\[(?P<label>{LABEL})\]$")
SUBGRAPH = re.compile(rf"^(?P<indent> *)subgraph (?P<id>{IDENTIFIER})\[(?P<label>{LABEL})\]$")
END = re.compile(r"^(?P<indent> *)end$")
EDGE = re.compile(rf"^  (?P<from>{IDENTIFIER}) (?P<arrow>-->|-\.->|==>)(\|(?P<label>{LABEL}|after|on exit)\|)? (?P<to>{IDENTIFIER})$")


def graph(pipeline, *arguments):
    result = subprocess.run([PIPESPEC, "graph", pipeline, *arguments], cwd=REPOSITORY, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def leaf_tasks(pipeline):
    """The display names of the tasks that run something (not groups or sub-pipelines)."""
    spec = json.loads((REPOSITORY / "Tests/Golden" / pathlib.Path(pipeline).with_suffix(".json")).read_text())
    names = []

    def visit(dag):
        for task in dag.get("tasks", {}).values():
            component = spec["components"][task["componentRef"]["name"]]
            if "dag" in component:
                if task["componentRef"]["name"] in spec["components"] and "dag" in component:
                    visit(component["dag"])
            else:
                names.append(task["taskInfo"]["name"])

    visit(spec["root"]["dag"])
    return sorted(names)


def parse_mermaid(text):
    """Nodes (id → label), clusters and edges of a flowchart; fails on anything else."""
    lines = text.split("\n")
    assert lines[0] == "flowchart TD" and lines[-1] == "", "a flowchart header and a final newline"
    nodes, clusters, edges, depth = {}, {}, [], 0
    for number, line in enumerate(lines[1:-1], start=2):
        if match := SUBGRAPH.match(line):
            assert len(match["indent"]) == 2 * (depth + 1), f"line {number}: indented {len(match['indent'])}"
            assert match["id"] not in nodes and match["id"] not in clusters, f"line {number}: {match['id']} defined twice"
            clusters[match["id"]] = match["label"]
            depth += 1
        elif match := END.match(line):
            assert depth > 0, f"line {number}: end without subgraph"
            depth -= 1
            assert len(match["indent"]) == 2 * (depth + 1), f"line {number}: end indented {len(match['indent'])}"
        elif match := NODE.match(line):
            assert len(match["indent"]) == 2 * (depth + 1), f"line {number}: indented {len(match['indent'])}"
            assert match["id"] not in nodes and match["id"] not in clusters, f"line {number}: {match['id']} defined twice"
            nodes[match["id"]] = match["label"][1:-1]
        elif match := EDGE.match(line):
            assert depth == 0, f"line {number}: an edge inside a subgraph"
            edges.append((match["from"], match["arrow"], match["to"]))
        else:
            raise AssertionError(f"line {number} is not a node, subgraph, end or edge: {line!r}")
    assert depth == 0, "a subgraph is not closed"
    for source, _, target in edges:
        assert source in nodes or source in clusters, f"edge from undefined {source}"
        assert target in nodes or target in clusters, f"edge to undefined {target}"
    return nodes, clusters, edges


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_mermaid_is_a_well_formed_flowchart_of_every_task(pipeline):
    nodes, _, _ = parse_mermaid(graph(pipeline))
    drawn = sorted(label.split("<br/>")[0].replace("#quot;", '"') for label in nodes.values())
    assert drawn == leaf_tasks(pipeline)


def test_the_strict_parser_rejects_what_mermaid_would():
    for broken in ('flowchart TD\n  a["x"]\n  subgraph g["y"]\n', 'flowchart TD\n  a["x "y""]\n', 'flowchart TD\n  a --> b\n'):
        with pytest.raises(AssertionError):
            parse_mermaid(broken)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (scripts/test installs it)")
@pytest.mark.parametrize("pipeline", PIPELINES)
def test_graphviz_reads_the_dot_output_without_a_warning(pipeline):
    result = subprocess.run(["dot", "-Tjson"], input=graph(pipeline, "--format", "dot"), capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    drawn = json.loads(result.stdout)
    labels = sorted(node["label"].split("\\n")[0] for node in drawn.get("objects", []) if "nodes" not in node and "label" in node
                    and not node["name"].startswith("cluster_"))
    assert labels == leaf_tasks(pipeline)


def test_the_readme_shows_the_churn_pipeline_as_graph_draws_it():
    readme = (REPOSITORY / "README.md").read_text()
    block = readme.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == graph("pipelines/customer-churn-training.yaml")
