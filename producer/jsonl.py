"""Events from a user's JSONL file: each line checked against the contract before it may be sent."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from producer.contract import Rejection, validate_payload
from producer.generate import VALID, GeneratedEvent


def file_events(
    lines: Iterable[bytes], on_reject: Callable[[int, Rejection], None]
) -> Iterator[GeneratedEvent]:
    """The valid lines as events keyed by order id, sent as written (not re-encoded); each invalid
    line goes to `on_reject(line_number, rejection)` instead. Blank lines are skipped."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        outcome = validate_payload(line)
        if isinstance(outcome, Rejection):
            on_reject(number, outcome)
        else:
            yield GeneratedEvent(outcome.order_id.encode(), line, VALID)
