"""The job's Python step, `check_order`: the slow lane. Validates a record against the full
contract and shapes the table row or the DLQ JSON; counts `orderflow.orders_invalid` (a Flink
metric, in the UI and REST). The other counters are Java's `tally` (pipeline/jvm_functions.py).

Instants leave Python as text (`instant_text`) and become TIMESTAMP_LTZ(6) in SQL through the
same Java `iso_instant` the fast lane uses: PyFlink's own timestamp coder is not exact.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyflink.table import DataTypes
from pyflink.table.udf import FunctionContext, TableFunction, udtf

from pipeline.dead_letters import DLQ_PAYLOAD_MAX_BYTES
from pipeline.table import flink_columns
from pipeline.validation import OrderRow, SourcePosition, instant_text, process

INSTANT = "TIMESTAMP_LTZ(6)"
_SQL_TO_DATATYPE = {
    "STRING": DataTypes.STRING(),
    INSTANT: DataTypes.STRING(),  # as instant_text: see the module's docstring
    "DECIMAL(12, 2)": DataTypes.DECIMAL(12, 2),
}
# ok, the table's columns (null for invalid records), then the DLQ JSON (null for valid ones)
CHECKED_COLUMNS = ["ok", *[name for name, _ in flink_columns()], "dlq"]
CHECKED_TYPES = [DataTypes.BOOLEAN(), *[_SQL_TO_DATATYPE[t] for _, t in flink_columns()], DataTypes.STRING()]
_EMPTY_ROW = (None,) * len(flink_columns())


def checked_columns_sql() -> dict[str, str]:
    """Table column → SQL expression over check_order's output: instants read by `iso_instant`."""
    return {
        name: f"iso_instant(`{name}`)" if sql_type == INSTANT else f"`{name}`"
        for name, sql_type in flink_columns()
    }


class CheckOrder(TableFunction):
    def __init__(self, dlq_payload_max_bytes: int) -> None:
        self.dlq_payload_max_bytes = dlq_payload_max_bytes

    def open(self, function_context: FunctionContext) -> None:
        self.invalid = function_context.get_metric_group().add_group("orderflow").counter("orders_invalid")

    def eval(self, payload: bytes | None, topic: str, partition: int, offset: int):  # type: ignore[no-untyped-def]
        outcome = process(
            payload, SourcePosition(topic, partition, offset), datetime.now(UTC), self.dlq_payload_max_bytes
        )
        if isinstance(outcome, OrderRow):
            yield (True, *_row_values(outcome), None)
        else:
            self.invalid.inc()
            yield (False, *_EMPTY_ROW, outcome)


def _row_values(row: OrderRow) -> tuple[object, ...]:
    values = (getattr(row, name) for name, _ in flink_columns())
    return tuple(instant_text(v) if isinstance(v, datetime) else v for v in values)


def make_check_order(dlq_payload_max_bytes: int = DLQ_PAYLOAD_MAX_BYTES):  # type: ignore[no-untyped-def]
    return udtf(CheckOrder(dlq_payload_max_bytes), result_types=CHECKED_TYPES)
