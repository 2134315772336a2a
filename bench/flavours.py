"""`make bench-flavours` (`python -m bench.flavours`): the local provider's two catalog flavours side
by side (fixtures/local/flavours.py): each one's boot and resident memory, runtime by runtime, and
the acceptance suite's time from the JUnit files of full runs of it. One stack at a time: each
flavour's stack is booted clean in a folder of its own, measured, and stopped before the next.

Writes bench/results/flavours-<date>-<host>.json (the machine's facts as `make bench` records them);
`render` puts its tables between the README's `bench:flavours` markers.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bench import render as rendering
from bench.junit import suite_outcome
from bench.machine import machine
from bench.results import RESULTS_DIR, Results, Section, Table
from fixtures.local.flavours import CATALOGS
from fixtures.local.stack import LocalProcessStack
from fixtures.paths import REPO_ROOT
from fixtures.process import rss_mb

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console(width=160)
README = REPO_ROOT / "README.md"
TAG = "flavours"
BOOT_TIMEOUT_S = 600.0  # measured, not judged: a shared machine can take minutes


def boot_rows(flavour: str, run_dir: Path, repeat: int) -> list[list[object]]:
    """Boot the flavour's stack `repeat` times from clean; per runtime its spawn → healthy seconds
    and peak RSS (VmHWM) right after the whole stack answered; then the whole stack."""
    rows: list[list[object]] = []
    for attempt in range(1, repeat + 1):
        stack = LocalProcessStack(run_dir, catalog=flavour)
        for component in stack.components:
            component.boot_timeout = max(component.boot_timeout, BOOT_TIMEOUT_S)
        load_before = os.getloadavg()[0]
        try:
            stack.start(clean=True)
            peaks = {name: rss_mb(pid, "VmHWM") for name, pid in stack.pids.items()}
            boots = stack.boot_times
            whole = stack.boot_seconds
        finally:
            stack.stop()
        for name, peak in peaks.items():
            rows.append([flavour, attempt, name, _round(boots.get(name)), round(peak), round(load_before, 1)])
        rows.append([flavour, attempt, "whole stack", round(whole, 1), round(sum(peaks.values())), None])
        console.print(f"{flavour} #{attempt}: whole stack {whole:.1f}s, {sum(peaks.values()):.0f} MiB")
    return rows


def suite_row(flavour: str, junit: Path) -> list[object]:
    """One full run's figures from its JUnit file (pytest --junitxml)."""
    outcome = suite_outcome(junit)
    return [
        flavour,
        outcome.tests,
        outcome.passed,
        outcome.failed,
        outcome.skipped,
        outcome.seconds,
        outcome.started,
        rendering.relative(junit),
    ]


def keep_junit(junit: Path, flavour: str, results: Results, out: Path) -> Path:
    """A copy of the JUnit file next to the results file (reports/ is not kept in git)."""
    kept = out / f"flavours-{results.started:%Y-%m-%d}-{results.machine.host}-junit-{flavour}.xml"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(junit, kept)
    return kept


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@app.command()
def run(
    repeat: Annotated[int, typer.Option(help="boots of each flavour's stack")] = 2,
    junit: Annotated[
        list[str] | None,
        typer.Option(
            help="FLAVOUR=FILE: the JUnit file of a full acceptance run of that flavour (repeatable)"
        ),
    ] = None,
    run_root: Annotated[Path, typer.Option(help="each flavour's stack runs in <root>/<flavour>")] = Path(
        ".run/bench-flavours"
    ),
    out: Annotated[Path, typer.Option(help="where the results file goes")] = RESULTS_DIR,
) -> None:
    """Boot each flavour's stack (one at a time), read the suites' JUnit files, write the results."""
    suites = dict(item.split("=", 1) for item in junit or [])
    unknown = set(suites) - set(CATALOGS)
    if unknown:
        raise typer.BadParameter(f"--junit: unknown flavour(s) {', '.join(sorted(unknown))}")
    results = Results(
        started=datetime.now(UTC),
        machine=machine(),
        options={"flavours": list(CATALOGS), "repeat": repeat, "junit": suites},
    )
    boots: list[list[object]] = []
    for flavour in CATALOGS:
        boots += boot_rows(flavour, run_root / flavour, repeat)
    tables = [
        Table(
            title="Boot and resident memory by catalog flavour (local provider)",
            columns=["flavour", "boot #", "runtime", "boot (s)", "peak RSS (MiB)", "load before"],
            rows=boots,  # type: ignore[arg-type]
            notes=[
                "rest: MiniStack S3 (named localstack) + Apache Iceberg's REST catalog (Java); s3tables: one "
                "MiniStack process for S3 and S3 Tables, no catalog process",
                "boot: spawn → healthy of each runtime (they start together, the TaskManager after the "
                "JobManager answers); the whole stack's: first spawn → all healthy, table bucket or bucket made",
                "peak RSS: the kernel's high-water mark (VmHWM) of each runtime's processes right after boot",
            ],
        )
    ]
    if suites:
        tables.append(
            Table(
                title="The acceptance suite (features/, --stack=local) by catalog flavour",
                columns=[
                    "flavour",
                    "scenarios",
                    "passed",
                    "failed",
                    "skipped",
                    "time (s)",
                    "started (UTC)",
                    "JUnit file",
                ],
                rows=[
                    suite_row(flavour, keep_junit(Path(file), flavour, results, out))
                    for flavour, file in suites.items()
                ],  # type: ignore[misc]
                notes=[
                    "tests: the scenarios of features/ as pytest counts them; time: pytest's own, stack "
                    "boot and every job's submission included; one full run of each flavour, one after the other"
                ],
            )
        )
    results.sections.append(Section(name="Catalog flavours", tables=tables))
    path = results.finish(out, "flavours-")
    console.print(f"written to {path}")


rendering.add_render_command(app, TAG, README)

if __name__ == "__main__":
    app()
