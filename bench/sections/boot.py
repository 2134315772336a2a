"""Boot: each runtime of the local stack and the whole stack, seconds and peak resident memory;
the containers provider only when a Docker engine already runs (never started for a benchmark)."""

from __future__ import annotations

import subprocess
import time

from bench.results import Section, Table
from fixtures.local.stack import LocalProcessStack
from fixtures.process import rss_mb


def docker_unavailable() -> str | None:
    """Why the containers provider is not measured, or None when Docker answers."""
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"no Docker engine answered ({type(exc).__name__}: {exc})"
    if done.returncode != 0:
        return f"no Docker engine was running (`docker info` exit {done.returncode}); the bench starts none"
    return None


def containers_row() -> tuple[list[object], str]:
    reason = docker_unavailable()
    if reason is not None:
        return ["containers: whole stack", None, None, None], f"containers provider not measured: {reason}"
    from fixtures.containers.stack import ContainerStack

    started = time.monotonic()
    stack = ContainerStack().start()
    try:
        seconds = time.monotonic() - started
        rss = sum(stack.rss_mb().values()) or None
    finally:
        stack.stop()
    return ["containers: whole stack", round(seconds, 1), rss and round(rss), None], (
        "containers: RSS is the containers' resident memory right after boot (docker stats), not a peak"
    )


def section(stack: LocalProcessStack, peaks_at_boot: dict[str, float]) -> Section:
    """After the other sections: the boot figures the stack kept, and peak RSS then and now."""
    boots = stack.boot_times
    peaks_now = {name: rss_mb(pid, "VmHWM") for name, pid in stack.pids.items()}
    rows: list[list[object]] = [
        [
            f"local: {name}",
            round(boots[name], 1) if name in boots else None,
            round(peaks_at_boot.get(name, 0)),
            round(peaks_now.get(name, 0)),
        ]
        for name in stack.pids
    ]
    rows.append(
        [
            "local: whole stack",
            round(stack.boot_seconds, 1),
            round(sum(peaks_at_boot.values())),
            round(sum(peaks_now.values())),
        ]
    )
    row, note = containers_row()
    rows.append(row)
    table = Table(
        title="Boot: each runtime and the whole stack",
        columns=["what", "boot (s)", "peak RSS at boot (MiB)", "peak RSS over the bench (MiB)"],
        rows=rows,  # type: ignore[arg-type]
        notes=[
            "local runtimes start together (the TaskManager after the JobManager answers): a runtime's boot "
            "is its spawn → healthy, the whole stack's is the first spawn → all healthy",
            "peak RSS: the kernel's high-water mark (VmHWM) of each runtime's processes, summed",
            note,
        ],
    )
    return Section(name="Boot", tables=[table])
