"""The fast lane in SQL: canonical payloads (producer/canonical.py) become table rows in the JVM.

A payload matching CANONICAL_PATTERN is valid by construction, and its values contain no `"`, so
each value is the text between the two markers value_markers() names, found with POSITION and LOCATE: plain
substring searches, no allocation (SPLIT_INDEX splits the whole payload on every call, and
REGEXP_EXTRACT compiles its pattern on every call in Flink 1.20 — both showed up under JFR).
The casts are exact for the shapes the pattern allows: a lower-case UUID,
`YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z` read in UTC (the job's session time zone), a plain
two-decimal amount.
"""

from __future__ import annotations

from producer.canonical import CANONICAL_PATTERN, value_markers


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_canonical_sql(text: str) -> str:
    """A BOOLEAN expression: the STRING expression `text` is a canonical payload."""
    # REGEXP finds the pattern anywhere (its compiled pattern is cached); the pattern's own ^ and $
    # make that a whole-text match.
    return f"REGEXP({text}, {sql_literal(CANONICAL_PATTERN)})"


def value_sql(text: str, field: str) -> str:
    """The value of `field` in the canonical payload `text` (1-based SQL positions)."""
    before, after = value_markers(field)
    start = f"POSITION({sql_literal(before)} IN {text}) + {len(before)}"
    # LOCATE from the value's start: the first `"` there closes the value ("}" alone also occurs
    # inside values, e.g. a user_id of "}").
    return f"SUBSTR({text}, {start}, LOCATE({sql_literal(after)}, {text}, {start}) - ({start}))"


def canonical_columns_sql(text: str, processed_at: str) -> dict[str, str]:
    """Column name → SQL expression of the table row, for a canonical payload `text`."""
    wall_clock = f"REPLACE(REPLACE({value_sql(text, 'event_time')}, 'T', ' '), 'Z', '')"
    return {
        "event_id": value_sql(text, "event_id"),
        "event_time": f"CAST(CAST({wall_clock} AS TIMESTAMP(6)) AS TIMESTAMP_LTZ(6))",
        "order_id": value_sql(text, "order_id"),
        "user_id": value_sql(text, "user_id"),
        "order_amount": f"CAST({value_sql(text, 'order_amount')} AS DECIMAL(12, 2))",
        "currency": value_sql(text, "currency"),
        "order_status": value_sql(text, "order_status"),
        "schema_version": value_sql(text, "schema_version"),
        "processed_at": processed_at,
    }
