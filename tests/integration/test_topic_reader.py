"""fixtures/topics.read_to_ends against a real broker, on a transactional topic like the ones a
Flink exactly-once sink writes: committed records only, and the read ends at the partitions' ends
(past commit markers and aborted records, short of an open transaction) instead of waiting for
the broker to go quiet; and a read from an instant on, by the broker's timestamp index."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from confluent_kafka import Producer

from fixtures.topics import ensure_topic, read_to_ends

pytestmark = pytest.mark.integration


def _transactional(bootstrap: str) -> Producer:
    producer = Producer(
        {"bootstrap.servers": bootstrap, "transactional.id": f"reader-test-{uuid.uuid4().hex}"}
    )
    producer.init_transactions(30)
    return producer


def _in_transaction(producer: Producer, topic: str, values: list[str], *, commit: bool | None) -> None:
    """Each value to the partition its last digit names. commit: True commits, False aborts, None leaves the transaction open."""
    producer.begin_transaction()
    for value in values:
        producer.produce(topic, key=value.encode(), value=value.encode(), partition=int(value[-1]) % 2)
    producer.flush(30)
    if commit is True:
        producer.commit_transaction(30)
    elif commit is False:
        producer.abort_transaction(30)


def test_a_read_stops_at_the_ends_of_a_transactional_topic(kafka_bootstrap: str) -> None:
    topic = f"reader-test-{uuid.uuid4().hex[:8]}"
    # Partition 2 stays empty: a read must not wait for a record to reach it.
    ensure_topic(kafka_bootstrap, topic, partitions=3)
    writer = _transactional(kafka_bootstrap)
    _in_transaction(writer, topic, ["committed-0", "committed-1", "committed-2"], commit=True)
    _in_transaction(writer, topic, ["aborted-0", "aborted-1"], commit=False)
    _in_transaction(writer, topic, ["open-0", "open-1"], commit=None)

    records, reached = read_to_ends(kafka_bootstrap, topic, timeout=30.0)
    assert reached, "the read gave up before the ends: it waited for commit markers or an open transaction"
    assert sorted((r.value or b"").decode() for r in records) == ["committed-0", "committed-1", "committed-2"]

    writer.commit_transaction(30)
    records, reached = read_to_ends(kafka_bootstrap, topic, timeout=30.0)
    assert reached
    assert sorted((r.value or b"").decode() for r in records) == [
        "committed-0",
        "committed-1",
        "committed-2",
        "open-0",
        "open-1",
    ]

    # The last two offsets of each partition: the last record, and the marker that committed it.
    tails, reached = read_to_ends(kafka_bootstrap, topic, last=2, timeout=30.0)
    assert reached
    assert {r.partition: (r.value or b"").decode() for r in tails} == {0: "open-0", 1: "open-1"}
    # More offsets than a partition holds: from its first one.
    everything, reached = read_to_ends(kafka_bootstrap, topic, last=1000, timeout=30.0)
    assert reached and len(everything) == 5


def test_a_read_since_an_instant_starts_at_the_records_stored_from_then_on(kafka_bootstrap: str) -> None:
    topic = f"reader-since-{uuid.uuid4().hex[:8]}"
    ensure_topic(kafka_bootstrap, topic, partitions=2)
    start = datetime.now(UTC) - timedelta(hours=1)
    writer = Producer({"bootstrap.servers": kafka_bootstrap})
    for minute, value in ((0, "before-0"), (0, "before-1"), (30, "after-0"), (30, "after-1")):
        stamp = int((start + timedelta(minutes=minute)).timestamp() * 1000)
        writer.produce(topic, value=value.encode(), partition=int(value[-1]), timestamp=stamp)
    writer.flush(30)

    records, reached = read_to_ends(kafka_bootstrap, topic, since=start + timedelta(minutes=10), timeout=30.0)
    assert reached
    assert sorted((r.value or b"").decode() for r in records) == ["after-0", "after-1"]
    later, reached = read_to_ends(kafka_bootstrap, topic, since=start + timedelta(minutes=40), timeout=30.0)
    assert reached and later == []
