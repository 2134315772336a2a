"""Publishing order events to Kafka with confluent-kafka: idempotent, acks=all, every delivery counted.

with OrderPublisher("localhost:9092") as publisher:      # raises BrokerUnreachable within seconds
    publisher.ensure_topic(partitions=3, retention_days=7)
    for event in generate_orders(1000, seed=1):
        publisher.publish(event)
publisher.stats                                          # sent / delivered / failed, after the flush
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from producer.generate import GeneratedEvent

DEFAULT_TOPIC = "orders.created.v1"
DEFAULT_BOOTSTRAP = "localhost:9092"
# librdkafka's own log lines (connection refused, retries...) go to this logger instead of raw
# stderr: the publisher reports what matters itself, as one clear error or the counts.
kafka_log = logging.getLogger("producer.kafka")
kafka_log.addHandler(logging.NullHandler())

Headers = Sequence[tuple[str, bytes | str | None]] | Mapping[str, bytes | str | None]


class BrokerUnreachable(ConnectionError):
    """No Kafka broker answered at the given address within the connect timeout."""


class PublishError(RuntimeError):
    """Kafka refused an operation (topic creation, a produce call) for a reason other than reachability."""


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


@dataclass(frozen=True)
class TopicInfo:
    name: str
    partitions: int
    created: bool


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
        "logger": kafka_log,
        **(overrides or {}),
    }


def _header_list(headers: Headers | None) -> list[tuple[str, bytes | str | None]]:
    if headers is None:
        return []
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)


def _as_bytes(data: bytes | str | None) -> bytes | None:
    return data.encode() if isinstance(data, str) else data


class OrderPublisher:
    """A Kafka producer for order events. Construct it inside `with` (flushes on exit), or call
    `close()`. The constructor checks that the broker answers, within `connect_timeout` seconds."""

    def __init__(
        self,
        bootstrap_servers: str = DEFAULT_BOOTSTRAP,
        topic: str = DEFAULT_TOPIC,
        *,
        connect_timeout: float = 5.0,
        flush_timeout: float = 60.0,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.connect_timeout = connect_timeout
        self.flush_timeout = flush_timeout
        self.stats = PublishStats()
        self._producer = Producer(
            {**producer_config(bootstrap_servers, config), "on_delivery": self._on_delivery}
        )
        self._since_poll = 0
        self.check_reachable()

    # -- connection and topic -------------------------------------------------------------------

    def check_reachable(self) -> None:
        """Raise BrokerUnreachable unless a broker returns metadata within connect_timeout."""
        try:
            metadata = self._producer.list_topics(timeout=self.connect_timeout)
        except KafkaException as exc:
            raise BrokerUnreachable(
                f"no Kafka broker answered at {self.bootstrap_servers} within {self.connect_timeout:g} s "
                f"({exc.args[0].str() if exc.args else exc}); is it running? set --bootstrap-servers "
                "or KAFKA_BOOTSTRAP_SERVERS"
            ) from None
        if not metadata.brokers:
            raise BrokerUnreachable(f"Kafka at {self.bootstrap_servers} returned no brokers")

    def topic_info(self) -> TopicInfo | None:
        """The topic as the broker knows it, or None when it does not exist."""
        # All topics, not just ours: asking for one by name lets a broker with
        # auto.create.topics.enable create it on the spot, with its default partition count.
        found = self._producer.list_topics(timeout=self.connect_timeout).topics.get(self.topic)
        if found is None or found.error is not None:
            return None
        return TopicInfo(self.topic, len(found.partitions), created=False)

    def ensure_topic(
        self, partitions: int = 3, retention_days: float = 7, replication_factor: int = 1
    ) -> TopicInfo:
        """Create the topic when missing (dev-friendly retention); an existing one is left as it is."""
        existing = self.topic_info()
        if existing is not None:
            return existing
        admin = AdminClient({"bootstrap.servers": self.bootstrap_servers, "logger": kafka_log})
        retention_ms = int(retention_days * 24 * 3600 * 1000)
        new_topic = NewTopic(
            self.topic,
            num_partitions=partitions,
            replication_factor=replication_factor,
            config={"retention.ms": str(retention_ms)},
        )
        try:
            admin.create_topics([new_topic], operation_timeout=self.connect_timeout)[self.topic].result(
                timeout=self.connect_timeout * 4
            )
        except KafkaException as exc:
            if exc.args and exc.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS:  # lost a race: fine
                return self.ensure_topic(partitions, retention_days, replication_factor)
            raise PublishError(f"could not create topic {self.topic!r}: {exc}") from None
        return TopicInfo(self.topic, partitions, created=True)

    # -- sending ----------------------------------------------------------------------------------

    def publish(self, event: GeneratedEvent) -> None:
        """Send one generated event: key = order id, value = its JSON, its intent as a header."""
        self._produce(event.key, event.value, event.headers)

    def publish_many(self, events: Iterable[GeneratedEvent]) -> None:
        for event in events:
            self._produce(event.key, event.value, event.headers)

    def publish_raw(
        self, key: bytes | str | None, value: bytes | str | None, headers: Headers | None = None
    ) -> None:
        """Send arbitrary bytes (tests of the DLQ path): no validation, no changes."""
        self._produce(_as_bytes(key), _as_bytes(value), _header_list(headers))

    def _produce(self, key: bytes | None, value: bytes | None, headers: list[tuple[str, Any]]) -> None:
        while True:
            try:
                self._producer.produce(self.topic, value=value, key=key, headers=headers)
                break
            except BufferError:  # the local queue is full: wait for deliveries to drain some
                self._producer.poll(0.05)
            except KafkaException as exc:
                raise PublishError(f"Kafka refused a record for {self.topic!r}: {exc}") from None
        self.stats.sent += 1
        self._since_poll += 1
        if self._since_poll >= 1000:  # delivery callbacks only run inside poll()/flush()
            self._since_poll = 0
            self._producer.poll(0)

    def poll(self, timeout: float = 0.0) -> None:
        """Serve delivery reports; waits up to `timeout` seconds for one (a pacing wait that works)."""
        self._producer.poll(timeout)

    def flush(self, timeout: float | None = None) -> int:
        """Wait for every sent record's delivery report; returns how many are still pending."""
        pending = self._producer.flush(self.flush_timeout if timeout is None else timeout)
        # Recount from the client's side: a Ctrl-C between produce() and `sent += 1` must not
        # leave a record delivered but never counted as sent.
        self.stats.sent = self.stats.delivered + self.stats.failed + pending
        return pending

    def close(self) -> PublishStats:
        self.flush()
        return self.stats

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()  # also on Ctrl-C: what was sent gets its chance to be delivered and counted

    def _on_delivery(self, error: KafkaError | None, _message: Message) -> None:
        if error is None:
            self.stats.delivered += 1
        else:
            self.stats.failed += 1
            self.stats.last_error = error.str()
