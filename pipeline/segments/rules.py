"""The segment of a customer from recency, frequency and monetary value: pure, no Flink.

    Churned  no order for 90 days or more of event time
    At-Risk  no order for 30 days or more
    VIP      5 orders or more and 500.00 or more spent
    Regular  3 orders or more (a customer of 5+ orders under 500.00 stays Regular)
    New      1 or 2 orders

Inactivity wins over activity: a VIP silent for 30 days is At-Risk. Monetary is the sum of the
orders' amounts as published, currencies not converted (the seed's RFM names no exchange rates).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

DAY_MS = 24 * 3600 * 1000
AT_RISK_AFTER_MS = 30 * DAY_MS
CHURNED_AFTER_MS = 90 * DAY_MS
VIP_ORDERS = 5
VIP_SPENT = Decimal("500.00")
REGULAR_ORDERS = 3


class Segment(StrEnum):
    NEW = "New"
    REGULAR = "Regular"
    VIP = "VIP"
    AT_RISK = "At-Risk"
    CHURNED = "Churned"


def activity_segment(frequency: int, monetary: Decimal) -> Segment:
    """The segment of an active customer (an order within the last 30 days)."""
    if frequency < 1:
        raise ValueError(f"a customer has at least one order, not {frequency}")
    if frequency >= VIP_ORDERS and monetary >= VIP_SPENT:
        return Segment.VIP
    if frequency >= REGULAR_ORDERS:
        return Segment.REGULAR
    return Segment.NEW


def segment_of(frequency: int, monetary: Decimal, last_order_ms: int, now_ms: int) -> Segment:
    """The segment at event time `now_ms` of a customer whose last order was at `last_order_ms`."""
    silent = now_ms - last_order_ms
    if silent >= CHURNED_AFTER_MS:
        return Segment.CHURNED
    if silent >= AT_RISK_AFTER_MS:
        return Segment.AT_RISK
    return activity_segment(frequency, monetary)


def inactivity_deadlines(last_order_ms: int) -> tuple[int, int]:
    """The event times at which a customer silent since `last_order_ms` turns At-Risk, then Churned:
    where the job sets its event-time timers."""
    return last_order_ms + AT_RISK_AFTER_MS, last_order_ms + CHURNED_AFTER_MS
