"""The local provider listens on 127.0.0.1 only: nothing it starts is reachable from another machine.

Every runtime is told its interface (MiniStack's BIND_HOST, the catalog launcher's CATALOG_BIND_HOST,
Kafka's listeners, Flink's bind hosts); this reads what the processes really hold, children included
(the Python workers of a running job), so a listener a runtime opens of its own accord is caught.

One exception, not ours to fix: while a Python job runs, the TaskManager serves its Python workers
through Beam's gRPC servers (control, data, state, logging, provision, artifacts), which Beam builds
with NettyServerBuilder.forPort(port) and so binds every interface, on ephemeral ports.
"""

from __future__ import annotations

import psutil
import pytest

from fixtures.local.stack import LocalProcessStack
from fixtures.stack import JobHandle, Stack

pytestmark = pytest.mark.integration
LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def _listening(pid: int) -> list[tuple[str, str, int]]:
    """(process, address, port) of each listening inet socket of `pid` and its children."""
    root = psutil.Process(pid)
    found = []
    for process in [root, *root.children(recursive=True)]:
        for connection in process.net_connections(kind="inet"):
            if connection.status == psutil.CONN_LISTEN:
                found.append((f"{process.name()}[{process.pid}]", connection.laddr.ip, connection.laddr.port))
    return found


def _runs_python_workers(pid: int) -> bool:
    return any(
        "beam_boot" in " ".join(child.cmdline()) for child in psutil.Process(pid).children(recursive=True)
    )


def test_every_local_runtime_listens_on_loopback_only(stack: Stack, job: JobHandle) -> None:
    assert isinstance(stack, LocalProcessStack), (
        "this test reads the local provider's processes (--stack=local)"
    )
    listening = {name: _listening(pid) for name, pid in stack.pids.items()}
    assert all(listening.values()), f"a runtime holds no listening socket: {listening}"
    exposed = {
        name: [socket for socket in sockets if socket[1] not in LOOPBACK]
        for name, sockets in listening.items()
    }

    beam = exposed.pop("taskmanager")
    assert not beam or _runs_python_workers(stack.pids["taskmanager"]), (
        f"the TaskManager, with no Python worker: {beam}"
    )
    assert not any(exposed.values()), (
        f"listening beyond 127.0.0.1: { {n: s for n, s in exposed.items() if s} }"
    )
