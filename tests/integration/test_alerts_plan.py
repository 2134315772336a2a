"""order_alerts_job's windowed rules as Flink's planner really plans them (a local planner in the
Flink env, no stack): every rule keeps its own window. Two OVER windows that differ only in their
length share one digest in the planner, which then kept one of them (order_spike ran over
rapid_orders' 5 minutes); pipeline/alerts/sql.py chains them instead."""

from __future__ import annotations

import pytest

from pipeline.alerts.rules import load_rules
from tests.integration.flink_probes import run_probe

pytestmark = pytest.mark.integration


def test_each_windowed_rule_runs_over_its_own_event_time_range() -> None:
    rules = load_rules()
    windows = run_probe("alerts_plan_probe.py", [], timeout=300)
    ranges = sorted(w["frame"] for w in windows if w["frame"].startswith("RANG"))
    expected = sorted(
        f"RANG BETWEEN {rule.within_minutes * 60_000} PRECEDING AND CURRENT ROW"
        for rule in (rules.rapid_orders, rules.order_spike)
    )
    assert ranges == expected, windows
    # the statistical outlier's history (per user and currency) and the single-order dedupe
    assert sum(w["frame"] == "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW" for w in windows) == 2, (
        windows
    )
