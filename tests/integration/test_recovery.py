"""Exactly-once across a crash: kill -9 the TaskManager while orders flow; after the restart
strategy recovers, every order is in analytics.orders exactly once."""

from __future__ import annotations

import threading

import pytest
from pyiceberg.expressions import StartsWith

from fixtures.flink_rest import FlinkRest
from fixtures.flink_submit import JOB_NAME
from fixtures.iceberg import TableReader
from fixtures.stack import JobHandle, Stack
from fixtures.waits import Probe, wait_for
from tests.integration.conftest import Publish, encode, order

pytestmark = [pytest.mark.integration, pytest.mark.fault]
ORDERS = 600


def test_a_killed_taskmanager_loses_and_duplicates_nothing(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    rest = FlinkRest(stack.endpoints.flink_rest_url)
    job_id = rest.running_jobs(JOB_NAME)[0].job_id  # the session's job may have been redeployed
    wait_for(
        "a first completed checkpoint",
        lambda: Probe(rest.completed_checkpoints(job_id) > 0, "none yet"),
        timeout=60,
    )
    events = [encode(order(run_id, i)) for i in range(ORDERS)]
    first_half_sent = threading.Event()

    def keep_publishing() -> None:
        for start in range(0, ORDERS, 50):
            publish(events[start : start + 50])
            if start >= ORDERS // 2:
                first_half_sent.set()

    publisher = threading.Thread(target=keep_publishing)
    publisher.start()
    first_half_sent.wait(timeout=60)
    stack.kill_taskmanager()  # kill -9 mid-stream, then a fresh TaskManager registers
    publisher.join(timeout=120)

    mine = StartsWith("order_id", f"ord-{run_id}-")

    def all_committed() -> Probe:
        rows = orders_table.scan(mine, columns=("event_id",)).column("event_id").to_pylist()
        return Probe(len(rows) >= ORDERS, f"{len(rows)} rows ({len(set(rows))} distinct) of {ORDERS}", rows)

    event_ids = wait_for(f"{ORDERS} orders after the TaskManager was killed", all_committed, timeout=240)
    expected = {order(run_id, i)["event_id"] for i in range(ORDERS)}
    assert len(event_ids) == ORDERS, "some order was stored twice"  # type: ignore[arg-type]
    assert set(event_ids) == expected  # type: ignore[arg-type]
    assert rest.job(job_id)["state"] == "RUNNING"
