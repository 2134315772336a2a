"""Kafka from the steps' side: publish and remember where each record went; flows that keep
publishing in the background; the dead-letter records of a scenario; the job's committed offsets."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fixtures.diagnostics import Evidence, PublishedRecord
from fixtures.documents import json_object
from fixtures.topics import read_topic
from producer.intent import INTENT_HEADER
from producer.publishing import Delivery, DeliveryLog, KafkaPublisher, PublishError
from producer.publishing import DeliveryFailed as _CoreDeliveryFailed

# The producer's own client settings (idempotent, acks=all, Java's partitioner), with a delivery
# timeout that outlives a broker restart.
OVERRIDES = {"message.timeout.ms": 180_000}

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


class DeliveryFailed(_CoreDeliveryFailed, AssertionError):
    """A step's records were not all acknowledged: the scenario fails (an AssertionError)."""


def _published(d: Delivery) -> PublishedRecord:
    return PublishedRecord(d.topic, d.partition, d.offset, d.key, d.value, d.sent_at, d.label)


def _evidence_log(evidence: Evidence) -> DeliveryLog:
    """A delivery log whose every acknowledged record becomes the scenario's evidence."""
    return DeliveryLog(on_delivered=lambda delivery: evidence.record_published(_published(delivery)))


def _send(core: KafkaPublisher, topic: str, record: Outgoing, log: DeliveryLog) -> None:
    core.send(
        topic,
        record.key,
        record.value,
        record.headers,
        partition=record.partition,
        log=log,
        label=record.intent,
    )


class SharedProducer:
    """The one producer client of a session's publishing steps. A new idempotent client waits
    ~0.5 s for its producer id (librdkafka retries the id request on a 500 ms timer once it has
    swapped the bootstrap connection for the broker's own), which each scenario paid when it made
    its own. Made at once, it connects in the background while the session does other things.
    A step whose records were not all acknowledged drops it: a client a broker fault left in a
    failed state must not fail the scenarios after it; the next step makes a new one."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._core: KafkaPublisher | None = KafkaPublisher(bootstrap, OVERRIDES)

    @property
    def core(self) -> KafkaPublisher:
        if self._core is None:
            self._core = KafkaPublisher(self.bootstrap, OVERRIDES)
        return self._core

    def drop(self) -> None:
        self._core = None


class Publisher:
    """Publishes records and waits until Kafka has acknowledged every one of them; each
    acknowledged record becomes this scenario's evidence."""

    def __init__(self, producer: SharedProducer, evidence: Evidence) -> None:
        self.producer = producer
        self.evidence = evidence

    def publish(
        self, topic: str, records: Sequence[Outgoing], timeout: float = 60.0
    ) -> list[PublishedRecord]:
        """The records as Kafka stored them, sorted by (partition, offset)."""
        log = _evidence_log(self.evidence)
        core = self.producer.core
        try:
            for record in records:
                _send(core, topic, record, log)
            return [_published(d) for d in core.settle(log, len(records), timeout)]
        except _CoreDeliveryFailed as exc:
            self.producer.drop()
            raise DeliveryFailed(str(exc)) from None
        except PublishError:
            self.producer.drop()
            raise


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
        self.deliveries = _evidence_log(evidence)
        self.core = KafkaPublisher(bootstrap, OVERRIDES)
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
                _send(self.core, self.topic, record, self.deliveries)
                self.produced += 1
                self.core.poll(0)
            self.core.flush(180)  # delivery survives a broker restart: librdkafka retries
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
# A dead letter is stored after its source record, but the job may write it before the delivery
# report that stamps the source record's `published_at` reaches us; a broker in a container
# stamps with the same kernel clock. This margin covers both, with room to spare.
DLQ_CLOCK_MARGIN = timedelta(seconds=30)


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
    offset — exact, whatever the payload), each with the published record under `_published`.
    Only the dead letters stored since the first of them was published are read: the topic keeps
    every run's, some of a megabyte, and reading them all made every look slower on a stack that
    stays up."""
    mine = {(r.topic, r.partition, r.offset): r for r in published}
    if not mine:
        return []
    since = min(r.published_at for r in mine.values()) - DLQ_CLOCK_MARGIN
    found = []
    for record in read_topic(bootstrap, dlq_topic, since=since, timeout=10.0):
        document = decode_dlq(record.value)
        if document is None:
            continue
        source = document.get("source") or {}
        origin = mine.get((source.get("topic"), source.get("partition"), source.get("offset")))
        if origin is not None:
            found.append({**document, "_published": origin})
    return found
