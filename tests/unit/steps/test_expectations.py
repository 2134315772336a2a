"""The table checks of steps/expectations.py as pure functions: each finds what breaks it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from steps.support.expectations import (
    at_precision,
    count_per_partition,
    golden_rows,
    outside_range,
    outside_set,
    repeated,
    with_nulls,
)
from steps.support.scope import RunScope

ROWS = [
    {
        "event_id": "a",
        "currency": "EUR",
        "order_amount": Decimal("10.00"),
        "t": datetime(2026, 1, 1, tzinfo=UTC),
    },
    {"event_id": "b", "currency": "USD", "order_amount": Decimal("100.01"), "t": None},
    {
        "event_id": "a",
        "currency": "GBP",
        "order_amount": Decimal("0.00"),
        "t": datetime(2027, 1, 1, tzinfo=UTC),
    },
]


def test_repeated_values_are_found() -> None:
    assert [r["currency"] for r in repeated(ROWS, "event_id")] == ["EUR", "GBP"]
    assert repeated(ROWS, "currency") == []


def test_nulls_are_found_in_any_named_column() -> None:
    assert with_nulls(ROWS, ["event_id", "t"]) == [ROWS[1]]
    assert with_nulls(ROWS, ["event_id"]) == []


def test_values_outside_a_set_are_found() -> None:
    assert outside_set(ROWS, "currency", ["EUR", "USD"], RunScope("r")) == [ROWS[2]]


def test_ranges_compare_by_the_stored_type() -> None:
    assert outside_range(ROWS, "order_amount", "0.00", "100.00") == [ROWS[1]]  # exact decimals
    assert outside_range(ROWS, "t", "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z") == [
        ROWS[1],
        ROWS[2],
    ]  # null is out
    with pytest.raises(ValueError, match="not a number"):
        outside_range(ROWS, "order_amount", "zero", "1")


def test_rows_are_counted_per_partition() -> None:
    partitions = {"k1": {"day": "2026-11-24"}, "k2": {"day": "2026-11-24"}, "k3": {"day": "2026-11-25"}}
    assert count_per_partition(partitions, ["day"]) == {("2026-11-24",): 2, ("2026-11-25",): 1}


def test_a_golden_file_is_read_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("order_id, order_amount\nord-1,10.00\n\nord-2, 0.10\n", encoding="utf-8")
    assert golden_rows(path) == (
        ["order_id", "order_amount"],
        [{"order_id": "ord-1", "order_amount": "10.00"}, {"order_id": "ord-2", "order_amount": "0.10"}],
    )
    path.write_text("a,b\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"g\.csv:2: 1 cells"):
        golden_rows(path)
    with pytest.raises(FileNotFoundError, match="no golden file"):
        golden_rows(tmp_path / "missing.csv")


def test_timestamps_are_cut_to_a_stated_precision() -> None:
    row = {"t": datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=UTC), "n": 1}
    assert at_precision(row, 3)["t"].microsecond == 123000
    assert at_precision(row, 0)["t"].microsecond == 0
    assert at_precision(row, 6) == row
