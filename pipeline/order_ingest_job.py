"""order_ingest_job: Kafka `orders.created.v1` → validate → DLQ | analytics.orders (Iceberg).

Submitted from the working tree (`analytics-stack submit`), configured by environment only
(pipeline/config.py). Exactly-once into Iceberg: the sink commits on checkpoint completion.
"""

from __future__ import annotations

import logging

from pyflink.common import Configuration
from pyflink.common.restart_strategy import RestartStrategies
from pyflink.datastream import CheckpointingMode, StreamExecutionEnvironment
from pyflink.table import StreamTableEnvironment

from pipeline.config import JobConfig
from pipeline.event_time import event_time_sql, watermark_delay_sql
from pipeline.fast_lane import canonical_columns_sql, canonical_groups_sql
from pipeline.jvm_functions import register_java_functions
from pipeline.table import ensure_table, flink_columns
from pipeline.udfs import CHECKED_COLUMNS, checked_columns_sql, make_check_order
from producer.markers import not_a_marker_sql

JOB_NAME = "order_ingest_job"
log = logging.getLogger(JOB_NAME)


def _with_options(options: dict[str, str]) -> str:
    return ",\n".join(f"  '{key}' = '{value}'" for key, value in options.items())


def source_options(config: JobConfig, **format_options: str) -> dict[str, str]:
    """The Kafka source's options: the orders topic, the group and where it starts."""
    return {
        "connector": "kafka",
        "topic": config.orders_topic,
        "properties.bootstrap.servers": config.kafka_bootstrap,
        "properties.group.id": config.group_id,
        "scan.startup.mode": config.starting_offsets,
        "properties.auto.offset.reset": "earliest",
        **format_options,
        **{f"properties.{k}": v for k, v in config.kafka_properties.items()},
    }


def source_ddl(config: JobConfig) -> str:
    # Raw bytes, not the JSON format: a record that is not JSON (or not UTF-8) must reach the
    # validator and the DLQ, never fail the source.
    options = source_options(config, format="raw")
    return f"""
CREATE TEMPORARY TABLE orders_source (
  payload BYTES,
  `topic` STRING METADATA VIRTUAL,
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  kafka_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  headers MAP<STRING, BYTES> METADATA VIRTUAL,
  proc_time AS PROCTIME(),
  event_rowtime AS {event_time_sql("payload", "kafka_time", config.watermark_max_ahead_ms)},
  WATERMARK FOR event_rowtime AS event_rowtime - {watermark_delay_sql(config.watermark_max_out_of_orderness_ms)}
) WITH (
{_with_options(options)}
)"""


def dlq_ddl(config: JobConfig) -> str:
    options = {
        "connector": "kafka",
        "topic": config.dlq_topic,
        "properties.bootstrap.servers": config.kafka_bootstrap,
        "format": "raw",
        "sink.delivery-guarantee": "at-least-once",
        # On purpose, with DLQ_PAYLOAD_MAX_BYTES (pipeline/config.py checks the two together):
        # every dead-letter record fits in one request, whatever payload it copies.
        "properties.max.request.size": str(config.dlq_max_request_bytes),
        **{f"properties.{k}": v for k, v in config.kafka_properties.items()},
    }
    return f"CREATE TEMPORARY TABLE orders_dlq (record STRING) WITH (\n{_with_options(options)}\n)"


def catalog_ddl(config: JobConfig) -> str:
    return f"CREATE CATALOG `{config.catalog.name}` WITH (\n{_with_options(config.catalog.properties())}\n)"


def define_views(t_env: StreamTableEnvironment, config: JobConfig) -> list[str]:
    """Register the functions and the views both lanes make of `orders_source`; return the
    table's columns in order. Ends in `valid_orders` (rows for the table) and `checked`
    (whose `dlq` column holds the dead-letter records).

    records ─┬─ canonical ─ fast lane (Java) ───────────┬─ valid_orders
             └─ the rest ─ check_order (Python) ─┬─ valid ┘
                                                 └─ invalid ─ DLQ
    """
    register_java_functions(t_env)
    t_env.create_temporary_function("check_order", make_check_order(config.dlq_payload_max_bytes))
    # Event-time markers of the test harness (producer/markers.py) have moved the watermark by
    # now: they are no order, and go neither to the table nor to the DLQ.
    # Everything both lanes read is computed here, once per record (see create_environment):
    # the canonical payload's values (NULL: the slow lane) and whether it is late, i.e. behind
    # Flink's own watermark (null before the first one: nothing is late yet).
    groups = canonical_groups_sql("payload") if config.fast_lane else "CAST(NULL AS ARRAY<STRING>)"
    t_env.execute_sql(f"""
CREATE TEMPORARY VIEW records AS
SELECT payload, `topic`, `partition`, `offset`, proc_time, {groups} AS `groups`,
  COALESCE(event_rowtime < CURRENT_WATERMARK(event_rowtime), FALSE) AS late
FROM orders_source WHERE {not_a_marker_sql("headers")}""")
    checked_columns = ", ".join(f"`{c}`" for c in CHECKED_COLUMNS)
    t_env.execute_sql(f"""
CREATE TEMPORARY VIEW checked AS
SELECT r.proc_time, r.late, c.* FROM (SELECT * FROM records WHERE `groups` IS NULL) AS r,
LATERAL TABLE(check_order(r.payload, r.`topic`, r.`partition`, r.`offset`)) AS c({checked_columns})""")
    table_columns = [name for name, _ in flink_columns()]
    slow_columns = checked_columns_sql()
    fast_columns = canonical_columns_sql("`groups`", "CAST(CURRENT_TIMESTAMP AS TIMESTAMP_LTZ(6))")
    # With the fast lane off it is not in the plan at all. That is a different plan: a redeploy
    # that switches VALIDATION_FAST_LANE cannot take the old dedupe and commit state
    # (fixtures/redeploy.py refuses it unless --allow-state-loss).
    fast_lane = (
        f"""SELECT proc_time, late, {", ".join(f"{fast_columns[name]} AS `{name}`" for name in table_columns)}
FROM records WHERE `groups` IS NOT NULL
UNION ALL
"""
        if config.fast_lane
        else ""
    )
    t_env.execute_sql(f"""
CREATE TEMPORARY VIEW valid_orders AS
{fast_lane}SELECT proc_time, late, {", ".join(f"{slow_columns[name]} AS `{name}`" for name in table_columns)}
FROM checked WHERE ok""")
    return table_columns


