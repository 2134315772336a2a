"""sales_metrics_job: Kafka `orders.created.v1` → valid orders → sliding windows of event time (1 hour,
every 5 minutes) per currency → Iceberg `analytics.sales_metrics`.

Per window and currency: revenue (exact decimal), order count, average order value and unique
customers. A window is written once, when the watermark passes its end; what that means for late
orders is in docs/pipeline.md ("sales_metrics_job"). Configured by environment only, with the
ingest job's keys (pipeline/config.py) and this job's defaults (pipeline/sales_metrics.py).
Invalid records are not counted, and not dead-lettered either: the ingest job owns the DLQ.
"""

from __future__ import annotations

import logging

from pipeline.jvm_functions import register_java_functions
from pipeline.order_ingest_job import catalog_ddl, create_environment, source_ddl
from pipeline.sales_metrics import (
    JOB_NAME,
    SalesMetricsConfig,
    insert_metrics_sql,
    records_view_sql,
    valid_orders_view_sql,
)
from pipeline.start_offsets import start_reading
from pipeline.udfs import CHECKED_COLUMNS, checked_columns_sql, make_check_order

log = logging.getLogger(JOB_NAME)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    sales = SalesMetricsConfig.load()
    config = sales.job
    start_reading(JOB_NAME, sales, log)
    # The ingest job's environment: checkpoints, restarts, UTC, one shared `records` operator for
    # both lanes (its DEDUPE_TTL_MS state TTL comes along: a window's state is cleared by the
    # window operator when the window fires, long before).
    t_env = create_environment(config)
    t_env.get_config().set("pipeline.name", JOB_NAME)
    # No idle partitions, unlike the ingest job: while one partition is idle the watermark follows
    # the others, so an order arriving on it afterwards can be behind the watermark already and
    # be dropped by the windows, though it was on time in its own partition (the features lost
    # orders so, counted in the window operator's numLateRecordsDropped). A partition without
    # orders holds the windows back instead; docs/pipeline.md says what that costs.
    t_env.get_config().set("table.exec.source.idle-timeout", "0 ms")
    register_java_functions(t_env)  # json_instant (the rowtime), match_groups, iso_instant
    t_env.create_temporary_function("check_order", make_check_order(config.dlq_payload_max_bytes))
    t_env.execute_sql(source_ddl(config))
    t_env.execute_sql(catalog_ddl(config))
    t_env.execute_sql(records_view_sql(config.fast_lane))
    t_env.execute_sql(valid_orders_view_sql(config.fast_lane, CHECKED_COLUMNS, checked_columns_sql()))
    t_env.execute_sql(insert_metrics_sql(config.table_path))


if __name__ == "__main__":
    main()
