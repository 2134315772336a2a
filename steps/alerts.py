"""Steps on the alerts of order_alerts_job: the same alerts, once each, on its topic and in its table.

    Then exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule         | severity | user_id | order_ids    | window_start         | window_end           |
      | rapid_orders | medium   | u-1     | ord-1, ord-2 | 2027-01-04T10:00:00Z | 2027-01-04T10:03:00Z |
    Then no alert of this scenario is raised, on "orders.alerts.v1" nor in "analytics.order_alerts"

An alert belongs to the scenario whose run id its user_id carries. The order ids of an alert are
one text (`ord-<run>-1,ord-<run>-2`), shown and compared as the feature wrote them. "exactly"
first waits for the rows, then lets the job process everything the scenario published (`settle`),
then asserts that nothing else and nothing twice arrived, on the topic and in the table, and that
every alert_id is the one its rule and orders derive (pipeline/alerts/sql.py `alert_id`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from pyiceberg.catalog import Catalog
from pytest_bdd import parsers, then

from fixtures.documents import json_object
from fixtures.topics import read_topic
from fixtures.waits import Probe
from pipeline.alerts.sql import alert_id
from steps.context import Settle
from steps.support.scope import RunScope
from steps.support.tables import own_rows
from steps.support.values import parse_instant, table_rows

Alert = tuple[str, ...]
WINDOW = "window_"  # the columns of an alert's event-time window: instants


def _instant(value: Any) -> str:
    moment = value if isinstance(value, datetime) else parse_instant(str(value))
    return moment.isoformat()


def _key(row: dict[str, Any], columns: list[str]) -> Alert:
    return tuple(_instant(row[c]) if c.startswith(WINDOW) else str(row[c]) for c in columns)


def _expected(rows: list[dict[str, str]], scope: RunScope) -> list[dict[str, Any]]:
    """The feature's alerts in stored form: ids carry the run id, order ids joined as the job does."""
    stored = []
    for row in rows:
        alert = dict(row)
        if "user_id" in alert:
            alert["user_id"] = scope.scoped("user_id", alert["user_id"])
        if "order_ids" in alert:
            ids = [part.strip() for part in alert["order_ids"].split(",") if part.strip()]
            alert["order_ids"] = ",".join(scope.scoped("order_id", i) for i in ids)
        for column in [c for c in alert if c.startswith(WINDOW)]:
            alert[column] = scope.stored_instant(parse_instant(alert[column]))
        stored.append(alert)
    return stored


def _shown(alert: Alert, columns: list[str], scope: RunScope) -> str:
    cells = []
    for column, value in zip(columns, alert, strict=True):
        if column == "order_ids":
            value = ", ".join(scope.unscoped("order_id", i) for i in value.split(","))
        elif column == "user_id":
            value = scope.unscoped("user_id", value)
        elif column.startswith(WINDOW):
            value = scope.written_instant(parse_instant(value)).isoformat()
        cells.append(f"{column}={value}")
    return " ".join(cells)


class Alerts:
    """This scenario's alerts as the topic and the table hold them right now."""

    def __init__(self, bootstrap: str, topic: str, catalog: Catalog, table: str, scope: RunScope) -> None:
        self.bootstrap, self.topic, self.catalog, self.table, self.scope = (
            bootstrap,
            topic,
            catalog,
            table,
            scope,
        )

    def on_topic(self) -> list[dict[str, Any]]:
        prefix = self.scope.run_prefix("user_id")
        documents = (json_object(r.value) for r in read_topic(self.bootstrap, self.topic))
        return [d for d in documents if d is not None and str(d.get("user_id", "")).startswith(prefix)]

    def in_table(self) -> list[dict[str, Any]]:
        return own_rows(self.catalog, self.table, "user_id", self.scope.run_prefix("user_id"))

    def check_ids(self, rows: list[dict[str, Any]], where: str) -> None:
        wrong = [
            r for r in rows if r["alert_id"] != alert_id(r["rule"], r["user_id"], r["order_ids"].split(","))
        ]
        assert not wrong, f"alert ids {where} not derived from rule, user and orders: {wrong}"


def _alerts(
    kafka_bootstrap: str, iceberg_catalog: Catalog, run_scope: RunScope, topic: str, table: str
) -> Alerts:
    return Alerts(kafka_bootstrap, topic, iceberg_catalog, table, run_scope)


@then(
    parsers.parse('exactly these alerts of this scenario are raised, on "{topic}" and in "{table}":'),
)
def exactly_these_alerts(
    topic: str,
    table: str,
    datatable: list[list[str]],
    kafka_bootstrap: str,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    eventually: Any,
    settle: Settle,
) -> None:
    columns, rows = table_rows(datatable)
    alerts = _alerts(kafka_bootstrap, iceberg_catalog, run_scope, topic, table)
    expected = Counter(_key(row, columns) for row in _expected(rows, run_scope))

    def found() -> tuple[Counter[Alert], Counter[Alert]]:
        return (
            Counter(_key(r, columns) for r in alerts.on_topic()),
            Counter(_key(r, columns) for r in alerts.in_table()),
        )

    def look() -> Probe:
        on_topic, in_table = found()
        done = not (expected - on_topic) and not (expected - in_table)
        return Probe(
            done, f"{sum(on_topic.values())} alerts on the topic, {sum(in_table.values())} in the table"
        )

    eventually(f"{sum(expected.values())} alerts of this scenario on {topic} and in {table}", look)
    settle()  # everything published is processed: what is there now is all there will be
    for where, rows_now in (("on the topic", alerts.on_topic()), ("in the table", alerts.in_table())):
        got = Counter(_key(r, columns) for r in rows_now)
        missing, extra = expected - got, got - expected
        assert not missing and not extra, (
            f"alerts of this scenario {where}: missing "
            f"{[_shown(a, columns, run_scope) for a in missing.elements()]}, unexpected or repeated "
            f"{[_shown(a, columns, run_scope) for a in extra.elements()]}"
        )
        ids = Counter(r["alert_id"] for r in rows_now)
        assert all(n == 1 for n in ids.values()), f"an alert_id {where} more than once: {ids}"
        alerts.check_ids(rows_now, where)


@then(parsers.parse('no alert of this scenario is raised, on "{topic}" nor in "{table}"'))
def no_alert(
    topic: str,
    table: str,
    kafka_bootstrap: str,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    settle: Settle,
) -> None:
    settle()
    alerts = _alerts(kafka_bootstrap, iceberg_catalog, run_scope, topic, table)
    on_topic, in_table = alerts.on_topic(), alerts.in_table()
    assert not on_topic and not in_table, f"alerts on the topic: {on_topic}; in the table: {in_table}"
