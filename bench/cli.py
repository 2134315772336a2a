"""`make bench` (`python -m bench run`): boots a local stack of its own, runs the chosen sections,
prints each table as it completes and writes bench/results/<date>-<host>.json. `render` puts the
latest results file into the README; `check` says whether the README's block matches its file."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from bench import render as rendering
from bench.machine import machine
from bench.results import RESULTS_DIR, Results, Section, Table, latest
from bench.sections import alerts, boot, latency, producer, scenario, throughput, warm_suite
from fixtures.local.stack import LocalProcessStack
from fixtures.process import rss_mb

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console() if sys.stdout.isatty() else Console(width=160)
README = RESULTS_DIR.parent.parent / "README.md"
BOOT_TIMEOUT_S = 600.0


class Name(StrEnum):
    producer = "producer"
    pipeline = "pipeline"
    stateful = "stateful"
    latency = "latency"
    alerts = "alerts"
    scenario = "scenario"
    warm_suite = "warm_suite"
    boot = "boot"


# (full, quick): records per throughput run, producer records, seconds of latency traffic
SIZES = {"events": (1_000_000, 200_000), "producer_events": (500_000, 200_000), "seconds": (60, 15)}


def show(table: Table) -> None:
    out = RichTable(*table.columns, title=table.title, title_justify="left")
    for row in table.rows:
        out.add_row(*(rendering.cell(value) for value in row))
    console.print(out)
    for note in table.notes:
        console.print(f"  {note}", style="dim")


def _size(name: str, given: int | None, quick: bool) -> int:
    return given if given is not None else SIZES[name][1 if quick else 0]


@app.command()
def run(
    section: Annotated[
        list[Name] | None, typer.Option(help="sections to run (repeatable); default all")
    ] = None,
    quick: Annotated[
        bool, typer.Option(help="small sizes: the whole bench in minutes, not tens of them")
    ] = False,
    events: Annotated[int | None, typer.Option(help="records per throughput run")] = None,
    producer_events: Annotated[
        int | None, typer.Option(help="records for the producer and its yardstick")
    ] = None,
    parallelism: Annotated[list[int] | None, typer.Option(help="throughput parallelisms")] = None,
    interval: Annotated[
        list[float] | None, typer.Option(help="checkpoint intervals for the latency sections, s")
    ] = None,
    rate: Annotated[float, typer.Option(help="orders/s for the latency sections")] = 100,
    seconds: Annotated[int | None, typer.Option(help="seconds of traffic per latency measurement")] = None,
    checkpoint_ms: Annotated[int, typer.Option(help="checkpoint interval of the throughput runs")] = 5000,
    run_dir: Annotated[Path, typer.Option(help="the bench's own local stack")] = Path(".run/bench"),
    out: Annotated[Path, typer.Option(help="where the results file goes")] = RESULTS_DIR,
    prefix: Annotated[
        str,
        typer.Option(
            help="results file name prefix (`scenario-`): a partial run kept apart from the file "
            "`make bench-readme` renders"
        ),
    ] = "",
) -> None:
    """Run the benchmarks on a local stack of their own; print them; write the results file."""
    chosen = list(Name) if not section else [n for n in Name if n in section]
    options: dict[str, object] = {
        "sections": [str(n) for n in chosen],
        "quick": quick,
        "events": _size("events", events, quick),
        "producer_events": _size("producer_events", producer_events, quick),
        "parallelism": parallelism or [1, 2],
        "intervals_s": interval or [0.5, 1, 2, 5],
        "rate": rate,
        "seconds": _size("seconds", seconds, quick),
        "checkpoint_ms": checkpoint_ms,
    }
    results = Results(started=datetime.now(UTC), machine=machine(), options=options)
    console.print(f"load average before: {results.machine.load_before}; booting a local stack in {run_dir}")
    stack = LocalProcessStack(run_dir)
    for component in stack.components:
        # The boot is measured, not judged: on a machine shared with other stacks a runtime can take
        # minutes to answer, and the bench should report that rather than give up after a minute.
        component.boot_timeout = max(component.boot_timeout, BOOT_TIMEOUT_S)
    stack.start(clean=True)
    peaks_at_boot = {name: rss_mb(pid, "VmHWM") for name, pid in stack.pids.items()}
    try:
        for name, measure in _plan(stack, chosen, options, peaks_at_boot):
            _record(results, name, measure, out, prefix)
    finally:
        stack.stop()
    results.machine.load_after = os.getloadavg()
    results.finished = datetime.now(UTC)
    path = results.write(out, prefix)
    console.print(f"load average after: {results.machine.load_after}; written to {path}")


def _plan(
    stack: LocalProcessStack, chosen: list[Name], o: dict, peaks_at_boot: dict[str, float]
) -> list[tuple[str, Callable[[], list[Section]]]]:
    runs: list[throughput.Run] = []

    def throughput_runs() -> list[throughput.Run]:
        if not runs:
            runs.extend(
                throughput.run_all(
                    stack,
                    o["events"],
                    o["parallelism"],
                    o["checkpoint_ms"],
                    stateful=Name.stateful in chosen,
                    ceiling=Name.pipeline in chosen,
                )
            )
        return runs

    intervals_ms = [round(seconds * 1000) for seconds in o["intervals_s"]]
    steps: dict[Name, Callable[[], list[Section]]] = {
        Name.producer: lambda: [producer.section(stack, o["producer_events"])],
        Name.pipeline: lambda: [throughput.pipeline_section(throughput_runs(), o["checkpoint_ms"])],
        Name.stateful: lambda: [throughput.stateful_section(throughput_runs(), o["checkpoint_ms"])],
        Name.latency: lambda: [latency.section(stack, intervals_ms, o["rate"], o["seconds"])],
        Name.alerts: lambda: [alerts.section(stack, intervals_ms, o["rate"], o["seconds"])],
        Name.scenario: lambda: [scenario.section(stack)],
        Name.warm_suite: lambda: [warm_suite.section(stack)],
        Name.boot: lambda: [boot.section(stack, peaks_at_boot)],  # last: peak RSS over the whole bench
    }
    return [(str(name), steps[name]) for name in chosen]


def _record(
    results: Results, name: str, measure: Callable[[], list[Section]], out: Path, prefix: str = ""
) -> None:
    """Run one section under a progress line; a failure is recorded as such and the bench goes on."""
    started = datetime.now(UTC)
    with Progress(
        TextColumn("[bold]bench[/] {task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        progress.add_task(name, total=None)
        try:
            sections = measure()
        except Exception as exc:  # one broken section must not lose the others' figures
            sections = [Section(name=name, status="failed", reason=f"{type(exc).__name__}: {exc}"[:2000])]
    took = (datetime.now(UTC) - started).total_seconds()
    for found in sections:
        found.seconds = round(took, 1)
        results.sections.append(found)
        for table in found.tables:
            show(table)
        if found.status != "measured":
            console.print(f"[red]{found.name}: {found.status}: {found.reason}[/]")
    results.write(out, prefix)  # after every section: an interrupted bench keeps what it measured


@app.command("render")
def render_readme(
    results_file: Annotated[Path | None, typer.Argument(help="default: the latest in bench/results")] = None,
    readme: Path = README,
) -> None:
    """Render the README's benchmark block from a results file (the latest by default)."""
    source = results_file or latest()
    rendering.render_into(readme, [source])
    console.print(f"{readme}: benchmark block rendered from {source}")


@app.command()
def check(readme: Path = README) -> None:
    """Exit 1 unless the README's benchmark block is exactly what its results file renders."""
    try:
        source = rendering.check(readme.read_text())
    except rendering.StaleBlock as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    console.print(f"the README's benchmark block matches {source}")
