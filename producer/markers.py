"""Records every job ignores by contract, because the test harness writes them into its topics.

An *event-time marker* moves a job's watermark without being data: the harness publishes one into
each partition of a topic (`When event time advances to "…" on every partition of "…"`), carrying
the instant where the topic's events carry their event time (its declared `event_time_field`),
and this header. A job reads the header as Kafka metadata and drops the record right after its
watermark is assigned:

    headers MAP<STRING, BYTES> METADATA VIRTUAL,   -- in the source table
    ... WHERE headers['orderflow-marker'] IS NULL  -- before anything else reads it
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

MARKER_HEADER = "orderflow-marker"
EVENT_TIME_MARKER = b"event-time"


def not_a_marker_sql(headers_column: str = "headers") -> str:
    """The Flink SQL condition that keeps a record only when it is not a marker."""
    return f"{headers_column}['{MARKER_HEADER}'] IS NULL"


def event_time_marker(event_time_field: str, moment: datetime) -> tuple[bytes, tuple[tuple[str, bytes], ...]]:
    """The value and headers of a marker that moves a job's watermark to `moment` (UTC, ms)."""
    instant = moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({event_time_field: instant}).encode(), ((MARKER_HEADER, EVENT_TIME_MARKER),)
