"""One customer's state in customer_segments_job and how orders and event time change it: pure, no
Flink, so the unit tests drive it as the job's process function does (pipeline/segments/function.py).

The job keeps a `Customer` per user_id, applies each new order (`with_order`) and, when a deadline of
inactivity passes in event time, re-evaluates it (`at`). A row goes to the table only when the
customer's row changed (`SegmentRow`): one current row per user, upserted by user_id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pipeline.segments.rules import (
    AT_RISK_AFTER_MS,
    CHURNED_AFTER_MS,
    Segment,
    segment_of,
)


@dataclass(frozen=True)
class SegmentRow:
    """A row of analytics.customer_segments (pipeline/sql/customer_segments_table.json), with its
    instants as epoch milliseconds and its amount as exact text, the forms that cross from Python
    to Flink SQL exactly."""

    user_id: str
    segment: str
    recency_ms: int  # the event time of the customer's last order
    frequency: int  # orders
    monetary: str  # total spent, exact decimal text
    segment_since_ms: int  # the event time from which the segment holds


@dataclass(frozen=True)
class Customer:
    frequency: int
    monetary: Decimal
    last_order_ms: int
    segment: Segment

    @classmethod
    def first(cls, amount: Decimal, event_ms: int, now_ms: int) -> Customer:
        return cls(0, Decimal("0.00"), event_ms, Segment.NEW).with_order(amount, event_ms, now_ms)

    @classmethod
    def from_state(cls, state: tuple[int, str, int, str]) -> Customer:
        frequency, monetary, last_order_ms, segment = state
        return cls(frequency, Decimal(monetary), last_order_ms, Segment(segment))

    def to_state(self) -> tuple[int, str, int, str]:
        """Plain values for Flink's keyed state: a stored state outlives this class's shape."""
        return (self.frequency, str(self.monetary), self.last_order_ms, self.segment.value)

    def with_order(self, amount: Decimal, event_ms: int, now_ms: int) -> Customer:
        """After one more order at `event_ms`, evaluated at event time `now_ms` (the job's
        watermark). An order older than the last one (out of order, or late) counts, and leaves
        the recency where it is."""
        frequency, monetary = self.frequency + 1, self.monetary + amount
        last = max(self.last_order_ms, event_ms)
        return Customer(frequency, monetary, last, segment_of(frequency, monetary, last, max(now_ms, last)))

    def at(self, now_ms: int) -> Customer:
        """Re-evaluated at event time `now_ms`: At-Risk or Churned once silent long enough."""
        return replace(self, segment=segment_of(self.frequency, self.monetary, self.last_order_ms, now_ms))

    def segment_since_ms(self) -> int:
        if self.segment == Segment.CHURNED:
            return self.last_order_ms + CHURNED_AFTER_MS
        if self.segment == Segment.AT_RISK:
            return self.last_order_ms + AT_RISK_AFTER_MS
        return self.last_order_ms

    def row(self, user_id: str) -> SegmentRow:
        return SegmentRow(
            user_id,
            self.segment.value,
            self.last_order_ms,
            self.frequency,
            f"{self.monetary:.2f}",
            self.segment_since_ms(),
        )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_ms(instant: str) -> int:
    """Epoch milliseconds of an instant as Flink SQL casts a TIMESTAMP_LTZ to text in UTC
    (`2029-01-02 10:05:00.123456`), or as ISO-8601 with a zone; integer arithmetic, exact."""
    moment = datetime.fromisoformat(instant)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)
