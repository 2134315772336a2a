"""Latency measurement: publish at a steady rate remembering when each record was handed to
Kafka, then find when each row first became visible in Iceberg, i.e. the commit time
(snapshot timestamp_ms) of the snapshot whose added data files hold it."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Callable, Iterable

import pyarrow.parquet as pq
from pyiceberg.manifest import DataFileContent, ManifestEntryStatus
from pyiceberg.table import Table as IcebergTable

from fixtures.progress import JobProgress
from fixtures.stack import Stack
from fixtures.topics import last_offsets_of
from fixtures.waits import wait_for
from producer.publishing import DeliveryLog, KafkaPublisher

# The first orders meet a job still warming up (Python workers, JIT): published, not counted.
WARM_UP_SECONDS = 2
Record = tuple[bytes, bytes, str]  # key, value, label (the id the latency is keyed by)


def publish_paced(bootstrap: str, topic: str, records: list[Record], rate: float) -> dict[str, float]:
    """Publish at `rate` records/s; label → epoch ms when it was handed to the client (acked only)."""
    core = KafkaPublisher(bootstrap, {"linger.ms": 5})
    log = DeliveryLog()
    started = time.monotonic()
    for index, (key, value, label) in enumerate(records):
        time.sleep(max(0.0, started + index / rate - time.monotonic()))
        core.send(topic, key, value, log=log, label=label)
        core.poll(0)
    delivered = core.settle(log, len(records), timeout=60)
    return {d.label: d.sent_at.timestamp() * 1000 for d in delivered}


def first_visible(table: IcebergTable, column: str, wanted: set[str]) -> dict[str, int]:
    """Value of `column` → timestamp_ms of the first snapshot that added a row holding it."""
    seen: dict[str, int] = {}
    for snapshot in sorted(table.snapshots(), key=lambda s: s.timestamp_ms):
        for manifest in snapshot.manifests(table.io):
            if manifest.added_snapshot_id != snapshot.snapshot_id:
                continue  # carried over from an earlier snapshot
            for entry in manifest.fetch_manifest_entry(table.io, discard_deleted=True):
                if (
                    entry.status != ManifestEntryStatus.ADDED
                    or entry.data_file.content != DataFileContent.DATA
                ):
                    continue
                with table.io.new_input(entry.data_file.file_path).open() as handle:
                    values = pq.read_table(handle, columns=[column]).column(column).to_pylist()
                for value in values:
                    if value in wanted and value not in seen:
                        seen[value] = snapshot.timestamp_ms
    return seen


def percentiles(samples: Iterable[float]) -> dict[str, float | None]:
    """p50, p95, p99 (ms → s), plus the count; None where there are too few samples."""
    values = sorted(samples)
    if len(values) < 2:
        return {"p50": None, "p95": None, "p99": None, "n": float(len(values))}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49] / 1000, "p95": cuts[94] / 1000, "p99": cuts[98] / 1000, "n": float(len(values))}


def latencies(sent_ms: dict[str, float], seen_ms: dict[str, int | float]) -> list[float]:
    return [seen_ms[label] - sent for label, sent in sent_ms.items() if label in seen_ms]


def orders(count: int, run_id: str, seed: int = 7) -> list[Record]:
    """`count` valid orders of run `run_id`, each labelled with its event_id."""
    from producer.generate import generate_orders

    return [
        (event.key, event.value, json.loads(event.value)["event_id"])
        for event in generate_orders(count, seed=seed, run_id=run_id)
    ]


LATENCY_COLUMNS = ["orders", "p50 (s)", "p95 (s)", "p99 (s)", "missing"]


def latency_row(label: str | float, sent_ms: dict[str, float], seen_ms: dict[str, int | float]) -> list:
    """label, how many were sent, p50/p95/p99 in seconds, how many were never seen."""
    stats = percentiles(latencies(sent_ms, seen_ms))
    return [
        label,
        len(sent_ms),
        stats["p50"],
        stats["p95"],
        stats["p99"],
        len(sent_ms.keys() - seen_ms.keys()),
    ]


def verdict(value: float | None, met: bool, unit: str = "") -> str:
    """How a goal came out, for a note: printed, never asserted."""
    return "not measured" if value is None else f"{value:.2f}{unit}, {'met' if met else 'NOT met'}"


def publish_counted(
    stack: Stack,
    job: str,
    job_id: str,
    topic: str,
    make: Callable[[int, str], list[Record]],
    rate: float,
    seconds: float,
) -> dict[str, float]:
    """Publish WARM_UP_SECONDS then `seconds` of records at `rate`, wait until `job` has committed
    them all (fixtures/progress.py); label → sent ms of the records after the warm-up."""
    warm = int(rate * WARM_UP_SECONDS)
    records = make(warm + int(rate * seconds), uuid.uuid4().hex[:10])
    published = publish_paced(stack.endpoints.kafka_bootstrap, topic, records, rate)
    rest = stack.rest()
    try:
        progress = JobProgress(job, job_id, last_offsets_of(stack.endpoints.kafka_bootstrap, topic), rest)
        wait_for(f"{job} to commit every order", progress, timeout=300)
    finally:
        rest.close()
    return {label: published[label] for _, _, label in records[warm:] if label in published}
