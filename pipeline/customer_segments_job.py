"""customer_segments_job: Kafka `orders.created.v1` → valid orders → per user: recency, frequency,
monetary and a segment (New, Regular, VIP, At-Risk, Churned) → Iceberg `analytics.customer_segments`,
one current row per user (format v2, upserts by user_id: equality deletes).

Orders are read and validated with the sales job's views (the ingest job's source, watermark and
contract; every record through the contract's `check_order`, one lane: see `main`); a record that
is no valid order, and every event-time marker, is skipped: dead-lettering is order_ingest_job's
job. The segments are a Python KeyedProcessFunction with event-time timers, the one thing SQL
cannot say here (pipeline/segments/function.py). Configured by environment (pipeline/config.py's
keys, KAFKA_AUTO_OFFSET_RESET as the sales job, SOURCE_IDLE_TIMEOUT as the alerts job).
"""

from __future__ import annotations

import logging
import os

from pyflink.common import Types
from pyflink.table import Schema, StreamTableEnvironment

from pipeline.config import load_settings
from pipeline.jvm_functions import register_java_functions
from pipeline.order_ingest_job import catalog_ddl, create_environment, source_ddl
from pipeline.sales_metrics import SalesMetricsConfig, records_view_sql, valid_orders_view_sql
from pipeline.segments.function import INPUT_COLUMNS, OUTPUT_TYPE, SegmentCustomers
from pipeline.start_offsets import start_reading
from pipeline.udfs import CHECKED_COLUMNS, checked_columns_sql, make_check_order

JOB_NAME = "customer_segments_job"
# The sales job's reader configuration (the ingest job's keys, a new group starting at the latest
# offset) with this job's own defaults; the environment still wins over these.
JOB_DEFAULTS = {"KAFKA_GROUP_ID": JOB_NAME, "ICEBERG_TABLE": "customer_segments"}
ROWTIME = "segment_rowtime"
log = logging.getLogger(JOB_NAME)


def orders_sql() -> str:
    """The function's input: instants and amounts as exact text (PyFlink's own coders go through
    floats for instants), read back exactly by pipeline/segments/state.py."""
    as_text = {"event_time", "order_amount"}
    selected = [f"CAST(`{c}` AS STRING) AS `{c}`" if c in as_text else f"`{c}`" for c in INPUT_COLUMNS]
    return f"SELECT {', '.join(selected)} FROM valid_orders"


def insert_segments_sql(table_path: str) -> str:
    """Every changed customer row into the table; the table's upsert mode (write.upsert.enabled,
    identifier field user_id) turns each into a delete of the user's old row plus the new one."""
    instant = "CAST(TO_TIMESTAMP_LTZ({}, 3) AS TIMESTAMP_LTZ(6))"
    return f"""
INSERT INTO {table_path}
SELECT user_id, segment, {instant.format("recency_ms")}, frequency,
  CAST(monetary AS DECIMAL(18, 2)), {instant.format("segment_since_ms")}
FROM segment_rows"""


def build(t_env: StreamTableEnvironment, segments: SalesMetricsConfig) -> None:
    config = segments.job
    register_java_functions(t_env)  # json_instant (the rowtime), iso_instant
    t_env.create_temporary_function("check_order", make_check_order(config.dlq_payload_max_bytes))
    t_env.execute_sql(source_ddl(config))
    t_env.execute_sql(catalog_ddl(config))
    # One lane, every record through the contract in Python (as order_alerts_job): two lanes merged
    # again let the JVM lane's watermark overtake orders still in the Python lane, and a timer
    # would then fire before an order that was on time.
    t_env.execute_sql(records_view_sql(fast_lane=False))
    t_env.execute_sql(
        valid_orders_view_sql(False, CHECKED_COLUMNS, checked_columns_sql(), columns=INPUT_COLUMNS)
    )
    rows = (
        t_env.to_data_stream(t_env.sql_query(orders_sql()))
        .key_by(lambda order: order[0], key_type=Types.STRING())
        .process(SegmentCustomers(config.dedupe_ttl_ms), output_type=OUTPUT_TYPE)
        .name("segment customers")
        .uid("segment-customers")
    )
    # The rows' event time, and the watermarks of the stream (SOURCE_WATERMARK): without them the
    # table API stops the watermark here, and the sink's tasks never see event time move on.
    rowtime = (
        Schema.new_builder()
        .column_by_expression(ROWTIME, "TO_TIMESTAMP_LTZ(segment_since_ms, 3)")
        .watermark(ROWTIME, "SOURCE_WATERMARK()")
        .build()
    )
    t_env.create_temporary_view("segment_rows", t_env.from_data_stream(rows, rowtime))
    t_env.execute_sql(insert_segments_sql(config.table_path))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    segments = SalesMetricsConfig.from_settings({**JOB_DEFAULTS, **load_settings()})
    start_reading(JOB_NAME, segments, log)
    t_env = create_environment(segments.job)
    t_env.get_config().set("pipeline.name", JOB_NAME)
    # The Python function keeps what it is given in state: no object reuse (the ingest job's
    # reasoning for it covers its own operators only).
    t_env.get_config().set("pipeline.object-reuse", "false")
    # No idle partitions by default, as the other stateful jobs: an idle partition would let the
    # watermark run ahead of orders still to come on it, and fire their customers' timers early.
    t_env.get_config().set("table.exec.source.idle-timeout", os.environ.get("SOURCE_IDLE_TIMEOUT", "0 ms"))
    build(t_env, segments)


if __name__ == "__main__":
    main()
