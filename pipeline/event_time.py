"""Event time for Flink's watermarks, computed in SQL on the source from `event_time`.

The contract parses `event_time` exactly (pipeline/validation.py); this SQL expression only has
to be good enough for watermarks: second precision, any ISO-8601 offset (`Z`, `+02:00`, `+0200`).
Flink SQL's TO_TIMESTAMP ignores offsets, so the offset is applied by hand. A record without a
readable event_time (it is headed for the DLQ) falls back to its Kafka timestamp, because a
rowtime must never be null.

It runs for every record, several times (the watermark generator, then each branch of the job:
Flink SQL has no common-subexpression reuse), so it reads the text with two small regular
expressions instead of JSON_VALUE: a JSON parse per reference made it the job's hottest code
(JFR, docs/pipeline.md). For a `Z` time the second one runs once and the offset arithmetic not at all.
"""

from __future__ import annotations

_FIELD = '"event_time"[ \\t\\r\\n]*:[ \\t\\r\\n]*"'
_WALL_CLOCK = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"


def event_time_sql(document: str) -> str:
    """A TIMESTAMP_LTZ(3) expression of the `event_time` field of the JSON text `document`."""
    wall_clock = f"REGEXP_EXTRACT({document}, '{_FIELD}({_WALL_CLOCK})', 1)"
    suffix = f"REGEXP_EXTRACT({document}, '{_FIELD}{_WALL_CLOCK}(?:[.][0-9]+)?(Z|[+-][0-9]{{2}}:?[0-9]{{2}})\"', 1)"
    sign = f"CASE WHEN SUBSTR({suffix}, 1, 1) = '-' THEN -1 ELSE 1 END"
    minutes = f"CAST(SUBSTR({suffix}, 2, 2) AS INT) * 60 + CAST(RIGHT({suffix}, 2) AS INT)"
    offset = f"CASE WHEN {suffix} = 'Z' THEN 0 ELSE ({sign}) * ({minutes}) END"
    local = f"TO_TIMESTAMP(REPLACE({wall_clock}, 'T', ' '))"
    return f"CAST(TIMESTAMPADD(MINUTE, -({offset}), {local}) AS TIMESTAMP_LTZ(3))"


def watermark_delay_sql(max_out_of_orderness_ms: int) -> str:
    return f"INTERVAL '{max_out_of_orderness_ms / 1000:.3f}' SECOND"
