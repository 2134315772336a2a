"""A stand-in for confluent-kafka's Producer, so delivery handling is tested without a broker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from confluent_kafka import KafkaError, Message

from producer.publishing import KafkaPublisher

DEAD = "127.0.0.1:9"  # nothing listens on the discard port


class FakeProducer:
    """Stands in for confluent-kafka's Producer: assigns offsets per partition on flush and
    reports each record through its per-record callback (or the client's own), like librdkafka."""

    def __init__(
        self, fail_keys: frozenset[bytes] = frozenset(), lose_keys: frozenset[bytes] = frozenset()
    ) -> None:
        self.fail_keys = fail_keys
        self.lose_keys = lose_keys  # never reported: stays pending
        self.queued: list[tuple[str, dict[str, Any]]] = []
        self.default_callback: Callable[[KafkaError | None, Message], None] | None = None
        self.offsets: dict[int, int] = {}
        self.pending = 0

    def produce(self, topic: str, **kwargs: Any) -> None:
        self.queued.append((topic, kwargs))

    def poll(self, _timeout: float = 0) -> int:
        return 0

    def flush(self, _timeout: float = 0) -> int:
        for topic, kwargs in self.queued:
            key = kwargs["key"]
            if key in self.lose_keys:
                self.pending += 1
                continue
            partition = kwargs.get("partition", len(key or b"") % 2)
            offset = self.offsets.get(partition, 0)
            self.offsets[partition] = offset + 1
            message = Message(topic=topic, partition=partition, offset=offset, key=key, value=kwargs["value"])
            error = KafkaError(KafkaError._MSG_TIMED_OUT) if key in self.fail_keys else None
            callback = kwargs.get("on_delivery", self.default_callback)
            assert callback is not None
            callback(error, message)
        self.queued = []
        return self.pending


def core_with(fake: FakeProducer) -> KafkaPublisher:
    core = KafkaPublisher(DEAD)
    fake.default_callback = core._counted
    core.producer = fake  # type: ignore[assignment]
    return core
