"""Running one job over a preloaded topic and timing it: the throughput runs of `make bench`.

Rates come from the job's own progress, the same for every job whatever it writes: its Kafka
sources' offsets (Flink REST metrics, refreshed every 0.5 s) say how many records it has read,
and fixtures/progress.py says when a checkpoint holding all of them has committed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fixtures.progress import JobProgress, metric_name
from fixtures.stack import Stack
from fixtures.topics import ensure_topic, last_offsets_of
from fixtures.waits import Probe, wait_for
from producer.generate import generate_orders
from producer.publisher import OrderPublisher

PASSTHROUGH = "bench/passthrough_job.py"  # relative to the repo root, as declared jobs' entries are


def fresh_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:6]}"


def preload(bootstrap: str, topic: str, events: int, partitions: int) -> dict[tuple[str, int], int]:
    """`events` valid orders into a new topic; the last offset of each partition."""
    ensure_topic(bootstrap, topic, partitions=partitions)
    with OrderPublisher(bootstrap, topic=topic, config={"linger.ms": 50, "batch.size": 1_000_000}) as out:
        for event in generate_orders(events, seed=1, start_time=datetime(2026, 11, 1, tzinfo=UTC)):
            out.publish(event)
    return last_offsets_of(bootstrap, topic)


@dataclass(frozen=True)
class Run:
    job: str
    parallelism: int
    events: int
    submit_seconds: float  # submission until every task runs
    committed_seconds: float  # every task running → a committed checkpoint holds every record
    steady_rate: float  # records read per second, from the first read to the last

    @property
    def rate(self) -> float:
        return self.events / self.committed_seconds


def measure(
    stack: Stack, job: str, parallelism: int, submit: Callable[[], str], ends: dict[tuple[str, int], int]
) -> Run:
    """Submit (returns the job id once its tasks run), then time the job through the records up to `ends`."""
    started = time.monotonic()
    job_id = submit()
    running = time.monotonic()
    rest = stack.rest()
    events = sum(end + 1 for end in ends.values())
    progress = JobProgress(job, job_id, ends, rest)
    reads: list[tuple[float, int]] = []  # (when, records read), until all are read

    def committed() -> Probe:
        if not reads or reads[-1][1] < events:
            offsets = rest.source_offsets(job_id)
            reads.append((time.monotonic(), sum(offsets.get((metric_name(t), p), 0) for t, p in ends)))
        return progress()

    try:
        wait_for(
            f"{job} (p{parallelism}) through {events:,} records",
            committed,
            timeout=1800,
            interval=0.5,
            max_interval=0.5,
        )
        done = time.monotonic()
    finally:
        stack.cancel_job(job_id)
        rest.close()
    first = next((at, n) for at, n in reads if n > 0)
    last = next((at, n) for at, n in reads if n >= events)
    steady = (last[1] - first[1]) / (last[0] - first[0]) if last[0] > first[0] else float("nan")
    return Run(job, parallelism, events, running - started, done - running, steady)


def submit_passthrough(stack: Stack, env: dict[str, str]) -> str:
    """The ceiling job is no declared job: run_job directly, as redeploy does for declared ones."""
    job_id = stack.run_job(PASSTHROUGH, {**stack.job_environment(), **env}, None, allow_state_loss=False)
    rest = stack.rest()
    try:
        rest.wait_running(job_id)
    finally:
        rest.close()
    return job_id


def submit_declared(stack: Stack, name: str, env: dict[str, str]) -> str:
    return stack.submit_job(name, fresh=True, extra_env=env).job_id
