"""Per-record logic of the job as pure functions: validate against the v1 contract, shape the
table row, shape the dead-letter record. No Flink here, so unit tests run in the harness env."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from decimal import Decimal

from pipeline.dead_letters import DLQ_PAYLOAD_MAX_BYTES, dlq_record
from pipeline.row_spec import column_names
from producer.contract import OrderCreatedV1, Rejection, validate_payload


@dataclass(frozen=True)
class OrderRow:
    """One row of analytics.orders, in table column order (typed, for the code that builds it;
    the names and their order are the table definition's, checked below at import)."""

    event_id: str
    event_time: datetime
    order_id: str
    user_id: str
    order_amount: Decimal
    currency: str
    order_status: str
    schema_version: str
    processed_at: datetime
    sales_channel: str | None  # v1.1: optional, after processed_at because columns only grow at the end


# The table's definition is the authority: a column added or renamed there and not here fails
# the job at start (and the unit tests), not halfway through a write.
if [f.name for f in fields(OrderRow)] != column_names():
    raise ImportError(
        f"OrderRow's fields {[f.name for f in fields(OrderRow)]} are not the columns of the table's "
        f"definition {column_names()}"
    )


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
        sales_channel=order.sales_channel,
    )


def process(
    payload: bytes | None,
    source: SourcePosition,
    now: datetime,
    dlq_payload_max_bytes: int = DLQ_PAYLOAD_MAX_BYTES,
) -> OrderRow | str:
    """A table row for a valid record, else its dead-letter JSON. Never raises for any input."""
    outcome = validate_payload(payload if payload is not None else b"")
    if isinstance(outcome, Rejection):
        where = (source.topic, source.partition, source.offset)
        return dlq_record(payload, outcome, where, now, dlq_payload_max_bytes)
    return to_row(outcome, now)


def instant_text(moment: datetime) -> str:
    """An instant as the text Flink's `iso_instant` reads exactly: `YYYY-MM-DDTHH:MM:SS.ffffffZ`.

    Why text: PyFlink's coder turns a datetime into epoch milliseconds through a float
    (`int(dt.timestamp())`), which is a second off before 1970 with a fraction and for some
    far-future times (`9999-12-31T23:59:59.999999Z` became year 10000). Text is exact, and both
    lanes then read their instants with the same Java function."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"
