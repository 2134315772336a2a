"""Event time for Flink's watermarks, read on the source from each payload's `event_time`.

The contract parses `event_time` exactly (pipeline/validation.py); watermarks only need an
instant per record, early and cheaply, for every record (valid or not). `json_instant`
(pipeline/jvm/) finds the field in the payload's bytes and reads it to the millisecond, any
ISO-8601 offset (`Z`, `+02:00`, `+0200`) applied. A record without a readable event_time (it is
headed for the DLQ) falls back to its Kafka timestamp, because a rowtime must never be null.
So does one dated more than WATERMARK_MAX_AHEAD_MS after its Kafka timestamp: a watermark never
goes back, and one record from year 9999 would otherwise make every later record late. The
record itself is stored with its own event_time all the same; only the watermark ignores it.
"""

from __future__ import annotations


def event_time_sql(payload: str, fallback: str, max_ahead_ms: int) -> str:
    """A TIMESTAMP_LTZ(3) expression: `event_time` of the BYTES expression `payload`, else (or
    when more than `max_ahead_ms` after it) `fallback`."""
    return f"json_instant({payload}, 'event_time', {fallback}, CAST({max_ahead_ms} AS BIGINT))"


def watermark_delay_sql(max_out_of_orderness_ms: int) -> str:
    return f"INTERVAL '{max_out_of_orderness_ms / 1000:.3f}' SECOND"
