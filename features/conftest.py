"""The acceptance suite boots the stack and submits the job in each scenario's *setup*, so boot
time and boot failures are reported as such, not as the first step of whichever scenario runs first."""

from __future__ import annotations

import pytest

from fixtures.stack import JobHandle


@pytest.fixture(autouse=True)
def _stack_and_job_first(job: JobHandle) -> None:
    return None
