"""The keyed process function of customer_segments_job: one `Customer` per user_id in Flink's keyed
state, and two event-time timers per customer, at 30 and 90 days after their last order.

Why Python here and not SQL: "no order for 30 days" is an event that happens without an order.
Flink SQL computes rows from rows that arrive (a window or an OVER aggregate emits when a row comes
in or a window closes), so it cannot turn a silent customer At-Risk when the watermark passes a
per-user deadline; a KeyedProcessFunction's event-time timer is exactly that. The rules themselves
are pure Python (rules.py, state.py) and unit-tested; this module only wires them to Flink's state.

Each event_id is counted once per user: a record published twice (a producer retry, a replay of
the topic) is dropped while its id is in state (DEDUPE_TTL_MS, as the ingest job's dedupe). A
restart is not a replay here: the state and the source offsets come back from the same
checkpoint, and the Iceberg sink commits only with a checkpoint (upserts by user_id on top).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from decimal import Decimal

from pyflink.common import Row, Time, Types
from pyflink.datastream import KeyedProcessFunction, RuntimeContext
from pyflink.datastream.state import MapStateDescriptor, StateTtlConfig, ValueStateDescriptor

from pipeline.segments.rules import inactivity_deadlines
from pipeline.segments.state import Customer, SegmentRow, epoch_ms

# The function's input, selected from `valid_orders` in this order, and its output (SegmentRow).
INPUT_COLUMNS = ("user_id", "event_id", "event_time", "order_amount")
OUTPUT_TYPE = Types.ROW_NAMED(
    list(SegmentRow.__dataclass_fields__),
    [Types.STRING(), Types.STRING(), Types.LONG(), Types.LONG(), Types.STRING(), Types.LONG()],
)


class SegmentCustomers(KeyedProcessFunction):
    def __init__(self, dedupe_ttl_ms: int) -> None:
        self.dedupe_ttl_ms = dedupe_ttl_ms

    def open(self, runtime_context: RuntimeContext) -> None:
        self.customer = runtime_context.get_state(
            ValueStateDescriptor("customer", Types.PICKLED_BYTE_ARRAY())
        )
        seen = MapStateDescriptor("seen_event_ids", Types.STRING(), Types.BOOLEAN())
        seen.enable_time_to_live(StateTtlConfig.new_builder(Time.milliseconds(self.dedupe_ttl_ms)).build())
        self.seen = runtime_context.get_map_state(seen)
        metrics = runtime_context.get_metrics_group().add_group("orderflow")
        self.duplicates = metrics.counter("segment_duplicates_dropped")

    def process_element(self, value: Row, ctx: KeyedProcessFunction.Context) -> Iterator[Row]:
        user_id, event_id, event_time, amount = value
        if self.seen.contains(event_id):
            self.duplicates.inc()
            return
        self.seen.put(event_id, True)
        stored = self.customer.value()
        before = Customer.from_state(stored) if stored is not None else None
        timers = ctx.timer_service()
        event_ms, now_ms = epoch_ms(event_time), timers.current_watermark()
        after = (
            before.with_order(Decimal(amount), event_ms, now_ms)
            if before
            else Customer.first(Decimal(amount), event_ms, now_ms)
        )
        if before is None or after.last_order_ms != before.last_order_ms:
            # The deadlines move with the last order; the old ones would only find nothing to do.
            if before is not None:
                for deadline in inactivity_deadlines(before.last_order_ms):
                    timers.delete_event_time_timer(deadline)
            for deadline in inactivity_deadlines(after.last_order_ms):
                timers.register_event_time_timer(deadline)
        self.customer.update(after.to_state())
        yield Row(*astuple(after.row(user_id)))

    def on_timer(self, timestamp: int, ctx: KeyedProcessFunction.OnTimerContext) -> Iterator[Row]:
        stored = self.customer.value()
        if stored is None:
            return
        before = Customer.from_state(stored)
        after = before.at(timestamp)
        if after.segment != before.segment:
            self.customer.update(after.to_state())
            yield Row(*astuple(after.row(ctx.get_current_key())))
