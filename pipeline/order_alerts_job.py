"""order_alerts_job: Kafka `orders.created.v1` → the rules of pipeline/alerting_rules.yaml →
alerts to Kafka `orders.alerts.v1` (JSON, exactly-once) and Iceberg `analytics.order_alerts`.

Valid Order Created v1 events only, read and validated with the ingest job's own building blocks
(its source's event time and watermark, the contract's `check_order`); a record that is no
valid order is skipped here: dead-lettering it is order_ingest_job's job. Configured by
environment (pipeline/config.py's keys, plus ALERTING_RULES_FILE, ALERTS_TOPIC, ALERTS_TABLE).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pyflink.table import StreamTableEnvironment

from pipeline.alerts.rules import DEFAULT_RULES_FILE, Rules, load_rules
from pipeline.alerts.sql import ALERT_COLUMNS, alerts_sql
from pipeline.config import JobConfig
from pipeline.jvm_functions import register_java_functions
from pipeline.order_ingest_job import _with_options, catalog_ddl, create_environment
from pipeline.order_ingest_job import source_ddl as ingest_source_ddl
from pipeline.start_offsets import pin_latest
from pipeline.udfs import CHECKED_COLUMNS, checked_columns_sql, make_check_order
from producer.markers import not_a_marker_sql

JOB_NAME = "order_alerts_job"
ORDER_COLUMNS = ["event_id", "event_time", "order_id", "user_id", "order_amount", "currency"]
# Kafka transactions must outlive a checkpoint interval plus a restart, and stay under the
# broker's transaction.max.timeout.ms (15 min by default; Flink's own default of 1 h is refused).
TRANSACTION_TIMEOUT_MS = 600_000
EARLIEST = "'properties.auto.offset.reset' = 'earliest'"
log = logging.getLogger(JOB_NAME)


def source_ddl(config: JobConfig) -> str:
    """The ingest job's source table `orders_source` (raw bytes, its event time and watermark), with
    one option changed: a new consumer group starts at the latest offset, not the earliest. Alerts
    are about orders from now on, and a job deployed onto a busy topic must not replay its
    history into a watermark that only moves forward."""
    ddl = ingest_source_ddl(config)
    if EARLIEST not in ddl:
        raise RuntimeError(f"the ingest job's source no longer says {EARLIEST}: update {JOB_NAME}")
    return ddl.replace(EARLIEST, "'properties.auto.offset.reset' = 'latest'")


def topic_sink_ddl(config: JobConfig, topic: str) -> str:
    options = {
        "connector": "kafka",
        "topic": topic,
        "properties.bootstrap.servers": config.kafka_bootstrap,
        "format": "json",
        "json.timestamp-format.standard": "ISO-8601",
        # Records are written in a Kafka transaction committed with the checkpoint: a consumer
        # reading committed records sees each alert once, across restarts.
        "sink.delivery-guarantee": "exactly-once",
        "sink.transactional-id-prefix": f"{config.group_id}-alerts",
        "properties.transaction.timeout.ms": str(TRANSACTION_TIMEOUT_MS),
        **{f"properties.{k}": v for k, v in config.kafka_properties.items()},
    }
    columns = ",\n".join(f"  `{name}` {sql_type}" for name, sql_type in ALERT_COLUMNS)
    return f"CREATE TEMPORARY TABLE alerts_topic (\n{columns}\n) WITH (\n{_with_options(options)}\n)"


def define_orders(t_env: StreamTableEnvironment, config: JobConfig) -> None:
    """The view `alert_orders`: every valid order, with the source's rowtime and proc_time.

    Every record goes through the contract's `check_order` (the ingest job's slow lane), none
    through its fast lane: two lanes merged again inside one chained task forward the watermark
    of the quicker (JVM) lane while the Python lane still holds its records, which then reach the
    rapid-orders window behind its watermark (seen here: a window fired without the order that
    belonged in it). One lane keeps records and watermark in order; alerts need a few thousand
    orders a second, not the ingest job's 40,000.

    `late`: behind the watermark when read (null before the first watermark: nothing is late yet),
    decided here, before the Python lane, as the ingest job does."""
    t_env.create_temporary_function("check_order", make_check_order(config.dlq_payload_max_bytes))
    checked_columns = ", ".join(f"`{c}`" for c in CHECKED_COLUMNS)
    slow = checked_columns_sql()
    t_env.execute_sql(f"""
CREATE TEMPORARY VIEW alert_orders AS
SELECT r.proc_time, r.event_rowtime, r.late, {", ".join(f"{slow[name]} AS `{name}`" for name in ORDER_COLUMNS)}
FROM (
  SELECT *, COALESCE(event_rowtime < CURRENT_WATERMARK(event_rowtime), FALSE) AS late
  FROM orders_source WHERE {not_a_marker_sql("headers")}
) AS r,
LATERAL TABLE(check_order(r.payload, r.`topic`, r.`partition`, r.`offset`)) AS c({checked_columns})
WHERE c.ok""")


def build(t_env: StreamTableEnvironment, config: JobConfig, rules: Rules, topic: str, table: str):  # type: ignore[no-untyped-def]
    register_java_functions(t_env)  # the source's rowtime reads json_instant
    t_env.execute_sql(source_ddl(config))
    t_env.execute_sql(topic_sink_ddl(config, topic))
    t_env.execute_sql(catalog_ddl(config))
    define_orders(t_env, config)
    t_env.execute_sql(f"CREATE TEMPORARY VIEW alerts AS\n{alerts_sql(rules)}")
    columns = ", ".join(f"`{name}`" for name, _ in ALERT_COLUMNS)
    statements = t_env.create_statement_set()
    statements.add_insert_sql(f"INSERT INTO alerts_topic SELECT {columns} FROM alerts")
    statements.add_insert_sql(
        f"INSERT INTO `{config.catalog.name}`.`{config.database}`.`{table}` SELECT {columns} FROM alerts"
    )
    return statements


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    # Read first: a bad rules file stops the job before it touches Kafka or the catalog.
    rules = load_rules(Path(os.environ.get("ALERTING_RULES_FILE") or DEFAULT_RULES_FILE))
    config = JobConfig.load()
    topic = os.environ.get("ALERTS_TOPIC", "orders.alerts.v1")
    table = os.environ.get("ALERTS_TABLE", "order_alerts")
    log.info(
        "starting %s: %s → %s, %s.%s; rules on: %s",
        JOB_NAME,
        config.orders_topic,
        topic,
        config.database,
        table,
        ", ".join(rules.enabled()),
    )
    # A new group starts at the latest offset (source_ddl), resolved now rather than at the
    # reader's first fetch: the orders of a scenario published as the job starts are read.
    pin_latest(config, log)
    t_env = create_environment(config)
    # create_environment is the ingest job's: this job's own name, and no object reuse (the OVER
    # windows keep rows in state; the ingest job's reasoning for reuse does not cover them).
    t_env.get_config().set("pipeline.name", JOB_NAME)
    t_env.get_config().set("pipeline.object-reuse", "false")
    # No idle partitions (the ingest job's is 10 s): with one, the watermark follows the busy
    # partitions alone, and a burst spread over partitions makes the orders of the partition read
    # last late, so they are missing from the windows (seen: 2 of 7 orders of a scenario). The
    # price: a partition with no orders at all holds the windowed rules back; SOURCE_IDLE_TIMEOUT
    # (e.g. "30 s") trades that for the lateness above.
    t_env.get_config().set("table.exec.source.idle-timeout", os.environ.get("SOURCE_IDLE_TIMEOUT", "0 ms"))
    build(t_env, config, rules, topic, table).execute()


if __name__ == "__main__":
    main()
