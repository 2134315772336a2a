"""The passthrough ceiling of `make bench`: Kafka → Iceberg with no validation, no dedupe, no DLQ
and no watermark. Each record is read by Flink's JSON format and written as the ingest job's row
(same table definition, same environment: checkpoints, object reuse, Iceberg writer), so
order_ingest_job's rows/s over this job's, in the same run, is the cost of what the job adds.

Configured as the ingest job is (pipeline/config.py: ORDERS_TOPIC, ICEBERG_TABLE, PARALLELISM,
CHECKPOINT_INTERVAL_MS, …). Submitted by bench/sections/throughput.py, never declared: no test
or user runs it.
"""

from __future__ import annotations

from pipeline.config import JobConfig
from pipeline.jvm_functions import register_java_functions
from pipeline.order_ingest_job import _with_options, catalog_ddl, create_environment, source_options
from pipeline.table import ensure_table, flink_columns
from pipeline.udfs import INSTANT

JOB_NAME = "bench_passthrough_job"


def source_ddl(config: JobConfig) -> str:
    # The ingest job's source options; JSON instead of raw bytes, and whatever it cannot read is
    # skipped: the ceiling never fails, it only reads.
    options = source_options(config, **{"format": "json", "json.ignore-parse-errors": "true"})
    # Every field as text: instants then go through the job's own `iso_instant`, amounts a CAST.
    fields = ",\n".join(f"  `{name}` STRING" for name, _ in flink_columns() if name != "processed_at")
    return f"CREATE TEMPORARY TABLE raw_orders (\n{fields}\n) WITH (\n{_with_options(options)}\n)"


def select_sql() -> str:
    def value(name: str, sql_type: str) -> str:
        if name == "processed_at":
            return "CAST(CURRENT_TIMESTAMP AS TIMESTAMP_LTZ(6))"
        if sql_type == INSTANT:
            return f"iso_instant(`{name}`)"
        return f"CAST(`{name}` AS {sql_type})" if sql_type != "STRING" else f"`{name}`"

    return "SELECT " + ", ".join(f"{value(n, t)} AS `{n}`" for n, t in flink_columns()) + " FROM raw_orders"


def main() -> None:
    config = JobConfig.load()
    ensure_table(config)
    t_env = create_environment(config)
    t_env.get_config().set("pipeline.name", JOB_NAME)
    register_java_functions(t_env)
    t_env.execute_sql(source_ddl(config))
    t_env.execute_sql(catalog_ddl(config))
    t_env.execute_sql(f"INSERT INTO {config.table_path} {select_sql()}")


if __name__ == "__main__":
    main()
