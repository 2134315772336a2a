"""Per-record logic of the job as pure functions: validate against the v1 contract, shape the
table row, shape the dead-letter record. No Flink here, so unit tests run in the harness env."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from producer.contract import OrderCreatedV1, Rejection, validate_payload


@dataclass(frozen=True)
class OrderRow:
    """One row of analytics.orders, in table column order."""

    event_id: str
    event_time: datetime
    order_id: str
    user_id: str
    order_amount: Decimal
    currency: str
    order_status: str
    schema_version: str
    processed_at: datetime


@dataclass(frozen=True)
class SourcePosition:
    topic: str
    partition: int
    offset: int


def to_row(order: OrderCreatedV1, processed_at: datetime) -> OrderRow:
    """The transform: the validated event plus `processed_at` (UTC); nothing else changes."""
    return OrderRow(
        event_id=str(order.event_id),
        event_time=order.event_time.astimezone(UTC),
        order_id=order.order_id,
        user_id=order.user_id,
        order_amount=order.order_amount,
        currency=order.currency,
        order_status=order.order_status,
        schema_version=order.schema_version,
        processed_at=processed_at.astimezone(UTC),
    )


def dlq_record(
    payload: bytes | None, rejection: Rejection, source: SourcePosition, failed_at: datetime
) -> str:
    """The dead-letter JSON: the original payload (base64 when not UTF-8), why, and where from."""
    raw = payload or b""
    try:
        original, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        original, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    return json.dumps(
        {
            "payload": original,
            "payload_encoding": encoding,
            "reason": {
                "kind": rejection.kind,
                "field": rejection.field,
                "value": rejection.value,
                "rule": rejection.rule,
                "line": rejection.line(),
            },
            "source": {"topic": source.topic, "partition": source.partition, "offset": source.offset},
            "failed_at": failed_at.astimezone(UTC).isoformat(),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def process(payload: bytes | None, source: SourcePosition, now: datetime) -> OrderRow | str:
    """A table row for a valid record, else its dead-letter JSON. Never raises for any input."""
    outcome = validate_payload(payload if payload is not None else b"")
    if isinstance(outcome, Rejection):
        return dlq_record(payload, outcome, source, now)
    return to_row(outcome, now)
