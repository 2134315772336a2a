"""Publishing order events to Kafka (the CLI's publisher): idempotent, acks=all, every delivery
counted. The client, the size limit and the delivery reports are producer/publishing.py's.

with OrderPublisher("localhost:9092") as publisher:      # raises BrokerUnreachable within seconds
    publisher.ensure_topic(partitions=3, retention_days=7)
    for event in generate_orders(1000, seed=1):
        publisher.publish(event)
publisher.stats                                          # sent / delivered / failed, after the flush
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from producer.generate import GeneratedEvent
from producer.markers import event_time_marker
from producer.publishing import (
    BrokerUnreachable,
    KafkaPublisher,
    PublishError,
    PublishStats,
    RecordTooLarge,
    kafka_log,
    producer_config,
)

# Re-exported: the CLI, the benches and the tests import these from here.
__all__ = [
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_TOPIC",
    "BrokerUnreachable",
    "OrderPublisher",
    "PublishError",
    "PublishStats",
    "RecordTooLarge",
    "TopicInfo",
    "producer_config",
]

DEFAULT_TOPIC = "orders.created.v1"
DEFAULT_BOOTSTRAP = "localhost:9092"

Headers = Sequence[tuple[str, bytes | str | None]] | Mapping[str, bytes | str | None]


@dataclass(frozen=True)
class TopicInfo:
    name: str
    partitions: int
    created: bool


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
        self._core = KafkaPublisher(bootstrap_servers, config)
        self._producer = self._core.producer  # metadata calls (topic_info) go to the client itself
        self.check_reachable()

    @property
    def stats(self) -> PublishStats:
        return self._core.stats

    # -- connection and topic -------------------------------------------------------------------

    def check_reachable(self) -> None:
        """Raise BrokerUnreachable unless a broker returns metadata within connect_timeout."""
        self._core.check_reachable(self.connect_timeout)

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
        self._core.send(self.topic, event.key, event.value, event.headers)

    def publish_many(self, events: Iterable[GeneratedEvent]) -> None:
        send, topic = self._core.send, self.topic
        for event in events:
            send(topic, event.key, event.value, event.headers)

    def publish_raw(
        self, key: bytes | str | None, value: bytes | str | None, headers: Headers | None = None
    ) -> None:
        """Send arbitrary bytes (tests of the DLQ path): no validation, no changes."""
        self._core.send(self.topic, _as_bytes(key), _as_bytes(value), _header_list(headers))

    def advance_event_time(self, moment: datetime, event_time_field: str = "event_time") -> int:
        """An event-time marker (producer/markers.py) at `moment` into every partition of the
        topic: each job reading it moves its watermark there, none takes it for an order. Returns
        how many partitions got one."""
        info = self.topic_info()
        if info is None:
            raise ValueError(f"topic {self.topic!r} does not exist: no partition to move event time on")
        value, headers = event_time_marker(event_time_field, moment)
        for partition in range(info.partitions):
            self._core.send(self.topic, None, value, _header_list(headers), partition=partition)
        return info.partitions

    def poll(self, timeout: float = 0.0) -> None:
        """Serve delivery reports; waits up to `timeout` seconds for one (a pacing wait that works)."""
        self._core.poll(timeout)

    def flush(self, timeout: float | None = None) -> int:
        """Wait for every sent record's delivery report; returns how many are still pending."""
        return self._core.flush(self.flush_timeout if timeout is None else timeout)

    def close(self) -> PublishStats:
        self.flush()
        return self.stats

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()  # also on Ctrl-C: what was sent gets its chance to be delivered and counted
