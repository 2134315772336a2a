"""rows_between: the rows of a stretch of windows, on a real PyIceberg catalog (SQLite + files)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog

from fixtures.paths import REPO_ROOT
from fixtures.tables import ensure_table
from steps.support.tables import rows_between

DEFINITION = REPO_ROOT / "pipeline" / "sql" / "sales_metrics_table.json"


def _at(minute: int) -> datetime:
    return datetime(2028, 1, 3, 10, minute, tzinfo=UTC)


def test_both_bounds_are_inclusive_and_other_windows_are_left_out(tmp_path: Path) -> None:
    catalog = SqlCatalog("t", uri=f"sqlite:///{tmp_path}/c.db", warehouse=f"file://{tmp_path}/w")
    ensure_table(catalog, "analytics.sales_metrics", json.loads(DEFINITION.read_text()))
    table = catalog.load_table("analytics.sales_metrics")
    starts = [_at(m) for m in (0, 5, 10, 15)]
    table.append(
        pa.Table.from_pylist(
            [
                {
                    "window_start": s,
                    "window_end": s.replace(hour=11),
                    "currency": "EUR",
                    "revenue": Decimal("1.00"),
                    "orders": 1,
                    "average_order_value": Decimal("1.00"),
                    "customers": 1,
                }
                for s in starts
            ],
            schema=table.schema().as_arrow(),
        )
    )
    found = rows_between(catalog, "analytics.sales_metrics", "window_start", _at(5), _at(10))
    assert sorted(row["window_start"] for row in found) == [_at(5), _at(10)]
