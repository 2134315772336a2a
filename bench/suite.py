"""`make bench-suite` (`python -m bench.suite`): the acceptance suite's wall time by provider and
pytest-xdist worker count (`pytest features/ -n N`), each a full run from a clean stack (the boot
and every job's submission included), one after the other.

Writes bench/results/suite-<date>-<host>.json (the machine's facts as `make bench` records them)
with a copy of each run's JUnit file; `render` puts its table between the README's `bench:suite`
markers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bench import render as rendering
from bench.junit import suite_outcome
from bench.machine import machine
from bench.results import RESULTS_DIR, Results, Section, Table
from fixtures.paths import REPO_ROOT

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console(width=160)
README = REPO_ROOT / "README.md"
TAG = "suite"
RUN_TIMEOUT_S = 3 * 3600  # measured, not judged: a hung run still ends


def one_run(provider: str, workers: int, junit: Path, extra: list[str], label: str) -> list[object]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "features"]
    command += [f"--stack={provider}", "-n", str(workers), f"--junitxml={junit}", *extra]
    console.print(f"{label} -n {workers}: {' '.join(command[2:])}")
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=REPO_ROOT, check=False, timeout=RUN_TIMEOUT_S, capture_output=True, text=True
    )
    wall = round(time.monotonic() - started, 1)
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
    console.print(f"  {tail} (exit {done.returncode}, wall {wall} s)")
    if not junit.exists():
        return [
            provider,
            workers,
            None,
            None,
            None,
            wall,
            round(load_before, 1),
            f"exit {done.returncode}: {tail}",
        ]
    outcome = suite_outcome(junit)
    return [
        provider,
        workers,
        outcome.tests,
        outcome.passed,
        outcome.failed,
        wall,
        round(load_before, 1),
        rendering.relative(junit),
    ]


@app.command()
def run(
    provider: Annotated[list[str] | None, typer.Option(help="providers (repeatable); default local")] = None,
    workers: Annotated[
        list[int] | None, typer.Option("-n", "--workers", help="worker counts (repeatable)")
    ] = None,
    select: Annotated[str | None, typer.Option("-k", help="only the scenarios pytest -k selects")] = None,
    catalog: Annotated[
        str | None, typer.Option(help="the local provider's catalog flavour: rest | s3tables")
    ] = None,
    out: Annotated[Path, typer.Option(help="where the results file goes")] = RESULTS_DIR,
) -> None:
    """Run the suite once per provider and worker count; write the results file."""
    providers, counts = provider or ["local"], workers or [1, 2, 4]
    if any(count < 1 for count in counts):
        raise typer.BadParameter(f"-n {min(counts)}: a worker count is 1 or more")
    results = Results(
        started=datetime.now(UTC),
        machine=machine(),
        options={"providers": providers, "workers": counts, "select": select, "catalog": catalog},
    )
    stamp = f"{results.started:%Y-%m-%d}-{results.machine.host}"
    out.mkdir(parents=True, exist_ok=True)
    extra = (["-k", select] if select else []) + ([f"--catalog={catalog}"] if catalog else [])
    flavour = f"-{catalog}" if catalog else ""
    rows = [
        one_run(
            name,
            count,
            out / f"suite-{stamp}-junit-{name}{flavour}-n{count}.xml",
            extra,
            f"{name} ({catalog})" if catalog else name,
        )
        for name in providers
        for count in counts
    ]
    table = Table(
        title="The acceptance suite by provider and pytest-xdist workers (pytest features/ -n N)",
        columns=["provider", "-n", "tests", "passed", "failed", "wall (s)", "load before", "JUnit file"],
        rows=rows,  # type: ignore[arg-type]
        notes=[
            "wall: the shell's view of one full run, from a clean stack: boot, every job's submission, "
            "every scenario, the stack stopped; runs one after the other on the same machine",
            "workers share one stack; @fault scenarios run alone; the @event_time features run in one "
            "worker per event-time tier, in file order (fixtures/pytest_parallel.py)",
        ],
    )
    results.sections.append(Section(name="Suite", tables=[table]))
    path = results.finish(out, "suite-")
    console.print(f"written to {path}")


rendering.add_render_command(app, TAG, README)

if __name__ == "__main__":
    app()
