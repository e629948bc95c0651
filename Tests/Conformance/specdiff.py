"""Semantic comparison of two PipelineSpec documents.

Two compilers may name components, executors and tasks differently and may share one
component between tasks or not. `normalize` removes those differences so that the rest
can be compared exactly:

- every `componentRef` is replaced by the component it names, and every `executorLabel`
  by the executor, so names and sharing of components and executors do not matter;
- tasks (and condition groups) are keyed by `taskInfo.name` (which must be unique in each
  DAG), a group without a name by its kind and the least name inside it, and each loop's
  item input by its loop, and every reference to a task key (`producerTask`, `dependentTasks`, `pipelinechannel--TASK-OUTPUT` names in keys,
  values, placeholders and CEL conditions) is rewritten the same way;
- `sdkVersion` and prose `description` strings are dropped (a param named "description"
  is a mapping, and stays).
"""

import copy
import json
import re


GROUP_PREFIXES = ("condition-branches-", "condition-", "for-loop-", "exit-handler-")
LOOP_ITEM = "pipelinechannel--loop-item-param-"


def _task_display_names(spec):
    """Maps every task key in every DAG to its taskInfo.name, and each loop's item input to
    a name made from its loop's. A group written without a name (kfp numbers it,
    `condition-3`; pipespec names it after what it holds) is named by its kind and the
    least of the names inside it, so numbering does not count."""
    names = {}
    loop_items = {}

    def visit(dag):
        display_names = []
        for key, task in dag.get("tasks", {}).items():
            component = spec["components"].get(task["componentRef"]["name"], {})
            inner = visit(component["dag"]) if "dag" in component else []
            name = task["taskInfo"]["name"]
            prefix = next((p for p in GROUP_PREFIXES if key.startswith(p)), None)
            if prefix is not None and inner and name == key:
                name = f"{prefix}({min(inner)})"
            names[key] = name
            item = task.get("parameterIterator", {}).get("itemInput", "")
            if item.startswith(LOOP_ITEM):
                loop_items[item] = f"{LOOP_ITEM}({name})"
            display_names.append(name)
        if len(set(display_names)) != len(display_names):
            raise ValueError(f"two tasks of one DAG share a display name, so they cannot be matched: {sorted(display_names)}")
        return display_names

    visit(spec["root"]["dag"])
    return names, loop_items


def _rename_strings(value, pattern, names, items_pattern, loop_items):
    if isinstance(value, dict):
        return {_rename_strings(k, pattern, names, items_pattern, loop_items): _rename_strings(v, pattern, names, items_pattern, loop_items)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_strings(v, pattern, names, items_pattern, loop_items) for v in value]
    if isinstance(value, str):
        if items_pattern is not None:
            value = items_pattern.sub(lambda m: loop_items[m.group(1)], value)
        if pattern is not None:
            value = pattern.sub(lambda m: "pipelinechannel--" + names[m.group(1)] + "-", value)
    return value


def normalize(spec):
    spec = copy.deepcopy(spec)
    names, loop_items = _task_display_names(spec)
    items = sorted(loop_items, key=len, reverse=True)
    items_pattern = re.compile("(" + "|".join(re.escape(k) for k in items) + ")(?![a-z0-9-])") if items else None
    executors = spec.get("deploymentSpec", {}).get("executors", {})
    keys = sorted(names, key=len, reverse=True)
    pattern = re.compile("pipelinechannel--(" + "|".join(re.escape(k) for k in keys) + ")-") if keys else None

    def resolve_component(name):
        component = copy.deepcopy(spec["components"][name])
        if "executorLabel" in component:
            component["executor"] = executors[component.pop("executorLabel")]
        if "dag" in component:
            component["dag"] = resolve_dag(component["dag"])
        return component

    def resolve_dag(dag):
        tasks = {}
        for key, task in dag.get("tasks", {}).items():
            task = copy.deepcopy(task)
            task["component"] = resolve_component(task.pop("componentRef")["name"])
            if "dependentTasks" in task:
                task["dependentTasks"] = sorted(names[t] for t in task["dependentTasks"])
            for section in task.get("inputs", {}).values():
                for source in section.values():
                    for kind in ("taskOutputParameter", "taskOutputArtifact", "taskFinalStatus"):
                        if kind in source:
                            source[kind]["producerTask"] = names[source[kind]["producerTask"]]
            task["taskInfo"] = dict(task["taskInfo"], name=names[key])
            tasks[names[key]] = task
        result = dict(dag, tasks=tasks)
        for section in result.get("outputs", {}).values():
            for output in section.values():
                for selector in output.get("artifactSelectors", []):
                    selector["producerSubtask"] = names[selector["producerSubtask"]]
                if "valueFromParameter" in output:
                    output["valueFromParameter"]["producerSubtask"] = names[output["valueFromParameter"]["producerSubtask"]]
                for selector in output.get("valueFromOneof", {}).get("parameterSelectors", []):
                    selector["producerSubtask"] = names[selector["producerSubtask"]]
        return result

    root = dict(spec["root"], dag=resolve_dag(spec["root"]["dag"]))
    normalized = {k: v for k, v in spec.items() if k not in ("components", "deploymentSpec", "sdkVersion", "root")}
    normalized["root"] = root
    return _drop_descriptions(_rename_strings(normalized, pattern, names, items_pattern, loop_items))


def _drop_descriptions(value):
    if isinstance(value, dict):
        return {k: _drop_descriptions(v) for k, v in value.items() if not (k == "description" and isinstance(v, str))}
    if isinstance(value, list):
        return [_drop_descriptions(v) for v in value]
    return value


def differences(left, right, path="$"):
    """Yields a line for each place the two normalized documents differ."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left:
                yield f"{path}.{key}: only in the second: {json.dumps(right[key])[:200]}"
            elif key not in right:
                yield f"{path}.{key}: only in the first: {json.dumps(left[key])[:200]}"
            else:
                yield from differences(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right)):
            yield from differences(a, b, f"{path}[{index}]")
    elif left != right or (type(left) is not type(right) and (isinstance(left, bool) or isinstance(right, bool) or not (
            isinstance(left, (int, float)) and isinstance(right, (int, float))))):
        yield f"{path}: {json.dumps(left)[:300]} != {json.dumps(right)[:300]}"


def compare(first, second):
    """The differences between two PipelineSpec dicts, as lines; empty when equal."""
    return list(differences(normalize(first), normalize(second)))


if __name__ == "__main__":
    import sys

    with open(sys.argv[1]) as a, open(sys.argv[2]) as b:
        lines = compare(json.load(a), json.load(b))
    print("\n".join(lines) if lines else "semantically equal")
    sys.exit(1 if lines else 0)
