"""Run by the Flink env's Python (see test_sql_expressions.py): evaluates the job's SQL
expressions, Java functions included, on the payloads given on stdin (hex) in a local Flink;
prints one JSON row per payload."""

from __future__ import annotations

import json
import sys

from pyflink.table import EnvironmentSettings, TableEnvironment

from pipeline.event_time import event_time_sql
from pipeline.fast_lane import canonical_columns_sql, canonical_groups_sql
from pipeline.jvm_functions import register_java_functions

UNREADABLE = "TO_TIMESTAMP_LTZ(0, 3)"  # stands in for the Kafka timestamp
NEVER_AHEAD = 2**62  # ms: no event_time is too far ahead of 1970 for the rowtime column
PUBLISHED_AT = "TO_TIMESTAMP_LTZ(1795996800000, 3)"  # 2026-11-30T00:00Z, for the bounded reading
AN_HOUR = 3_600_000


def main() -> None:
    payloads = json.load(sys.stdin)
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("table.local-time-zone", "UTC")  # as the job sets it
    register_java_functions(t_env)
    # literals only: VALUES with expressions becomes a UNION of one source per row
    rows = ", ".join(f"({i}, X'{payload}')" for i, payload in enumerate(payloads))
    columns = canonical_columns_sql("g", "CURRENT_TIMESTAMP")
    values = ", ".join(f"CAST({expression} AS STRING)" for expression in columns.values())
    query = f"""
SELECT i, CAST({event_time_sql("p", UNREADABLE, NEVER_AHEAD)} AS STRING),
  CAST({event_time_sql("p", PUBLISHED_AT, AN_HOUR)} AS STRING), g IS NOT NULL, {values}
FROM (SELECT i, p, {canonical_groups_sql("p")} AS g FROM (
  SELECT i, CAST(b AS BYTES) AS p FROM (VALUES {rows}) AS v(i, b)))"""
    with t_env.execute_sql(query).collect() as results:
        for i, rowtime, bounded, canonical, *row in sorted(results, key=lambda r: r[0]):
            found = dict(zip(columns, row, strict=True)) if canonical else None
            print(
                json.dumps(
                    {"i": i, "rowtime": rowtime, "bounded": bounded, "canonical": canonical, "columns": found}
                )
            )


if __name__ == "__main__":
    main()
