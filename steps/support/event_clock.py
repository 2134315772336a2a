"""Where an `@event_time` feature's instants land: as written, or whole weeks later.

A job's watermark only moves forward, and it outlives a test session when the jobs are reused
(`--job=reuse` on a warm stack, the loop of README "One scenario in seconds"): after one run of
features/customer_segments.feature every job reading the orders topic is in mid-2029, and a second
run's orders dated January 2029 would all be late. So, when a job the feature names has already
passed the earliest instant the feature writes, every instant of the feature — published, awaited
and expected — moves forward by the same whole number of weeks, to a week past that watermark.
Whole weeks keep the time of day, the weekday and every window boundary; within the feature,
instants keep their order and their distances.

Tiers let features of different jobs run side by side (`pytest -n`, fixtures/pytest_parallel.py).
Every job reading the topic sees every feature's orders, so a feature dated ahead of another would
carry the other's job past its dates. A job follows event time only up to its declared horizon
(WATERMARK_MAX_AHEAD_MS) ahead of the Kafka timestamp; an event further ahead moves none of its
watermarks. A feature's tier is the shortest horizon of the jobs it names, and its instants start
a week beyond every shorter declared horizon from now (its `floor`): there they move no watermark
of a lower tier's jobs, while a lower tier's orders are behind its own jobs' event time, late for
them and harmless. Features of one tier run one after another, in one worker, in file order.

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
    def read(cls, text: str, named_jobs: Iterable[str]) -> FeatureTimes | None:
        """None for a feature that writes no instant."""
        instants = [parse_instant(match) for match in _INSTANT.findall(text)]
        if not instants:
            return None
        return cls(min(instants), max(instants), tuple(named_jobs))


def tier_floor(horizons_below: list[int], now: datetime) -> datetime | None:
    """Where a feature's tier starts: a week beyond the longest of the shorter horizons, from now
    (None for the lowest tier)."""
    return now + timedelta(milliseconds=max(horizons_below)) + WEEK if horizons_below else None


def shift_past(
    times: FeatureTimes,
    watermark_ms: int | None,
    max_ahead_ms: int | None,
    now: datetime,
    floor: datetime | None = None,
) -> timedelta:
    """The whole weeks that put the feature's earliest instant more than a week past the jobs'
    watermark (zero while the watermark is before it) and at or after `floor` (the start of the
    feature's tier, see the module's docstring). The shifted feature must stay within the jobs'
    WATERMARK_MAX_AHEAD_MS of now: beyond it a job takes an event's Kafka timestamp for its event
    time, and every window would be wrong."""
    shift = timedelta(0)
    watermark = None if watermark_ms is None else datetime.fromtimestamp(watermark_ms / 1000, UTC)
    if watermark is not None and watermark >= times.earliest:
        shift = WEEK * ((watermark - times.earliest) // WEEK + 2)
    if floor is not None and times.earliest + shift < floor:
        shift = WEEK * -((times.earliest - floor) // WEEK)  # the whole weeks that reach the floor
    limit = None if max_ahead_ms is None else now + timedelta(milliseconds=max_ahead_ms)
    if limit is not None and times.latest + shift > limit:
        where = (
            ""
            if watermark is None
            else f"event time is at {watermark:%Y-%m-%d %H:%M} UTC after earlier runs; "
        )
        raise EventTimeExhausted(
            f"{', '.join(times.jobs)}: {where}"
            f"this feature's instants, moved {shift.days} days later to stay ahead of it, would end on "
            f"{times.latest + shift:%Y-%m-%d}, beyond how far ahead of now the job follows event time "
            f"({limit:%Y-%m-%d}, WATERMARK_MAX_AHEAD_MS). Start the job afresh (its event time with it): "
            "`analytics-stack submit --fresh <job>`, or `analytics-stack up --clean`"
        )
    return shift
