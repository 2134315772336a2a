"""customer_segments_job's rules and per-customer state (pure Python: the process function that
applies them runs in the acceptance suite, features/customer_segments.feature)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.segments.rules import (
    AT_RISK_AFTER_MS,
    CHURNED_AFTER_MS,
    DAY_MS,
    Segment,
    activity_segment,
    inactivity_deadlines,
    segment_of,
)
from pipeline.segments.state import Customer, SegmentRow, epoch_ms

T0 = epoch_ms("2029-02-01T10:00:00Z")


@pytest.mark.parametrize(
    ("orders", "spent", "segment"),
    [
        (1, "0.00", Segment.NEW),
        (2, "10000.00", Segment.NEW),
        (3, "1.00", Segment.REGULAR),
        (4, "999.99", Segment.REGULAR),
        (5, "499.99", Segment.REGULAR),  # five orders, one cent short of VIP
        (5, "500.00", Segment.VIP),  # exactly the thresholds
        (4, "500.00", Segment.REGULAR),  # enough spent, one order short
        (12, "12000.00", Segment.VIP),
    ],
)
def test_activity_segments_and_their_boundaries(orders: int, spent: str, segment: Segment) -> None:
    assert activity_segment(orders, Decimal(spent)) == segment


def test_a_customer_without_orders_has_no_segment() -> None:
    with pytest.raises(ValueError, match="at least one order"):
        activity_segment(0, Decimal("0.00"))


@pytest.mark.parametrize(
    ("silent_ms", "segment"),
    [
        (0, Segment.VIP),
        (AT_RISK_AFTER_MS - 1, Segment.VIP),
        (AT_RISK_AFTER_MS, Segment.AT_RISK),  # exactly 30 days
        (CHURNED_AFTER_MS - 1, Segment.AT_RISK),
        (CHURNED_AFTER_MS, Segment.CHURNED),  # exactly 90 days
        (400 * DAY_MS, Segment.CHURNED),
    ],
)
def test_inactivity_wins_from_30_and_90_days_exactly(silent_ms: int, segment: Segment) -> None:
    assert segment_of(5, Decimal("500.00"), T0, T0 + silent_ms) == segment


def test_the_deadlines_are_30_and_90_days_after_the_last_order() -> None:
    at_risk, churned = inactivity_deadlines(T0)
    assert at_risk == epoch_ms("2029-03-03T10:00:00Z")
    assert churned == epoch_ms("2029-05-02T10:00:00Z")
    assert segment_of(1, Decimal("1.00"), T0, at_risk) == Segment.AT_RISK
    assert segment_of(1, Decimal("1.00"), T0, churned) == Segment.CHURNED


def _orders(*amounts: str, start: int = T0, now: int | None = None) -> Customer:
    customer = Customer.first(Decimal(amounts[0]), start, now or start)
    for n, amount in enumerate(amounts[1:], start=1):
        customer = customer.with_order(Decimal(amount), start + n * 60_000, now or start)
    return customer


def test_new_then_regular_then_vip_as_orders_arrive() -> None:
    seen = [_orders(*["100.00"] * n).segment for n in range(1, 6)]
    assert seen == [Segment.NEW, Segment.NEW, Segment.REGULAR, Segment.REGULAR, Segment.VIP]


def test_at_risk_then_churned_as_event_time_passes_then_back_with_a_new_order() -> None:
    customer = _orders("40.00")
    at_risk, churned = inactivity_deadlines(customer.last_order_ms)
    assert customer.at(at_risk - 1).segment == Segment.NEW
    risky = customer.at(at_risk)
    assert (risky.segment, risky.segment_since_ms()) == (Segment.AT_RISK, at_risk)
    gone = risky.at(churned)
    assert (gone.segment, gone.segment_since_ms()) == (Segment.CHURNED, churned)
    back = gone.with_order(Decimal("25.00"), churned + DAY_MS, churned)
    assert (back.segment, back.frequency, back.monetary) == (Segment.NEW, 2, Decimal("65.00"))
    assert back.segment_since_ms() == back.last_order_ms == churned + DAY_MS


def test_an_older_order_counts_and_leaves_the_recency() -> None:
    customer = _orders("10.00").with_order(Decimal("5.00"), T0 - DAY_MS, T0)
    assert (customer.frequency, customer.monetary, customer.last_order_ms) == (2, Decimal("15.00"), T0)


def test_an_order_behind_a_watermark_far_ahead_is_judged_at_the_watermark() -> None:
    """A late order (the job's event time already 100 days on) counts, and the customer it makes
    is Churned at once: event time, not arrival, decides."""
    customer = Customer.first(Decimal("10.00"), T0, T0 + 100 * DAY_MS)
    assert customer.segment == Segment.CHURNED


def test_the_row_carries_exact_values_and_the_state_round_trips() -> None:
    customer = _orders("0.10", "0.20")
    assert customer.row("usr-1") == SegmentRow("usr-1", "New", T0 + 60_000, 2, "0.30", T0 + 60_000)
    assert Customer.from_state(customer.to_state()) == customer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2029-02-01 10:00:00.000000", T0),  # as Flink SQL casts a TIMESTAMP_LTZ in UTC
        ("2029-02-01 10:00:00.123456", T0 + 123),
        ("2029-02-01T12:00:00+02:00", T0),
        ("1969-12-31 23:59:59.999", -1),
    ],
)
def test_epoch_ms_is_exact(text: str, expected: int) -> None:
    assert epoch_ms(text) == expected
