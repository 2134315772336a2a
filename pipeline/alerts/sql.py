"""The rules of pipeline/alerting_rules.yaml as Flink SQL over the view `alert_orders` (one row per
valid order: event_id, event_time, order_id, user_id, order_amount, currency, proc_time, `late`
and the rowtime `event_rowtime`). Pure text, no pyflink: unit tests read it in the harness env.

Every alert has the columns of ALERT_COLUMNS. Its `alert_id` is the SHA-256 of the rule, the user
and the order ids that triggered it (`alert_id_sql`, `alert_id` in Python for the tests): a replay
of the same input, or a restart, yields the same id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from pipeline.alerts.rules import LargeOrder, OrdersInWindow, Rules, StatisticalOutlier, UnusualHour
from pipeline.fast_lane import sql_literal

# name, Flink SQL type: the Kafka record's fields and the table's columns (sql/order_alerts_table.json)
ALERT_COLUMNS = [
    ("alert_id", "STRING"),
    ("rule", "STRING"),
    ("severity", "STRING"),
    ("user_id", "STRING"),
    ("order_ids", "STRING"),  # comma-separated, in event-time order
    ("window_start", "TIMESTAMP_LTZ(6)"),
    ("window_end", "TIMESTAMP_LTZ(6)"),
    ("detected_at", "TIMESTAMP_LTZ(6)"),
]
ID_SEPARATOR = "|"


def alert_id(rule: str, user_id: str, order_ids: Sequence[str]) -> str:
    """What `alert_id_sql` computes in Flink, for tests and for anyone matching alerts offline."""
    return hashlib.sha256(ID_SEPARATOR.join([rule, user_id, ",".join(order_ids)]).encode()).hexdigest()


def alert_id_sql(rule: str, user_id: str, order_ids: str) -> str:
    return f"SHA256(CONCAT_WS('{ID_SEPARATOR}', {sql_literal(rule)}, {user_id}, {order_ids}))"


def _alert_select(rule: str, severity: str, order_ids: str, start: str, end: str) -> str:
    """The alert's columns in ALERT_COLUMNS order, from a row with `user_id` and `proc_time`."""
    return (
        f"{alert_id_sql(rule, 'user_id', order_ids)} AS alert_id, {sql_literal(rule)} AS rule, "
        f"{sql_literal(severity)} AS severity, user_id, {order_ids} AS order_ids, "
        f"{start} AS window_start, {end} AS window_end"
    )


def large_order_condition(rule: LargeOrder) -> str:
    # Compared as DECIMAL: the thresholds are exact amounts, like order_amount.
    return " OR ".join(
        f"(currency = {sql_literal(currency)} AND order_amount > CAST({sql_literal(str(amount))} AS DECIMAL(12, 2)))"
        for currency, amount in sorted(rule.thresholds.items())
    )


def unusual_hour_condition(rule: UnusualHour) -> str:
    # With table.local-time-zone UTC, the cast gives the order's UTC wall-clock time.
    hour = "HOUR(CAST(event_time AS TIMESTAMP(6)))"
    return f"{hour} >= {rule.from_hour} AND {hour} < {rule.to_hour}"


def single_order_alerts_sql(rules: Rules) -> str | None:
    """Alerts one order raises on its own (large order, unusual hour), each alert_id kept once.

    Kept once: the same order re-sent (a producer retry, a replayed topic) would raise its alert
    again, with the same id. A running count per alert_id, in processing time, lets only the first
    through and keeps the stream append-only (the Kafka sink takes no updates); the counts live
    for ALERT_DEDUPE_TTL_MS (table.exec.state.ttl)."""
    rows = []
    if rules.large_order.enabled:
        rows.append(("large_order", rules.large_order.severity, large_order_condition(rules.large_order)))
    if rules.unusual_hour.enabled:
        rows.append(("unusual_hour", rules.unusual_hour.severity, unusual_hour_condition(rules.unusual_hour)))
    if not rows:
        return None
    selects = "\nUNION ALL\n".join(
        f"SELECT {_alert_select(rule, severity, 'order_id', 'event_time', 'event_time')}, proc_time\n"
        f"FROM alert_orders WHERE {condition}"
        for rule, severity, condition in rows
    )
    columns = ", ".join(name for name, _ in ALERT_COLUMNS[:-1])
    return f"""SELECT {columns} FROM (
  SELECT *, COUNT(*) OVER (
    PARTITION BY alert_id ORDER BY proc_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS seen
  FROM (
{selects}
  )
) WHERE seen = 1"""


