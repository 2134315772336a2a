"""The acceptance suite boots the stack and submits the job in each scenario's *setup*, so boot
time and boot failures are reported as such, not as the first step of whichever scenario runs first."""

from __future__ import annotations

import pytest

from fixtures.pytest_stack import Jobs
from fixtures.stack import JobHandle


@pytest.fixture(scope="session")
def job(jobs: Jobs) -> JobHandle:
    """orderflow.toml declares more than one job (the plugin's `job` wants exactly one): the
    features are the ingest job's unless a scenario starts another (`Given the Flink job … is running`)."""
    return jobs.running("order_ingest_job")


@pytest.fixture(autouse=True)
def _stack_and_job_first(job: JobHandle) -> None:
    return None
