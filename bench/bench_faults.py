"""The crash matrix at scale (`make faults`): each fault of features/recovery.feature while 100,000
orders flow, on the local provider. Prints and saves, per fault, how many of the published orders
are missing from the Iceberg table, how many are there twice, and how long the job took to recover.

For each fault: a background producer publishes N valid orders of a fresh run id to
orders.created.v1 (acks=all, idempotent, at --rate per second); when ~30 % are acknowledged the
fault is injected through the stack's own capability (fixtures/stack.py). Once every order is
acknowledged, one marker order per partition is published and awaited in the table: Kafka keeps
order within a partition and the job commits per checkpoint, so when the markers are rows the job
has processed everything before them. Then the run's rows are read back (fixtures.iceberg.TableReader)
and compared with what Kafka acknowledged: lost = published event ids not in the table, duplicated
= rows beyond one per event id.

"seconds to recover" runs from the fault's start to the first checkpoint triggered after the fault
ended completing, with the job RUNNING (for the 30 s pauses it includes the pause).

    .venv/bin/python -m bench.bench_faults [--events 100000] [--rate 5000] [--pause 30] [--fault ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyiceberg.expressions import StartsWith
from rich.console import Console
from rich.table import Table

from bench.latency import orders
from fixtures.flink_rest import FlinkRest
from fixtures.flink_submit import JOB_NAME
from fixtures.iceberg import TableReader, catalog_from
from fixtures.local.stack import LocalProcessStack
from fixtures.machine import machine
from fixtures.stack import ORDERS_TOPIC, Pausable, Stack
from fixtures.waits import Probe, wait_for
from producer.publishing import DeliveryLog, KafkaPublisher

# Wide enough for the table when the output is a file or a pipe (rich's default is 80 columns).
console = Console() if sys.stdout.isatty() else Console(width=150)
RESULTS = Path(__file__).parent / "results"
TABLE = "analytics.orders"
# Deliveries outlive a broker kill: librdkafka retries until the broker is back.
PRODUCER_OVERRIDES = {"message.timeout.ms": 300_000, "linger.ms": 20, "batch.size": 1_000_000}


def faults(pause: float) -> dict[str, Callable[[Stack], object]]:
    """Fault name → what injects it (and, for the JobManager, what a user then does)."""

    def jobmanager(stack: Stack) -> object:
        stack.kill_jobmanager()
        return stack.recover_jobmanager(JOB_NAME)

    return {
        "TaskManager kill -9": lambda stack: stack.kill_taskmanager(),
        "JobManager kill -9, restart + resubmit": jobmanager,
        "Kafka broker kill -9, restart": lambda stack: stack.kill_broker(),
        f"S3 unreachable {pause:g} s": lambda stack: stack.pause(Pausable.S3, pause),
        f"catalog unreachable {pause:g} s": lambda stack: stack.pause(Pausable.CATALOG, pause),
    }


class Publisher:
    """Publishes the events at `rate`/s from a thread; keeps the event ids Kafka acknowledged."""

    def __init__(self, bootstrap: str, events: list[tuple[bytes, bytes, str]], rate: float) -> None:
        self.events, self.rate = events, rate
        self.core = KafkaPublisher(bootstrap, PRODUCER_OVERRIDES)
        self.log = DeliveryLog()  # each delivery labelled with its event id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = time.monotonic()
        for index, (key, value, event_id) in enumerate(self.events):
            # Pacing waits on the stop event, not time.sleep: Ctrl-C ends the bench at once.
            if index % 100 == 0 and self.stop.wait(max(0.0, started + index / self.rate - time.monotonic())):
                return
            self.core.send(ORDERS_TOPIC, key, value, log=self.log, label=event_id)
            self.core.poll(0)
        self.core.flush(600)

    @property
    def acknowledged(self) -> list[str]:
        return [delivery.label for delivery in list(self.log.delivered)]

    @property
    def settled(self) -> int:
        return len(self.log.delivered) + self.log.failed


@dataclass
class Outcome:
    fault: str
    events: int
    acknowledged: int
    delivery_errors: int
    rows: int
    lost: int
    duplicated: int
    unexpected: int
    fault_seconds: float
    recover_seconds: float
    settle_seconds: float


def _recovered_at(stack: Stack, fault_ended_ms: float) -> float:
    """Wait for the job to run with a checkpoint triggered after the fault completed; when."""
    rest = FlinkRest(stack.endpoints.flink_rest_url)

    def recovered() -> Probe:
        running = rest.running_jobs(JOB_NAME)
        if not running:
            return Probe(False, "no running job")
        job = rest.job(running[0].job_id)
        tasks = {v["status"] for v in job.get("vertices", [])}
        latest = rest.latest_completed_checkpoint(running[0].job_id)
        after = latest is not None and int(latest["trigger_timestamp"]) > fault_ended_ms
        return Probe(
            job["state"] == "RUNNING" and tasks == {"RUNNING"} and after, f"{job['state']} {sorted(tasks)}"
        )

    wait_for("the job to run and complete a checkpoint after the fault", recovered, timeout=600, interval=0.5)
    return time.monotonic()


def _settle(stack: Stack, reader: TableReader, run_id: str) -> None:
    """One marker order per partition, awaited as rows: everything before them was processed."""
    core = KafkaPublisher(stack.endpoints.kafka_bootstrap, PRODUCER_OVERRIDES)
    markers = orders(stack.declaration.topics[ORDERS_TOPIC].partitions, f"{run_id}m")
    log = DeliveryLog()
    for partition, (key, value, _) in enumerate(markers):
        core.send(ORDERS_TOPIC, key, value, partition=partition, log=log)
    core.settle(log, len(markers), timeout=60)  # DeliveryFailed says which and why
    wanted = {event_id for _, _, event_id in markers}

    def committed() -> Probe:
        found = set(
            reader.scan(StartsWith("order_id", f"ord-{run_id}m-"), ("event_id",))
            .column("event_id")
            .to_pylist()
        )
        return Probe(wanted <= found, f"{len(wanted & found)} of {len(wanted)} partition markers committed")

    wait_for("the job to commit everything published (partition markers)", committed, timeout=900, interval=1)


def run_fault(
    stack: Stack, name: str, inject: Callable[[Stack], object], events: int, rate: float
) -> Outcome:
    run_id = uuid.uuid4().hex[:10]
    to_publish = orders(events, run_id)
    reader = TableReader(catalog_from(stack.catalog_properties()), TABLE)
    publisher = Publisher(stack.endpoints.kafka_bootstrap, to_publish, rate)
    publisher.thread.start()
    try:
        at = int(events * 0.3)
        wait_for(
            f"{at:,} orders acknowledged",
            lambda: Probe(publisher.settled >= at, f"{publisher.settled:,} acknowledged"),
            timeout=600,
            show_progress=False,
        )
        console.print(
            f"[bold]{name}[/]: injecting at {publisher.settled:,} of {events:,} orders acknowledged"
        )
        started = time.monotonic()
        inject(stack)
        fault_ended, fault_ended_ms = time.monotonic(), time.time() * 1000
        recovered = _recovered_at(stack, fault_ended_ms)
        wait_for(
            f"all {events:,} orders to be acknowledged",
            lambda: Probe(not publisher.thread.is_alive(), f"{publisher.settled:,} acknowledged"),
            timeout=900,
            show_progress=False,
        )
    finally:
        publisher.stop.set()
        publisher.thread.join(timeout=60)
    _settle(stack, reader, run_id)
    settled = time.monotonic()
    rows = reader.scan(StartsWith("order_id", f"ord-{run_id}-"), ("event_id",)).column("event_id").to_pylist()
    counts = Counter(rows)
    published = set(publisher.acknowledged)
    return Outcome(
        fault=name,
        events=events,
        acknowledged=len(published),
        delivery_errors=publisher.log.failed,
        rows=len(rows),
        lost=len(published - counts.keys()),
        duplicated=sum(n - 1 for n in counts.values()),
        unexpected=len(counts.keys() - published),
        fault_seconds=round(fault_ended - started, 1),
        recover_seconds=round(recovered - started, 1),
        settle_seconds=round(settled - started, 1),
    )


def show(outcomes: list[Outcome], title: str) -> Table:
    table = Table(
        "fault",
        "events",
        "lost",
        "duplicated",
        "seconds to recover",
        "fault lasted (s)",
        "all rows in (s)",
        title=title,
    )
    for o in outcomes:
        bad = o.lost or o.duplicated or o.unexpected or o.delivery_errors or o.acknowledged != o.events
        style = "red" if bad else ""
        table.add_row(
            o.fault,
            f"{o.acknowledged:,}" + ("" if o.acknowledged == o.events else f" of {o.events:,}"),
            f"{o.lost:,}",
            f"{o.duplicated:,}" + (f" (+{o.unexpected:,} not published)" if o.unexpected else ""),
            f"{o.recover_seconds:.0f}",
            f"{o.fault_seconds:.0f}",
            f"{o.settle_seconds:.0f}",
            style=style,
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=5_000, help="orders published per second")
    parser.add_argument("--pause", type=float, default=30, help="seconds S3 / the catalog stay unreachable")
    parser.add_argument("--fault", nargs="+", help="run only these faults (names as printed; default all)")
    parser.add_argument(
        "--run-dir", type=Path, default=Path(".run/faults"), help="the bench's own local stack"
    )
    args = parser.parse_args()
    matrix = faults(args.pause)
    chosen = {name: inject for name, inject in matrix.items() if not args.fault or name in args.fault}
    if not chosen:
        parser.error(f"--fault: choose among {list(matrix)}")

    about = machine()
    stack = LocalProcessStack(args.run_dir).start(clean=True)
    outcomes: list[Outcome] = []
    title = f"{args.events:,} orders at {args.rate:,.0f}/s per fault, local provider"
    try:
        stack.submit_job(JOB_NAME)
        for name, inject in chosen.items():
            outcomes.append(run_fault(stack, name, inject, args.events, args.rate))
            console.print(show(outcomes, title))
    finally:
        stack.stop()
    about["load_at_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"faults-{datetime.now(UTC):%Y-%m-%d}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "events": args.events,
                "rate": args.rate,
                "pause_seconds": args.pause,
                "machine": about,
                "results": [asdict(o) for o in outcomes],
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"written to {out}")
    if any(o.lost or o.duplicated or o.unexpected for o in outcomes):
        raise SystemExit("some fault lost or duplicated orders (red rows above)")


if __name__ == "__main__":
    main()
