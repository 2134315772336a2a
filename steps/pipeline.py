"""Steps on the running job and the runtimes under it: is it running, kill a TaskManager, restart
the broker, and has it recovered.

    Given the Flink job "order_ingest_job" is running
    When the TaskManager is killed
    When the Kafka broker is restarted
    Then the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault
    Then the Flink job "order_ingest_job" has not restarted
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from fixtures.flink_rest import FlinkRest
from fixtures.plugin import say
from fixtures.stack import JobHandle, Stack
from fixtures.waits import Probe
from steps.context import ScenarioState

FINAL_STATES = {"FAILED", "CANCELED", "FINISHED"}


class JobEnded(AssertionError):
    """The job reached a final state: waiting longer cannot help."""


def _running(rest: FlinkRest, job: JobHandle) -> Probe:
    detail = rest.job(job.job_id)
    state = detail["state"]
    if state in FINAL_STATES:
        root = rest.exceptions(job.job_id).get("root-exception") or ""
        raise JobEnded(f"{job.name} {job.job_id} is {state}: {root[:1500]}")
    tasks = {v["status"] for v in detail.get("vertices", [])}
    return Probe(state == "RUNNING" and tasks == {"RUNNING"}, f"job {state}, tasks {sorted(tasks)}")


@given(parsers.parse('the Flink job "{name}" is running'))
def job_is_running(
    name: str, job: JobHandle, flink_rest: FlinkRest, eventually: Any, scenario_state: ScenarioState
) -> JobHandle:
    assert job.name == name, f"this session runs {job.name!r}, not {name!r}"
    eventually(f"{name} to run", lambda: _running(flink_rest, job), fatal=(JobEnded,))
    scenario_state.restarts_at_start = flink_rest.restarts(job.job_id)
    return job


@then(parsers.parse('the Flink job "{name}" has not restarted'))
def job_not_restarted(
    name: str, job: JobHandle, flink_rest: FlinkRest, scenario_state: ScenarioState
) -> None:
    """Still RUNNING, and no failover since `Given the Flink job "…" is running`: a record that
    failed the job would have restarted it (and, ten restarts later, left it FAILED)."""
    assert job.name == name, f"this session runs {job.name!r}, not {name!r}"
    before = scenario_state.restarts_at_start
    assert before is not None, f'write `Given the Flink job "{name}" is running` first: it notes the restarts'
    running = _running(flink_rest, job)
    restarts = flink_rest.restarts(job.job_id)
    root = (flink_rest.exceptions(job.job_id).get("root-exception") or "")[:1500]
    assert restarts == before, (
        f"{name} restarted {restarts - before} time(s) during this scenario ({running.seen}); last failure: {root}"
    )
    assert running.done, f"{name} is not running: {running.seen}"


def _fault(
    request: pytest.FixtureRequest,
    what: str,
    action: Any,
    rest: FlinkRest,
    job: JobHandle,
    state: ScenarioState,
) -> None:
    state.checkpoints_at_fault = rest.completed_checkpoints(job.job_id)
    started = time.monotonic()
    say(request.config, f"  … {what} …")
    action()
    say(request.config, f"  … {what}: done in {time.monotonic() - started:.0f}s")


@when("the TaskManager is killed")
def kill_taskmanager(
    request: pytest.FixtureRequest,
    stack: Stack,
    flink_rest: FlinkRest,
    job: JobHandle,
    scenario_state: ScenarioState,
) -> None:
    _fault(
        request,
        "killing the TaskManager (kill -9) and starting a new one",
        stack.kill_taskmanager,
        flink_rest,
        job,
        scenario_state,
    )


@when("the Kafka broker is restarted")
def restart_broker(
    request: pytest.FixtureRequest,
    stack: Stack,
    flink_rest: FlinkRest,
    job: JobHandle,
    scenario_state: ScenarioState,
) -> None:
    _fault(request, "restarting the Kafka broker", stack.restart_broker, flink_rest, job, scenario_state)


@then(parsers.parse('the Flink job "{name}" is running again, with a checkpoint completed after the fault'))
def job_recovered(
    name: str, job: JobHandle, flink_rest: FlinkRest, eventually: Any, scenario_state: ScenarioState
) -> None:
    assert job.name == name, f"this session runs {job.name!r}, not {name!r}"
    before = scenario_state.checkpoints_at_fault

    def recovered() -> Probe:
        running = _running(flink_rest, job)
        done = flink_rest.completed_checkpoints(job.job_id)
        return Probe(
            running.done and done > before,
            f"{running.seen}; {done} checkpoints completed ({before} at the fault)",
        )

    eventually(f"{name} to run again and complete a checkpoint", recovered, fatal=(JobEnded,))
