"""Run by the Flink env's Python (see test_sql_expressions.py): evaluates the job's SQL
expressions on the JSON texts given on stdin in a local Flink, prints one JSON row per text."""

from __future__ import annotations

import json
import sys

from pyflink.table import EnvironmentSettings, TableEnvironment

from pipeline.event_time import event_time_sql
from pipeline.fast_lane import canonical_columns_sql, is_canonical_sql, sql_literal


def main() -> None:
    texts = json.load(sys.stdin)
    t_env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    t_env.get_config().set("table.local-time-zone", "UTC")  # as the job sets it
    columns = canonical_columns_sql("doc", "CURRENT_TIMESTAMP")
    rows = ", ".join(f"({i}, {sql_literal(text)})" for i, text in enumerate(texts))
    source = f"(VALUES {rows}) AS v(i, doc)"
    found: dict[int, dict[str, object]] = {}
    query = f"SELECT i, CAST({event_time_sql('doc')} AS STRING), {is_canonical_sql('doc')} FROM {source}"
    with t_env.execute_sql(query).collect() as results:
        for i, rowtime, canonical in results:
            found[i] = {"i": i, "rowtime": rowtime, "canonical": canonical, "columns": None}
    # As in the job, the fast lane's columns are computed only for the rows its filter lets through.
    values = ", ".join(f"CAST({expression} AS STRING)" for expression in columns.values())
    query = f"SELECT i, {values} FROM {source} WHERE {is_canonical_sql('doc')}"
    with t_env.execute_sql(query).collect() as results:
        for i, *row in results:
            found[i]["columns"] = dict(zip(columns, row, strict=True))
    for i in sorted(found):
        print(json.dumps(found[i]))


if __name__ == "__main__":
    main()
