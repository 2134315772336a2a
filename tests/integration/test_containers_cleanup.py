"""The containers provider: every component healthy, and nothing of ours left afterwards.

Without Ryuk (its image cannot be pulled here) the provider removes its own containers,
network and volumes: after a normal stop, and when the process is interrupted (Ctrl-C, i.e.
SIGINT, while booting or while holding a ready stack; SIGTERM too).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest
from confluent_kafka.admin import AdminClient

from fixtures.containers.cleanup import leftovers
from fixtures.containers.engine import docker_client, engine_answers
from fixtures.paths import REPO_ROOT
from fixtures.stack import TASK_SLOTS
from fixtures.waits import Probe, wait_for

if TYPE_CHECKING:
    from fixtures.containers.stack import ContainerStack

pytestmark = pytest.mark.integration

SERVICES = {"localstack", "catalog", "kafka", "jobmanager", "taskmanager-1"}


@pytest.fixture
def engine() -> None:
    # `make integration-containers` starts the engine first: none answering is a failure, not a skip.
    if not engine_answers():
        pytest.fail("no Docker engine answers: start one with `compose/engine.sh up`")


def _another_process_attaches_and_replaces_the_taskmanager(stack: ContainerStack) -> None:
    """pytest -n: a worker hands the run over, another attaches by its run id and kills the
    TaskManager (a fault scenario); the first one follows the new TaskManager."""
    from fixtures.containers.stack import ContainerStack

    attached = ContainerStack().attach(stack.hand_over())
    assert attached.run_id == stack.run_id
    assert attached.endpoints == stack.endpoints
    stack.runs["a" * 32] = "order_alerts_job"  # after a JobManager crash, every worker tells runs apart
    assert attached.runs == {"a" * 32: "order_alerts_job"}
    attached.kill_taskmanager()
    assert {item.name for item in attached.status()} == SERVICES - {"taskmanager-1"} | {"taskmanager-2"}
    followed = {item.name: item.healthy for item in stack.status()}
    assert followed == dict.fromkeys(SERVICES - {"taskmanager-1"} | {"taskmanager-2"}, True)


def _names_of_run(run_id: str) -> list[str]:
    """Everything `docker ps -a`, `docker network ls`, `docker volume ls` show of this run."""
    client = docker_client()
    found = [c.name for c in client.containers.list(all=True) if run_id in c.name]
    found += [n.name for n in client.networks.list() if run_id in n.name]
    found += [v.name for v in client.volumes.list() if run_id in v.name]
    return found


@pytest.mark.usefixtures("engine")
def test_containers_stack_is_healthy_and_leaves_nothing() -> None:
    from fixtures.containers.stack import ContainerStack

    stack = ContainerStack()
    try:
        stack.start()
        report = {item.name: item for item in stack.status()}
        assert set(report) == SERVICES
        unhealthy = {name: item.detail for name, item in report.items() if not item.healthy}
        assert not unhealthy, f"unhealthy components: {unhealthy}"

        # The host reaches every runtime through 127.0.0.1 ports.
        ep = stack.endpoints
        assert ep.kafka_bootstrap.startswith("127.0.0.1:")
        metadata = AdminClient({"bootstrap.servers": ep.kafka_bootstrap}).list_topics(timeout=10)
        assert [b.host for b in metadata.brokers.values()] == ["127.0.0.1"]  # the advertised HOST listener
        overview = httpx.get(f"{ep.flink_rest_url}/overview", timeout=5).json()
        assert (overview["taskmanagers"], overview["slots-total"]) == (1, TASK_SLOTS)
        s3 = httpx.get(f"{ep.s3_endpoint}/_localstack/health", timeout=5).json()["services"]["s3"]
        assert s3 in {"available", "running"}
        assert httpx.head(f"{ep.s3_endpoint}/warehouse", timeout=5).status_code == 200
        assert httpx.get(f"{ep.catalog_uri}/v1/config", timeout=5).status_code == 200
        # Flink reaches the others by name on the run's network.
        assert ep.job_kafka_bootstrap == "kafka:19092"
        assert ep.job_s3_endpoint == "http://localstack:4566"
        assert ep.job_catalog_uri == "http://catalog:8181"
        assert _names_of_run(stack.run_id), "the run's resources should exist while it runs"
        _another_process_attaches_and_replaces_the_taskmanager(stack)
    finally:
        stack.stop()
    assert not leftovers(stack.run_id), f"left behind: {leftovers(stack.run_id)}"
    assert _names_of_run(stack.run_id) == []


class _Child:
    """`python -m fixtures.containers up --hold` in a subprocess, its output read line by line."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fixtures.containers", "up", "--hold"],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, prefix: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        tail = "\n".join(self.seen[-30:])
        raise AssertionError(
            f"no line starting with {prefix!r} within {timeout:.0f}s; output so far:\n{tail}"
        )

    def output(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        return "\n".join(self.seen[-30:])


@pytest.fixture
def child() -> Iterator[_Child]:
    started = _Child()
    yield started
    if started.process.poll() is None:  # the test failed before it stopped the child
        started.process.kill()
        started.process.wait(30)


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize(
    ("moment", "signum"),
    [("booting", signal.SIGINT), ("ready", signal.SIGINT), ("ready", signal.SIGTERM)],
    ids=["ctrl-c-while-booting", "ctrl-c-when-ready", "sigterm-when-ready"],
)
def test_interrupted_run_leaves_nothing(child: _Child, moment: str, signum: signal.Signals) -> None:
    run_id = child.wait_for_line("RUN ", timeout=60).split()[1]
    if moment == "booting":
        # As soon as the first container of the run exists: the interrupt lands mid-boot.
        wait_for(
            f"a container of run {run_id}",
            lambda: Probe(bool(leftovers(run_id).containers), str(leftovers(run_id))),
            timeout=120,
            interval=0.1,
            max_interval=0.2,
            show_progress=False,
        )
    else:
        child.wait_for_line("READY", timeout=240)
    child.process.send_signal(signum)
    code = child.process.wait(timeout=90)
    output = child.output()
    assert code != 0, f"an interrupted run should not exit 0:\n{output}"
    assert f"REMOVED run {run_id}" in output, output
    assert not leftovers(run_id), f"left behind: {leftovers(run_id)}\n{output}"
    assert _names_of_run(run_id) == []


def test_no_engine_is_one_line_that_says_what_to_do() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fixtures.containers", "up"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "compose/engine.sh up" in message and "--stack=local" in message
