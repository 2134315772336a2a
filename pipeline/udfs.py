"""The Python steps of the job, with the counters they own (Flink metrics, in the UI and REST):

- `check_order`: the slow lane. Validates a record against the full contract and shapes the
  table row or the DLQ JSON; counts `orderflow.orders_invalid`.
- `tally`: sees every valid record of both lanes once, after the duplicate count; counts
  `orderflow.orders_valid`, `orderflow.orders_late` and `orderflow.orders_duplicate`, and says
  which records to store (the first of their event_id). Vectorized (one call per Arrow batch)
  in process mode; per record in thread mode, which does not run pandas functions.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from pyflink.table import DataTypes
from pyflink.table.udf import FunctionContext, ScalarFunction, TableFunction, udf, udtf

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


class _Tally(ScalarFunction):
    """Arguments: `late`, the record is behind Flink's watermark; `seen`, how often its event_id
    has arrived, this delivery included. Returns whether to store it (first arrival only)."""

    def open(self, function_context: FunctionContext) -> None:
        metrics = function_context.get_metric_group().add_group("orderflow")
        self.valid = metrics.counter("orders_valid")
        self.late = metrics.counter("orders_late")
        self.duplicate = metrics.counter("orders_duplicate")

    def count(self, stored: int, duplicates: int, late: int) -> None:
        self.valid.inc(stored + duplicates)
        self.duplicate.inc(duplicates)
        self.late.inc(late)


class VectorizedTally(_Tally):
    def eval(self, late: pd.Series, seen: pd.Series) -> pd.Series:
        first = seen == 1
        self.count(int(first.sum()), int((~first).sum()), int((late & first).sum()))
        return first


class RecordTally(_Tally):
    def eval(self, late: bool, seen: int) -> bool:
        first = seen == 1
        self.count(int(first), int(not first), int(late and first))
        return first


def make_tally(vectorized: bool):  # type: ignore[no-untyped-def]
    if vectorized:
        return udf(VectorizedTally(), result_type=DataTypes.BOOLEAN(), func_type="pandas")
    return udf(RecordTally(), result_type=DataTypes.BOOLEAN())
