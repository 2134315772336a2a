"""Drives events into a sink: paced, bounded by count and/or duration, interruptible with Ctrl-C,
with a live progress line on stderr and a summary at the end."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from producer.generate import INVALID_PREFIX, GeneratedEvent
from producer.pacing import Pacer
from producer.sinks import OutputClosed, Sink, SinkCounts

PROGRESS_EVERY = 0.2  # seconds between progress refreshes: updating per event would cost more than sending


@dataclass
class RunSummary:
    destination: str
    counts: SinkCounts
    elapsed: float
    intents: Counter[str]
    rejected_before_publish: int = 0
    stopped_by: str = "count"  # count | duration | interrupt | output closed | end of input
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.counts.sent / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def ok(self) -> bool:
        return self.counts.failed == 0 and self.counts.pending == 0


@contextmanager
def _progress(
    console: Console, total: int | None, enabled: bool
) -> Iterator[Callable[[int, SinkCounts], None]]:
    columns = [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn() if total else TextColumn(""),
        TextColumn("{task.fields[line]}"),
        TimeElapsedColumn(),
    ]
    progress = Progress(*columns, console=console, transient=True, disable=not enabled)
    task = progress.add_task("producing", total=total, line="")
    started = time.monotonic()

    def update(sent: int, counts: SinkCounts) -> None:
        rate = sent / max(time.monotonic() - started, 1e-9)
        line = f"sent {sent:,} · delivered {counts.delivered:,} · failed {counts.failed:,} · {rate:,.0f}/s"
        progress.update(task, completed=sent, line=line)

    with progress:
        yield update


def run(
    events: Iterable[GeneratedEvent],
    sink: Sink,
    *,
    rate: float = 0.0,
    count: int | None = None,
    duration: timedelta | None = None,
    console: Console | None = None,
    progress: bool = True,
) -> RunSummary:
    """Send `events` (at most `count`, for at most `duration`) at `rate` per second (0: flat out)."""
    console = console or Console(stderr=True)
    pace = Pacer(rate, wait=sink.wait).pace if rate else None
    send = sink.send
    started = time.monotonic()
    deadline = started + duration.total_seconds() if duration is not None else None
    # Flat out, reading the clock for every event would cost more than the event: look every 256.
    clock_mask = 0 if pace else 0xFF
    intents: Counter[str] = Counter()
    stopped_by = "end of input"
    sent = 0
    next_refresh = started
    with _progress(console, count, progress and console.is_terminal) as refresh:
        try:
            if count == 0 or (deadline is not None and deadline <= started):
                stopped_by = "count" if count == 0 else "duration"
                events = ()
            for event in events:
                if pace is not None:
                    pace()
                if not sent & clock_mask:
                    now = time.monotonic()
                    if deadline is not None and now >= deadline:
                        stopped_by = "duration"
                        break
                    if now >= next_refresh:
                        refresh(sent, sink.counts)
                        next_refresh = now + PROGRESS_EVERY
                send(event)
                sent += 1
                intents[event.intent] += 1
                if sent == count:
                    stopped_by = "count"
                    break
        except KeyboardInterrupt:
            stopped_by = "interrupt (Ctrl-C)"
        except OutputClosed:
            stopped_by = "output closed"
        finally:
            sink.finish()  # flush before the summary: delivered/failed are final only after it
    return RunSummary(sink.name, sink.counts, time.monotonic() - started, intents, stopped_by=stopped_by)


def _intent_breakdown(intents: Counter[str]) -> str:
    invalid = {k.removeprefix(INVALID_PREFIX): n for k, n in intents.items() if k.startswith(INVALID_PREFIX)}
    parts = [f"{name} {intents[name]:,}" for name in ("valid", "duplicate", "late") if intents[name]]
    if invalid:
        kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(invalid.items()))
        parts.append(f"invalid {sum(invalid.values()):,} ({kinds})")
    return " · ".join(parts) or "-"


def print_summary(summary: RunSummary, console: Console) -> None:
    counts = summary.counts
    table = Table(title="analytics-producer summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("destination", summary.destination)
    table.add_row("sent", f"{counts.sent:,}")
    table.add_row("delivered", f"{counts.delivered:,}")
    table.add_row("failed", f"[red]{counts.failed:,}[/]" if counts.failed else "0")
    if counts.pending:
        table.add_row("undelivered", f"[red]{counts.pending:,}[/] (no report before the flush timeout)")
    table.add_row("rejected before publish", f"{summary.rejected_before_publish:,}")
    if counts.rejected_by_kind:
        kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.rejected_by_kind.items()))
        table.add_row("the contract would reject", f"{counts.rejected_by_kind.total():,} ({kinds})")
    table.add_row("intents", _intent_breakdown(summary.intents))
    table.add_row("elapsed", f"{summary.elapsed:.2f} s")
    table.add_row("achieved rate", f"{summary.rate:,.0f} events/s")
    table.add_row("stopped by", summary.stopped_by)
    if counts.last_error:
        table.add_row("last error", f"[red]{counts.last_error}[/]")
    for note in summary.notes:
        table.add_row("", note)
    console.print(table)
