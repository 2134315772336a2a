"""Producer: our publisher (the CLI's own path, bench_producer.py) against Kafka's own
kafka-producer-perf-test on the same broker, record size and producer settings, in the same run."""

from __future__ import annotations

from bench import bench_producer as bp
from bench.results import Section, Table
from fixtures.stack import Stack

GOAL = 0.5  # issue 5: published >= 0.5x the yardstick


def section(stack: Stack, events: int, partitions: int = 3) -> Section:
    bootstrap = stack.endpoints.kafka_bootstrap
    record_size = bp.mean_record_size()
    figures = [bp.bench_generate(events * 2)]
    topics = [bp.fresh_topic(bootstrap, partitions) for _ in range(2)]
    try:
        figures.append(bp.bench_publish(bootstrap, topics[0], events))
        figures.append(bp.bench_yardstick(bootstrap, topics[1], events, record_size))
    finally:
        bp.drop_topics(bootstrap, topics)
    ratio = round(figures[1].rate / figures[2].rate, 2)
    table = Table(
        title=f"Producer: {events:,} records of {record_size} B, {partitions} partitions, acks=all, idempotent",
        columns=["what", "events", "seconds", "events/s (wall)", "events/s (CPU)", "note"],
        rows=[
            [
                f.what,
                f.events,
                round(f.seconds, 2),
                round(f.rate),
                round(f.cpu_rate) if f.cpu_rate else None,
                f.note,
            ]
            for f in figures
        ],
        notes=[
            f"published / yardstick: {ratio:.2f} (goal ≥ {GOAL}: {'met' if ratio >= GOAL else 'NOT met'})"
        ],
    )
    return Section(name="Producer", tables=[table], figures={"published_over_yardstick": ratio})
