"""Event time for Flink's watermarks, computed in SQL on the source from `event_time`.

The contract parses `event_time` exactly (pipeline/validation.py); this SQL expression only has
to be good enough for watermarks: second precision, any ISO-8601 offset (`Z`, `+02:00`, `+0200`).
Flink SQL's TO_TIMESTAMP ignores offsets, so the offset is applied by hand. A record without a
readable event_time (it is headed for the DLQ) falls back to its Kafka timestamp, because a
rowtime must never be null.
"""

from __future__ import annotations

_OFFSET = "'([+-])([0-9]{2}):?([0-9]{2})$'"


def event_time_sql(document: str) -> str:
    """A TIMESTAMP_LTZ(3) expression of the `event_time` field of the JSON text `document`."""
    text = f"JSON_VALUE({document}, '$.event_time')"
    sign = f"CASE WHEN REGEXP_EXTRACT({text}, {_OFFSET}, 1) = '-' THEN -1 ELSE 1 END"
    minutes = f"CAST(REGEXP_EXTRACT({text}, {_OFFSET}, 2) AS INT) * 60 + CAST(REGEXP_EXTRACT({text}, {_OFFSET}, 3) AS INT)"
    offset = f"CASE WHEN {text} LIKE '%Z' THEN 0 ELSE ({sign}) * ({minutes}) END"
    wall_clock = f"TO_TIMESTAMP(REPLACE(SUBSTR({text}, 1, 19), 'T', ' '))"
    return f"CAST(TIMESTAMPADD(MINUTE, -({offset}), {wall_clock}) AS TIMESTAMP_LTZ(3))"


def watermark_delay_sql(max_out_of_orderness_ms: int) -> str:
    return f"INTERVAL '{max_out_of_orderness_ms / 1000:.3f}' SECOND"
