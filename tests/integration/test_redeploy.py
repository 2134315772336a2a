"""Redeploys are exactly-once by default (issue 13, finding 5): a plain `submit` while orders
flow, a JobManager killed with -9 and recovered (`analytics-stack up` + `submit`), and a changed
plan that cannot take the old state, refused unless the state loss is allowed.

Half the orders are committed first; the other half flows during the redeploy together with
re-sends of committed ones (as producers retry). The re-sends are dropped only if the dedupe state
survives the redeploy: a restart from the group offsets with empty state (`--fresh`, and the old
plain `submit`) stores them twice, so these tests fail on it (checked)."""

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
HALF = ORDERS // 2
BATCH = 50
RESENT_PER_BATCH = 10
PAUSE = 2.0  # seconds between batches of the second half: they flow through the redeploy


def _publish_around(
    publish: Publish, orders_table: TableReader, run_id: str, redeploy: Callable[[], object]
) -> object:
    """The first half published and committed; then the second half in batches from a thread,
    each led by re-sends of committed orders, and `redeploy()` once the first batch is out."""
    publish([encode(order(run_id, i)) for i in range(HALF)])
    _wait_for_orders(orders_table, run_id, HALF)
    flowing = threading.Event()
    pause = threading.Event()  # never set: a wait that a test may use instead of sleep
    failures: list[BaseException] = []

    def keep_publishing() -> None:
        try:
            for n, start in enumerate(range(HALF, ORDERS, BATCH)):
                resent = range(n * RESENT_PER_BATCH, (n + 1) * RESENT_PER_BATCH)
                publish(
                    [encode(order(run_id, i)) for i in resent]
                    + [encode(order(run_id, i)) for i in range(start, start + BATCH)]
                )
                flowing.set()
                pause.wait(PAUSE)
        except BaseException as exc:  # seen by the test, not lost in the thread
            failures.append(exc)
            flowing.set()

    publisher = threading.Thread(target=keep_publishing)
    publisher.start()
    assert flowing.wait(timeout=60), "the second half did not start flowing in 60 s"
    try:
        return redeploy()
    finally:
        publisher.join(timeout=180)
        assert not failures, f"publishing failed: {failures[0]!r}"


def _wait_for_orders(orders_table: TableReader, run_id: str, count: int) -> list[str]:
    mine = StartsWith("order_id", f"ord-{run_id}-")

    def committed() -> Probe:
        ids = orders_table.scan(mine, columns=("event_id",)).column("event_id").to_pylist()
        return Probe(len(set(ids)) >= count, f"{len(ids)} rows ({len(set(ids))} distinct) of {count}", ids)

    return wait_for(f"{count} orders of run {run_id} in the table", committed, timeout=300)  # type: ignore[no-any-return]


def _assert_each_order_stored_once(orders_table: TableReader, run_id: str) -> None:
    # Every re-send precedes originals of its partition (same batch, same key → same partition),
    # so once every original is committed, every re-send has been through the dedupe too.
    event_ids = _wait_for_orders(orders_table, run_id, ORDERS)
    expected = {order(run_id, i)["event_id"] for i in range(ORDERS)}
    assert set(event_ids) == expected, "an order was lost"
    assert len(event_ids) == ORDERS, f"{len(event_ids) - ORDERS} orders stored twice"


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
    handle = _publish_around(
        publish, orders_table, run_id, lambda: stack.submit_job(JOB_NAME)
    )  # `analytics-stack submit`
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
    _publish_around(
        publish, orders_table, run_id, stack.kill_jobmanager
    )  # kill -9 mid-stream: the job is gone
    handle = stack.recover_jobmanager(JOB_NAME)  # `analytics-stack up` + `analytics-stack submit`
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
            stack.submit_job(JOB_NAME, extra_env=changed)
        message = str(refused.value)
        assert re.search(r"state of operator [0-9a-f]{32} \(.*holding .+\)", message, re.DOTALL), message
        assert "would be dropped" in message and "--allow-state-loss" in message
        assert not stack.rest().running_jobs(JOB_NAME), "a refused plan must not run"

        accepted = stack.submit_job(JOB_NAME, extra_env=changed, allow_state_loss=True)
        assert accepted.resumed_from and "/savepoint-" in accepted.resumed_from
        assert stack.rest().job(accepted.job_id)["state"] == "RUNNING"
    finally:
        stack.submit_job(JOB_NAME, allow_state_loss=True)  # the session's plan again, for the tests after
