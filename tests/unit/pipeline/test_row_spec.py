"""The row of analytics.orders has one home, sql/orders_table.json: every reader of its columns
(the accessor, the slow lane's OrderRow, the job's Flink types; the fast lane: test_fast_lane.py) agrees with it."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

import pipeline
from pipeline.row_spec import PROCESSED_AT, Column, column_names, columns, flink_columns
from pipeline.table import flink_columns as job_columns
from pipeline.validation import OrderRow

DEFINITION = Path(pipeline.__file__).parent / "sql" / "orders_table.json"


def file_fields() -> list[dict[str, object]]:
    """The schema's fields read straight from the file, not through the accessor."""
    return list(json.loads(DEFINITION.read_text())["schema"]["fields"])


def test_the_accessor_reads_every_column_of_the_file_in_order() -> None:
    assert column_names() == [f["name"] for f in file_fields()]
    assert [c.type for c in columns()] == [f["type"] for f in file_fields()]
    assert [c.required for c in columns()] == [f.get("required", False) for f in file_fields()]
    assert [c.name for c in columns() if not c.required] == ["sales_channel"]  # contract v1.1


def test_the_slow_lanes_row_has_the_tables_columns() -> None:
    assert [f.name for f in fields(OrderRow)] == column_names()


def test_the_jobs_flink_types_follow_the_iceberg_types() -> None:
    assert job_columns() == flink_columns()
    types = dict(flink_columns())
    assert types["event_time"] == types[PROCESSED_AT] == "TIMESTAMP_LTZ(6)"
    assert types["order_amount"] == "DECIMAL(12, 2)"
    assert types["order_id"] == "STRING"


def test_a_type_without_a_flink_mapping_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"column 'x': no Flink SQL type for Iceberg's 'long'"):
        _ = Column("x", "long", True).flink_type
