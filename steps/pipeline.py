"""Steps on the running job and the runtimes under it: is it running, the faults (each through a
capability of the stack, fixtures/stack.py), and has it recovered.

    Given the Flink job "order_ingest_job" is running
    When the TaskManager is killed
    When the Kafka broker is restarted
    When the Kafka broker is killed and started again
    When the JobManager is killed
    When the JobManager is started again and the job resubmitted
    When S3 is unreachable for 30 seconds
    When the Iceberg catalog is unreachable for 30 seconds
    Then the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault
    Then the Flink job "order_ingest_job" has not restarted
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from fixtures.flink_rest import FlinkRest
from fixtures.pytest_options import say
from fixtures.pytest_stack import Jobs
from fixtures.stack import JobHandle, Pausable, Stack
from fixtures.waits import Probe
from steps.context import Fault

FINAL_STATES = {"FAILED", "CANCELED", "FINISHED"}
PAUSABLE = {"S3": Pausable.S3, "the Iceberg catalog": Pausable.CATALOG}  # as a feature names them


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


@given(parsers.parse('the Flink job "{name}" is running'), target_fixture="running_job")
def job_is_running(
    name: str, jobs: Jobs, flink_rest: FlinkRest, eventually: Any, restarts_at_start: dict[str, int]
) -> JobHandle:
    """Any declared job: submitted from the working tree the first time a scenario asks for it."""
    job = jobs.running(name)
    eventually(f"{name} to run", lambda: _running(flink_rest, job), fatal=(JobEnded,))
    restarts_at_start[name] = flink_rest.restarts(job.job_id)
    return job


@then(parsers.parse('the Flink job "{name}" has not restarted'))
def job_not_restarted(
    name: str, jobs: Jobs, flink_rest: FlinkRest, restarts_at_start: dict[str, int]
) -> None:
    """Still RUNNING, and no failover since `Given the Flink job "…" is running`: a record that
    failed the job would have restarted it (and, ten restarts later, left it FAILED)."""
    job = jobs.running(name)
    before = restarts_at_start.get(name)
    assert before is not None, f'write `Given the Flink job "{name}" is running` first: it notes the restarts'
    running = _running(flink_rest, job)
    restarts = flink_rest.restarts(job.job_id)
    root = (flink_rest.exceptions(job.job_id).get("root-exception") or "")[:1500]
    assert restarts == before, (
        f"{name} restarted {restarts - before} time(s) during this scenario ({running.seen}); last failure: {root}"
    )
    assert running.done, f"{name} is not running: {running.seen}"


def _fault(request: pytest.FixtureRequest, what: str, action: Callable[[], object]) -> Fault:
    started = time.monotonic()
    say(request.config, f"  … {what} …")
    action()
    say(request.config, f"  … {what}: done in {time.monotonic() - started:.0f}s")
    return Fault(what, time.time())


@when("the TaskManager is killed", target_fixture="fault")
def kill_taskmanager(request: pytest.FixtureRequest, stack: Stack) -> Fault:
    return _fault(
        request,
        "killing the TaskManager (kill -9) and starting a new one",
        stack.kill_taskmanager,
    )


@when("the Kafka broker is restarted", target_fixture="fault")
def restart_broker(request: pytest.FixtureRequest, stack: Stack) -> Fault:
    return _fault(request, "restarting the Kafka broker", stack.restart_broker)


@when("the Kafka broker is killed and started again", target_fixture="fault")
def kill_broker(request: pytest.FixtureRequest, stack: Stack) -> Fault:
    return _fault(request, "killing the Kafka broker (kill -9) and starting it again", stack.kill_broker)


@when("the JobManager is killed", target_fixture="fault")
def kill_jobmanager(request: pytest.FixtureRequest, stack: Stack) -> Fault:
    return _fault(request, "killing the JobManager (kill -9)", stack.kill_jobmanager)


@when("the JobManager is started again and the job resubmitted", target_fixture="fault")
def recover_jobmanager(request: pytest.FixtureRequest, stack: Stack, jobs: Jobs) -> Fault:
    def recover() -> None:
        started = jobs.started
        first = stack.recover_jobmanager(started[0].name if started else None)
        for job in started:
            # The session's jobs are now the resubmitted ones: the next steps and scenarios follow them.
            again = first if job.name == first.name else stack.submit_job(job.name)
            job.job_id, job.resumed_from = again.job_id, again.resumed_from
            jobs.record(job)

    return _fault(request, "starting the JobManager again and resubmitting the jobs", recover)


@when(
    parsers.re(r"(?P<runtime>S3|the Iceberg catalog) is unreachable for (?P<seconds>\d+) seconds"),
    target_fixture="fault",
)
def runtime_unreachable(request: pytest.FixtureRequest, runtime: str, seconds: str, stack: Stack) -> Fault:
    return _fault(
        request,
        f"{runtime} unreachable (frozen) for {seconds}s",
        lambda: stack.pause(PAUSABLE[runtime], float(seconds)),
    )


@then(parsers.parse('the Flink job "{name}" is running again, with a checkpoint completed after the fault'))
def job_recovered(name: str, jobs: Jobs, flink_rest: FlinkRest, eventually: Any, fault: Fault | None) -> None:
    job = jobs.running(name)
    assert fault is not None, "no fault was injected in this scenario"
    fault_ended_ms = fault.ended_at * 1000

    def recovered() -> Probe:
        running = _running(flink_rest, job)
        latest = flink_rest.latest_completed_checkpoint(job.job_id)
        if latest is None:
            return Probe(False, f"{running.seen}; no checkpoint completed yet")
        after = int(latest["trigger_timestamp"]) - fault_ended_ms
        return Probe(
            running.done and after > 0,
            f"{running.seen}; last completed checkpoint {latest['id']} triggered {after / 1000:+.1f}s after the fault",
        )

    eventually(f"{name} to run again and complete a checkpoint", recovered, fatal=(JobEnded,))
