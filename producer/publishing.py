"""The one Kafka publishing core: client settings, sending within the broker's size limit, and
delivery reports (where each record went, or why it did not).

The CLI's `OrderPublisher` (producer/publisher.py) and the steps' `Publisher` and `Flow`
(steps/support/kafka.py) are thin layers over `KafkaPublisher`:

core = KafkaPublisher("localhost:9092")
log = DeliveryLog()
core.send("orders.created.v1", b"key", b"value", log=log)
core.settle(log, expected=1, timeout=60)     # raises DeliveryFailed unless Kafka acknowledged it
log.in_order()                               # [Delivery(topic, partition, offset, key, value, ...)]
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Message, Producer

# librdkafka's own log lines (connection refused, retries...) go to this logger instead of raw
# stderr: the publishers report what matters themselves, as one clear error or the counts.
kafka_log = logging.getLogger("producer.kafka")
kafka_log.addHandler(logging.NullHandler())

# The largest record the client sends: librdkafka's default `message.max.bytes`, just under the
# broker's own default (1 MiB + 12). Above it librdkafka refuses the record with a bare
# MSG_SIZE_TOO_LARGE; checking first lets the error say which record and by how much.
MAX_RECORD_BYTES = 1_000_000
ERRORS_KEPT = 20  # failed deliveries remembered with their reason (all of them are counted)
_POLL_EVERY = 1000  # delivery callbacks only run inside poll()/flush(): serve them this often

Headers = Sequence[tuple[str, bytes | str | None]]


class BrokerUnreachable(ConnectionError):
    """No Kafka broker answered at the given address within the connect timeout."""


class PublishError(RuntimeError):
    """Kafka refused an operation (topic creation, a produce call) for a reason other than reachability."""


class RecordTooLarge(PublishError):
    """A record over the broker's size limit: Kafka would refuse it, so it is not sent."""


class DeliveryFailed(PublishError):
    """Records sent but not acknowledged: delivery errors, or no report within the timeout."""


def client_config(bootstrap_servers: str, **settings: Any) -> dict[str, Any]:
    """Any Kafka client of ours (admin, consumer): its librdkafka log lines go to Python logging
    (`producer.kafka`), shown by pytest on a failure or with `-v`, never raw on stderr while a
    broker boots."""
    return {"bootstrap.servers": bootstrap_servers, "logger": kafka_log, **settings}


def producer_config(bootstrap_servers: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "bootstrap.servers": bootstrap_servers,
        "client.id": "analytics-producer",
        "enable.idempotence": True,  # no duplicates or reordering from the client's own retries
        "acks": "all",
        # Java's partitioner: the same key lands in the same partition whichever client
        # (Java, Flink, this one) produced it. librdkafka's default (crc32) would disagree.
        "partitioner": "murmur2_random",
        "linger.ms": 5,  # batch a little: the throughput of --rate 0 depends on it
        "message.timeout.ms": 30_000,  # a dead broker fails deliveries in 30 s, not librdkafka's 5 min
        "message.max.bytes": MAX_RECORD_BYTES,
        "logger": kafka_log,
        **(overrides or {}),
    }