def orders_in_window_sql(windows: Sequence[tuple[str, OrdersInWindow]]) -> str | None:
    """≥ min_orders orders of one user within `within_minutes` of event time (rapid_orders,
    order_spike): an OVER window per user on the rowtime. Flink emits each order's row once the
    watermark has passed it, in event-time order, with the user's orders of the preceding minutes:
    every order that completes such a run raises an alert naming the run's orders.

    The rules' windows are chained, each OVER the previous one's rows, never side by side over
    the same input: two OVER windows that differ only in their length have the same digest in
    Flink's planner (the length is a window constant, outside the digest), and it keeps one of
    the two: order_spike ran over rapid_orders' 5 minutes and raised nothing (EXPLAIN showed it).

    An order that arrives behind the watermark (`late`) is left out: the OVER operator only
    recognises late rows until it cleans a user's state up (1.5 windows after the last order),
    and after that would raise the same alert again for a re-sent order."""
    enabled = [(name, rule) for name, rule in windows if rule.enabled]
    if not enabled:
        return None
    chain = "(SELECT user_id, order_id, event_time, event_rowtime FROM alert_orders WHERE NOT late)"
    for name, rule in enabled:
        chain = f"""(
  SELECT *, COUNT(*) OVER w AS {name}_n, LISTAGG(order_id) OVER w AS {name}_ids,
    MIN(event_time) OVER w AS {name}_first
  FROM {chain}
  WINDOW w AS (
    PARTITION BY user_id ORDER BY event_rowtime
    RANGE BETWEEN INTERVAL '{rule.within_minutes}' MINUTE PRECEDING AND CURRENT ROW)
)"""
    return "\nUNION ALL\n".join(
        f"SELECT {_alert_select(name, rule.severity, f'{name}_ids', f'{name}_first', 'event_time')}\n"
        f"FROM {chain} WHERE {name}_n >= {rule.min_orders}"
        for name, rule in enabled
    )


def statistical_outlier_sql(rule: StatisticalOutlier) -> str | None:
    """An amount over mean + sigmas × σ (population) of the user's earlier orders in the same
    currency. Flink's OVER windows end at the current row, so the earlier orders' count, sum and
    sum of squares are the window's minus the current order's own. The history lives in state for
    DEDUPE_TTL_MS after a user's last order (table.exec.state.ttl)."""
    if not rule.enabled:
        return None
    mean = "(earlier_sum / earlier)"
    variance = f"GREATEST(earlier_squares / earlier - {mean} * {mean}, 0)"
    return f"""SELECT {_alert_select("statistical_outlier", rule.severity, "order_id", "first_time", "event_time")}
FROM (
  SELECT user_id, order_id, event_time, amount,
    COUNT(*) OVER w - 1 AS earlier,
    SUM(amount) OVER w - amount AS earlier_sum,
    SUM(amount * amount) OVER w - amount * amount AS earlier_squares,
    MIN(event_time) OVER w AS first_time
  FROM (SELECT *, CAST(order_amount AS DOUBLE) AS amount FROM alert_orders WHERE NOT late)
  WINDOW w AS (
    PARTITION BY user_id, currency ORDER BY event_rowtime
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
) WHERE earlier >= {rule.min_history} AND amount > {mean} + {rule.sigmas} * SQRT({variance})"""


def alerts_sql(rules: Rules) -> str:
    """Every enabled rule's alerts in ALERT_COLUMNS order (detected_at added last)."""
    windowed = (
        orders_in_window_sql([("rapid_orders", rules.rapid_orders), ("order_spike", rules.order_spike)]),
        statistical_outlier_sql(rules.statistical_outlier),
    )
    parts = [sql for sql in (single_order_alerts_sql(rules), *windowed) if sql]
    if not parts:
        raise ValueError("every rule is disabled: the job would raise no alert")
    union = "\nUNION ALL\n".join(f"SELECT * FROM (\n{part}\n)" for part in parts)
    # detected_at: when this job raised it (processing time); not part of the alert's identity.
    return f"SELECT *, CAST(CURRENT_TIMESTAMP AS TIMESTAMP_LTZ(6)) AS detected_at FROM (\n{union}\n)"
