"""Event time under the scenario's control, on the real cluster, for any declared job.

    When event time advances to "2026-11-24T10:05:00Z" on every partition of "page.views.v1"
    Then the watermark of "page_views_job" eventually passes "2026-11-24T10:05:00Z"

The first publishes an *event-time marker* into each partition of the topic (producer/markers.py):
the instant in the topic's declared `event_time_field`, and the marker header every job drops
right after assigning its watermark. Every partition gets one, so no idle partition holds the
watermark back. The second reads the watermark each operator of the job has received from Flink's
REST API and waits until the lowest of them has passed the instant: from then on, an event
before the instant is late for the job, deterministically.

A job's watermark only moves forward, and it is one for the whole job: a feature's scenarios on
one job use instants later than those of the scenarios before them (docs/debugging.md). When the
jobs' event time has already passed a feature's dates (a warm stack, `--job=reuse`), the feature's
instants all move whole weeks ahead of it (steps/support/event_clock.py, `event_time_shift` below).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import parsers, then, when
from pytest_bdd.reporting import scenario_reports_registry

from fixtures.declaration import Declaration
from fixtures.flink_rest import FlinkRest
from fixtures.pytest_options import say
from fixtures.pytest_stack import Jobs
from fixtures.stack import Stack
from fixtures.waits import Probe
from producer.markers import event_time_marker
from steps.support.event_clock import FeatureTimes, shift_past, tier_floor
from steps.support.kafka import Outgoing, Publisher
from steps.support.scope import RunScope
from steps.support.values import parse_instant

MARKER_INTENT = "event-time marker"
WATERMARK_POLL_S = 0.25


def event_instant(text: str) -> datetime:
    """An instant as a feature writes it, in UTC; a clear error for anything else."""
    try:
        return parse_instant(text).astimezone(UTC)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO-8601 instant (e.g. 2026-11-24T10:05:00Z)") from None


@pytest.fixture(scope="session")
def event_time_shifts() -> dict[Path, timedelta]:
    """Each `@event_time` feature's shift, fixed at its first scenario of the session: its later
    scenarios continue where the first left the watermark, so they must not pick another."""
    return {}


@pytest.fixture
def event_time_shift(
    request: pytest.FixtureRequest,
    declaration: Declaration,
    jobs: Jobs,
    flink_rest: FlinkRest,
    event_time_shifts: dict[Path, timedelta],
) -> timedelta:
    """How far this scenario's instants move: zero but in an `@event_time` feature whose jobs'
    event time has already passed its dates, or whose dates are not yet beyond the horizons of
    the jobs whose features run beside it (steps/support/event_clock.py)."""
    report = scenario_reports_registry.get(request.node)
    if request.node.get_closest_marker("event_time") is None or report is None:
        return timedelta(0)
    feature = Path(report.scenario.feature.filename)
    if feature not in event_time_shifts:
        event_time_shifts[feature] = shift = _shift_for(feature, declaration, jobs, flink_rest)
        if shift:
            say(
                request.config,
                f"orderflow: {feature.name}: its instants move {shift.days} days ahead "
                "(past its jobs' event time, and beyond the horizons of the jobs that run beside them)",
            )
    return event_time_shifts[feature]


def _shift_for(feature: Path, declaration: Declaration, jobs: Jobs, flink_rest: FlinkRest) -> timedelta:
    text = feature.read_text(encoding="utf-8")
    times = FeatureTimes.read(text, declaration.named_in(text))
    if times is None or not times.jobs:
        return timedelta(0)
    watermarks = [flink_rest.lowest_watermark(jobs.running(name).job_id)[0] for name in times.jobs]
    tier = declaration.event_time_tier(text)
    below = [] if tier is None else declaration.horizons_below(tier)
    now = datetime.now(UTC)
    return shift_past(
        times,
        max((w for w in watermarks if w is not None), default=None),
        tier,
        now,
        floor=tier_floor(below, now),
    )


@when(parsers.parse('event time advances to "{instant}" on every partition of "{topic}"'))
def advance_event_time(
    instant: str, topic: str, stack: Stack, publisher: Publisher, run_scope: RunScope
) -> None:
    declared = stack.declaration
    spec = declared.topics.get(topic)
    if spec is None or spec.event_time_field is None:
        raise AssertionError(
            f'{topic!r} declares no event_time_field in {declared.source}: add `event_time_field = "<the '
            'JSON field your job reads its event time from>"` under its [topics."…"] table'
        )
    value, headers = event_time_marker(
        spec.event_time_field, run_scope.stored_instant(event_instant(instant))
    )
    publisher.publish(
        topic,
        [Outgoing(None, value, MARKER_INTENT, partition, headers) for partition in range(spec.partitions)],
    )


@then(parsers.parse('the watermark of "{name}" eventually passes "{instant}"'))
def watermark_passes(
    name: str, instant: str, jobs: Jobs, flink_rest: FlinkRest, eventually: Any, run_scope: RunScope
) -> None:
    job = jobs.running(name)
    target = run_scope.stored_instant(event_instant(instant)).timestamp() * 1000

    def passed() -> Probe:
        lowest, seen = flink_rest.lowest_watermark(job.job_id)
        return Probe(lowest is not None and lowest >= target, seen)

    # Two REST reads, refreshed by Flink every 500 ms (metrics.fetcher.update-interval): cheap enough
    # to repeat at a fixed pace, and the watermark can pass any moment.
    eventually(f"the watermark of {name} to pass {instant}", passed, interval=WATERMARK_POLL_S)
