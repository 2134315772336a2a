"""Fixtures the step library shares: the run scope, publishing, flows, what one step leaves for
the next, and `settle` (the job has processed everything this scenario published).

Fixtures are the only shared state between steps, as pytest-bdd means them to be: a step that
leaves something for a later one returns it with `target_fixture` (`published_batch`, `flow`,
`fault`), which replaces the fixture's empty default below for the rest of the scenario. Override
`run_scoped_columns` or `default_event` in a conftest to use the library on another pipeline's events.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fixtures.diagnostics import Evidence
from fixtures.flink_rest import FlinkRest
from fixtures.progress import JobProgress, last_offsets
from fixtures.pytest_stack import Jobs
from fixtures.stack import Stack
from fixtures.waits import Probe
from steps.support.kafka import Flow, Outgoing, Publisher, SharedProducer
from steps.support.scope import DEFAULT_PREFIXES, RunScope
from steps.support.values import FieldValue

DefaultEvent = Callable[[RunScope, int], dict[str, FieldValue]]


@pytest.fixture
def run_scoped_columns() -> Mapping[str, str]:
    """Columns that carry the run id, and their conventional prefix (the producer's)."""
    return dict(DEFAULT_PREFIXES)


@pytest.fixture
def run_scope(
    evidence: Evidence, run_scoped_columns: Mapping[str, str], event_time_shift: timedelta
) -> RunScope:
    if event_time_shift:
        evidence.notes.append(
            f"event time: every instant of this feature is published, awaited and expected {event_time_shift.days} "
            "days later than written, as the jobs' event time had already passed its dates (steps/support/event_clock.py)"
        )
    return RunScope(evidence.run_id, run_scoped_columns, event_time_shift=event_time_shift)


def order_created_v1(scope: RunScope, n: int) -> dict[str, FieldValue]:
    """A valid Order Created v1 of this run; a datatable overrides any field."""
    return {
        "event_id": scope.scoped("event_id", f"#{n}"),
        "event_time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "order_id": scope.scoped("order_id", str(n)),
        "user_id": scope.scoped("user_id", "1"),
        "order_amount": "10.00",
        "currency": "EUR",
        "order_status": "CREATED",
    }


@pytest.fixture
def default_event() -> DefaultEvent:
    """The event a step publishes before a datatable or a literal changes it."""
    return order_created_v1


@pytest.fixture
def sequence() -> Iterator[int]:
    """Numbers the events a scenario's steps build from `default_event`: 1, 2, 3…"""
    return itertools.count(1)


@pytest.fixture
def published_batch() -> list[Outgoing]:
    """The records the last publishing step sent (its `target_fixture`); none before one ran."""
    return []


@pytest.fixture
def flow() -> Flow | None:
    """The flow `Given … start flowing …` started (its `target_fixture`); None before."""
    return None


@dataclass(frozen=True)
class Fault:
    """What a fault step did, and the wall clock (epoch s) when it ended: a job has recovered once a
    checkpoint triggered after that completes (checkpoint ids restart with a resubmitted job;
    time does not)."""

    what: str
    ended_at: float


@pytest.fixture
def fault() -> Fault | None:
    """The last fault a step injected (its `target_fixture`); None before."""
    return None


@pytest.fixture
def restarts_at_start() -> dict[str, int]:
    """Job name → its restarts when `Given the Flink job "…" is running` found it running."""
    return {}


@pytest.fixture(scope="session")
def shared_producer(kafka_bootstrap: str) -> SharedProducer:
    """The session's producer client (steps/support/kafka.py says why one): a suite's conftest
    that asks for it early gets it connected by the first publishing step."""
    return SharedProducer(kafka_bootstrap)


@pytest.fixture
def publisher(shared_producer: SharedProducer, evidence: Evidence) -> Publisher:
    return Publisher(shared_producer, evidence)


@pytest.fixture
def flows() -> Iterator[list[Flow]]:
    """Every flow a scenario starts is stopped when it ends, red or green."""
    started: list[Flow] = []
    yield started
    for flow in started:
        flow.stop()


Settle = Callable[..., None]  # settle(timeout=None, watch=None)


# settle's probe is a few Flink REST calls on the cluster (milliseconds each): it can run often, so
# the wait ends within this long of the commit it waits for rather than up to the 2 s of the default
# back-off (a fifth of the test stack's 1 s checkpoint interval).
SETTLE_POLL_S = 0.2
# What `watch` looks at is a table scan (~0.1 s of CPU here): looked at this often, not on every poll.
WATCH_EVERY_S = 1.0


def watched(
    probe: Callable[[], Probe], watch: Callable[[], Probe] | None, every: float = WATCH_EVERY_S
) -> Callable[[], Probe]:
    """`probe`, which also looks at `watch` (on the first call, then at most once every `every`
    seconds) and shows what it last saw as progress."""
    if watch is None:
        return probe
    looked_at = [-every]  # monotonic time of the last look; the first call looks
    theirs = [Probe(False)]

    def both() -> Probe:
        mine = probe()
        now = time.monotonic()
        if now - looked_at[0] >= every:
            theirs[0], looked_at[0] = watch(), now
        return Probe(mine.done, f"{mine.seen}; {theirs[0].seen}")

    return both


@pytest.fixture
def settle(
    evidence: Evidence,
    eventually: Any,
    stack: Stack,
    jobs: Jobs,
    flink_rest: FlinkRest,
) -> Settle:
    """Wait until every running declared job has processed every record this scenario published
    to a topic it reads: its source committed their offsets on a completed checkpoint, and one
    more checkpoint completed (fixtures/progress.py). Nothing is written to wait: it works for any
    job, windowed or not, and no row is added to the tables under test. After this, "exactly",
    "only once" and "nothing else" can be asserted without guessing."""

    settled_at = [0]  # how many records had been published at the last settle

    def wait(timeout: float | None = None, watch: Callable[[], Probe] | None = None) -> None:
        """`watch`, when given, is looked at on every probe too: its last seen is shown as progress
        and kept by the step for the diagnostics, so a timeout here still says what was found."""
        published = list(evidence.published)
        if not published or len(published) == settled_at[0]:
            return  # nothing new since the last settle: it still holds
        declared = stack.declaration
        probes = []
        for handle in jobs.started:
            reads = set(declared.job(handle.name).reads)
            ends = last_offsets([(r.topic, r.partition, r.offset) for r in published if r.topic in reads])
            if ends:
                probes.append(
                    JobProgress(handle.name, handle.job_id, ends, flink_rest, ask_for_checkpoints=True)
                )
        if probes:
            eventually(
                f"{', '.join(p.name for p in probes)} to commit everything this scenario published",
                watched(_all_of(probes), watch),
                timeout=timeout,
                interval=SETTLE_POLL_S,
            )
        settled_at[0] = len(published)

    return wait


def _all_of(probes: list[JobProgress]) -> Callable[[], Probe]:
    def every() -> Probe:
        seen = [probe() for probe in probes]
        return Probe(all(s.done for s in seen), "; ".join(s.seen for s in seen))

    return every
