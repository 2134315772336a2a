"""`analytics-stack down` then `up` keeps the table, as Kafka keeps its log and the job's offsets.

On a stack of its own (its own run folder and ports), so that stopping it leaves the session's
stack alone: publish, wait for the rows, `down`, `up`, the rows are there before any job runs;
the job, submitted again, resumes from its committed offsets and loses and duplicates nothing.
Also what `analytics-stack query` says about a table that is not there (no traceback).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Producer
from pyiceberg.expressions import StartsWith

from fixtures import paths
from fixtures.iceberg import TableReader, catalog_from
from fixtures.local.stack import LocalProcessStack
from fixtures.stack import ORDERS_TOPIC
from fixtures.topics import committed_offsets
from fixtures.waits import Probe, wait_for
from tests.integration.conftest import INGEST_JOB, encode, order

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BEFORE, AFTER = 300, 200
GROUP = "order_ingest_job"  # the job's default KAFKA_GROUP_ID


@pytest.fixture(scope="module")
def own_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A run folder of this module's own stack, which is stopped whatever happens."""
    run = tmp_path_factory.mktemp("persist") / "run"
    yield run
    LocalProcessStack(run).stop()


def _publish(stack: LocalProcessStack, run_id: str, numbers: range) -> None:
    producer = Producer({"bootstrap.servers": stack.endpoints.kafka_bootstrap, "enable.idempotence": True})
    for i in numbers:
        key, value = encode(order(run_id, i))
        producer.produce(ORDERS_TOPIC, key=key, value=value)
    assert producer.flush(30) == 0


def _event_ids(stack: LocalProcessStack, run_id: str) -> list[str]:
    reader = TableReader(catalog_from(stack.catalog_properties()), "analytics.orders")
    if not reader.exists():
        return []
    mine = StartsWith("order_id", f"ord-{run_id}-")
    return list(reader.scan(mine, columns=("event_id",)).column("event_id").to_pylist())


def _wait_for_rows(stack: LocalProcessStack, run_id: str, expected: int) -> list[str]:
    def committed() -> Probe:
        ids = _event_ids(stack, run_id)
        return Probe(len(ids) >= expected, f"{len(ids)} rows ({len(set(ids))} distinct) of {expected}", ids)

    return wait_for(f"{expected} rows of run {run_id}", committed, timeout=240)  # type: ignore[return-value]


def _query(run: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(paths.REPO_ROOT / ".venv" / "bin" / "analytics-stack"), "--stack", "local", "query", *args],
        env={**os.environ, "ORDERFLOW_RUN_DIR": str(run), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_query_of_a_missing_table_says_so_without_a_traceback(own_run: Path) -> None:
    LocalProcessStack(own_run).start(clean=True)
    result = _query(own_run, "--table", "analytics.nowhere", "SELECT count(*) FROM analytics.nowhere")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the table analytics.nowhere does not exist" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_the_table_survives_down_and_up(own_run: Path, run_id: str) -> None:
    stack = LocalProcessStack(own_run).start()  # running already when the test above ran first
    stack.submit_job(INGEST_JOB)
    _publish(stack, run_id, range(BEFORE))
    assert len(set(_wait_for_rows(stack, run_id, BEFORE))) == BEFORE
    # The source commits its offsets to Kafka just after the checkpoint that committed the rows
    # to Iceberg: a `down` in between restarts from older offsets (duplicates, as after a plain
    # `submit`; resuming from the retained checkpoint closes that window). Here: the table's side.
    wait_for(
        f"the job's group to commit {BEFORE} offsets",
        lambda: Probe(
            (n := committed_offsets(stack.endpoints.kafka_bootstrap, GROUP, ORDERS_TOPIC)) >= BEFORE,
            f"{n} committed",
        ),
        timeout=60,
    )

    stack.stop()
    stack = LocalProcessStack(own_run).start()
    kept = _event_ids(stack, run_id)  # before any job runs again: what was stored is still there
    assert len(kept) == BEFORE, f"{len(kept)} of {BEFORE} rows left after down/up"

    # The job resumes from the offsets its last checkpoint committed: the rows stored before
    # `down` are neither replayed twice nor skipped, and new orders keep arriving.
    stack.submit_job(INGEST_JOB)
    _publish(stack, run_id, range(BEFORE, BEFORE + AFTER))
    ids = _wait_for_rows(stack, run_id, BEFORE + AFTER)
    assert len(ids) == BEFORE + AFTER, "some order was stored twice"
    assert set(ids) == {order(run_id, i)["event_id"] for i in range(BEFORE + AFTER)}

    # Only `up --clean` starts empty.
    stack.start(clean=True)
    assert not TableReader(catalog_from(stack.catalog_properties()), "analytics.orders").exists()
