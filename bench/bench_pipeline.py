"""Sustained throughput of order_ingest_job on the local stack: Kafka → validate/dedupe → Iceberg.

Preloads N valid orders (+1 % invalid) into a fresh topic, then runs each job variant over it at
parallelism 1 and 2 and prints rows committed to Iceberg per second two ways — from the job's
start to the commit holding every valid row, and steady state (first commit to last) — and the
DLQ count. Each run writes its own table, so runs do not disturb each other or analytics.orders.

    .venv/bin/python bench/bench_pipeline.py [--events 1000000] [--parallelism 1 2] [--variant ...]
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import UTC, datetime

from confluent_kafka import Consumer, TopicPartition
from rich.console import Console
from rich.table import Table

from fixtures.flink_submit import JOB_NAME
from fixtures.iceberg import TableReader, catalog_from
from fixtures.local.stack import LocalProcessStack
from fixtures.topics import ensure_topic
from fixtures.waits import Probe, wait_for
from producer.generate import generate_orders
from producer.publisher import OrderPublisher

console = Console()


def preload(bootstrap: str, topic: str, events: int) -> tuple[int, int, float]:
    """Publish the events; return (valid, invalid, seconds)."""
    ensure_topic(bootstrap, topic, partitions=4)
    started = time.monotonic()
    valid = invalid = 0
    with OrderPublisher(
        bootstrap, topic=topic, config={"linger.ms": 50, "batch.size": 1_000_000}
    ) as publisher:
        for event in generate_orders(
            events, seed=1, start_time=datetime(2026, 11, 1, tzinfo=UTC), invalid_ratio=0.01
        ):
            publisher.publish(event)
            if event.intent.startswith("invalid"):
                invalid += 1
            else:
                valid += 1
    return valid, invalid, time.monotonic() - started


def topic_size(bootstrap: str, topic: str) -> int:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-size"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(
            consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions
        )
    finally:
        consumer.close()


# name → the job settings that select it: which lane validates canonical payloads, and where the
# Python functions run (a worker process, or the TaskManager's embedded interpreter)
VARIANTS = {
    "fast-lane": {"VALIDATION_FAST_LANE": "true", "PYTHON_EXECUTION_MODE": "process"},
    "python-process": {"VALIDATION_FAST_LANE": "false", "PYTHON_EXECUTION_MODE": "process"},
    "python-thread": {"VALIDATION_FAST_LANE": "false", "PYTHON_EXECUTION_MODE": "thread"},
    "fast-lane-thread": {"VALIDATION_FAST_LANE": "true", "PYTHON_EXECUTION_MODE": "thread"},
}


def run_job(
    stack: LocalProcessStack, topic: str, parallelism: int, expected_rows: int, variant: str
) -> dict[str, float]:
    tag = uuid.uuid4().hex[:6]
    table_name = f"orders_bench_p{parallelism}_{tag}"
    dlq = f"{topic}.dlq.{variant}.p{parallelism}"
    ensure_topic(stack.endpoints.kafka_bootstrap, dlq, partitions=1)
    started = time.monotonic()
    handle = stack.submit_job(
        JOB_NAME,
        fresh=True,  # a new topic, table and group each time: nothing to carry over
        extra_env={
            "ORDERS_TOPIC": topic,
            "DLQ_TOPIC": dlq,
            "ICEBERG_TABLE": table_name,
            "KAFKA_GROUP_ID": f"bench-{tag}",
            "PARALLELISM": str(parallelism),
            "CHECKPOINT_INTERVAL_MS": "5000",
            **VARIANTS[variant],
        },
    )
    running_at = time.monotonic()
    reader = TableReader(catalog_from(stack.catalog_properties()), f"analytics.{table_name}")

    commits: list[tuple[float, int]] = []  # (when seen, rows committed) at each new snapshot

    def committed() -> Probe:
        snapshots = reader.snapshots()
        rows = int(snapshots[-1].summary.get("total-records", 0)) if snapshots else 0
        if rows and (not commits or commits[-1][1] != rows):
            commits.append((time.monotonic(), rows))
        return Probe(rows >= expected_rows, f"{rows:,} of {expected_rows:,} rows committed", rows)

    rows = int(
        wait_for(f"{expected_rows:,} rows in analytics.{table_name}", committed, timeout=1800, interval=1)
    )
    done = time.monotonic()
    # Steady state: from the first commit with rows to the last one, so the job's start (Python
    # workers, source discovery) and the wait for the final checkpoint are not in the figure.
    (first_at, first_rows), (last_at, last_rows) = commits[0], commits[-1]
    steady = (last_rows - first_rows) / (last_at - first_at) if last_at > first_at else float("nan")
    stack.cancel_job(handle.job_id)
    return {
        "rows": rows,
        "seconds": done - running_at,
        "rate": rows / (done - running_at),
        "steady": steady,
        "submit_s": running_at - started,
        "dlq": topic_size(stack.endpoints.kafka_bootstrap, dlq),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--parallelism", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--variant",
        choices=list(VARIANTS),
        nargs="+",
        default=["fast-lane", "python-process", "python-thread"],
        help="job variants to compare (fast-lane is the job's default)",
    )
    args = parser.parse_args()

    stack = LocalProcessStack().start()
    topic = f"bench.orders.{uuid.uuid4().hex[:6]}"
    valid, invalid, seconds = preload(stack.endpoints.kafka_bootstrap, topic, args.events)
    console.print(
        f"preloaded {valid + invalid:,} events ({invalid:,} invalid) into {topic} in {seconds:.1f}s"
    )

    table = Table(
        "variant",
        "parallelism",
        "rows committed",
        "seconds",
        "rows/s into Iceberg",
        "steady rows/s",
        "DLQ records",
        title="order_ingest_job, sustained (job RUNNING → last row committed)",
    )
    for variant in args.variant:
        for parallelism in args.parallelism:
            result = run_job(stack, topic, parallelism, valid, variant)
            table.add_row(
                variant,
                str(parallelism),
                f"{result['rows']:,.0f}",
                f"{result['seconds']:.1f}",
                f"{result['rate']:,.0f}",
                f"{result['steady']:,.0f}",
                f"{result['dlq']:,.0f}",
            )
            console.print(table)
    console.print(
        "analytics.orders' own job was replaced by the bench runs: `analytics-stack submit` restores it."
    )


if __name__ == "__main__":
    main()
