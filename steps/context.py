"""Fixtures the step library shares: the run scope, publishing, flows, the scenario's own state,
and `settle` (the job has processed everything this scenario published).

Fixtures are the only shared state between steps. Override `run_scoped_columns` or
`default_event` in a conftest to use the library on another pipeline's events.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from fixtures.diagnostics import Evidence
from fixtures.stack import DLQ_TOPIC
from fixtures.waits import Probe
from steps.support.kafka import MARKER, Flow, Outgoing, Publisher
from steps.support.scope import DEFAULT_PREFIXES, RunScope
from steps.support.tables import own_rows
from steps.support.values import FieldValue, encode_document

DefaultEvent = Callable[[RunScope, int], dict[str, FieldValue]]


@pytest.fixture
def run_scoped_columns() -> Mapping[str, str]:
    """Columns that carry the run id, and their conventional prefix (the producer's)."""
    return dict(DEFAULT_PREFIXES)


@pytest.fixture
def run_scope(evidence: Evidence, run_scoped_columns: Mapping[str, str]) -> RunScope:
    return RunScope(evidence.run_id, run_scoped_columns)


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


@dataclass
class ScenarioState:
    """What one step leaves for the next: the last batch, the running flow, a sequence."""

    sequence: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    last_batch: list[Outgoing] = field(default_factory=list)
    last_topic: str = ""
    flow: Flow | None = None
    settle_rounds: int = 0
    settled_at: int = 0  # how many records (not markers) had been published at the last settle
    # Wall clock (epoch s) when the last fault ended: the job recovered once a checkpoint
    # triggered after it completes (checkpoint counts restart with a resubmitted job; time does not).
    fault_ended_at: float = 0.0
    restarts_at_start: int | None = None  # the job's restarts when the scenario found it running


@pytest.fixture
def scenario_state() -> ScenarioState:
    return ScenarioState()


@pytest.fixture
def publisher(kafka_bootstrap: str, evidence: Evidence) -> Publisher:
    return Publisher(kafka_bootstrap, evidence)


@pytest.fixture
def flows() -> Iterator[list[Flow]]:
    """Every flow a scenario starts is stopped when it ends, red or green."""
    started: list[Flow] = []
    yield started
    for flow in started:
        flow.stop()


Settle = Callable[..., None]  # settle(timeout=None, watch=None)


@pytest.fixture
def settle_table() -> str:
    """The table where the job writes the valid events (and so the markers of `settle`)."""
    return "analytics.orders"


def watched(probe: Callable[[], Probe], watch: Callable[[], Probe] | None) -> Callable[[], Probe]:
    """`probe`, which also looks at `watch` each time and shows what it last saw as progress."""
    if watch is None:
        return probe

    def both() -> Probe:
        mine, theirs = probe(), watch()
        return Probe(mine.done, f"{mine.seen}; {theirs.seen}")

    return both


@pytest.fixture
def settle(
    evidence: Evidence,
    eventually: Any,
    run_scope: RunScope,
    default_event: DefaultEvent,
    publisher: Publisher,
    scenario_state: ScenarioState,
    iceberg_catalog: Any,
    settle_table: str,
) -> Settle:
    """Wait until the job has processed every record this scenario published.

    It publishes one valid *marker* event into each partition the scenario wrote to, and waits
    until every marker is a row of the table. Kafka keeps order within a partition and the job
    commits to Iceberg per checkpoint, so when a partition's marker is committed, everything
    published before it there has been committed too (rows), or flushed (dead-letter records).
    After this, "exactly", "only once" and "nothing else" can be asserted without guessing.
    Markers carry `settle-` in their ids and are left out of every assertion."""

    def wait(timeout: float | None = None, watch: Callable[[], Probe] | None = None) -> None:
        """`watch`, when given, is looked at on every probe too: its last seen is shown as progress
        and kept by the step for the diagnostics, so a timeout here still says what was found."""
        touched = sorted(
            {
                (r.topic, r.partition)
                for r in evidence.published
                if r.topic != DLQ_TOPIC and r.intent != MARKER
            }
        )
        published = sum(1 for r in evidence.published if r.intent != MARKER)
        if not touched or published == scenario_state.settled_at:
            return  # nothing new since the last settle: it still holds
        scenario_state.settle_rounds += 1
        key_column = run_scope.key_column
        ids = []
        for topic, partition in touched:
            fields = default_event(run_scope, next(scenario_state.sequence))
            marker_id = f"{run_scope.marker_prefix}{scenario_state.settle_rounds}-{topic}-{partition}"
            fields[key_column] = marker_id
            ids.append(marker_id)
            publisher.publish(
                topic, [Outgoing(marker_id.encode(), encode_document(fields), MARKER, partition)]
            )

        def committed() -> Probe:
            found = {
                row[key_column]
                for row in own_rows(iceberg_catalog, settle_table, key_column, run_scope.marker_prefix)
            }
            waiting = [i.removeprefix(run_scope.marker_prefix) for i in ids if i not in found]
            return Probe(
                not waiting, f"markers not yet committed: {', '.join(waiting)}" if waiting else "all in"
            )

        eventually(
            f"the job to commit everything this scenario published ({len(ids)} partition markers in {settle_table})",
            watched(committed, watch),
            timeout=timeout,
        )
        scenario_state.settled_at = published

    return wait
