"""The fast lane in SQL: canonical payloads (producer/canonical.py) become table rows in the JVM.

A payload matching CANONICAL_PATTERN is valid by construction, and its values contain no `"`,
so SPLIT_INDEX on `"` reads each one where split_position() says. The casts are exact for the
shapes the pattern allows: a lower-case UUID, `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z` read in UTC
(the job's session time zone), a plain two-decimal amount.
"""

from __future__ import annotations

from producer.canonical import CANONICAL_FIELDS, CANONICAL_PATTERN, split_position


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_canonical_sql(text: str) -> str:
    """A BOOLEAN expression: the STRING expression `text` is a canonical payload."""
    # REGEXP finds the pattern anywhere; the pattern's own ^ and $ make that a whole-text match.
    return f"REGEXP({text}, {sql_literal(CANONICAL_PATTERN)})"


def _value(text: str, field: str) -> str:
    return f"{text}[{[n for n, _ in CANONICAL_FIELDS].index(field) + 1}]"


def canonical_columns_sql(text: str, processed_at: str) -> dict[str, str]:
    """Column name → SQL expression of the table row, for a canonical payload `text`."""
    wall_clock = f"REPLACE(REPLACE({_value(text, 'event_time')}, 'T', ' '), 'Z', '')"
    return {
        "event_id": _value(text, "event_id"),
        "event_time": f"iso_instant({_value(text, 'event_time')})",
        "order_id": _value(text, "order_id"),
        "user_id": _value(text, "user_id"),
        "order_amount": f"CAST({_value(text, 'order_amount')} AS DECIMAL(12, 2))",
        "currency": _value(text, "currency"),
        "order_status": _value(text, "order_status"),
        "schema_version": _value(text, "schema_version"),
        "processed_at": processed_at,
    }
