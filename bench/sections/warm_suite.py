"""The whole non-fault suite against a warm stack (issue 17: under 60 s), at -n 2, 4 and 6.

`pytest features --stack=external --job=reuse -m "not fault" -n N`, attached to the bench's own
stack with every declared job already running, timed from the shell. The first run is the warm-up
(tables made, jobs past their first checkpoints) and is not counted; every run after it reuses jobs
whose event time earlier runs have moved on, which the `@event_time` features follow
(steps/support/event_clock.py), so each run is also the proof that a re-run on a warm stack passes.
"""

from __future__ import annotations

from bench.results import Section, Table
from bench.sections.scenario import pytest_counts, timed_pytest
from fixtures.local.stack import LocalProcessStack

WORKERS = (2, 4, 6)  # the scenarios mostly wait (on checkpoints), so more workers than cores
GOAL_SECONDS = 60.0  # issue 17: the whole non-fault suite on a warm stack
SELECT = "not fault"


def one_run(stack: LocalProcessStack, workers: int, select: str = SELECT) -> tuple[float, dict[str, int]]:
    wall, done = timed_pytest(stack, ["-m", select, "-n", str(workers)], timeout=1800)
    return wall, pytest_counts(done.stdout)


def section(stack: LocalProcessStack) -> Section:
    for name in stack.declaration.jobs:
        stack.submit_job(name)
    warm_up_wall, warm_up = one_run(stack, max(WORKERS))
    rows: list[list[object]] = [["warm-up", max(WORKERS), round(warm_up_wall, 1), *warm_up.values()]]
    walls: dict[int, float] = {}
    for workers in WORKERS:
        wall, counts = one_run(stack, workers)
        walls[workers] = round(wall, 1)
        rows.append([len(rows), workers, walls[workers], *counts.values()])
    best = min(walls, key=walls.__getitem__)
    # Where the rest of the time goes: the @event_time features alone (one worker per tier, in file
    # order, as within the suite), and the other scenarios.
    for select, workers in ((f"{SELECT} and event_time", best), (f"{SELECT} and not event_time", best)):
        wall, counts = one_run(stack, workers, select)
        rows.append([f"only: {select}", workers, round(wall, 1), *counts.values()])
    clean = all(row[3] and row[4] == 0 and row[5] == 0 for row in rows)  # type: ignore[operator]
    table = Table(
        title=f'The non-fault suite against a warm stack: -m "{SELECT}", every declared job running, then its two parts',
        columns=["run", "-n", "wall (s)", "passed", "failed", "errors", "skipped"],
        rows=rows,  # type: ignore[arg-type]
        notes=[
            "wall = the shell's view of `pytest features --stack=external --job=reuse -m 'not fault' -n N` "
            "(interpreter and workers started, collection, every scenario, exit); the stack stays up between runs",
            "the @event_time features run in one worker per tier (their jobs' event-time horizon), tiers side "
            "by side, and move whole weeks ahead of the event time the runs before them left in the jobs",
            f"goal: wall < {GOAL_SECONDS:g} s: the fastest, -n {best}, {walls[best]:.1f} s, "
            f"{'met' if walls[best] < GOAL_SECONDS else 'NOT met'}"
            + ("" if clean else "; some run had failures (see the table)"),
        ],
    )
    figures = {f"wall_n{workers}_s": wall for workers, wall in walls.items()}
    return Section(name="Warm suite", tables=[table], figures=figures)
