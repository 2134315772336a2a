"""Event time for Flink's watermarks, computed in SQL on the source from `event_time`.

The contract parses `event_time` exactly (pipeline/validation.py); this SQL expression only has
to be good enough for watermarks: second precision, any ISO-8601 offset (`Z`, `+02:00`, `+0200`).
Flink SQL's TO_TIMESTAMP ignores offsets, so the offset is applied by hand; the producer's own
layout is read at a fixed place without parsing the JSON. A record without a
readable event_time (it is headed for the DLQ) falls back to its Kafka timestamp, because a
rowtime must never be null.
"""

from __future__ import annotations

from producer.canonical import EVENT_ID_HEAD, EVENT_TIME_HEAD, EVENT_TIME_VALUE_AT

_OFFSET = "'([+-])([0-9]{2}):?([0-9]{2})$'"


def _fixed_place_sql(document: str) -> tuple[str, str]:
    """(condition, value) reading event_time where the canonical layout puts it (it ends in Z after
    19, 23 or 26 characters): SUBSTR only, so the watermark of producer-shaped records costs no
    JSON parse (it runs for every record)."""

    def at(position: int, text: str) -> str:
        return f"SUBSTR({document}, {position}, {len(text)}) = '{text}'"

    seconds_end = EVENT_TIME_VALUE_AT + 19  # just past YYYY-MM-DDTHH:MM:SS
    zulu_ends = " OR ".join(at(seconds_end + fraction, 'Z"') for fraction in (0, 4, 7))
    head = at(EVENT_TIME_VALUE_AT - len(EVENT_TIME_HEAD), EVENT_TIME_HEAD)
    condition = f"{at(1, EVENT_ID_HEAD)} AND {head} AND ({zulu_ends})"
    value = f"CAST(TO_TIMESTAMP(REPLACE(SUBSTR({document}, {EVENT_TIME_VALUE_AT}, 19), 'T', ' ')) AS TIMESTAMP_LTZ(3))"
    return condition, value


def event_time_sql(document: str) -> str:
    """A TIMESTAMP_LTZ(3) expression of the `event_time` field of the JSON text `document`."""
    condition, value = _fixed_place_sql(document)
    return f"CASE WHEN {condition} THEN {value} ELSE {_any_place_sql(document)} END"


def _any_place_sql(document: str) -> str:
    text = f"JSON_VALUE({document}, '$.event_time')"
    sign = f"CASE WHEN REGEXP_EXTRACT({text}, {_OFFSET}, 1) = '-' THEN -1 ELSE 1 END"
    minutes = f"CAST(REGEXP_EXTRACT({text}, {_OFFSET}, 2) AS INT) * 60 + CAST(REGEXP_EXTRACT({text}, {_OFFSET}, 3) AS INT)"
    offset = f"CASE WHEN {text} LIKE '%Z' THEN 0 ELSE ({sign}) * ({minutes}) END"
    wall_clock = f"TO_TIMESTAMP(REPLACE(SUBSTR({text}, 1, 19), 'T', ' '))"
    return f"CAST(TIMESTAMPADD(MINUTE, -({offset}), {wall_clock}) AS TIMESTAMP_LTZ(3))"


def watermark_delay_sql(max_out_of_orderness_ms: int) -> str:
    return f"INTERVAL '{max_out_of_orderness_ms / 1000:.3f}' SECOND"
