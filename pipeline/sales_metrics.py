"""sales_metrics_job's configuration and SQL, free of pyflink so the unit tests read them as text.

The job counts what the ingest job would store: valid Order Created v1 events, read by the same
two lanes (pipeline/fast_lane.py's Java regex for canonical payloads, the contract in Python for
the rest). Everything else is Flink SQL: a hopping window TVF per currency.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.config import JobConfig, load_settings
from pipeline.fast_lane import canonical_columns_sql, canonical_groups_sql
from producer.markers import not_a_marker_sql

JOB_NAME = "sales_metrics_job"
WINDOW_SIZE = "INTERVAL '1' HOUR"
WINDOW_SLIDE = "INTERVAL '5' MINUTE"
# What an order contributes to the metrics; its event_time also checks the rowtime (see below).
ORDER_COLUMNS = ("event_time", "user_id", "order_amount", "currency")
# Keys whose default differs from the ingest job's; the environment still wins over these.
JOB_DEFAULTS = {"KAFKA_GROUP_ID": JOB_NAME, "ICEBERG_TABLE": "sales_metrics"}
OFFSET_RESETS = ("latest", "earliest")


@dataclass(frozen=True)
class SalesMetricsConfig:
    """The ingest job's keys (pipeline/config.py) with this job's defaults, plus where a consumer
    group without committed offsets starts: `latest` by default, because a metrics job deployed
    later than the topic's first orders counts from its deployment on (a backfill is `earliest`)."""

    job: JobConfig
    offset_reset: str = "latest"

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> SalesMetricsConfig:
        job = JobConfig.from_settings({**JOB_DEFAULTS, **settings})
        reset = settings.get("KAFKA_AUTO_OFFSET_RESET") or "latest"
        if reset not in OFFSET_RESETS:
            raise ValueError(f"KAFKA_AUTO_OFFSET_RESET={reset!r}: must be one of {', '.join(OFFSET_RESETS)}")
        # The ingest job's source DDL puts `kafka_properties` after its own options: this one wins.
        properties = {**job.kafka_properties, "auto.offset.reset": reset}
        return cls(dataclasses.replace(job, kafka_properties=properties), reset)

    @classmethod
    def load(cls) -> SalesMetricsConfig:
        return cls.from_settings(load_settings())


def records_view_sql(fast_lane: bool) -> str:
    """The source's records without the harness's event-time markers, which have moved the
    watermark by now and are no order; `groups`: a canonical payload's values (NULL: the slow lane)."""
    groups = canonical_groups_sql("payload") if fast_lane else "CAST(NULL AS ARRAY<STRING>)"
    return f"""
CREATE TEMPORARY VIEW records AS
SELECT payload, `topic`, `partition`, `offset`, event_rowtime, {groups} AS `groups`
FROM orders_source WHERE {not_a_marker_sql("headers")}"""


def valid_orders_view_sql(
    fast_lane: bool,
    checked_columns: Sequence[str],
    slow_columns: Mapping[str, str],
    columns: Sequence[str] = ORDER_COLUMNS,
) -> str:
    """`valid_orders`: event_rowtime plus `columns` (of the table row; ORDER_COLUMNS by default)
    of every record the contract accepts.

    A canonical payload's values come from its regex groups in the JVM; any other record goes
    through `check_order` (the contract, in Python; its output columns `checked_columns`, a table
    column's SQL over them in `slow_columns`: pipeline/udfs.py, passed in because it imports
    pyflink) and counts when it is `ok`. An order counts
    only when its rowtime is its own event_time (to the millisecond the rowtime keeps): the
    rowtime falls back to the Kafka timestamp for an event_time more than WATERMARK_MAX_AHEAD_MS
    ahead of it (pipeline/event_time.py), and such an order would land in windows it is not in.
    """
    fast = canonical_columns_sql("`groups`", "CAST(NULL AS TIMESTAMP_LTZ(6))")
    listed = ", ".join(f"`{c}`" for c in checked_columns)
    fast_lane_sql = (
        f"""SELECT event_rowtime, {", ".join(f"{fast[c]} AS `{c}`" for c in columns)}
FROM records WHERE `groups` IS NOT NULL
UNION ALL
"""
        if fast_lane
        else ""
    )
    return f"""
CREATE TEMPORARY VIEW valid_orders AS
SELECT * FROM (
{fast_lane_sql}SELECT r.event_rowtime, {", ".join(f"{slow_columns[c]} AS `{c}`" for c in columns)}
FROM (SELECT * FROM records WHERE `groups` IS NULL) AS r,
LATERAL TABLE(check_order(r.payload, r.`topic`, r.`partition`, r.`offset`)) AS c({listed})
WHERE c.ok
) WHERE event_time >= event_rowtime AND event_time < event_rowtime + INTERVAL '0.001' SECOND"""


def insert_metrics_sql(table_path: str) -> str:
    """One row per currency and window, appended when the watermark passes the window's end.

    Exact decimals throughout: the revenue is the sum of DECIMAL(12, 2) amounts; the average is
    that sum as DECIMAL(18, 2) divided by the count, whose quotient keeps 22 fractional digits
    (Flink's decimal division), so the final cast rounds half-up to the cent once, not twice.
    """
    revenue = "CAST(SUM(order_amount) AS DECIMAL(18, 2))"
    return f"""
INSERT INTO {table_path}
SELECT CAST(window_start AS TIMESTAMP_LTZ(6)), CAST(window_end AS TIMESTAMP_LTZ(6)), currency,
  {revenue}, COUNT(*), CAST({revenue} / COUNT(*) AS DECIMAL(18, 2)), COUNT(DISTINCT user_id)
FROM TABLE(HOP(TABLE valid_orders, DESCRIPTOR(event_rowtime), {WINDOW_SLIDE}, {WINDOW_SIZE}))
GROUP BY window_start, window_end, currency"""
