"""`make down` then `make up` keeps the compose stack's table (its volumes stay); `--clean` empties it.

A compose project of its own (own name, own free ports), so a developer's `make up` stack on the
PRD ports is left alone. Run by `make integration-containers` (it needs Docker and the images).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from confluent_kafka import Producer
from pyiceberg.expressions import StartsWith

from fixtures.external import ExternalStack
from fixtures.iceberg import TableReader, catalog_from
from fixtures.paths import REPO_ROOT
from fixtures.ports import free_port
from fixtures.stack import ORDERS_TOPIC, Endpoints
from fixtures.topics import committed_offsets
from fixtures.waits import Probe, wait_for
from tests.integration.conftest import encode, order

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BEFORE, AFTER = 200, 100
GROUP = "order_ingest_job"  # the job's default KAFKA_GROUP_ID


class Compose:
    """compose/up.sh, down.sh and submit.sh on one project, with its own ports."""

    def __init__(self) -> None:
        ports = {name: free_port() for name in ("KAFKA", "FLINK", "S3", "CATALOG")}
        self.endpoints = Endpoints(
            kafka_bootstrap=f"127.0.0.1:{ports['KAFKA']}",
            flink_rest_url=f"http://127.0.0.1:{ports['FLINK']}",
            s3_endpoint=f"http://127.0.0.1:{ports['S3']}",
            catalog_uri=f"http://127.0.0.1:{ports['CATALOG']}",
        )
        self.env = {
            **os.environ,
            "ORDERFLOW_COMPOSE_PROJECT": f"orderflow-persist-{uuid.uuid4().hex[:6]}",
            **{f"ORDERFLOW_{name}_PORT": str(port) for name, port in ports.items()},
            "ORDERFLOW_KAFKA": self.endpoints.kafka_bootstrap,
            "ORDERFLOW_FLINK": self.endpoints.flink_rest_url,
            "ORDERFLOW_S3": self.endpoints.s3_endpoint,
            "ORDERFLOW_CATALOG": self.endpoints.catalog_uri,
        }

    @property
    def orders(self) -> TableReader:
        # A REST catalog is asked for its config when made: only once the stack answers.
        return TableReader(
            catalog_from(ExternalStack(self.endpoints).catalog_properties()), "analytics.orders"
        )

    def run(self, script: str, *args: str) -> None:
        result = subprocess.run(
            [str(REPO_ROOT / "compose" / script), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"compose/{script} {' '.join(args)}:\n{result.stdout}{result.stderr}"

    def event_ids(self, run_id: str) -> list[str]:
        orders = self.orders
        if not orders.exists():
            return []
        mine = StartsWith("order_id", f"ord-{run_id}-")
        return list(orders.scan(mine, columns=("event_id",)).column("event_id").to_pylist())

    def wait_for_rows(self, run_id: str, expected: int) -> list[str]:
        def committed() -> Probe:
            ids = self.event_ids(run_id)
            return Probe(
                len(ids) >= expected, f"{len(ids)} rows ({len(set(ids))} distinct) of {expected}", ids
            )

        return wait_for(f"{expected} rows of run {run_id}", committed, timeout=240)  # type: ignore[return-value]

    def publish(self, run_id: str, numbers: range) -> None:
        producer = Producer({"bootstrap.servers": self.endpoints.kafka_bootstrap, "enable.idempotence": True})
        for i in numbers:
            key, value = encode(order(run_id, i))
            producer.produce(ORDERS_TOPIC, key=key, value=value)
        assert producer.flush(30) == 0


@pytest.fixture
def compose() -> Iterator[Compose]:
    project = Compose()
    try:
        yield project
    finally:
        project.run("down.sh", "--clean")


def test_the_compose_stack_keeps_the_table_across_down_and_up(compose: Compose, run_id: str) -> None:
    compose.run("up.sh", "--clean")
    compose.run("submit.sh")
    compose.publish(run_id, range(BEFORE))
    assert len(set(compose.wait_for_rows(run_id, BEFORE))) == BEFORE
    # As in test_persistence.py: the offsets are committed just after the rows; wait for them.
    wait_for(
        f"the job's group to commit {BEFORE} offsets",
        lambda: Probe(
            (n := committed_offsets(compose.endpoints.kafka_bootstrap, GROUP, ORDERS_TOPIC)) >= BEFORE,
            f"{n} committed",
        ),
        timeout=60,
    )

    compose.run("down.sh")
    compose.run("up.sh")
    kept = compose.event_ids(run_id)
    assert len(kept) == BEFORE, f"{len(kept)} of {BEFORE} rows left after down/up"

    compose.run("submit.sh")  # resumes from the offsets committed before `down`
    compose.publish(run_id, range(BEFORE, BEFORE + AFTER))
    ids = compose.wait_for_rows(run_id, BEFORE + AFTER)
    assert len(ids) == BEFORE + AFTER, "some order was stored twice"
    assert set(ids) == {order(run_id, i)["event_id"] for i in range(BEFORE + AFTER)}

    compose.run("up.sh", "--clean")
    assert not compose.orders.exists()
