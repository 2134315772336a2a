"""The job's per-record logic as pure functions: what becomes a row, what goes to the DLQ."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pipeline.table import flink_columns, table_definition
from pipeline.validation import OrderRow, SourcePosition, instant_text, process

NOW = datetime(2026, 11, 24, 12, 0, 0, 123456, tzinfo=UTC)
SOURCE = SourcePosition("orders.created.v1", 2, 41)
VALID = {
    "event_id": "6f1c2a4e-8d3b-4a57-9b0e-2c1d3e4f5a6b",
    "event_time": "2026-11-21T01:30:00.250+02:00",
    "order_id": "ord-1",
    "user_id": "usr-1",
    "order_amount": "12345678.90",
    "currency": "EUR",
    "order_status": "CREATED",
}


def _payload(**changes: object) -> bytes:
    return json.dumps({**VALID, **changes}).encode()


def test_a_valid_record_becomes_a_row_with_processed_at_in_utc() -> None:
    row = process(_payload(), SOURCE, NOW)
    assert isinstance(row, OrderRow)
    assert row.event_time == datetime(2026, 11, 20, 23, 30, 0, 250000, tzinfo=UTC)
    assert row.event_time.tzinfo == UTC
    assert row.order_amount == Decimal("12345678.90")
    assert row.processed_at == NOW
    assert row.schema_version == "1"


def test_a_json_number_amount_stays_exact() -> None:
    row = process(
        b'{"event_id":"6f1c2a4e-8d3b-4a57-9b0e-2c1d3e4f5a6b","event_time":"2026-11-21T00:00:00Z",'
        b'"order_id":"o","user_id":"u","order_amount":0.10,"currency":"USD","order_status":"CREATED"}',
        SOURCE,
        NOW,
    )
    assert isinstance(row, OrderRow)
    assert row.order_amount == Decimal("0.10")
    assert str(row.order_amount) == "0.10"


@pytest.mark.parametrize(
    ("payload", "kind", "field"),
    [
        (b"{not json", "malformed_json", "(payload)"),
        (b"\xff\xfe\x00", "not_utf8", "(payload)"),
        (b"[1, 2]", "not_an_object", "(payload)"),
        (b"x" * (64 * 1024 + 1), "oversized", "(payload)"),
        (_payload(order_amount="-0.01"), "negative_amount", "order_amount"),
        (_payload(order_amount="1.001"), "amount_precision", "order_amount"),
        (_payload(currency="EURO"), "invalid_currency", "currency"),
        (_payload(event_time="yesterday"), "invalid_timestamp", "event_time"),
        (_payload(event_time="2026-11-21T01:30:00"), "naive_timestamp", "event_time"),
        (_payload(order_status="SHIPPED"), "invalid_status", "order_status"),
        (_payload(schema_version="2"), "unsupported_version", "schema_version"),
        (_payload(event_id="42"), "invalid_uuid", "event_id"),
        (_payload(user_id=""), "empty_string", "user_id"),
        (
            json.dumps({k: v for k, v in VALID.items() if k != "order_id"}).encode(),
            "missing_field",
            "order_id",
        ),
    ],
)
def test_each_invalid_record_becomes_a_dlq_record_with_its_reason(
    payload: bytes, kind: str, field: str
) -> None:
    outcome = process(payload, SOURCE, NOW)
    assert isinstance(outcome, str)
    record = json.loads(outcome)
    assert record["reason"]["kind"] == kind
    assert record["reason"]["field"] == field
    assert record["reason"]["rule"]
    assert record["source"] == {"topic": "orders.created.v1", "partition": 2, "offset": 41}
    assert record["failed_at"] == NOW.isoformat()
    original = (
        base64.b64decode(record["payload"])
        if record["payload_encoding"] == "base64"
        else record["payload"].encode()
    )
    if record["payload_truncated"]:  # over DLQ_PAYLOAD_MAX_BYTES: a prefix, the size and the digest
        assert payload.startswith(original) and record["payload_size"] == len(payload)
    else:
        assert original == payload  # nothing is lost


def test_a_null_kafka_value_goes_to_the_dlq() -> None:
    outcome = process(None, SOURCE, NOW)
    assert isinstance(outcome, str)
    assert json.loads(outcome)["reason"]["kind"] == "malformed_json"


def test_unknown_extra_fields_are_ignored() -> None:
    assert isinstance(process(_payload(coupon="XMAS"), SOURCE, NOW), OrderRow)


def test_the_row_matches_the_table_definition() -> None:
    assert [name for name, _ in flink_columns()] == list(OrderRow.__dataclass_fields__)
    spec = table_definition()["partition-spec"]["fields"]
    assert [(f["transform"], f["source-id"]) for f in spec] == [("day", 2)]


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC), "1969-12-31T23:59:59.500000Z"),
        (datetime(1, 1, 1, tzinfo=UTC), "0001-01-01T00:00:00.000000Z"),
        (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "9999-12-31T23:59:59.999999Z"),
        (datetime(2026, 11, 30, 1, 0, tzinfo=timezone(timedelta(hours=-14))), "2026-11-30T15:00:00.000000Z"),
    ],
)
def test_instants_leave_python_as_exact_text(moment: datetime, text: str) -> None:
    # The slow lane hands instants to Flink as this text (iso_instant reads it), never through
    # PyFlink's float-based coder, which was a second off for the first three.
    assert instant_text(moment) == text
