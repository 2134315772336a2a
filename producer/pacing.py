"""Pacing a stream to a target rate, and the small parsers of the CLI's time options.

The pacer never spins: it computes when the next event is due on the monotonic clock and hands
the gap to a `wait` function. The CLI passes the Kafka client's `poll`, so waiting serves delivery
reports instead of sleeping idle; tests pass a fake clock and record the waits.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

MIN_WAIT = 0.001  # below this, waiting costs more than it saves: run ahead, catch up next time

_SECONDS = re.compile(r"\d+(?:\.\d+)?")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class Pacer:
    """Spaces events `1/rate` seconds apart on average; `rate` 0 means no pacing at all."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[float], object] = time.sleep,
    ) -> None:
        if rate < 0:
            raise ValueError(f"rate must be >= 0, not {rate}")
        self.interval = 1.0 / rate if rate else 0.0
        self.clock = clock
        self.wait = wait
        self.started = clock()
        self.count = 0

    def pace(self) -> None:
        """Call before each event: returns once it is due."""
        if self.interval:
            # Due times count from the start, not from the previous event, so small oversleeps do
            # not accumulate into a lower rate.
            due = self.started + self.count * self.interval
            ahead = due - self.clock()
            if ahead >= MIN_WAIT:
                self.wait(ahead)
        self.count += 1


def parse_duration(text: str) -> timedelta:
    """'30s', '5m', '1h30m', '250ms', '2d' or a plain number of seconds ('45')."""
    cleaned = text.strip().lower()
    if _SECONDS.fullmatch(cleaned):
        parts = [(cleaned, "s")]
    else:
        parts = _DURATION_PART.findall(cleaned)
        if not parts or "".join(number + unit for number, unit in parts) != cleaned:
            raise ValueError(f"{text!r} is not a duration; use e.g. 30s, 5m, 1h30m, 250ms or 2d")
    try:
        return timedelta(seconds=sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts))
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration") from None


def parse_start_time(text: str) -> datetime:
    """ISO-8601 with an offset ('2026-11-24T12:00:00Z'), or 'now'."""
    if text.strip().lower() == "now":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not ISO-8601; use e.g. 2026-11-24T12:00:00Z") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{text!r} has no offset; add Z or +HH:MM so the events are reproducible")
    return moment.astimezone(UTC)
