"""The Python step of the job: one table function that validates and shapes each Kafka record,
counting valid and invalid records as Flink metrics (visible in the UI and REST)."""

from __future__ import annotations

from datetime import UTC, datetime

from pyflink.table import DataTypes
from pyflink.table.udf import FunctionContext, TableFunction, udtf

from pipeline.table import flink_columns
from pipeline.validation import LatenessTracker, OrderRow, SourcePosition, process

_SQL_TO_DATATYPE = {
    "STRING": DataTypes.STRING(),
    "TIMESTAMP_LTZ(6)": DataTypes.TIMESTAMP_LTZ(6),
    "DECIMAL(12, 2)": DataTypes.DECIMAL(12, 2),
}
# ok, the table's columns (null for invalid records), then the DLQ JSON (null for valid ones)
CHECKED_COLUMNS = ["ok", *[name for name, _ in flink_columns()], "dlq"]
CHECKED_TYPES = [DataTypes.BOOLEAN(), *[_SQL_TO_DATATYPE[t] for _, t in flink_columns()], DataTypes.STRING()]
_EMPTY_ROW = (None,) * len(flink_columns())


class CheckOrder(TableFunction):
    def __init__(self, max_out_of_orderness_ms: int) -> None:
        self.lateness = LatenessTracker(max_out_of_orderness_ms)

    def open(self, function_context: FunctionContext) -> None:
        metrics = function_context.get_metric_group().add_group("orderflow")
        self.valid = metrics.counter("orders_valid")
        self.invalid = metrics.counter("orders_invalid")
        self.late = metrics.counter("orders_late")

    def eval(self, payload: bytes | None, topic: str, partition: int, offset: int):  # type: ignore[no-untyped-def]
        outcome = process(payload, SourcePosition(topic, partition, offset), datetime.now(UTC))
        if isinstance(outcome, OrderRow):
            self.valid.inc()
            if self.lateness.is_late(outcome.event_time):
                self.late.inc()
            yield (True, *_row_values(outcome), None)
        else:
            self.invalid.inc()
            yield (False, *_EMPTY_ROW, outcome)


def _row_values(row: OrderRow) -> tuple[object, ...]:
    return tuple(getattr(row, name) for name, _ in flink_columns())


def make_check_order(max_out_of_orderness_ms: int):  # type: ignore[no-untyped-def]
    return udtf(CheckOrder(max_out_of_orderness_ms), result_types=CHECKED_TYPES)
