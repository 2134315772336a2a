"""Where the CLI's events go: Kafka, a JSONL file (or stdout), or nowhere (a dry run that only checks).

All three count the same way, so the runner and its summary do not care which one they drive.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from producer.contract import Rejection, validate_payload
from producer.generate import GeneratedEvent
from producer.publisher import OrderPublisher


@dataclass
class SinkCounts:
    sent: int = 0
    delivered: int = 0  # acknowledged by Kafka, or written
    failed: int = 0
    last_error: str | None = None
    rejected_by_kind: Counter[str] = field(default_factory=Counter)  # dry runs: what the contract says

    @property
    def pending(self) -> int:
        return self.sent - self.delivered - self.failed


class Sink(Protocol):
    name: str

    def send(self, event: GeneratedEvent) -> None: ...

    def wait(self, seconds: float) -> None:
        """Idle until the next event is due (the pacer decides how long)."""

    def finish(self) -> None:
        """Flush whatever is buffered; counts are final afterwards."""

    @property
    def counts(self) -> SinkCounts: ...


class KafkaSink:
    def __init__(self, publisher: OrderPublisher) -> None:
        self.publisher = publisher
        self.name = f"Kafka {publisher.bootstrap_servers} topic {publisher.topic}"

    def send(self, event: GeneratedEvent) -> None:
        self.publisher.publish(event)

    def wait(self, seconds: float) -> None:
        # Serve delivery reports, then sleep in Python: a Ctrl-C that lands inside a blocking
        # librdkafka poll() surfaces as a SystemError instead of KeyboardInterrupt.
        self.publisher.poll(0)
        time.sleep(seconds)

    def finish(self) -> None:
        self.publisher.flush()

    @property
    def counts(self) -> SinkCounts:
        stats = self.publisher.stats
        return SinkCounts(stats.sent, stats.delivered, stats.failed, stats.last_error)


class OutputClosed(Exception):
    """The reader went away (`| head`): stop producing, quietly."""


class FileSink:
    """JSONL: each event's value on its own line (values are compact JSON: never a raw newline)."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream = stream
        self.name = name
        self.written = 0  # a plain int: this runs 200,000 times a second

    def send(self, event: GeneratedEvent) -> None:
        try:
            self.stream.write(event.value + b"\n")
        except BrokenPipeError:
            raise OutputClosed from None
        self.written += 1

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)

    def finish(self) -> None:
        with contextlib.suppress(BrokenPipeError):  # the reader left: nothing to flush to
            self.stream.flush()

    @property
    def counts(self) -> SinkCounts:
        return SinkCounts(sent=self.written, delivered=self.written)


class DryRunSink:
    """Sends nothing; runs every event through the contract and counts what it would reject."""

    name = "nowhere (dry run)"

    def __init__(self) -> None:
        self._counts = SinkCounts()

    def send(self, event: GeneratedEvent) -> None:
        self._counts.sent += 1
        self._counts.delivered += 1  # "delivered" to the check: nothing stays pending
        outcome = validate_payload(event.value)
        if isinstance(outcome, Rejection):
            self._counts.rejected_by_kind[outcome.kind] += 1

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)

    def finish(self) -> None:
        pass

    @property
    def counts(self) -> SinkCounts:
        return self._counts
