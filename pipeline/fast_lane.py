"""The fast lane in SQL: canonical payloads (producer/canonical.py) become table rows in the JVM.

`match_groups` (pipeline/jvm/) matches the payload's bytes against CANONICAL_PATTERN once and
returns its capture groups, one per field, or NULL when the payload is not canonical — then the
contract in Python decides (the slow lane). A match is valid by construction; the conversions
below are exact for the shapes the pattern allows: a lower-case UUID,
`YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z` (`iso_instant`), a plain two-decimal amount.
"""

from __future__ import annotations

from pipeline.row_spec import PROCESSED_AT, Column, columns
from producer.canonical import CANONICAL_PATTERN, group_of
from producer.contract import MAX_PAYLOAD_BYTES


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def canonical_groups_sql(payload: str) -> str:
    """An ARRAY<STRING> expression: the values of the BYTES expression `payload` if it is a
    canonical payload within the contract's size limit, else NULL."""
    return f"match_groups({payload}, {sql_literal(CANONICAL_PATTERN)}, {MAX_PAYLOAD_BYTES})"


def _value(groups: str, field: str) -> str:
    return f"{groups}[{group_of(field)}]"


def _column_sql(column: Column, groups: str) -> str:
    """A column's value from its capture group, converted to the column's type."""
    value = _value(groups, column.name)
    if column.is_instant:
        return f"iso_instant({value})"
    if column.flink_type.startswith("DECIMAL"):
        return f"CAST({value} AS {column.flink_type})"
    return value


def canonical_columns_sql(groups: str, processed_at: str) -> dict[str, str]:
    """Column name → SQL expression of the table row, from the `groups` of a canonical payload:
    every column of the table's definition, in table order; `processed_at` is the caller's."""
    return {
        column.name: processed_at if column.name == PROCESSED_AT else _column_sql(column, groups)
        for column in columns()
    }
