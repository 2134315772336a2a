"""Run by the Flink env's Python (see test_alerts_plan.py): plans order_alerts_job's alert query,
every rule on, over a stand-in for its `alert_orders` view, and prints each OVER window of
Flink's optimized plan as one JSON line."""

from __future__ import annotations

import json
import re
from typing import Any

from pyflink.table import EnvironmentSettings, TableEnvironment

from pipeline.alerts.rules import DEFAULT_RULES_FILE, parse_rules
from pipeline.alerts.sql import alerts_sql

OVER = re.compile(r"OverAggregate\(partitionBy=\[(?P<partition>[^\]]*)\].*?window=\[\s*(?P<frame>[^\]]*)\]")


def every_rule_on() -> Any:
    import yaml

    document = yaml.safe_load(DEFAULT_RULES_FILE.read_text())
    for rule in document["rules"].values():
        rule["enabled"] = True
    return parse_rules(document)


def main() -> None:
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    t_env.get_config().set("table.local-time-zone", "UTC")
    # The columns the job's view has, from a generator instead of Kafka: planning needs no broker.
    t_env.execute_sql("""
CREATE TEMPORARY TABLE orders (
  event_id STRING, event_time TIMESTAMP_LTZ(6), order_id STRING, user_id STRING,
  order_amount DECIMAL(12, 2), currency STRING, proc_time AS PROCTIME(),
  event_rowtime AS CAST(event_time AS TIMESTAMP_LTZ(3)),
  WATERMARK FOR event_rowtime AS event_rowtime - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen')""")
    t_env.execute_sql(
        "CREATE TEMPORARY VIEW alert_orders AS SELECT *, "
        "COALESCE(event_rowtime < CURRENT_WATERMARK(event_rowtime), FALSE) AS late FROM orders"
    )
    plan = t_env.explain_sql(alerts_sql(every_rule_on()))
    optimized = plan.split("== Optimized Execution Plan ==")[1]
    for match in OVER.finditer(optimized):
        print(json.dumps({"partition": match["partition"], "frame": " ".join(match["frame"].split())}))


if __name__ == "__main__":
    main()
