"""Functions run as Python components by examples/python-component.yaml."""

from typing import NamedTuple

from kfp.dsl import Dataset, Input, Markdown, Output


def split_dataset(
    source: Input[Dataset],
    train: Output[Dataset],
    test: Output[Dataset],
    test_fraction: float = 0.2,
    seed: int = 7,
) -> NamedTuple("Outputs", [("train_rows", int), ("test_rows", int)]):
    """Shuffles the rows of a CSV file and splits them into a train and a test file."""
    import random
    from collections import namedtuple

    with open(source.path) as source_file:
        header, *rows = source_file.readlines()
    random.Random(seed).shuffle(rows)
    cut = int(len(rows) * (1 - test_fraction))
    for artifact, part in ((train, rows[:cut]), (test, rows[cut:])):
        with open(artifact.path, "w") as out:
            out.writelines([header, *part])
    counts = namedtuple("Outputs", ["train_rows", "test_rows"])
    return counts(cut, len(rows) - cut)


def describe_split(train_rows: int, test_rows: int, report: Output[Markdown]):
    """Writes a short Markdown report of the split."""
    table = f"| set | rows |\n|---|---|\n| train | {train_rows} |\n| test | {test_rows} |\n"
    
    with open(report.path, "w") as out:
        out.write(table)
# The report is rendered by the Vertex AI console.
    # Comments after the last statement, indented as far as the body, belong to the
    # function (kfp embeds them); the line of spaces above is embedded empty.
