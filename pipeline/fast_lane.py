"""The fast lane in SQL: canonical payloads (producer/canonical.py) become table rows in the JVM.

`match_groups` (pipeline/jvm/) matches the payload's bytes against CANONICAL_PATTERN once and
returns its capture groups, one per field, or NULL when the payload is not canonical — then the
contract in Python decides (the slow lane). A match is valid by construction; the conversions
below are exact for the shapes the pattern allows: a lower-case UUID,
`YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z` (`iso_instant`), a plain two-decimal amount.
"""

from __future__ import annotations

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


def canonical_columns_sql(groups: str, processed_at: str) -> dict[str, str]:
    """Column name → SQL expression of the table row, from the `groups` of a canonical payload."""
    return {
        "event_id": _value(groups, "event_id"),
        "event_time": f"iso_instant({_value(groups, 'event_time')})",
        "order_id": _value(groups, "order_id"),
        "user_id": _value(groups, "user_id"),
        "order_amount": f"CAST({_value(groups, 'order_amount')} AS DECIMAL(12, 2))",
        "currency": _value(groups, "currency"),
        "order_status": _value(groups, "order_status"),
        "schema_version": _value(groups, "schema_version"),
        "processed_at": processed_at,
    }