def build(t_env: StreamTableEnvironment, config: JobConfig):  # type: ignore[no-untyped-def]
    """Source, sinks and views; return the statement set to run: the valid orders, first
    arrival of each event_id only, into Iceberg; the rejected records into the DLQ."""
    register_java_functions(t_env)  # the source's rowtime reads json_instant
    t_env.execute_sql(source_ddl(config))
    t_env.execute_sql(dlq_ddl(config))
    t_env.execute_sql(catalog_ddl(config))
    listed = ", ".join(f"`{name}`" for name in define_views(t_env, config))
    statements = t_env.create_statement_set()
    # Keep the first arrival of each event_id: a running count per event_id is append-only (the
    # table stays append-only) and, unlike ROW_NUMBER deduplication, lets `tally` count what it
    # drops. The counts live in state for DEDUPE_TTL_MS (table.exec.state.ttl), docs/pipeline.md.
    statements.add_insert_sql(f"""
INSERT INTO {config.table_path}
SELECT {listed} FROM (
  SELECT *, COUNT(*) OVER (
    PARTITION BY event_id ORDER BY proc_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS seen
  FROM valid_orders
) WHERE tally(late, seen)""")
    statements.add_insert_sql("INSERT INTO orders_dlq SELECT dlq FROM checked WHERE NOT ok")
    return statements


def create_environment(
    config: JobConfig, env: StreamExecutionEnvironment | None = None
) -> StreamTableEnvironment:
    env = env or StreamExecutionEnvironment.get_execution_environment()
    env.enable_checkpointing(config.checkpoint_interval_ms, CheckpointingMode.EXACTLY_ONCE)
    env.set_restart_strategy(
        RestartStrategies.fixed_delay_restart(config.restart_attempts, config.restart_delay_ms)
    )
    if config.parallelism:
        env.set_parallelism(config.parallelism)
    t_env = StreamTableEnvironment.create(env)
    settings = Configuration()
    settings.set_string("pipeline.name", JOB_NAME)
    settings.set_string("table.local-time-zone", "UTC")
    settings.set_string("table.exec.state.ttl", f"{config.dedupe_ttl_ms} ms")
    # A partition without records would hold the watermark back for ever.
    settings.set_string("table.exec.source.idle-timeout", "10 s")
    settings.set_string("python.execution-mode", config.python_execution_mode)
    # Both sinks read `records`: optimized as one block, it becomes one operator whose output
    # both lanes share. Otherwise the planner merges the view into each lane's own projection
    # and runs match_groups and json_instant once per lane (bench: 38k → 51k rows/s at p2).
    settings.set_string("table.optimizer.reuse-optimize-block-with-digest-enabled", "true")
    # Chained operators hand rows over without a defensive copy. Safe here: Flink's SQL
    # operators (the planner turns it on for batch jobs) and the Python operator copy what they
    # keep, match_groups' values are views of a payload that is never reused, and the Iceberg
    # writer gets its rows through a network exchange (deserialized anew).
    settings.set_string("pipeline.object-reuse", "true")
    t_env.get_config().add_configuration(settings)
    return t_env


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    config = JobConfig.load()
    log.info(
        "starting %s (%s): %s → %s, DLQ %s",
        JOB_NAME,
        config.deployment_env,
        config.orders_topic,
        config.table_path,
        config.dlq_topic,
    )
    if ensure_table(config):
        log.info("created table %s.%s", config.database, config.table)
    t_env = create_environment(config)
    build(t_env, config).execute()


if __name__ == "__main__":
    main()
