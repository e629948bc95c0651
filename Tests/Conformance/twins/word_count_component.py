"""The component examples/components/word-count.yaml is compiled from:
`python -m twins.word_count_component` (from Tests/Conformance) writes that file again."""

from kfp import compiler, dsl

from twins import REPOSITORY

COMPONENT_FILE = REPOSITORY / "examples/components/word-count.yaml"


@dsl.container_component
def word_count(text: dsl.Input[dsl.Artifact], min_length: int, counts: dsl.Output[dsl.Dataset], total: dsl.OutputPath(int), language: str = "en"):
    """Counts the words of a text file."""
    return dsl.ContainerSpec(
        image="gcr.io/acme-ml/text-tools:0.3",
        command=["count-words"],
        args=["--text", text.path, "--min-length", min_length, "--language", language, "--counts", counts.path, "--total", total],
    )


if __name__ == "__main__":
    compiler.Compiler().compile(word_count, str(COMPONENT_FILE))
