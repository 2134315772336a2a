"""Kafka from the steps' side: publish and remember where each record went; flows that keep
publishing in the background; the dead-letter records of a scenario; the job's committed offsets."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from fixtures.diagnostics import Evidence, PublishedRecord
from fixtures.documents import json_object
from fixtures.topics import read_topic
from producer.publisher import producer_config

INTENT_HEADER = "x-orderflow-intent"  # the producer's header (producer.generate.INTENT_HEADER)
# The producer's own client settings (idempotent, acks=all, Java's partitioner), with a delivery
# timeout that outlives a broker restart.
OVERRIDES = {"message.timeout.ms": 180_000}


def _producer(bootstrap: str) -> Producer:
    return Producer(producer_config(bootstrap, OVERRIDES))


MARKER = "marker"  # the intent of settle's marker events


@dataclass(frozen=True)
class Outgoing:
    key: bytes | None
    value: bytes | None
    intent: str = ""
    partition: int | None = None  # None: the partitioner chooses (by key)
    extra_headers: tuple[tuple[str, bytes], ...] = ()

    @property
    def headers(self) -> list[tuple[str, bytes]]:
        return [*([(INTENT_HEADER, self.intent.encode())] if self.intent else []), *self.extra_headers]


class DeliveryFailed(AssertionError):
    pass


class _Deliveries:
    """Delivery reports of one producer: each delivered record becomes evidence."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.delivered: list[PublishedRecord] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def callback(self, record: Outgoing, topic: str, published_at: datetime):  # type: ignore[no-untyped-def]
        def on_delivery(error: KafkaError | None, message: Message) -> None:
            if error is not None:
                with self._lock:
                    self.errors.append(f"{record.key!r}: {error}")
                return
            published = PublishedRecord(
                topic,
                message.partition(),
                message.offset(),
                record.key,
                record.value,
                published_at,
                record.intent,
            )
            with self._lock:
                self.delivered.append(published)
            self.evidence.record_published(published)

        return on_delivery


class Publisher:
    """Publishes records and waits until Kafka has acknowledged every one of them."""

    def __init__(self, bootstrap: str, evidence: Evidence) -> None:
        self.producer = _producer(bootstrap)
        self.evidence = evidence

    def publish(
        self, topic: str, records: Sequence[Outgoing], timeout: float = 60.0
    ) -> list[PublishedRecord]:
        deliveries = _Deliveries(self.evidence)
        for record in records:
            published_at = datetime.now(UTC)
            where = {} if record.partition is None else {"partition": record.partition}
            self.producer.produce(
                topic,
                key=record.key,
                value=record.value,
                headers=record.headers,
                on_delivery=deliveries.callback(record, topic, published_at),
                **where,
            )
            self.producer.poll(0)
        left = self.producer.flush(timeout)
        if left or deliveries.errors:
            raise DeliveryFailed(
                f"{left} of {len(records)} records not acknowledged by Kafka within {timeout:.0f}s; "
                f"errors: {deliveries.errors[:5]}"
            )
        return sorted(deliveries.delivered, key=lambda r: (r.partition, r.offset))


class Flow:
    """Records published at a steady rate from a background thread ("orders are flowing").

    Pacing waits on the flow's stop event (interruptible), not on time.sleep: the flow is a load
    generator, and `stop()` ends it at once.
    """

    def __init__(
        self, bootstrap: str, topic: str, records: Sequence[Outgoing], rate: float, evidence: Evidence
    ) -> None:
        if rate <= 0:
            raise ValueError(f"a flow's rate must be > 0, not {rate}")
        self.topic = topic
        self.records = list(records)
        self.rate = rate
        self.deliveries = _Deliveries(evidence)
        self.producer = _producer(bootstrap)
        self.produced = 0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"flow-{topic}", daemon=True)

    def start(self) -> Flow:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            started = time.monotonic()
            for index, record in enumerate(self.records):
                due = started + index / self.rate
                if self._stop.wait(max(0.0, due - time.monotonic())):
                    break
                self.producer.produce(
                    self.topic,
                    key=record.key,
                    value=record.value,
                    headers=record.headers,
                    on_delivery=self.deliveries.callback(record, self.topic, datetime.now(UTC)),
                )
                self.produced += 1
                self.producer.poll(0)
            self.producer.flush(180)  # delivery survives a broker restart: librdkafka retries
        except BaseException as exc:  # surfaced by the steps that wait on the flow
            self.error = exc
        finally:
            self._finished.set()

    @property
    def delivered(self) -> int:
        return len(self.deliveries.delivered)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def progress(self) -> str:
        errors = f", {len(self.deliveries.errors)} delivery errors" if self.deliveries.errors else ""
        return f"{self.produced} of {len(self.records)} sent, {self.delivered} acknowledged{errors}"

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=200)


# -- reading back ------------------------------------------------------------------------------
def decode_dlq(raw: bytes | None) -> dict[str, Any] | None:
    return json_object(raw)


def original_payload(record: dict[str, Any]) -> bytes:
    payload = str(record.get("payload", ""))
    if record.get("payload_encoding") == "base64":
        return base64.b64decode(payload)
    return payload.encode("utf-8")


def dlq_records_of(
    bootstrap: str, dlq_topic: str, published: Iterable[PublishedRecord]
) -> list[dict[str, Any]]:
    """The dead-letter records whose source is one of `published` (matched by topic, partition,
    offset — exact, whatever the payload), each with the published record under `_published`."""
    mine = {(r.topic, r.partition, r.offset): r for r in published}
    found = []
    for record in read_topic(bootstrap, dlq_topic, timeout=10.0):
        document = decode_dlq(record.value)
        if document is None:
            continue
        source = document.get("source") or {}
        origin = mine.get((source.get("topic"), source.get("partition"), source.get("offset")))
        if origin is not None:
            found.append({**document, "_published": origin})
    return found
