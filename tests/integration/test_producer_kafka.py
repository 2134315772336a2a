"""The producer against a real Kafka broker: what is published comes back, complete, keyed, in place.

The broker comes from the session fixture `kafka_bootstrap` (the stack's). Each test uses its own
fresh topic, so runs never see each other's records.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient
from typer.testing import CliRunner

from producer.cli import app
from producer.generate import generate_orders
from producer.intent import INTENT_HEADER
from producer.publisher import BrokerUnreachable, OrderPublisher

pytestmark = pytest.mark.integration

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Record:
    partition: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


def read_all(bootstrap: str, topic: str, expected: int, timeout: float = 60.0) -> list[Record]:
    """Every record of `topic`, from the start of each partition, until `expected` have arrived."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        records: list[Record] = []
        deadline = time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            for message in consumer.consume(num_messages=1000, timeout=1.0):
                if message.error() is None:
                    headers = tuple(message.headers() or ())
                    records.append(Record(message.partition(), message.key(), message.value(), headers))
        return records
    finally:
        consumer.close()


def java_partition(key: bytes, partitions: int) -> int:
    """Kafka's Java default partitioner: murmur2(key), made positive, modulo the partition count."""
    m, r, length = 0x5BD1E995, 24, len(key)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(0, length - length % 4, 4):
        k = int.from_bytes(key[i : i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
    tail = key[length - length % 4 :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return (h & 0x7FFFFFFF) % partitions


@pytest.fixture
def topic(kafka_bootstrap: str) -> Iterator[str]:
    name = f"test.producer.{uuid.uuid4().hex[:10]}"
    yield name
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap})  # held: its futures die with it
    with contextlib.suppress(KafkaException):  # a test that failed early may not have created it
        admin.delete_topics([name])[name].result(timeout=30)


def test_1000_keyed_events_come_back_complete_each_key_in_one_partition(
    kafka_bootstrap: str, topic: str
) -> None:
    # duplicates re-send earlier keys, so "same key, same partition" is really exercised
    events = list(
        generate_orders(1000, seed=11, start_time=START, run_id="it", duplicate_ratio=0.2, invalid_ratio=0.1)
    )
    with OrderPublisher(kafka_bootstrap, topic) as publisher:
        info = publisher.ensure_topic(partitions=3, retention_days=1)
        assert (info.created, info.partitions) == (True, 3)
        publisher.publish_many(events)
    assert (publisher.stats.sent, publisher.stats.delivered, publisher.stats.failed) == (1000, 1000, 0)

    records = read_all(kafka_bootstrap, topic, expected=1000)
    assert len(records) == 1000
    assert sorted((r.key, r.value) for r in records) == sorted((e.key, e.value) for e in events)

    partitions_of: dict[bytes | None, set[int]] = defaultdict(set)
    for record in records:
        partitions_of[record.key].add(record.partition)
    assert all(len(found) == 1 for found in partitions_of.values())
    assert any(sum(1 for e in events if e.key == key) > 1 for key in partitions_of)  # keys did repeat
    assert {r.partition for r in records} == {0, 1, 2}
    # the same partition a Java producer (or Flink) would pick for the key
    assert all(record.partition == java_partition(record.key or b"", 3) for record in records)

    # and every record carries the intent it was generated with
    received = sorted((r.key, r.value, dict(r.headers)[INTENT_HEADER].decode()) for r in records)
    assert received == sorted((e.key, e.value, e.intent) for e in events)
    assert {e.intent for e in events} >= {"valid", "duplicate"}


def test_publish_raw_sends_arbitrary_bytes_untouched(kafka_bootstrap: str, topic: str) -> None:
    sent = [
        (b"ord-raw-1", b"\xff\xfe not utf-8", [("x-orderflow-intent", b"invalid:not_utf8")]),
        (b"ord-raw-2", b"", {"note": "empty value"}),
        (None, b"{}", None),
    ]
    with OrderPublisher(kafka_bootstrap, topic) as publisher:
        publisher.ensure_topic(partitions=1)
        for key, value, headers in sent:
            publisher.publish_raw(key, value, headers)
    records = read_all(kafka_bootstrap, topic, expected=3)
    assert [(r.key, r.value or b"") for r in records] == [(k, v) for k, v, _ in sent]
    assert records[0].headers == (("x-orderflow-intent", b"invalid:not_utf8"),)
    assert publisher.stats.delivered == 3


def test_the_cli_creates_the_topic_and_delivers_everything(kafka_bootstrap: str, topic: str) -> None:
    result = CliRunner().invoke(
        app,
        [
            "produce", "orders", "--count", "500", "--rate", "0", "--seed", "3", "--start-time", "2026-11-24T12:00:00Z",
            "--bootstrap-servers", kafka_bootstrap, "--topic", topic, "--partitions", "3", "--invalid-ratio", "0.1",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stderr.replace("│", " ").split())
    assert "sent 500" in flat and "delivered 500" in flat and "failed 0" in flat
    assert len(read_all(kafka_bootstrap, topic, expected=500)) == 500


def test_publish_sends_the_valid_lines_as_written_and_reports_the_rest(
    kafka_bootstrap: str, topic: str, tmp_path: Path
) -> None:
    good = [e.value for e in generate_orders(20, seed=4, start_time=START, run_id="file")]
    bad = [b'{"order_id": "ord-file-x"}', json.dumps({**json.loads(good[0]), "currency": "EURO"}).encode()]
    source = tmp_path / "orders.jsonl"
    source.write_bytes(b"\n".join(good[:10] + bad + good[10:]) + b"\n")
    result = CliRunner().invoke(
        app,
        [
            "publish",
            str(source),
            "--bootstrap-servers",
            kafka_bootstrap,
            "--topic",
            topic,
            "--partitions",
            "2",
        ],
    )
    assert result.exit_code == 4, result.stderr  # sent, but some lines were rejected
    assert "line 11: event_id=(absent): is required (missing_field)" in result.stderr
    assert "line 12: currency='EURO'" in result.stderr
    records = read_all(kafka_bootstrap, topic, expected=20)
    assert sorted(r.value for r in records) == sorted(good)
    assert all(r.key == json.loads(r.value or b"")["order_id"].encode() for r in records)


def test_a_missing_topic_without_partitions_is_refused(kafka_bootstrap: str, topic: str) -> None:
    result = CliRunner().invoke(
        app, ["produce", "orders", "--count", "1", "--bootstrap-servers", kafka_bootstrap, "--topic", topic]
    )
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_an_unreachable_broker_fails_within_seconds() -> None:
    started = time.monotonic()
    with pytest.raises(BrokerUnreachable, match=r"127\.0\.0\.1:9"):
        OrderPublisher("127.0.0.1:9", connect_timeout=2)
    assert time.monotonic() - started < 5
