"""fixtures/progress.JobProgress against the real stack, asking Flink for its checkpoints (what the
harness's `settle` does): once it says done, a single look at the table finds every row published
before it started, with no further waiting; and the checkpoint that held them was one asked for."""

from __future__ import annotations

import pytest
from confluent_kafka import Message, Producer
from pyiceberg.expressions import StartsWith

from fixtures.flink_rest import FlinkRest
from fixtures.iceberg import TableReader
from fixtures.progress import JobProgress, last_offsets
from fixtures.stack import ORDERS_TOPIC, JobHandle, Stack
from fixtures.waits import wait_for
from tests.integration.conftest import encode, order

pytestmark = pytest.mark.integration


def _published(stack: Stack, records: list[tuple[bytes, bytes]]) -> list[tuple[str, int, int]]:
    """(topic, partition, offset) of each record, as the broker acknowledged it."""
    delivered: list[tuple[str, int, int]] = []

    def acknowledged(error: object, message: Message) -> None:
        assert error is None, error
        delivered.append((str(message.topic()), int(message.partition() or 0), int(message.offset() or 0)))

    producer = Producer({"bootstrap.servers": stack.endpoints.kafka_bootstrap, "enable.idempotence": True})
    for key, value in records:
        producer.produce(ORDERS_TOPIC, key=key, value=value, on_delivery=acknowledged)
    assert producer.flush(30) == 0
    return delivered


def test_once_the_job_has_committed_what_was_published_one_look_finds_it(
    stack: Stack, job: JobHandle, orders_table: TableReader, run_id: str
) -> None:
    rest = FlinkRest(stack.endpoints.flink_rest_url)
    try:
        before = int((rest.latest_completed_checkpoint(job.job_id) or {}).get("id", 0))
        delivered = _published(stack, [encode(order(run_id, i)) for i in range(5)])
        progress = JobProgress(job.name, job.job_id, last_offsets(delivered), rest, ask_for_checkpoints=True)
        wait_for("the job to commit this run's orders", progress, timeout=60, interval=0.2)

        stored = {row["order_id"] for row in orders_table.rows(StartsWith("order_id", f"ord-{run_id}-"))}
        assert stored == {f"ord-{run_id}-{i}" for i in range(5)}
        assert progress.ask_for_checkpoints, "a checkpoint asked for failed, or this Flink cannot be asked"
        assert progress.checkpoint_after is not None and progress.checkpoint_after > before
    finally:
        rest.close()
