"""Producer figures: events generated per second, events published per second, and Kafka's own
`kafka-producer-perf-test` (ProducerPerformance, from the broker's jars) as the yardstick, with the
same record size, acks=all, idempotence and linger.ms.

    .venv/bin/python bench/bench_producer.py                                      # generation only
    .venv/bin/python bench/bench_producer.py --bootstrap-servers 127.0.0.1:9092   # + publishing and yardstick

Goals (issue 5): >= 200,000 events/s generated; published >= 0.5x the yardstick. Both paths are the
CLI's own (`run()` with the file and Kafka sinks), so the figures are what `analytics-producer
produce orders --output /dev/null` and `--rate 0` achieve. CPU rates are printed too: on a shared
machine the wall clock also measures the neighbours.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from confluent_kafka.admin import AdminClient
from rich.console import Console
from rich.table import Table

from producer.generate import OrderStream, generate_orders
from producer.publisher import OrderPublisher, producer_config
from producer.runner import run
from producer.sinks import FileSink, KafkaSink

REPO = Path(__file__).resolve().parent.parent
KAFKA_JARS = REPO / ".cache" / "jvm" / "kafka"
START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
QUIET = Console(file=io.StringIO())  # the runner's progress/summary are not wanted here
console = Console(width=max(Console().width, 120))  # the table is wider than a default pipe


@dataclass(frozen=True)
class Figure:
    what: str
    events: int
    seconds: float
    cpu_seconds: float | None = None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def cpu_rate(self) -> float | None:
        return self.events / self.cpu_seconds if self.cpu_seconds else None


def mean_record_size(samples: int = 2000) -> int:
    return round(statistics.fmean(len(e.value) for e in generate_orders(samples, seed=1, start_time=START)))


def bench_setup() -> float:
    """Seconds to build the value pools (Faker users, 2,048 polyfactory models): once per run."""
    started = time.perf_counter()
    OrderStream(seed=2, start_time=START)
    return time.perf_counter() - started


def bench_generate(events: int) -> Figure:
    with open(os.devnull, "wb") as null:
        stream = generate_orders(None, seed=1, start_time=START)  # pools built before the clock starts
        started, cpu = time.perf_counter(), time.process_time()
        summary = run(stream, FileSink(null, os.devnull), count=events, console=QUIET)
    return Figure(
        "generate → /dev/null",
        summary.counts.sent,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )


def fresh_topic(bootstrap: str, partitions: int) -> str:
    topic = f"bench.producer.{uuid.uuid4().hex[:8]}"
    with OrderPublisher(bootstrap, topic) as publisher:
        publisher.ensure_topic(partitions=partitions, retention_days=0.05)
    return topic


def drop_topics(bootstrap: str, topics: list[str]) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})  # held: its futures die with it
    for future in admin.delete_topics(topics).values():
        future.result(timeout=30)


def bench_publish(bootstrap: str, topic: str, events: int) -> Figure:
    stream = generate_orders(None, seed=1, start_time=START, run_id="bench")
    publisher = OrderPublisher(bootstrap, topic)
    started, cpu = time.perf_counter(), time.process_time()
    summary = run(stream, KafkaSink(publisher), rate=0, count=events, console=QUIET)  # flushes at the end
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    counts = summary.counts
    note = f"acks=all, delivered {counts.delivered:,}, failed {counts.failed:,}"
    return Figure("publish --rate 0 (confluent-kafka)", counts.delivered, seconds, cpu_seconds, note)


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    found = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not found:
        raise SystemExit("java not found: set JAVA_HOME or put java on PATH (needed for the yardstick)")
    return found


def bench_yardstick(bootstrap: str, topic: str, events: int, record_size: int) -> Figure:
    config = producer_config(bootstrap)
    props = [
        f"{key}={config[key]}" for key in ("bootstrap.servers", "acks", "enable.idempotence", "linger.ms")
    ]
    command = [
        java(), "-Xmx512m", "-cp", f"{KAFKA_JARS}/*", "org.apache.kafka.tools.ProducerPerformance",
        "--topic", topic, "--num-records", str(events), "--record-size", str(record_size),
        "--throughput", "-1", "--producer-props", *props,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    # progress lines share the format; the final one alone goes on to percentiles ("… ms 50th")
    final = re.search(
        r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency.*50th",
        done.stdout,
    )
    if done.returncode != 0 or final is None:
        raise SystemExit(
            f"ProducerPerformance failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    sent, rate = int(final[1]), float(final[2])
    return Figure(
        "kafka-producer-perf-test (Java)",
        sent,
        sent / rate,
        note=f"yardstick; {final[3]} MB/s, {final[4]} ms avg latency",
    )


def print_table(figures: list[Figure], record_size: int) -> None:
    table = Table(
        title=f"producer figures — {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, record {record_size} B"
    )
    for column in ("what", "events", "seconds", "events/s (wall)", "events/s (CPU)", "note"):
        table.add_column(
            column, justify="right" if column in ("events", "seconds") or "/s" in column else "left"
        )
    for f in figures:
        cpu = f"{f.cpu_rate:,.0f}" if f.cpu_rate else "-"
        table.add_row(f.what, f"{f.events:,}", f"{f.seconds:.2f}", f"{f.rate:,.0f}", cpu, f.note)
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"))
    parser.add_argument("--generate", type=int, default=1_000_000, help="events to generate to /dev/null")
    parser.add_argument(
        "--publish", type=int, default=500_000, help="events to publish, and for the yardstick"
    )
    parser.add_argument("--partitions", type=int, default=3)
    args = parser.parse_args()

    record_size = mean_record_size()
    setup = bench_setup()
    figures = [bench_generate(args.generate)]
    if args.bootstrap_servers:
        topics = [fresh_topic(args.bootstrap_servers, args.partitions) for _ in range(2)]
        try:
            figures.append(bench_publish(args.bootstrap_servers, topics[0], args.publish))
            figures.append(bench_yardstick(args.bootstrap_servers, topics[1], args.publish, record_size))
        finally:
            drop_topics(args.bootstrap_servers, topics)
    print_table(figures, record_size)

    console.print(f"setup (value pools, once per run): {setup:.2f} s")
    generated = figures[0].rate
    console.print(
        f"generated: {generated:,.0f} events/s (goal >= 200,000: {'met' if generated >= 200_000 else 'NOT met'})"
    )
    if args.bootstrap_servers:
        ratio = figures[1].rate / figures[2].rate
        console.print(
            f"published / yardstick: {ratio:.2f} (goal >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'})"
        )
    else:
        console.print(
            "no --bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS): publishing and the yardstick skipped"
        )


if __name__ == "__main__":
    main()
