"""The job's Python step, `check_order`: the slow lane. Validates a record against the full
contract and shapes the table row or the DLQ JSON; counts `orderflow.orders_invalid` (a Flink
metric, in the UI and REST). The other counters are Java's `tally` (pipeline/jvm_functions.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyflink.table import DataTypes
from pyflink.table.udf import FunctionContext, TableFunction, udtf

from pipeline.table import flink_columns
from pipeline.validation import OrderRow, SourcePosition, process

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
    def open(self, function_context: FunctionContext) -> None:
        self.invalid = function_context.get_metric_group().add_group("orderflow").counter("orders_invalid")

    def eval(self, payload: bytes | None, topic: str, partition: int, offset: int):  # type: ignore[no-untyped-def]
        outcome = process(payload, SourcePosition(topic, partition, offset), datetime.now(UTC))
        if isinstance(outcome, OrderRow):
            yield (True, *_row_values(outcome), None)
        else:
            self.invalid.inc()
            yield (False, *_EMPTY_ROW, outcome)


def _row_values(row: OrderRow) -> tuple[object, ...]:
    return tuple(getattr(row, name) for name, _ in flink_columns())


def make_check_order():  # type: ignore[no-untyped-def]
    return udtf(CheckOrder(), result_types=CHECKED_TYPES)
