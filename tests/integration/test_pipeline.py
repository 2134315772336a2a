"""order_ingest_job on the real stack: the DLQ, deduplication, partitions, exactly-once commits."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import UTC, date, datetime

import pytest
from pyiceberg.expressions import StartsWith

from fixtures.flink_rest import FlinkRest
from fixtures.flink_submit import JOB_NAME
from fixtures.iceberg import TableReader
from fixtures.stack import DLQ_TOPIC, JobHandle, Stack
from fixtures.topics import read_topic
from fixtures.waits import Probe, wait_for
from producer.canonical import CANONICAL_PATTERN
from producer.contract import OrderCreatedV1
from steps.support.tables import partitions_of
from tests.integration.conftest import INGEST_JOB, Publish, encode, order

pytestmark = pytest.mark.integration


def _rows_of(table: TableReader, run: str, expected: int) -> list[dict]:
    mine = StartsWith("order_id", f"ord-{run}-")

    def arrived() -> Probe:
        rows = table.rows(mine)
        return Probe(len(rows) >= expected, f"{len(rows)} of {expected} rows", rows)

    return wait_for(f"{expected} rows of run {run}", arrived, timeout=120)  # type: ignore[return-value]


def _dlq_of(stack: Stack, run: str, expected: int) -> list[dict]:
    def arrived() -> Probe:
        records = [
            json.loads(r.value or b"{}") for r in read_topic(stack.endpoints.kafka_bootstrap, DLQ_TOPIC)
        ]
        found = [r for r in records if run in json.dumps(r)]
        return Probe(len(found) >= expected, f"{len(found)} of {expected} DLQ records", found)

    return wait_for(f"{expected} DLQ records of run {run}", arrived, timeout=120)  # type: ignore[return-value]


BAD_RECORDS = {
    "malformed_json": lambda run: b'{"order_id": "ord-' + run.encode() + b'-bad", ',
    "missing_field": lambda run: json.dumps(
        {k: v for k, v in order(run, 90).items() if k != "currency"}
    ).encode(),
    "negative_amount": lambda run: json.dumps(order(run, 91, order_amount="-5.00")).encode(),
    "amount_precision": lambda run: json.dumps(order(run, 92, order_amount="5.001")).encode(),
    "invalid_currency": lambda run: json.dumps(order(run, 93, currency="EURO")).encode(),
    "invalid_timestamp": lambda run: json.dumps(order(run, 94, event_time="tomorrow")).encode(),
    "invalid_status": lambda run: json.dumps(order(run, 95, order_status="PAID")).encode(),
    "unsupported_version": lambda run: json.dumps(order(run, 96, schema_version="2")).encode(),
    "not_utf8": lambda run: b"\xff\xfe" + run.encode(),
}


def test_invalid_records_go_to_the_dlq_with_their_reason_and_valid_ones_are_unaffected(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    valid = [encode(order(run_id, i)) for i in range(5)]
    invalid = [(f"ord-{run_id}-bad".encode(), make(run_id)) for make in BAD_RECORDS.values()]
    publish(valid[:2] + invalid + valid[2:])

    rows = _rows_of(orders_table, run_id, expected=5)
    assert sorted(r["order_id"] for r in rows) == sorted(f"ord-{run_id}-{i}" for i in range(5))

    dlq = _dlq_of(stack, run_id, expected=len(BAD_RECORDS) - 1)  # not_utf8 carries the run id in base64
    kinds = {record["reason"]["kind"] for record in dlq}
    assert kinds >= set(BAD_RECORDS) - {"not_utf8"}
    for record in dlq:
        assert record["source"]["topic"] == "orders.created.v1"
        assert record["reason"]["rule"] and record["failed_at"]
    assert not any("ord-" + run_id + "-" + str(i) == r.get("order_id") for r in dlq for i in range(5))


def test_the_same_event_twice_is_stored_once(
    job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    events = [encode(order(run_id, i)) for i in range(3)]
    publish([*events, events[0], events[1]])  # producer retries, replays: same event_id again
    publish([encode(order(run_id, 3))])  # a later order: once it is in, the earlier commits are too
    rows = _rows_of(orders_table, run_id, expected=4)
    assert sorted(r["event_id"] for r in rows) == sorted(
        {json.loads(v)["event_id"] for _, v in events} | {order(run_id, 3)["event_id"]}
    )


def test_rows_land_in_their_day_partitions_and_commits_carry_the_checkpoint(
    job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    publish([encode(order(run_id, i)) for i in range(6)])  # event_time on 2026-11-20, -21, -22
    rows = _rows_of(orders_table, run_id, expected=6)
    assert {r["event_time"].date() for r in rows} == {
        date(2026, 11, 20),
        date(2026, 11, 21),
        date(2026, 11, 22),
    }
    # Read from the data files themselves: each row's file sits in the partition of its own day.
    stored = partitions_of(orders_table.catalog, "analytics.orders", "order_id", f"ord-{run_id}-")
    by_order = {r["order_id"]: r for r in rows}
    assert len(stored) == 6
    for order_id, partition in stored.items():
        assert partition["event_time_day"] == by_order[order_id]["event_time"].date()
    assert any(s.flink_checkpoint_id for s in orders_table.snapshots())


def test_a_redeployment_with_a_savepoint_loses_and_duplicates_nothing(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    publish([encode(order(run_id, i)) for i in range(3)])
    _rows_of(orders_table, run_id, expected=3)
    stack.submit_job(INGEST_JOB)  # `analytics-stack submit`: stop with a savepoint, resume from it
    publish([encode(order(run_id, i)) for i in range(3)])  # replays of the first three: deduped
    publish([encode(order(run_id, i)) for i in range(3, 5)])
    rows = _rows_of(orders_table, run_id, expected=5)
    assert sorted(r["order_id"] for r in rows) == sorted(f"ord-{run_id}-{i}" for i in range(5))


def test_a_fresh_redeployment_loses_nothing(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    """`submit --fresh`: cancel, then start from the group offsets of the last checkpoint with empty
    state: nothing is lost here; the dedupe state is not carried over (docs/pipeline.md)."""
    publish([encode(order(run_id, i)) for i in range(3)])
    _rows_of(orders_table, run_id, expected=3)
    handle = stack.submit_job(fresh=True)  # `analytics-stack submit --fresh`
    assert handle.resumed_from is None
    publish([encode(order(run_id, i)) for i in range(3, 5)])
    expected = {f"ord-{run_id}-{i}" for i in range(5)}

    def all_orders_present() -> Probe:
        found = {r["order_id"] for r in orders_table.rows(StartsWith("order_id", f"ord-{run_id}-"))}
        return Probe(found == expected, f"orders {sorted(found)}")

    wait_for(f"every order of run {run_id} after a fresh redeployment", all_orders_present, timeout=120)


def test_both_lanes_store_the_same_row_for_the_same_event(
    job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    """Canonical payloads are read by SQL (the fast lane), any other spelling by the contract in
    Python: the same event must become the same row either way."""
    amounts = ["0.00", "7.05", "9999999999.99", "123.40"]
    times = [
        "2026-11-21T23:59:59.999Z",
        "2026-11-22T00:00:00Z",
        "2026-11-20T10:00:00.123456Z",
        "2024-12-31T23:00:00.000Z",
    ]
    events = [
        OrderCreatedV1.model_validate(
            order(run_id, i, order_amount=amounts[i], event_time=times[i], user_id=f"usr {run_id}/'x'")
        )
        for i in range(4)
    ]
    canonical = [(e.order_id.encode(), e.to_json_bytes()) for e in events]
    twins = [
        encode(
            {
                **json.loads(e.to_json()),
                "event_id": str(uuid.uuid5(e.event_id, "twin")),
                "order_id": f"{e.order_id}-twin",
            }
        )
        for e in events
    ]
    assert all(re.search(CANONICAL_PATTERN, v.decode()) for _, v in canonical)
    assert not any(re.search(CANONICAL_PATTERN, v.decode()) for _, v in twins)
    publish(canonical + twins)

    rows = {r["order_id"]: r for r in _rows_of(orders_table, run_id, expected=8)}
    for event in events:
        fast, slow = rows[event.order_id], rows[f"{event.order_id}-twin"]
        assert fast["event_id"] == str(event.event_id)
        for column in ("event_time", "user_id", "order_amount", "currency", "order_status", "schema_version"):
            assert fast[column] == slow[column] == getattr(event, column), column
        assert fast["processed_at"] and slow["processed_at"]


def test_counters_count_valid_invalid_duplicate_and_late_records(
    stack: Stack, job: JobHandle, publish: Publish, orders_table: TableReader, run_id: str
) -> None:
    rest = FlinkRest(stack.endpoints.flink_rest_url)
    job_id = rest.running_jobs(JOB_NAME)[0].job_id
    names = ["orders_valid", "orders_invalid", "orders_duplicate", "orders_late"]

    # Flink's REST serves metrics from a cache refreshed every 10 s (metrics.fetcher.update-interval):
    # the baseline is a reading that stayed the same for longer than that.
    readings: list[tuple[float, dict[str, float]]] = []

    def settled() -> Probe:
        now = rest.job_metric(job_id, names)
        if not readings or readings[-1][1] != now:
            readings.append((time.monotonic(), now))
        steady = time.monotonic() - readings[-1][0] > 12
        has_watermark = rest.event_time_watermark(job_id) is not None
        return Probe(steady and has_watermark, f"{now}, watermark: {has_watermark}", now)

    before: dict[str, float] = wait_for("the job's counters to settle", settled, timeout=120)  # type: ignore[assignment]
    # Event time "now" is ahead of every earlier test's events (never late); 2020 is behind the watermark.
    now = datetime.now(UTC).isoformat()
    events = [encode(order(run_id, i, event_time=now)) for i in range(3)]
    late = encode(order(run_id, 3, event_time="2020-01-01T00:00:00Z"))
    invalid = [encode(order(run_id, 90, currency="EURO")), (b"k", b"not json " + run_id.encode())]
    publish([*events, events[0], events[1], late, *invalid])
    expected = {"orders_valid": 6, "orders_invalid": 2, "orders_duplicate": 2, "orders_late": 1}

    def counted() -> Probe:
        now = rest.job_metric(job_id, names)
        delta = {name: now[name] - before[name] for name in names}
        return Probe(delta == expected, f"counter increments {delta}")

    wait_for("the counters to show this run's records", counted, timeout=120)
    stored = {r["order_id"] for r in _rows_of(orders_table, run_id, expected=4)}
    assert f"ord-{run_id}-3" in stored  # late, and still written
