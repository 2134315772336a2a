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
one job use instants later than those of the scenarios before them (docs/debugging.md).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pytest_bdd import parsers, then, when

from fixtures.flink_rest import FlinkRest
from fixtures.pytest_stack import Jobs
from fixtures.stack import Stack
from fixtures.waits import Probe
from producer.markers import EVENT_TIME_MARKER, MARKER_HEADER
from steps.support.kafka import Outgoing, Publisher
from steps.support.values import parse_instant

MARKER_INTENT = "event-time marker"


def event_instant(text: str) -> datetime:
    """An instant as a feature writes it, in UTC; a clear error for anything else."""
    try:
        return parse_instant(text).astimezone(UTC)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO-8601 instant (e.g. 2026-11-24T10:05:00Z)") from None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@when(parsers.parse('event time advances to "{instant}" on every partition of "{topic}"'))
def advance_event_time(instant: str, topic: str, stack: Stack, publisher: Publisher) -> None:
    declared = stack.declaration
    spec = declared.topics.get(topic)
    if spec is None or spec.event_time_field is None:
        raise AssertionError(
            f'{topic!r} declares no event_time_field in {declared.source}: add `event_time_field = "<the '
            'JSON field your job reads its event time from>"` under its [topics."…"] table'
        )
    moment = event_instant(instant)
    value = json.dumps({spec.event_time_field: _iso(moment)}).encode()
    header = ((MARKER_HEADER, EVENT_TIME_MARKER),)
    publisher.publish(
        topic,
        [Outgoing(None, value, MARKER_INTENT, partition, header) for partition in range(spec.partitions)],
    )


def lowest_watermark(rest: FlinkRest, job_id: str) -> tuple[int | None, str]:
    """The lowest watermark (epoch ms) any subtask after the sources has received, and what was
    seen: None while some operator has none yet."""
    lowest: int | None = None
    waiting = []
    detail = rest.job(job_id)
    # A source has no input, so no input watermark: it is the one that makes them.
    sources = {node["id"] for node in detail.get("plan", {}).get("nodes", []) if not node.get("inputs")}
    for vertex in detail.get("vertices", []):
        if vertex["id"] in sources:
            continue
        values = [int(m["value"]) for m in rest.vertex_watermarks(job_id, vertex["id"])]
        if not values or min(values) <= -(2**62):  # Long.MIN_VALUE: no watermark yet
            waiting.append(vertex.get("name", vertex["id"])[:40])
            continue
        lowest = min(values) if lowest is None else min(lowest, min(values))
    if waiting:
        return None, f"no watermark yet at {', '.join(waiting)}"
    return (
        lowest,
        f"lowest watermark {_iso(datetime.fromtimestamp(lowest / 1000, UTC))}" if lowest else "none",
    )


@then(parsers.parse('the watermark of "{name}" eventually passes "{instant}"'))
def watermark_passes(name: str, instant: str, jobs: Jobs, flink_rest: FlinkRest, eventually: Any) -> None:
    job = jobs.running(name)
    target = event_instant(instant).timestamp() * 1000

    def passed() -> Probe:
        lowest, seen = lowest_watermark(flink_rest, job.job_id)
        return Probe(lowest is not None and lowest >= target, seen)

    eventually(f"the watermark of {name} to pass {instant}", passed)
