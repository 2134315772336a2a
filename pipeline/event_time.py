"""Event time for Flink's watermarks, computed in SQL on the source from `event_time`.

The contract parses `event_time` exactly (pipeline/validation.py); this SQL expression only has
to be good enough for watermarks: second precision, any ISO-8601 offset (`Z`, `+02:00`, `+0200`).
Flink SQL's TO_TIMESTAMP ignores offsets, so the offset is applied by hand. A record without a
readable event_time (it is headed for the DLQ) falls back to its Kafka timestamp, because a
rowtime must never be null.

It runs for every record, several times (the watermark generator, then each branch of the job:
Flink SQL has no common-subexpression reuse), so it finds the value with plain substring searches
(POSITION, LOCATE): JSON_VALUE parses the whole document per reference and REGEXP_EXTRACT compiles
its pattern per call in Flink 1.20; both were the job's hottest code under JFR (docs/pipeline.md).
"""

from __future__ import annotations

_KEY = '"event_time"'


def event_time_sql(document: str) -> str:
    """A TIMESTAMP_LTZ(3) expression of the `event_time` field of the JSON text `document`."""
    key_at = f"POSITION('{_KEY}' IN {document})"
    opening = f"LOCATE('\"', {document}, {key_at} + {len(_KEY)})"  # past the colon and spaces
    closing = f"LOCATE('\"', {document}, {opening} + 1)"
    text = f"SUBSTR({document}, {opening} + 1, {closing} - {opening} - 1)"
    zone = f"RIGHT(REPLACE(RIGHT({text}, 6), ':', ''), 5)"  # +02:00 and +0200 both become +0200
    sign = f"CASE WHEN SUBSTR({zone}, 1, 1) = '-' THEN -1 ELSE 1 END"
    minutes = f"TRY_CAST(SUBSTR({zone}, 2, 2) AS INT) * 60 + TRY_CAST(SUBSTR({zone}, 4, 2) AS INT)"
    last_char = f"SUBSTR({document}, {closing} - 1, 1)"
    offset = f"CASE WHEN {last_char} = 'Z' THEN 0 WHEN SUBSTR({zone}, 1, 1) IN ('+', '-') THEN ({sign}) * ({minutes}) END"
    local = f"TO_TIMESTAMP(REPLACE(SUBSTR({document}, {opening} + 1, 19), 'T', ' '))"
    found = f"{key_at} > 0"
    return f"CASE WHEN {found} THEN CAST(TIMESTAMPADD(MINUTE, -({offset}), {local}) AS TIMESTAMP_LTZ(3)) END"


def watermark_delay_sql(max_out_of_orderness_ms: int) -> str:
    return f"INTERVAL '{max_out_of_orderness_ms / 1000:.3f}' SECOND"
