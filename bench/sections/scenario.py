"""One scenario against a warm stack (issue 17): the loop a data engineer runs many times a day.
`pytest features --stack=external -k <scenario>` attached to the bench's own stack with the ingest
job already running (`--job=reuse`), timed as they would time it (wall, from the shell) and as pytest
reports it, a few times over; the first run, which warms the job's first checkpoints, is not counted."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time

from bench.results import Section, Table
from fixtures import paths
from fixtures.flink_submit import JOB_NAME
from fixtures.local.stack import LocalProcessStack

SCENARIO = "a_valid_order_appears_in_the_table_exactly_as_published"
RUNS = 5
GOAL_SECONDS = 5.0  # issue 17: one scenario against a warm stack under 5 s
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)")
SECONDS = re.compile(r" in ([\d.]+)s")


def timed_pytest(
    stack: LocalProcessStack, selection: list[str], timeout: float
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """`pytest features` attached to the bench's stack with its jobs reused, and its wall seconds."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "features"]
    command += ["--stack=external", "--job=reuse", *selection]
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=paths.REPO_ROOT,
        env={**os.environ, "ORDERFLOW_RUN_DIR": str(stack.run)},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    wall = time.monotonic() - started
    # One line per run: a warm-suite section is minutes of runs that print nothing else.
    print(f"  pytest {' '.join(selection)}: {wall:.1f} s, {_last_line(done.stdout)[-80:]}", file=sys.stderr)
    return wall, done


def one_run(stack: LocalProcessStack) -> tuple[float, float | None, bool]:
    """Wall seconds, pytest's own seconds, and whether exactly the one scenario passed."""
    wall, done = timed_pytest(stack, ["-k", SCENARIO], timeout=300)
    count, inside = pytest_outcome(done.stdout)
    return wall, inside, done.returncode == 0 and count == 1


def pytest_counts(stdout: str) -> dict[str, int]:
    """passed / failed / error / skipped, from pytest's last line (zeros when it has no summary)."""
    counts = {
        kind.removesuffix("s") if kind == "errors" else kind: int(n)
        for n, kind in COUNT.findall(_last_line(stdout))
    }
    return {kind: counts.get(kind, 0) for kind in ("passed", "failed", "error", "skipped")}


def pytest_outcome(stdout: str) -> tuple[int, float | None]:
    """How many passed and in how many seconds, from pytest's last line (0, None: none passed)."""
    passed, seconds = pytest_counts(stdout)["passed"], SECONDS.search(_last_line(stdout))
    return (passed, float(seconds[1])) if passed and seconds else (0, None)


def _last_line(stdout: str) -> str:
    return stdout.strip().splitlines()[-1] if stdout.strip() else ""


def section(stack: LocalProcessStack) -> Section:
    stack.submit_job(JOB_NAME)
    one_run(stack)  # warm-up: imports compiled, the job past its first checkpoints
    runs = [one_run(stack) for _ in range(RUNS)]
    failed = sum(not passed for _, _, passed in runs)
    walls = [wall for wall, _, _ in runs]
    insides = [inside for _, inside, _ in runs if inside is not None]
    median_wall = round(statistics.median(walls), 2)
    rows = [
        [i + 1, round(wall, 2), inside, "passed" if passed else "FAILED"]
        for i, (wall, inside, passed) in enumerate(runs)
    ]
    checkpoint_s = int(stack.job_environment()["CHECKPOINT_INTERVAL_MS"]) / 1000
    table = Table(
        title=f"One scenario against a warm stack: -k {SCENARIO}, checkpoint {checkpoint_s:g} s",
        columns=["run", "wall (s)", "inside pytest (s)", "result"],
        rows=rows,  # type: ignore[arg-type]
        notes=[
            "wall = the shell's view (interpreter start, plugin, collection, the scenario, exit); inside pytest = "
            "pytest's own duration; the stack and the job already running (--stack=external --job=reuse)",
            f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE') or 'unset'}: where set, Python "
            "reads the compiled and assert-rewritten modules `make setup` cached, and writes none",
            f"goal: median wall < {GOAL_SECONDS:g} s: {median_wall:.2f} s, {'met' if median_wall < GOAL_SECONDS else 'NOT met'}"
            + (f"; {failed} of {RUNS} runs FAILED" if failed else ""),
        ],
    )
    figures = {
        "median_wall_s": median_wall,
        "median_inside_s": statistics.median(insides) if insides else None,
    }
    return Section(name="One scenario", tables=[table], figures=figures)
