"""`analytics-producer`: generate order events and send them to Kafka (or a JSONL file), or publish
a user's JSONL file after checking each line against the contract.

Exit codes: 0 all delivered · 1 a delivery failed or was never confirmed · 2 bad command line ·
3 Kafka unreachable or the topic missing · 4 (publish) some lines were rejected, the rest were sent.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from producer.contract import Rejection
from producer.factories import DEFAULT_CURRENCIES, check_currencies, check_run_id
from producer.faults import INJECTABLE_KINDS
from producer.generate import generate_orders
from producer.jsonl import file_events
from producer.pacing import parse_duration, parse_start_time
from producer.publisher import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_TOPIC,
    BrokerUnreachable,
    OrderPublisher,
    PublishError,
)
from producer.runner import RunSummary, print_summary, run
from producer.sinks import DryRunSink, FileSink, KafkaSink, Sink

EXIT_FAILED, EXIT_UNREACHABLE, EXIT_REJECTED = 1, 3, 4
DEFAULT_KAFKA_RATE = 10.0


class CodeList(tuple[str, ...]):
    """A comma-separated option's values (its own type, so Typer does not read it as nargs)."""


def _parser(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """One of our parsers as a Typer option parser: its ValueError becomes Click's
    "Invalid value for '--option': <why>", naming the option and the value."""

    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # a default, already parsed
        try:
            return parse(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return convert


def _codes(check: Callable[[list[str]], Any]) -> Callable[[str], CodeList]:
    def parse(text: str) -> CodeList:
        return CodeList(check([part.strip() for part in text.split(",") if part.strip()]))

    return parse


def _known_kinds(kinds: list[str]) -> tuple[str, ...]:
    unknown = [kind for kind in kinds if kind not in INJECTABLE_KINDS]
    if unknown or not kinds:
        raise ValueError(
            f"unknown kinds {unknown or '(none given)'}; choose from {', '.join(INJECTABLE_KINDS)}"
        )
    return tuple(kinds)


def _run_id(text: str) -> str:
    return check_run_id(text) or text


def _number(kind: type[int] | type[float], low: float, high: float | None = None) -> Callable[[str], Any]:
    """A bounded int/float parser whose error repeats the value (Click's own range error does not)."""
    noun = "an integer" if kind is int else "a number"
    bounds = f"between {low:g} and {high:g}" if high is not None else f">= {low:g}"

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(f"{text!r} is not {noun}") from None
        if not (low <= value and (high is None or value <= high)):  # also refuses nan
            raise ValueError(f"{text!r} must be {bounds}")
        return value

    return parse


DEFAULT_CODES = CodeList(DEFAULT_CURRENCIES)
RATE = _parser(_number(float, 0))
COUNT = _parser(_number(int, 0))
PARTITIONS = _parser(_number(int, 1))
RETENTION = _parser(_number(float, 0.001))
SHARE = _parser(_number(float, 0, 1))
DURATION = _parser(parse_duration)
START_TIME = _parser(parse_start_time)
CURRENCIES = _parser(_codes(check_currencies))
KINDS = _parser(_codes(_known_kinds))
RUN_ID = _parser(_run_id)

# Options shared by `produce orders` and `publish`
Bootstrap = Annotated[
    str,
    typer.Option(
        "--bootstrap-servers",
        envvar="KAFKA_BOOTSTRAP_SERVERS",
        help="Kafka bootstrap address",
        show_envvar=True,
    ),
]
Topic = Annotated[str, typer.Option(envvar="ORDERS_TOPIC", help="Topic to send to", show_envvar=True)]
Partitions = Annotated[
    int | None,
    typer.Option(
        parser=PARTITIONS,
        metavar="N",
        help="Create the topic with this many partitions if it is missing (else it must exist)",
    ),
]
RetentionDays = Annotated[
    float, typer.Option(parser=RETENTION, metavar="DAYS", help="Retention of a topic created by --partitions")
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Send nothing: check every event against the contract and count")
]

app = typer.Typer(
    name="analytics-producer",
    help="Order events for the orderflow pipeline: generate, publish, check.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
produce_app = typer.Typer(help="Generate events and send them to Kafka or a file.", no_args_is_help=True)
app.add_typer(produce_app, name="produce")


def _stderr() -> Console:
    return Console(stderr=True)  # everything but the events themselves: --output - stays clean JSONL


def _fail(message: str, code: int) -> NoReturn:
    _stderr().print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _publisher(
    bootstrap: str, topic: str, partitions: int | None, retention_days: float
) -> tuple[OrderPublisher, str]:
    """A publisher whose broker answered and whose topic exists (created when --partitions asks)."""
    try:
        publisher = OrderPublisher(bootstrap, topic)
        if partitions is not None:
            info = publisher.ensure_topic(partitions, retention_days)
            state = "created" if info.created else "exists"
            return publisher, f"topic {topic}: {state}, {info.partitions} partitions"
        info = publisher.topic_info()
    except (BrokerUnreachable, PublishError) as exc:
        _fail(str(exc), EXIT_UNREACHABLE)
    if info is None:
        _fail(
            f"topic {topic!r} does not exist at {bootstrap}; pass --partitions N to create it",
            EXIT_UNREACHABLE,
        )
    return publisher, f"topic {topic}: {info.partitions} partitions"


@contextmanager
def _sink(
    output: str | None,
    dry_run: bool,
    bootstrap: str,
    topic: str,
    partitions: int | None,
    retention_days: float,
) -> Iterator[tuple[Sink, list[str]]]:
    if dry_run:
        yield DryRunSink(), []
    elif output == "-":
        yield FileSink(sys.stdout.buffer, "stdout (JSONL)"), []
    elif output is not None:
        try:
            stream = open(output, "wb")  # noqa: SIM115 - closed below, after the run
        except OSError as exc:
            raise typer.BadParameter(
                f"cannot write {output!r}: {exc.strerror}", param_hint="'--output'"
            ) from None
        with stream:
            yield FileSink(stream, f"{output} (JSONL)"), []
    else:
        publisher, note = _publisher(bootstrap, topic, partitions, retention_days)
        yield KafkaSink(publisher), [note]


def _finish(summary: RunSummary, notes: list[str], exit_code: int = 0) -> None:
    summary.notes.extend(notes)
    print_summary(summary, _stderr())
    if not summary.ok:
        raise typer.Exit(EXIT_FAILED)
    if exit_code:
        raise typer.Exit(exit_code)


@produce_app.command("orders")
def produce_orders(
    rate: Annotated[
        float | None,
        typer.Option(
            parser=RATE,
            metavar="PER_SECOND",
            help=f"Events per second; 0 = as fast as possible (default: {DEFAULT_KAFKA_RATE:g} to Kafka, 0 with --output/--dry-run)",
        ),
    ] = None,
    count: Annotated[
        int | None,
        typer.Option(parser=COUNT, metavar="N", help="Stop after N events (default: until Ctrl-C)"),
    ] = None,
    duration: Annotated[
        timedelta | None,
        typer.Option(parser=DURATION, metavar="DURATION", help="Stop after this long: 30s, 5m, 1h30m"),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(help="Random seed: same seed + --start-time = identical events (default: random)"),
    ] = None,
    start_time: Annotated[
        datetime | None,
        typer.Option(
            parser=START_TIME,
            metavar="TIMESTAMP",
            help="First event time, ISO-8601 with offset, or 'now' (default: now)",
        ),
    ] = None,
    currencies: Annotated[
        CodeList,
        typer.Option(parser=CURRENCIES, metavar="CODES", help="Comma-separated ISO-4217 codes"),
    ] = DEFAULT_CODES,
    invalid_ratio: Annotated[
        float, typer.Option(parser=SHARE, metavar="0..1", help="Share broken on purpose (sent anyway)")
    ] = 0.0,
    duplicate_ratio: Annotated[
        float, typer.Option(parser=SHARE, metavar="0..1", help="Share re-sent byte-identical")
    ] = 0.0,
    late_ratio: Annotated[
        float, typer.Option(parser=SHARE, metavar="0..1", help="Share with event_time hours to days behind")
    ] = 0.0,
    invalid_kinds: Annotated[
        CodeList | None,
        typer.Option(
            parser=KINDS,
            metavar="KINDS",
            help="Comma-separated fault kinds for --invalid-ratio (default: all)",
        ),
    ] = None,
    skew: Annotated[
        timedelta,
        typer.Option(
            parser=DURATION, metavar="DURATION", show_default="2s", help="Event times jitter by +/- this"
        ),
    ] = timedelta(seconds=2),
    run_id: Annotated[
        str | None,
        typer.Option(parser=RUN_ID, metavar="TEXT", help="Tag ids as ord-<run-id>-…, usr-<run-id>-…"),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write JSONL here instead of Kafka ('-' = stdout)")
    ] = None,
    dry_run: DryRun = False,
    bootstrap_servers: Bootstrap = DEFAULT_BOOTSTRAP,
    topic: Topic = DEFAULT_TOPIC,
    partitions: Partitions = None,
    retention_days: RetentionDays = 7.0,
) -> None:
    """Generate realistic Order Created v1 events and send them.

    \b
    analytics-producer produce orders --rate 10                  # to Kafka until Ctrl-C
    analytics-producer produce orders --count 1000 --rate 0 --partitions 3
    analytics-producer produce orders --output - --count 5 --seed 1 --start-time 2026-11-24T12:00:00Z
    analytics-producer produce orders --count 1000 --invalid-ratio 0.1 --dry-run
    """
    if invalid_ratio + duplicate_ratio + late_ratio > 1:
        raise typer.BadParameter(
            f"the shares add up to {invalid_ratio + duplicate_ratio + late_ratio:g}, more than 1",
            param_hint="'--invalid-ratio' + '--duplicate-ratio' + '--late-ratio'",
        )
    to_kafka = output is None and not dry_run
    rate = rate if rate is not None else (DEFAULT_KAFKA_RATE if to_kafka else 0.0)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    start_time = start_time or datetime.now(UTC)
    events = generate_orders(
        None,
        seed=seed,
        start_time=start_time,
        currencies=currencies,
        run_id=run_id,
        invalid_ratio=invalid_ratio,
        duplicate_ratio=duplicate_ratio,
        late_ratio=late_ratio,
        invalid_kinds=invalid_kinds,
        skew=skew,
        # paced runs: event times follow the wall clock; flat out: 10 ms apart
        spacing=timedelta(seconds=1 / rate) if rate else timedelta(milliseconds=10),
    )
    replay = f"replay with --seed {seed} --start-time {start_time.isoformat().replace('+00:00', 'Z')}"
    with _sink(output, dry_run, bootstrap_servers, topic, partitions, retention_days) as (sink, notes):
        summary = run(events, sink, rate=rate, count=count, duration=duration, console=_stderr())
    _finish(summary, [*notes, replay])


@app.command("publish")
def publish(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="JSONL, one event a line")
    ],
    rate: Annotated[
        float,
        typer.Option(parser=RATE, metavar="PER_SECOND", help="Events per second; 0 = as fast as possible"),
    ] = 0.0,
    dry_run: DryRun = False,
    bootstrap_servers: Bootstrap = DEFAULT_BOOTSTRAP,
    topic: Topic = DEFAULT_TOPIC,
    partitions: Partitions = None,
    retention_days: RetentionDays = 7.0,
) -> None:
    """Send the events of a JSONL file, each line checked against the contract first.

    Rejected lines are reported (line number, field, reason) and not sent; the rest are.

    \b
    analytics-producer publish orders.jsonl --bootstrap-servers localhost:9092
    analytics-producer publish orders.jsonl --dry-run            # only check the file
    """
    console = _stderr()
    rejected = 0

    def report(number: int, rejection: Rejection) -> None:
        nonlocal rejected
        rejected += 1
        console.print(f"[yellow]line {number}:[/] {escape(rejection.line())}", soft_wrap=True)

    with (
        open(file, "rb") as lines,
        _sink(None, dry_run, bootstrap_servers, topic, partitions, retention_days) as (sink, notes),
    ):
        summary = run(file_events(lines, report), sink, rate=rate, console=console)
    summary.rejected_before_publish = rejected
    _finish(summary, notes, EXIT_REJECTED if rejected else 0)


def main() -> None:
    """Console script entry point (`analytics-producer`)."""
    try:
        app()
    except BrokenPipeError:  # `... --output - | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
