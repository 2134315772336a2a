"""The foundation's proof: records published to Kafka come out of Iceberg, exactly.

Real Kafka, real Flink running pipeline/order_ingest_job.py, the real Iceberg REST catalog
with its files on LocalStack S3. No mocks anywhere.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from confluent_kafka import Producer
from pyiceberg.expressions import In

from fixtures.flink_rest import FlinkRest
from fixtures.iceberg import TableReader, catalog_from
from fixtures.stack import JobHandle, Stack
from fixtures.topics import ensure_topic
from fixtures.waits import Probe, wait_for

pytestmark = pytest.mark.integration
ORDERS_TOPIC = "orders.created.v1"


def _orders(run: str) -> list[dict[str, str]]:
    amounts = ["0.00", "0.01", "19.99", "12345678.90"]
    times = [
        "2026-11-20T23:59:59.123456+00:00",
        "2026-11-21T01:30:00+02:00",
        "2026-11-22T08:00:00-05:00",
        "2026-11-22T12:00:00Z",
    ]
    return [
        {
            "event_id": str(uuid.uuid4()),
            "event_time": times[i],
            "order_id": f"ord-{run}-{i}",
            "user_id": f"usr-{run}-{i % 2}",
            "order_amount": amounts[i],
            "currency": ["EUR", "USD", "GBP", "JPY"][i],
            "order_status": "CREATED",
        }
        for i in range(len(amounts))
    ]


def test_orders_flow_from_kafka_through_flink_into_iceberg(stack: Stack, job: JobHandle) -> None:
    run = uuid.uuid4().hex[:8]
    orders = _orders(run)
    ensure_topic(stack.endpoints.kafka_bootstrap, ORDERS_TOPIC, partitions=3)
    producer = Producer({"bootstrap.servers": stack.endpoints.kafka_bootstrap, "enable.idempotence": True})
    published_at = datetime.now(UTC)
    for order in orders:
        producer.produce(ORDERS_TOPIC, key=order["order_id"].encode(), value=json.dumps(order).encode())
    assert producer.flush(30) == 0

    table = TableReader(catalog_from(stack.catalog_properties()), "analytics.orders")
    mine = In("order_id", [o["order_id"] for o in orders])

    def all_rows_committed() -> Probe:
        rows = table.rows(mine)
        return Probe(len(rows) == len(orders), f"{len(rows)} of {len(orders)} rows", rows)

    rows = wait_for(f"{len(orders)} orders of run {run} in analytics.orders", all_rows_committed, timeout=120)
    by_order = {row["order_id"]: row for row in rows}  # type: ignore[attr-defined]
    for order in orders:
        row = by_order[order["order_id"]]
        assert row["event_id"] == order["event_id"]
        assert row["user_id"] == order["user_id"]
        assert row["order_amount"] == Decimal(order["order_amount"])  # exact, never a float
        assert row["currency"] == order["currency"]
        assert row["order_status"] == "CREATED"
        expected_time = datetime.fromisoformat(order["event_time"].replace("Z", "+00:00"))
        assert row["event_time"] == expected_time
        assert row["event_time"].utcoffset().total_seconds() == 0  # stored in UTC
        assert row["processed_at"] >= published_at.replace(microsecond=0)

    checkpoints = [s.flink_checkpoint_id for s in table.snapshots() if s.flink_checkpoint_id]
    assert checkpoints, "no Iceberg snapshot carries flink.max-committed-checkpoint-id"

    # Event time drives Flink's watermarks (the orders' event_time minus the allowed 5 s of disorder,
    # the minimum over partitions); a processing-time or Kafka-timestamp watermark would be "now".
    rest = FlinkRest(stack.endpoints.flink_rest_url)
    times = [datetime.fromisoformat(o["event_time"].replace("Z", "+00:00")) for o in orders]
    low_ms, high_ms = int(min(times).timestamp() * 1000) - 5000, int(max(times).timestamp() * 1000)

    def watermark_from_event_time() -> Probe:
        watermark = rest.event_time_watermark(job.job_id)
        return Probe(watermark is not None and low_ms <= watermark <= high_ms, f"watermark {watermark}")

    wait_for("an event-time watermark from the orders' event_time", watermark_from_event_time, timeout=60)
