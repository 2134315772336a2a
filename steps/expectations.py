"""Steps that check a table's rows as a whole, after the job has processed everything the scenario
published (`settle`). Each reports on the scenario's expected/found/missing/unexpected tables.

    Then the "event_id" of this scenario's rows in the table "analytics.orders" is unique
    Then no row of this scenario in the table "analytics.orders" has a null in event_id, currency
    Then every "currency" of this scenario's rows in the table "analytics.orders" is one of EUR, USD
    Then every "order_amount" of this scenario's rows in the table "analytics.orders" lies between 0.00 and 100.00
    Then the table "analytics.orders" holds these counts of this scenario's rows per partition:
      | event_time_day | rows |
    Then the rows of this scenario in the table "analytics.orders" match the golden file "features/expected/orders.csv"
    Then the rows of this scenario in the table "…" match the golden file "…" with timestamps to the millisecond
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pyiceberg.catalog import Catalog
from pytest_bdd import parsers, then

from fixtures.diagnostics import Evidence
from steps.context import Settle
from steps.support.expectations import (
    PRECISIONS,
    at_precision,
    count_per_partition,
    golden_rows,
    outside_range,
    outside_set,
    repeated,
    with_nulls,
)
from steps.support.scope import RunScope
from steps.support.tables import partition_fields, scenario_partitions, scenario_rows
from steps.support.values import assert_exact, compare, parse_instant, shown_rows, table_rows


def _names(text: str) -> list[str]:
    return [part.strip().strip('"') for part in text.replace(" and ", ",").split(",") if part.strip()]


def _settled_rows(
    table: str, catalog: Catalog, scope: RunScope, evidence: Evidence, settle: Settle
) -> list[Any]:
    evidence.tables.add(table)
    settle()
    rows = scenario_rows(catalog, table, scope)
    assert rows, f"no row of this scenario in {table}"
    return rows


def _report(
    evidence: Evidence, what: str, columns: Sequence[str], rows: list[Any], bad: list[Any], scope: RunScope
) -> None:
    """Record the check on the evidence, then fail naming the offending rows."""
    __tracebackhide__ = True
    expectation = evidence.expect(what, list(columns), [])
    expectation.found = shown_rows(rows, columns, scope)
    expectation.unexpected = shown_rows(bad, columns, scope)
    expectation.note = f"{len(bad)} of {len(rows)} rows of this scenario break it"
    assert not bad, f"{what}: {expectation.note}, e.g. {expectation.unexpected[:3]}"
    expectation.met = True


@then(parsers.parse('the "{column}" of this scenario\'s rows in the table "{table}" is unique'))
def column_unique(
    column: str, table: str, iceberg_catalog: Catalog, run_scope: RunScope, evidence: Evidence, settle: Settle
) -> None:
    rows = _settled_rows(table, iceberg_catalog, run_scope, evidence, settle)
    _report(evidence, f"{column} unique in {table}", [column], rows, repeated(rows, column), run_scope)


@then(parsers.parse('no row of this scenario in the table "{table}" has a null in {columns}'))
def never_null(
    table: str,
    columns: str,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    settle: Settle,
) -> None:
    names = _names(columns)
    rows = _settled_rows(table, iceberg_catalog, run_scope, evidence, settle)
    _report(
        evidence, f"no null in {', '.join(names)} of {table}", names, rows, with_nulls(rows, names), run_scope
    )


@then(parsers.parse('every "{column}" of this scenario\'s rows in the table "{table}" is one of {values}'))
def values_in_set(
    column: str,
    table: str,
    values: str,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    settle: Settle,
) -> None:
    allowed = _names(values)
    rows = _settled_rows(table, iceberg_catalog, run_scope, evidence, settle)
    bad = outside_set(rows, column, allowed, run_scope)
    _report(evidence, f"{column} one of {', '.join(allowed)} in {table}", [column], rows, bad, run_scope)


@then(
    parsers.parse(
        'every "{column}" of this scenario\'s rows in the table "{table}" lies between {low} and {high}'
    )
)
def values_in_range(
    column: str,
    table: str,
    low: str,
    high: str,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    settle: Settle,
) -> None:
    rows = _settled_rows(table, iceberg_catalog, run_scope, evidence, settle)
    bad = outside_range(rows, column, low.strip('"'), high.strip('"'))
    _report(evidence, f"{column} within [{low}, {high}] in {table}", [column], rows, bad, run_scope)


@then(parsers.parse('the table "{table}" holds these counts of this scenario\'s rows per partition:'))
def counts_per_partition(
    table: str,
    datatable: list[list[str]],
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    settle: Settle,
) -> None:
    columns, expected = table_rows(datatable)
    fields = [c for c in columns if c != "rows"]
    known = {f.name for f in partition_fields(iceberg_catalog, table)}
    unknown = [f for f in fields if f not in known] + ([] if "rows" in columns else ["(a `rows` column)"])
    assert not unknown, (
        f"{table} has no partition field {', '.join(unknown)}; it has {', '.join(sorted(known))}"
    )
    _settled_rows(table, iceberg_catalog, run_scope, evidence, settle)
    counted = count_per_partition(scenario_partitions(iceberg_catalog, table, run_scope), fields)
    found = [{**dict(zip(fields, key, strict=True)), "rows": str(n)} for key, n in sorted(counted.items())]
    expectation = evidence.expect(f"rows of this scenario per partition of {table}", columns, expected)
    expectation.found = found
    wanted = {tuple(row[c] for c in columns) for row in expected}
    got = {tuple(row[c] for c in columns) for row in found}
    expectation.missing = [dict(zip(columns, v, strict=True)) for v in sorted(wanted - got)]
    expectation.unexpected = [dict(zip(columns, v, strict=True)) for v in sorted(got - wanted)]
    assert wanted == got, (
        f"rows of this scenario per partition of {table}: {len(expectation.missing)} missing, "
        f"{len(expectation.unexpected)} unexpected (see the expected vs. found tables in the diagnostics)"
    )
    expectation.met = True


@then(
    parsers.re(
        r'the rows of this scenario in the table "(?P<table>[^"]+)" match the golden file "(?P<path>[^"]+)"'
        r"(?: with timestamps to the (?P<precision>second|millisecond|microsecond))?"
    )
)
def matches_golden_file(
    table: str,
    path: str,
    precision: str | None,
    request: pytest.FixtureRequest,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    settle: Settle,
) -> None:
    """Exactly the file's rows, typed by the table: decimals by exact text, timestamps as instants
    (cut to the stated precision on both sides), ids through the run scope."""
    columns, expected = golden_rows(Path(request.config.rootpath, path))
    digits = PRECISIONS[precision or "microsecond"]
    instants = _timestamps(expected)
    expected = [{c: _cut(v, digits) if c in instants else v for c, v in row.items()} for row in expected]
    rows = [
        at_precision(row, digits)
        for row in _settled_rows(table, iceberg_catalog, run_scope, evidence, settle)
    ]
    expectation = evidence.expect(f"rows of this scenario in {table} as in {path}", columns, expected)
    result = compare(expectation, expected, rows, columns, run_scope, exactly=True)
    assert_exact(result, f"rows of this scenario in {table} against {path}")
    expectation.met = True


def _timestamps(rows: list[dict[str, str]]) -> set[str]:
    """Golden columns that hold instants: their first cell reads as ISO-8601 with a zone."""
    columns = set()
    for column, cell in (rows[0] if rows else {}).items():
        try:
            if "T" in cell and parse_instant(cell).tzinfo is not None:
                columns.add(column)
        except ValueError:
            continue
    return columns


def _cut(cell: str, digits: int) -> str:
    return str(at_precision({"t": parse_instant(cell)}, digits)["t"].isoformat())
