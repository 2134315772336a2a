"""Shared pieces of the integration tests: publish raw records, read the table and the DLQ."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from confluent_kafka import Producer

from fixtures.iceberg import TableReader, catalog_from
from fixtures.pytest_stack import Jobs
from fixtures.stack import ORDERS_TOPIC, JobHandle, Stack

Publish = Callable[[list[tuple[bytes, bytes]]], None]


@pytest.fixture(scope="session")
def job(jobs: Jobs) -> JobHandle:
    """orderflow.toml declares more than one job: these tests are the ingest job's."""
    return jobs.running("order_ingest_job")


@pytest.fixture
def run_id() -> str:
    """Tags this test's orders so it asserts only on its own rows."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def publish(stack: Stack) -> Publish:
    producer = Producer({"bootstrap.servers": stack.endpoints.kafka_bootstrap, "enable.idempotence": True})

    def send(records: list[tuple[bytes, bytes]]) -> None:
        for key, value in records:
            producer.produce(ORDERS_TOPIC, key=key, value=value)
        undelivered = producer.flush(30)
        assert undelivered == 0, f"{undelivered} records not delivered to {ORDERS_TOPIC}"

    return send


@pytest.fixture(scope="session")
def orders_table(stack: Stack) -> TableReader:
    return TableReader(catalog_from(stack.catalog_properties()), "analytics.orders")


def order(run: str, i: int, **changes: Any) -> dict[str, Any]:
    """A valid Order Created v1 of run `run`, with `changes` applied."""
    return {
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{run}/{i}")),
        "event_time": f"2026-11-2{i % 3}T10:{i % 60:02d}:00+00:00",
        "order_id": f"ord-{run}-{i}",
        "user_id": f"usr-{run}",
        "order_amount": f"{i}.{i % 100:02d}",
        "currency": "EUR",
        "order_status": "CREATED",
        **changes,
    }


def encode(document: dict[str, Any]) -> tuple[bytes, bytes]:
    return document["order_id"].encode(), json.dumps(document).encode()
