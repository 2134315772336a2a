"""Where an `@event_time` feature's instants land: as written, or whole weeks later.

A job's watermark only moves forward, and it outlives a test session when the jobs are reused
(`--job=reuse` on a warm stack, the loop of README "One scenario in seconds"): after one run of
features/customer_segments.feature every job reading the orders topic is in mid-2029, and a second
run's orders dated January 2029 would all be late. So, when a job the feature names has already
passed the earliest instant the feature writes, every instant of the feature — published, awaited
and expected — moves forward by the same whole number of weeks, to a week past that watermark.
Whole weeks keep the time of day, the weekday and every window boundary; within the feature,
instants keep their order and their distances. A fresh stack needs no shift, and gets none.

The shift is the run scope's (steps/support/scope.py): it is applied where the steps read an
instant, and undone where they show a stored one, so the feature still reads as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from steps.support.values import parse_instant

WEEK = timedelta(weeks=1)
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


class EventTimeExhausted(AssertionError):
    """The shift would carry the feature beyond how far ahead of now a job follows event time."""


@dataclass(frozen=True)
class FeatureTimes:
    """The span of instants a feature file writes, and the declared jobs it names."""

    earliest: datetime
    latest: datetime
    jobs: tuple[str, ...]

    @classmethod
    def read(cls, text: str, declared_jobs: Iterable[str]) -> FeatureTimes | None:
        """None for a feature that writes no instant."""
        instants = [parse_instant(match) for match in _INSTANT.findall(text)]
        if not instants:
            return None
        named = tuple(job for job in declared_jobs if f'"{job}"' in text)
        return cls(min(instants), max(instants), named)


def shift_past(
    times: FeatureTimes, watermark_ms: int | None, max_ahead_ms: int | None, now: datetime
) -> timedelta:
    """Zero while the watermark is before the feature's earliest instant; else the whole weeks that
    put the earliest instant more than a week past it. The shifted feature must stay within the
    jobs' WATERMARK_MAX_AHEAD_MS of now: beyond it a job takes an event's Kafka timestamp for its
    event time, and every window would be wrong."""
    if watermark_ms is None:
        return timedelta(0)
    watermark = datetime.fromtimestamp(watermark_ms / 1000, UTC)
    if watermark < times.earliest:
        return timedelta(0)
    shift = WEEK * ((watermark - times.earliest) // WEEK + 2)
    limit = None if max_ahead_ms is None else now + timedelta(milliseconds=max_ahead_ms)
    if limit is not None and times.latest + shift > limit:
        raise EventTimeExhausted(
            f"{', '.join(times.jobs)}: event time is at {watermark:%Y-%m-%d %H:%M} UTC after earlier runs; "
            f"this feature's instants, moved {shift.days} days later to stay ahead of it, would end on "
            f"{times.latest + shift:%Y-%m-%d}, beyond how far ahead of now the job follows event time "
            f"({limit:%Y-%m-%d}, WATERMARK_MAX_AHEAD_MS). Start the job afresh (its event time with it): "
            "`analytics-stack submit --fresh <job>`, or `analytics-stack up --clean`"
        )
    return shift