@dataclass(frozen=True)
class Delivery:
    """One record Kafka acknowledged, with where it put it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    sent_at: datetime  # when it was handed to the client
    label: str = ""  # the sender's name for the record (the steps: its intent)


@dataclass
class PublishStats:
    sent: int = 0  # handed to the client
    delivered: int = 0  # acknowledged by all in-sync replicas
    failed: int = 0  # delivery reported an error
    last_error: str | None = None

    @property
    def pending(self) -> int:
        """Sent but not reported yet: after a flush, these did not make it within the timeout."""
        return self.sent - self.delivered - self.failed


class DeliveryLog:
    """The delivery reports of the records sent with it: each delivered record with its partition
    and offset, each failure with its reason. Reports arrive on whichever thread polls the client,
    so the lists are guarded; `on_delivered` runs for each acknowledged record as it arrives."""

    def __init__(self, on_delivered: Callable[[Delivery], None] | None = None) -> None:
        self.delivered: list[Delivery] = []
        self.errors: list[str] = []
        self.failed = 0
        self._on_delivered = on_delivered
        self._lock = threading.Lock()

    def report(self, delivery: Delivery) -> None:
        with self._lock:
            self.delivered.append(delivery)
        if self._on_delivered is not None:
            self._on_delivered(delivery)

    def fail(self, key: bytes | None, reason: str) -> None:
        with self._lock:
            self.failed += 1
            if len(self.errors) < ERRORS_KEPT:
                self.errors.append(f"{key!r}: {reason}")

    def in_order(self) -> list[Delivery]:
        """The delivered records sorted by (partition, offset): the order a consumer reads them."""
        with self._lock:
            return sorted(self.delivered, key=lambda d: (d.partition, d.offset))


def record_size(key: bytes | None, value: bytes | None, headers: Headers | None) -> int:
    """The bytes of a record's key, value and headers: what counts against `message.max.bytes`
    (librdkafka adds a few bytes of framing; a record that close to the limit fails in produce)."""
    size = len(key or b"") + len(value or b"")
    for name, data in headers or ():  # a loop, not sum(generator): this runs for every record
        size += len(name) + len(data or b"")
    return size


class KafkaPublisher:
    """One confluent-kafka producer: sends records within the size limit, counts every delivery
    report in `stats`, and hands each report of a record sent with a `DeliveryLog` to that log."""

    def __init__(
        self,
        bootstrap_servers: str,
        overrides: Mapping[str, Any] | None = None,
        *,
        max_record_bytes: int = MAX_RECORD_BYTES,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.max_record_bytes = max_record_bytes
        self.stats = PublishStats()
        config = producer_config(bootstrap_servers, overrides)
        self.producer = Producer({**config, "on_delivery": self._counted})
        self._since_poll = 0

    def check_reachable(self, timeout: float) -> None:
        """Raise BrokerUnreachable unless a broker returns metadata within `timeout` seconds."""
        try:
            metadata = self.producer.list_topics(timeout=timeout)
        except KafkaException as exc:
            raise BrokerUnreachable(
                f"no Kafka broker answered at {self.bootstrap_servers} within {timeout:g} s "
                f"({exc.args[0].str() if exc.args else exc}); is it running? set --bootstrap-servers "
                "or KAFKA_BOOTSTRAP_SERVERS"
            ) from None
        if not metadata.brokers:
            raise BrokerUnreachable(f"Kafka at {self.bootstrap_servers} returned no brokers")

    def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        headers: Headers | None = None,
        *,
        partition: int | None = None,
        log: DeliveryLog | None = None,
        label: str = "",
    ) -> None:
        """Hand one record to the client; its delivery report comes later (poll, flush, settle)."""
        if headers is not None and not isinstance(headers, list):
            headers = list(headers)  # confluent-kafka takes a list or a dict, refuses a tuple
        size = record_size(key, value, headers)
        if size > self.max_record_bytes:
            raise RecordTooLarge(
                f"a record of {size:,} bytes (key {key[:40] if key else key!r}) is over the broker's "
                f"limit of {self.max_record_bytes:,} bytes (message.max.bytes); Kafka would refuse it"
            )
        # The CLI sends here flat out: no per-record dict or callback unless the caller needs them.
        extra: dict[str, Any] | None = None
        if partition is not None or log is not None:
            extra = {} if partition is None else {"partition": partition}
            if log is not None:  # a per-record callback replaces the client's: it counts too
                sent = (topic, key, value, datetime.now(UTC), label)
                extra["on_delivery"] = partial(self._logged, log, sent)
        while True:
            try:
                if extra is None:
                    self.producer.produce(topic, value=value, key=key, headers=headers)
                else:
                    self.producer.produce(topic, value=value, key=key, headers=headers, **extra)
                break
            except BufferError:  # the local queue is full: wait for deliveries to drain some
                self.producer.poll(0.05)
            except KafkaException as exc:
                if exc.args and exc.args[0].code() == KafkaError.MSG_SIZE_TOO_LARGE:  # framing tipped it over
                    raise RecordTooLarge(f"a record of ~{size:,} bytes for {topic!r}: {exc}") from None
                raise PublishError(f"Kafka refused a record for {topic!r}: {exc}") from None
        self.stats.sent += 1
        self._since_poll += 1
        if self._since_poll >= _POLL_EVERY:
            self._since_poll = 0
            self.producer.poll(0)

    def poll(self, timeout: float = 0.0) -> None:
        """Serve delivery reports; waits up to `timeout` seconds for one."""
        self.producer.poll(timeout)

    def flush(self, timeout: float) -> int:
        """Wait for every sent record's delivery report; returns how many are still pending."""
        pending: int = self.producer.flush(timeout)
        # Recount from the client's side: a Ctrl-C between produce() and `sent += 1` must not
        # leave a record delivered but never counted as sent.
        self.stats.sent = self.stats.delivered + self.stats.failed + pending
        return pending

    def settle(self, log: DeliveryLog, expected: int, timeout: float) -> list[Delivery]:
        """Flush, then insist that all `expected` records of `log` were acknowledged: the
        deliveries in (partition, offset) order, or DeliveryFailed saying what went wrong."""
        self.flush(timeout)
        delivered = log.in_order()
        if len(delivered) < expected or log.errors:
            unreported = expected - len(delivered) - log.failed
            raise DeliveryFailed(
                f"{expected - len(delivered)} of {expected} records not acknowledged by Kafka at "
                f"{self.bootstrap_servers} ({log.failed} failed, {unreported} without a report within "
                f"{timeout:.0f} s); errors: {log.errors[:5]}"
            )
        return delivered

    def _counted(self, error: KafkaError | None, _message: Message) -> None:
        if error is None:
            self.stats.delivered += 1
        else:
            self.stats.failed += 1
            self.stats.last_error = error.str()

    def _logged(
        self,
        log: DeliveryLog,
        sent: tuple[str, bytes | None, bytes | None, datetime, str],
        error: KafkaError | None,
        message: Message,
    ) -> None:
        self._counted(error, message)
        topic, key, value, sent_at, label = sent
        if error is not None:
            log.fail(key, error.str())
        else:
            log.report(Delivery(topic, message.partition(), message.offset(), key, value, sent_at, label))
