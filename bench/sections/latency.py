"""End-to-end latency: publish → row visible in Iceberg (the commit time of the snapshot that
first holds it), p50/p95/p99 at each checkpoint interval, order_ingest_job at a steady rate."""

from __future__ import annotations

from bench.jobs import fresh_name, submit_declared
from bench.latency import (
    LATENCY_COLUMNS,
    WARM_UP_SECONDS,
    first_visible,
    latency_row,
    orders,
    publish_counted,
    verdict,
)
from bench.results import Section, Table
from fixtures.iceberg import catalog_from
from fixtures.stack import Stack
from fixtures.topics import ensure_topic

INGEST = "order_ingest_job"
GOAL_SECONDS = 1.5  # issue 17: p95 < 1.5 s at the test stack's interval


def one_interval(stack: Stack, interval_ms: int, rate: float, seconds: float) -> list:
    bootstrap = stack.endpoints.kafka_bootstrap
    topic, dlq, table = (
        f"bench.latency.{fresh_name('t')}",
        f"bench.latency.{fresh_name('dlq')}",
        fresh_name("bench_latency"),
    )
    ensure_topic(bootstrap, topic, partitions=3)
    ensure_topic(bootstrap, dlq, partitions=1)
    env = {
        "ORDERS_TOPIC": topic,
        "DLQ_TOPIC": dlq,
        "ICEBERG_TABLE": table,
        "KAFKA_GROUP_ID": fresh_name("bench"),
        "KAFKA_STARTING_OFFSETS": "earliest",
        "CHECKPOINT_INTERVAL_MS": str(interval_ms),
    }
    job_id = submit_declared(stack, INGEST, env)
    try:
        counted = publish_counted(stack, INGEST, job_id, topic, orders, rate, seconds)
    finally:
        stack.cancel_job(job_id)
    iceberg = catalog_from(stack.catalog_properties()).load_table(f"analytics.{table}")
    seen = first_visible(iceberg, "event_id", set(counted))
    return latency_row(interval_ms / 1000, counted, seen)


def section(stack: Stack, intervals_ms: list[int], rate: float, seconds: float) -> Section:
    rows = [one_interval(stack, interval, rate, seconds) for interval in intervals_ms]
    figures = {f"p95_s_at_{row[0]:g}s": row[3] for row in rows}  # type: ignore[misc]
    test_ms = int(stack.job_environment()["CHECKPOINT_INTERVAL_MS"])
    at_test = figures.get(f"p95_s_at_{test_ms / 1000:g}s")
    table = Table(
        title=f"End-to-end latency: publish → row visible in Iceberg, {INGEST} at {rate:g} orders/s",
        columns=["checkpoint (s)", *LATENCY_COLUMNS],
        rows=rows,  # type: ignore[arg-type]
        notes=[
            f"visible = timestamp_ms of the first snapshot whose added data files hold the row; publish = "
            f"when the order was handed to the Kafka client; the first {WARM_UP_SECONDS} s of orders not counted",
            f"goal: p95 < {GOAL_SECONDS} s at the test stack's interval ({test_ms / 1000:g} s): "
            f"{verdict(at_test, at_test is not None and at_test < GOAL_SECONDS, ' s')}",
        ],
    )
    return Section(name="End-to-end latency", tables=[table], figures=figures)
