"""`make demo` on the test stack: every declared job deployed (the running ingest job kept), the
generated orders in, and what each job wrote printed back from Iceberg."""

from __future__ import annotations

import pytest
from rich.console import Console

from fixtures.demo import DEMO_USERS, run_demo
from fixtures.stack import JobHandle, Stack

pytestmark = pytest.mark.integration
ORDERS = 20


def test_the_demo_shows_orders_alerts_sales_windows_and_segments(stack: Stack, job: JobHandle) -> None:
    rest = stack.rest()
    before = {found.job_id for found in rest.running_jobs()}
    console = Console(record=True, width=220)
    try:
        printed = run_demo(stack, count=ORDERS, seed=42, console=console)
    finally:
        for found in rest.running_jobs():  # what the demo deployed goes; the ingest job stays
            if found.job_id not in before:
                stack.cancel_job(found.job_id)
        rest.close()
    shown = console.export_text()
    assert f"order_ingest_job already running as {job.job_id}" in shown
    assert len(printed["analytics.orders"]) == ORDERS
    # 20 orders of 4 users, 30 s apart: every user orders again within 5 minutes
    assert "rapid_orders" in {row[0] for row in printed["analytics.order_alerts"]}
    totals: dict[object, int] = {}
    for window_start, window_end, _currency, _revenue, orders, *_ in printed["analytics.sales_metrics"]:
        totals[(window_start, window_end)] = totals.get((window_start, window_end), 0) + int(orders)  # type: ignore[call-overload]
    assert max(totals.values()) >= ORDERS  # one hour-long window holds all of them (and other tests')
    segments = printed["analytics.customer_segments"]
    assert len(segments) == DEMO_USERS
    assert sum(int(row[2]) for row in segments) == ORDERS  # type: ignore[call-overload]
