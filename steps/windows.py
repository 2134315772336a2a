"""Steps on tables of windows: rows keyed by time (a window and a dimension such as a currency),
not by a run id, so a scenario selects its rows by the stretch of event time it owns.

    Then the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-01-03T09:05:00Z" to "2028-01-03T09:10:00Z":
      | window_start         | currency | revenue | orders |
    Then the rows of the table "analytics.sales_metrics" for windows starting from "…" to "…" match the golden file "features/expected/….csv"

Both bounds are inclusive and compare with the table's `window_start` (a window TVF's column). A
window without a row is simply not listed. "eventually" waits for the expected rows, then for the
jobs to process everything the scenario published (`settle`), then asserts that no other row of
those windows is there: found, missing and unexpected rows go to the diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pyiceberg.catalog import Catalog
from pytest_bdd import parsers, then

from fixtures.diagnostics import Evidence
from fixtures.waits import Probe
from steps.context import Settle
from steps.event_time import event_instant
from steps.support.expectations import golden_rows
from steps.support.scope import RunScope
from steps.support.tables import rows_between, table_columns
from steps.support.values import assert_exact, compare, table_rows

WINDOW_START = "window_start"
_WINDOWS = r'for windows starting from "(?P<start>[^"]+)" to "(?P<end>[^"]+)"'


WindowRows = Callable[[str, str, str, list[str], list[dict[str, str]], str], None]


@pytest.fixture
def window_rows(
    iceberg_catalog: Catalog, run_scope: RunScope, evidence: Evidence, eventually: Any, settle: Settle
) -> WindowRows:
    """check(table, start, end, columns, expected, source): waits for the expected rows of the
    windows starting within [start, end], lets the jobs settle, then asserts exactly those."""

    def check(
        table: str, start: str, end: str, columns: list[str], expected: list[dict[str, str]], source: str
    ) -> None:
        __tracebackhide__ = True
        low, high = (
            run_scope.stored_instant(event_instant(start)),
            run_scope.stored_instant(event_instant(end)),
        )
        known = table_columns(iceberg_catalog, table)
        unknown = [c for c in [WINDOW_START, *columns] if known and c not in known]
        assert not unknown, f"the table {table} has no column {', '.join(unknown)}; it has {', '.join(known)}"
        evidence.tables.add(table)
        what = f"rows of {table} for windows starting from {start} to {end}{source}"
        expectation = evidence.expect(what, columns, expected)

        def look() -> Probe:
            found = rows_between(iceberg_catalog, table, WINDOW_START, low, high)
            result = compare(expectation, expected, found, columns, run_scope)
            return Probe(
                result.complete, f"{len(found)} rows, {len(result.missing)} of {len(expected)} missing"
            )

        if expected:
            eventually(f"{len(expected)} {what}", look)
        # Then nothing else: once the jobs have committed everything this scenario published, one
        # more look is the truth (a late order that would add a row has been processed by then).
        settle(watch=look)
        found = rows_between(iceberg_catalog, table, WINDOW_START, low, high)
        assert_exact(compare(expectation, expected, found, columns, run_scope, exactly=True), what)
        expectation.met = True

    return check


@then(parsers.re(rf'the table "(?P<table>[^"]+)" eventually holds exactly these rows {_WINDOWS}:'))
def window_rows_exactly(
    table: str, start: str, end: str, datatable: list[list[str]], window_rows: WindowRows
) -> None:
    """These rows, and no other row of a window starting within the bounds."""
    columns, expected = table_rows(datatable)
    window_rows(table, start, end, columns, expected, "")


@then(
    parsers.re(
        rf'the rows of the table "(?P<table>[^"]+)" {_WINDOWS} match the golden file "(?P<path>[^"]+)"'
    )
)
def window_rows_match_golden_file(
    table: str, start: str, end: str, path: str, request: pytest.FixtureRequest, window_rows: WindowRows
) -> None:
    """Exactly the file's rows (a CSV, header first, relative to the rootdir), typed by the table:
    decimals by exact text, timestamps as instants."""
    columns, expected = golden_rows(Path(request.config.rootpath, path))
    window_rows(table, start, end, columns, expected, f" as in {path}")
