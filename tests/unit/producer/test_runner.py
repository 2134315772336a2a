"""The run loop: counts, stops, Ctrl-C and a closed output, driven into in-memory sinks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from rich.console import Console

from producer.generate import GeneratedEvent, generate_orders
from producer.runner import print_summary, run
from producer.sinks import DryRunSink, FileSink, OutputClosed, SinkCounts

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
QUIET = Console(file=io.StringIO())


class RecordingSink:
    name = "memory"

    def __init__(self, fail_after: int | None = None) -> None:
        self.sent: list[GeneratedEvent] = []
        self.finished = False
        self.fail_after = fail_after

    def send(self, event: GeneratedEvent) -> None:
        if self.fail_after is not None and len(self.sent) >= self.fail_after:
            raise OutputClosed
        self.sent.append(event)

    def wait(self, seconds: float) -> None:
        raise AssertionError("rate 0 must never wait")

    def finish(self) -> None:
        self.finished = True

    @property
    def counts(self) -> SinkCounts:
        return SinkCounts(sent=len(self.sent), delivered=len(self.sent))


def test_count_stops_the_run_after_exactly_n_events() -> None:
    sink = RecordingSink()
    summary = run(generate_orders(None, seed=1, start_time=START), sink, count=250, console=QUIET)
    assert len(sink.sent) == 250 and sink.finished
    assert summary.stopped_by == "count" and summary.ok
    assert summary.intents == {"valid": 250}


def test_count_zero_sends_nothing() -> None:
    sink = RecordingSink()
    assert run(generate_orders(None, seed=1, start_time=START), sink, count=0, console=QUIET).counts.sent == 0


def test_a_zero_duration_stops_before_the_first_event() -> None:
    sink = RecordingSink()
    summary = run(generate_orders(None, seed=1), sink, duration=timedelta(0), console=QUIET)
    assert sink.sent == [] and summary.stopped_by == "duration"


def test_ctrl_c_stops_cleanly_and_still_finishes_the_sink() -> None:
    def interrupted() -> Iterator[GeneratedEvent]:
        yield from generate_orders(10, seed=1, start_time=START)
        raise KeyboardInterrupt

    sink = RecordingSink()
    summary = run(interrupted(), sink, console=QUIET)
    assert len(sink.sent) == 10 and sink.finished
    assert summary.stopped_by == "interrupt (Ctrl-C)"


def test_a_closed_output_stops_quietly() -> None:
    sink = RecordingSink(fail_after=3)
    summary = run(generate_orders(None, seed=1, start_time=START), sink, console=QUIET)
    assert summary.stopped_by == "output closed" and len(sink.sent) == 3


def test_the_file_sink_writes_one_event_per_line() -> None:
    buffer = io.BytesIO()
    events = list(generate_orders(20, seed=1, start_time=START, invalid_ratio=0.5))
    run(iter(events), FileSink(buffer, "memory"), console=QUIET)
    assert buffer.getvalue().split(b"\n")[:-1] == [e.value for e in events]


def test_a_dry_run_counts_what_the_contract_would_reject() -> None:
    sink = DryRunSink()
    summary = run(generate_orders(1000, seed=1, start_time=START, invalid_ratio=0.2), sink, console=QUIET)
    invalid = sum(n for intent, n in summary.intents.items() if intent.startswith("invalid:"))
    assert sink.counts.rejected_by_kind.total() == invalid > 100
    assert summary.ok


def test_the_summary_shows_the_figures() -> None:
    out = io.StringIO()
    summary = run(generate_orders(50, seed=1, start_time=START), RecordingSink(), console=QUIET)
    summary.rejected_before_publish = 2
    print_summary(summary, Console(file=out, width=200))
    text = out.getvalue()
    for label in ("sent", "delivered", "failed", "rejected before publish", "achieved rate", "events/s"):
        assert label in text
