"""Run by the Flink env's Python (see test_lanes_agree.py): the job's own views (order_ingest_job's
`define_views`: the Java functions, the Python `check_order` and PyFlink's coders) over the payloads
given on stdin (hex), in a local Flink, once with the fast lane and once without. Prints one JSON
line per output: {"lane": "fast"|"slow", "row": {...}} for a valid order, {"lane": ..., "dlq": "..."}
for a rejected one. Every value is cast to text in SQL, so nothing is converted on the way out."""

from __future__ import annotations

import json
import sys

from pyflink.common import Row, Types
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.table import DataTypes, Schema, StreamTableEnvironment

from pipeline.config import JobConfig
from pipeline.event_time import event_time_sql
from pipeline.jvm_functions import register_java_functions
from pipeline.order_ingest_job import create_environment, define_views

SETTINGS = {"KAFKA_BOOTSTRAP_SERVERS": "unused:9092", "ICEBERG_CATALOG_URI": "http://unused"}


def _source(env: StreamExecutionEnvironment, t_env: StreamTableEnvironment, payloads: list[bytes]) -> None:
    """`orders_source` as the job declares it, from a collection instead of Kafka: the offset
    of each payload is its index."""
    rows = [Row(offset, payload) for offset, payload in enumerate(payloads)]
    stream = env.from_collection(
        rows,
        type_info=Types.ROW_NAMED(["offset", "payload"], [Types.LONG(), Types.PRIMITIVE_ARRAY(Types.BYTE())]),
    )
    schema = (
        Schema.new_builder()
        .column("offset", DataTypes.BIGINT())
        .column("payload", DataTypes.BYTES())
        .column_by_expression("topic", "'probe'")
        .column_by_expression("partition", "CAST(0 AS INT)")
        .column_by_expression("headers", "CAST(NULL AS MAP<STRING, BYTES>)")
        .column_by_expression("proc_time", "PROCTIME()")
        .column_by_expression("event_rowtime", event_time_sql("payload", "TO_TIMESTAMP_LTZ(0, 3)", 2**62))
        .watermark("event_rowtime", "event_rowtime - INTERVAL '5' SECOND")
        .build()
    )
    t_env.create_temporary_view("orders_source", t_env.from_data_stream(stream, schema))


def run(payloads: list[bytes], fast_lane: bool) -> None:
    config = JobConfig.from_settings({**SETTINGS, "VALIDATION_FAST_LANE": str(fast_lane).lower()})
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    t_env = create_environment(config, env)
    register_java_functions(t_env)  # the source's rowtime reads json_instant
    _source(env, t_env, payloads)
    columns = define_views(t_env, config)
    lane = "fast" if fast_lane else "slow"
    as_text = ", ".join(f"CAST(`{name}` AS STRING)" for name in columns)
    with t_env.execute_sql(f"SELECT {as_text} FROM valid_orders").collect() as rows:
        for row in rows:
            print(json.dumps({"lane": lane, "row": dict(zip(columns, row, strict=True))}))
    with t_env.execute_sql("SELECT dlq FROM checked WHERE NOT ok").collect() as rows:
        for (dlq,) in rows:
            print(json.dumps({"lane": lane, "dlq": dlq}))


def main() -> None:
    payloads = [bytes.fromhex(text) for text in json.load(sys.stdin)]
    run(payloads, fast_lane=True)
    run(payloads, fast_lane=False)


if __name__ == "__main__":
    main()
