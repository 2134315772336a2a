"""order_alerts_job's rules file and the SQL and alert ids made from it (no Flink: the text only)."""

from __future__ import annotations

import json
from copy import deepcopy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.alerts.rules import DEFAULT_RULES_FILE, RulesError, load_rules, parse_rules
from pipeline.alerts.sql import ALERT_COLUMNS, alert_id, alerts_sql, large_order_condition

TABLE_FILE = Path(__file__).resolve().parents[3] / "pipeline" / "sql" / "order_alerts_table.json"


@pytest.fixture
def document() -> dict[str, Any]:
    return dict(yaml.safe_load(DEFAULT_RULES_FILE.read_text()))


def _with(document: dict[str, Any], rule: str, **changes: Any) -> dict[str, Any]:
    changed = deepcopy(document)
    changed["rules"][rule].update(changes)
    return changed


def test_the_shipped_rules_file_is_valid_with_every_rule_on() -> None:
    rules = load_rules()
    assert rules.enabled() == [
        "large_order",
        "rapid_orders",
        "unusual_hour",
        "order_spike",
        "statistical_outlier",
    ]
    assert (rules.order_spike.min_orders, rules.order_spike.within_minutes) == (5, 60)
    assert rules.large_order.thresholds["EUR"] == Decimal("1000.00")
    assert (rules.rapid_orders.min_orders, rules.rapid_orders.within_minutes) == (2, 5)
    assert (rules.unusual_hour.from_hour, rules.unusual_hour.to_hour) == (1, 5)


@pytest.mark.parametrize(
    ("rule", "changes", "named"),
    [
        (
            "large_order",
            {"thresholds": {"EUR": "-5"}},
            "rule 'large_order', field 'thresholds.EUR', value '-5'",
        ),
        ("large_order", {"thresholds": {"EURO": "5"}}, "'EURO' is no ISO-4217 currency"),
        ("rapid_orders", {"min_orders": 1}, "rule 'rapid_orders', field 'min_orders', value 1"),
        ("order_spike", {"within_minutes": 0}, "rule 'order_spike', field 'within_minutes', value 0"),
        ("statistical_outlier", {"sigmas": 0}, "rule 'statistical_outlier', field 'sigmas', value 0"),
        ("unusual_hour", {"to_hour": 1}, "to_hour: 1 must be after from_hour 1"),
        ("unusual_hour", {"severity": "urgent"}, "rule 'unusual_hour', field 'severity', value 'urgent'"),
        ("rapid_orders", {"within": 5}, "rule 'rapid_orders', field 'within', value 5"),
        ("large_order", {"enabled": "perhaps"}, "rule 'large_order', field 'enabled', value 'perhaps'"),
    ],
)
def test_a_bad_rule_is_refused_naming_rule_field_and_value(
    document: dict[str, Any], rule: str, changes: dict[str, Any], named: str
) -> None:
    with pytest.raises(RulesError) as refused:
        parse_rules(_with(document, rule, **changes), "alerting_rules.yaml")
    assert named in str(refused.value)
    assert str(refused.value).startswith("alerting_rules.yaml: ")


def test_a_missing_rule_and_a_file_that_is_not_yaml_are_refused(
    document: dict[str, Any], tmp_path: Path
) -> None:
    del document["rules"]["rapid_orders"]
    with pytest.raises(RulesError, match="rule 'rapid_orders', field '\\(rule\\)', value \\(missing\\)"):
        parse_rules(document)
    broken = tmp_path / "rules.yaml"
    broken.write_text("rules: [unclosed")
    with pytest.raises(RulesError, match="cannot be read as YAML"):
        load_rules(broken)
    with pytest.raises(RulesError, match="expected a mapping"):
        parse_rules(["not", "a", "mapping"])


def test_a_disabled_rule_is_not_in_the_job_at_all(document: dict[str, Any]) -> None:
    on = alerts_sql(parse_rules(document))
    off = alerts_sql(parse_rules(_with(document, "rapid_orders", enabled=False)))
    assert "'rapid_orders'" in on and "'rapid_orders'" not in off
    assert "'large_order'" in off and "'unusual_hour'" in off
    only_rapid = _with(_with(document, "large_order", enabled=False), "unusual_hour", enabled=False)
    assert "'large_order'" not in alerts_sql(parse_rules(only_rapid))
    spike = _with(_with(document, "statistical_outlier", enabled=False), "order_spike", enabled=True)
    assert "'statistical_outlier'" not in alerts_sql(parse_rules(spike))
    assert "'order_spike'" in alerts_sql(parse_rules(spike))


def test_every_rule_off_is_refused_at_start(document: dict[str, Any]) -> None:
    for rule in ("large_order", "rapid_orders", "unusual_hour", "order_spike", "statistical_outlier"):
        document["rules"][rule]["enabled"] = False
    with pytest.raises(ValueError, match="every rule is disabled"):
        alerts_sql(parse_rules(document))


def test_large_order_thresholds_are_compared_per_currency_as_decimals(document: dict[str, Any]) -> None:
    condition = large_order_condition(parse_rules(document).large_order)
    assert "(currency = 'GBP' AND order_amount > CAST('900.00' AS DECIMAL(12, 2)))" in condition


def test_alert_id_is_derived_from_rule_user_and_orders_only() -> None:
    first = alert_id("rapid_orders", "usr-1", ["ord-1", "ord-2"])
    assert first == alert_id("rapid_orders", "usr-1", ["ord-1", "ord-2"])  # a replay: the same id
    assert len(first) == 64 and int(first, 16) >= 0
    others = {
        alert_id("large_order", "usr-1", ["ord-1", "ord-2"]),
        alert_id("rapid_orders", "usr-2", ["ord-1", "ord-2"]),
        alert_id("rapid_orders", "usr-1", ["ord-1"]),
        alert_id("rapid_orders", "usr-1", ["ord-1", "ord-3"]),
    }
    assert first not in others and len(others) == 4


def test_the_alerts_table_has_the_alert_columns_in_order() -> None:
    fields = json.loads(TABLE_FILE.read_text())["schema"]["fields"]
    assert [f["name"] for f in fields] == [name for name, _ in ALERT_COLUMNS]
