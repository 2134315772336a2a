"""Redeploys are exactly-once by default (issue 13, finding 5): a plain `submit` while orders
flow, a JobManager killed with -9 and recovered (`analytics-stack up` + `submit`), and a changed
plan that cannot take the old state, refused unless the state loss is allowed.

The orders carry re-sends of earlier ones (as producers retry): they are stored once only if the
dedupe state survives the redeploy, so a restart from the group offsets with empty state fails
these tests even when the checkpoint boundary happens to lose nothing."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from pyiceberg.expressions import StartsWith

from fixtures.flink_submit import JOB_NAME
from fixtures.iceberg import TableReader
from fixtures.redeploy import StateWouldBeDropped
from fixtures.stack import JobHandle, Stack
from fixtures.waits import Probe, wait_for
from tests.integration.conftest import Publish, encode, order

pytestmark = [pytest.mark.integration]
ORDERS = 600
BATCH = 50
RESENT_EVERY = 5  # each batch also re-sends every 5th order of the batch before last


def _publish_while(publish: Publish, run_id: str, redeploy: Callable[[], object]) -> object:
    """Publish ORDERS orders (and re-sends) in batches from a thread; half-way, `redeploy()`.
    Every re-send is published before a later original of its own partition (same key)."""
    first_half_sent = threading.Event()
    failures: list[BaseException] = []

    def keep_publishing() -> None:
        try:
            for start in range(0, ORDERS, BATCH):
                batch = [encode(order(run_id, i)) for i in range(start, start + BATCH)]
                earlier = range(max(0, start - 2 * BATCH), max(0, start - BATCH), RESENT_EVERY)
                publish(batch + [encode(order(run_id, i)) for i in earlier])
                if start >= ORDERS // 2:
                    first_half_sent.set()
        except BaseException as exc:  # seen by the test, not lost in the thread
            failures.append(exc)
            first_half_sent.set()

    publisher = threading.Thread(target=keep_publishing)
    publisher.start()
    assert first_half_sent.wait(timeout=120), "half of the orders were not published in 120 s"
    try:
        return redeploy()
    finally:
        publisher.join(timeout=180)
        assert not failures, f"publishing failed: {failures[0]!r}"


def _assert_each_order_stored_once(orders_table: TableReader, run_id: str) -> None:
    mine = StartsWith("order_id", f"ord-{run_id}-")

    def all_committed() -> Probe:
        ids = orders_table.scan(mine, columns=("event_id",)).column("event_id").to_pylist()
        return Probe(len(set(ids)) >= ORDERS, f"{len(ids)} rows ({len(set(ids))} distinct) of {ORDERS}", ids)

    event_ids = wait_for(f"{ORDERS} orders after the redeploy", all_committed, timeout=300)
    expected = {order(run_id, i)["event_id"] for i in range(ORDERS)}
    assert set(event_ids) == expected, "an order was lost"  # type: ignore[arg-type]
    assert len(event_ids) == ORDERS, f"{len(event_ids) - ORDERS} orders stored twice"  # type: ignore[arg-type]


def _wait_for_a_checkpoint(stack: Stack) -> None:
    rest = stack.rest()
    job_id = rest.running_jobs(JOB_NAME)[0].job_id  # the session's job may have been redeployed
    wait_for(
        "a completed checkpoint",
        lambda: Probe(rest.completed_checkpoints(job_id) > 0, "none yet"),
        timeout=90,
    )


def test_a_plain_submit_while_orders_flow_loses_and_duplicates_nothing(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    _wait_for_a_checkpoint(stack)
    handle = _publish_while(publish, run_id, stack.submit_job)  # `analytics-stack submit`
    assert isinstance(handle, JobHandle) and handle.resumed_from, (
        "the redeploy did not resume from a savepoint"
    )
    assert "/savepoint-" in handle.resumed_from
    _assert_each_order_stored_once(orders_table, run_id)


@pytest.mark.fault
def test_a_killed_jobmanager_loses_and_duplicates_nothing_after_recovery(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    _wait_for_a_checkpoint(stack)
    _publish_while(publish, run_id, stack.kill_jobmanager)  # kill -9 mid-stream: the job is gone
    handle = stack.recover_jobmanager()  # `analytics-stack up` + `analytics-stack submit`
    assert handle.resumed_from and re.search(r"/[0-9a-f]{32}/chk-\d+$", handle.resumed_from), (
        f"not resumed from a retained checkpoint: {handle.resumed_from}"
    )
    _assert_each_order_stored_once(orders_table, run_id)
    assert stack.rest().job(handle.job_id)["state"] == "RUNNING"


def test_a_plan_that_cannot_take_the_state_is_refused_unless_state_loss_is_allowed(
    stack: Stack, job: JobHandle
) -> None:
    # Without the fast lane the plan has one branch less: the operators after it get other ids.
    changed = {"VALIDATION_FAST_LANE": "false"}
    try:
        with pytest.raises(StateWouldBeDropped) as refused:
            stack.submit_job(extra_env=changed)
        message = str(refused.value)
        assert re.search(r"state of operator [0-9a-f]{32} \(.*holding .+\)", message, re.DOTALL), message
        assert "would be dropped" in message and "--allow-state-loss" in message
        assert not stack.rest().running_jobs(JOB_NAME), "a refused plan must not run"

        accepted = stack.submit_job(extra_env=changed, allow_state_loss=True)
        assert accepted.resumed_from and "/savepoint-" in accepted.resumed_from
        assert stack.rest().job(accepted.job_id)["state"] == "RUNNING"
    finally:
        stack.submit_job(allow_state_loss=True)  # the session's plan again, for the tests after
