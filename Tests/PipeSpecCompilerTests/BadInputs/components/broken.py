"""A file Python's tokenizer rejects, for semantic-python-syntax.yaml."""


def split(rows: list, fraction: float = 0.2) -> int:
    cut = int(len(rows) * (1 - fraction))
        return cut


def describe(rows: list) -> str:
    text = "rows: %d % len(rows)
    if text:
        text = text.strip()
      return text


def pick(rows: list) -> int:
    return max(rows]


def last(rows: list) -> int:
    return rows[-1
