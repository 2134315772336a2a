"""Checks on a table's rows beyond lists of rows: unique keys, columns never null, values in a set
or a range, rows per partition, golden files. Pure functions over rows as PyIceberg returns them
(typed values); the steps (steps/expectations.py) read the rows and report what these return."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from steps.support.scope import RunScope
from steps.support.values import parse_instant, show

Row = Mapping[str, Any]
PRECISIONS = {"second": 0, "millisecond": 3, "microsecond": 6}


def repeated(rows: Sequence[Row], column: str) -> list[Row]:
    """The rows whose `column` value some other row has too."""
    counts = Counter(row.get(column) for row in rows)
    return [row for row in rows if counts[row.get(column)] > 1]


def with_nulls(rows: Sequence[Row], columns: Sequence[str]) -> list[Row]:
    return [row for row in rows if any(row.get(c) is None for c in columns)]


def outside_set(rows: Sequence[Row], column: str, allowed: Iterable[str], scope: RunScope) -> list[Row]:
    """Rows whose `column`, shown as a feature writes it, is not one of `allowed`."""
    wanted = set(allowed)
    return [row for row in rows if show(row.get(column), column, scope) not in wanted]


def _typed(text: str, like: Any) -> Any:
    """`text` read as the type of a stored value, to compare with it."""
    if isinstance(like, datetime):
        return parse_instant(text)
    if isinstance(like, bool):
        raise ValueError("a range of booleans means nothing")
    if isinstance(like, Decimal | int | float):
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number") from None
    return text


def outside_range(rows: Sequence[Row], column: str, low: str, high: str) -> list[Row]:
    """Rows whose `column` is null or not within [low, high], compared by the stored type."""
    outside = []
    for row in rows:
        value = row.get(column)
        if value is None:
            outside.append(row)
            continue
        number = Decimal(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        if not _typed(low, value) <= number <= _typed(high, value):
            outside.append(row)
    return outside


def count_per_partition(
    partitions: Mapping[str, Mapping[str, Any]], fields: Sequence[str]
) -> Counter[tuple[str, ...]]:
    """How many rows each partition holds (`partitions`: row key → its partition values)."""
    return Counter(tuple(str(partition.get(f)) for f in fields) for partition in partitions.values())


def golden_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The columns and rows of a golden CSV file (header first); cells as a feature writes them."""
    if not path.is_file():
        raise FileNotFoundError(f"no golden file at {path}")
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        header = [cell.strip() for cell in next(reader, [])]
        if not header:
            raise ValueError(f"{path} is empty: the first line names the columns")
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != len(header):
                raise ValueError(f"{path}:{number}: {len(cells)} cells, the header has {len(header)}")
            rows.append(dict(zip(header, (cell.strip() for cell in cells), strict=True)))
    return header, rows


def at_precision(row: Row, digits: int) -> dict[str, Any]:
    """The row with every timestamp cut to `digits` fractional digits of a second."""
    cut = 10 ** (6 - digits)
    return {
        key: value.replace(microsecond=value.microsecond - value.microsecond % cut)
        if isinstance(value, datetime)
        else value
        for key, value in row.items()
    }
