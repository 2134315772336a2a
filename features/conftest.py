"""The acceptance suite boots the stack and submits the ingest job in each scenario's *setup*, so
boot time and boot failures are reported as such, not as the first step of whichever scenario runs
first. orderflow.toml declares more than one job, so it is named; the others are submitted by
their scenarios' `Given the Flink job "…" is running`."""

from __future__ import annotations

import pytest

from fixtures.pytest_stack import Jobs
from fixtures.stack import JobHandle
from steps.support.kafka import SharedProducer

INGEST_JOB = "order_ingest_job"


@pytest.fixture(autouse=True)
def _stack_and_job_first(shared_producer: SharedProducer, jobs: Jobs) -> JobHandle:
    # The producer first: it gets its producer id from Kafka while the job is looked up.
    return jobs.running(INGEST_JOB)
