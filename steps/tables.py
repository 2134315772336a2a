"""Steps on tables: the rows of this scenario (ids carrying its run id) and their partitions.

    Then the table "analytics.orders" eventually contains these rows:
      | order_id | order_amount |
      | ord-1    | 19.99        |
    Then the table "analytics.orders" eventually contains exactly these rows:   (nothing else of this scenario)
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    Then every row of this scenario in the table "analytics.orders" is stored in the partition of its "event_time"

"eventually" waits (with a deadline, showing progress) for the rows to be committed; "exactly"
and "once" first let the job process everything the scenario published (the `settle` fixture),
then assert that nothing else arrived.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pyiceberg.catalog import Catalog
from pytest_bdd import parsers, then

from fixtures.diagnostics import Evidence, PublishedRecord
from fixtures.documents import json_object
from fixtures.stack import DLQ_TOPIC
from fixtures.waits import Probe
from steps.context import Settle
from steps.support.kafka import MARKER
from steps.support.scope import RunScope
from steps.support.tables import (
    expected_partition,
    partition_fields,
    rows_with,
    scenario_partitions,
    scenario_rows,
    table_columns,
)
from steps.support.values import (
    assert_exact,
    cell_matches,
    compare,
    parse_instant,
    show,
    shown_rows,
    table_rows,
)


class UnknownColumn(AssertionError):
    """A feature names a column the table does not have: fail now, not after the deadline."""


def _check_columns(catalog: Catalog, table: str, columns: list[str]) -> None:
    known = table_columns(catalog, table)
    unknown = [c for c in columns if known and c not in known]
    if unknown:
        raise UnknownColumn(
            f"the table {table} has no column {', '.join(unknown)}; it has {', '.join(known)}"
        )


def _await_rows(
    table: str,
    datatable: list[list[str]],
    *,
    exactly: bool,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    eventually: Any,
    settle: Settle,
) -> None:
    __tracebackhide__ = True
    columns, expected = table_rows(datatable)
    evidence.tables.add(table)
    expectation = evidence.expect(
        f"rows of this scenario in {table}{' (exactly)' if exactly else ''}", columns, expected
    )

    def look() -> Probe:
        found = scenario_rows(iceberg_catalog, table, run_scope)
        if found:
            _check_columns(iceberg_catalog, table, columns)
        result = compare(expectation, expected, found, columns, run_scope)
        return Probe(
            result.complete,
            f"{len(found)} rows of this scenario, {len(result.missing)} of {len(expected)} missing",
        )

    if not exactly:
        eventually(f"{len(expected)} rows of this scenario in {table}", look, fatal=(UnknownColumn,))
    else:
        # Once the job has committed everything this scenario published, one look is the truth.
        settle(watch=look)
        found = scenario_rows(iceberg_catalog, table, run_scope)
        if found:
            _check_columns(iceberg_catalog, table, columns)
        result = compare(expectation, expected, found, columns, run_scope, exactly=True)
        assert_exact(result, f"rows of this scenario in {table}")
    expectation.met = True


@then(parsers.re(r'the table "(?P<table>[^"]+)" eventually contains (?P<exactly>exactly )?these rows:'))
def table_contains(
    table: str,
    exactly: str | None,
    datatable: list[list[str]],
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    eventually: Any,
    settle: Settle,
) -> None:
    """ "contains": at least these rows; "contains exactly": these and no other row of the scenario."""
    _await_rows(
        table,
        datatable,
        exactly=bool(exactly),
        iceberg_catalog=iceberg_catalog,
        run_scope=run_scope,
        evidence=evidence,
        eventually=eventually,
        settle=settle,
    )


# -- every valid event published, exactly once -------------------------------------------------
def valid_events(evidence: Evidence, id_column: str) -> dict[str, tuple[dict[str, Any], PublishedRecord]]:
    """id → (document, record) of every event this scenario published that the contract should
    accept: generated ones by their intent header (valid, late, duplicate), hand-written ones
    (no intent) when they are JSON objects with an id."""
    events: dict[str, tuple[dict[str, Any], PublishedRecord]] = {}
    for record in evidence.published:
        if record.topic == DLQ_TOPIC or record.intent in (MARKER,) or record.intent.startswith("invalid"):
            continue
        document = json_object(record.value, parse_float=Decimal)
        if document is not None and isinstance(document.get(id_column), str):
            events.setdefault(document[id_column], (document, record))  # keep-first, as the job does
    return events


def _as_published(expected: Any, found: Any, column: str, scope: RunScope) -> bool:
    """A stored value against the published JSON value (already in stored form: no scoping)."""
    if isinstance(found, str) or found is None:
        return found == expected
    if isinstance(found, Decimal):
        try:
            return Decimal(str(expected)) == found
        except ArithmeticError:
            return False
    if isinstance(found, datetime):
        try:
            return parse_instant(str(expected)) == found
        except ValueError:
            return False
    return cell_matches(str(expected), found, column, scope)


@then(
    parsers.parse(
        'the table "{table}" eventually holds each valid event of this scenario exactly once, as published'
    )
)
def table_holds_each_event_once(
    table: str,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    evidence: Evidence,
    eventually: Any,
    settle: Settle,
) -> None:
    id_column = run_scope.uuid_columns[0]
    events = valid_events(evidence, id_column)
    assert events, "this scenario published no valid event"
    evidence.tables.add(table)
    columns = table_columns(iceberg_catalog, table)
    shown_columns = [c for c in columns if any(c in doc for doc, _ in events.values())]
    expectation = evidence.expect(
        f"each valid event of this scenario once in {table}",
        shown_columns,
        shown_rows([doc for doc, _ in events.values()], shown_columns, run_scope),
    )

    def look() -> Probe:
        found = scenario_rows(iceberg_catalog, table, run_scope)
        ids = {row.get(id_column) for row in found}
        missing = [doc for key, (doc, _) in events.items() if key not in ids]
        expectation.found = shown_rows(found, shown_columns, run_scope)
        expectation.missing = shown_rows(missing, shown_columns, run_scope)
        return Probe(
            not missing, f"{len(ids & set(events))} of {len(events)} events in {len(found)} rows", found
        )

    settle(timeout=eventually.timeout * (2.5 if len(events) > 100 else 1), watch=look)
    found = scenario_rows(iceberg_catalog, table, run_scope)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in found:
        by_id.setdefault(str(row.get(id_column)), []).append(row)
    twice = [rows[0] for key, rows in by_id.items() if len(rows) > 1]
    unknown = [rows[0] for key, rows in by_id.items() if key not in events]
    differing = []
    for key, (document, _) in events.items():
        for row in by_id.get(key, []):
            if not all(
                _as_published(document[c], row.get(c), c, run_scope) for c in shown_columns if c in document
            ):
                differing.append(row)
    missing = [doc for key, (doc, _) in events.items() if key not in by_id]
    expectation.found = shown_rows(found, shown_columns, run_scope)
    expectation.missing = shown_rows(missing, shown_columns, run_scope)
    expectation.unexpected = shown_rows(twice + unknown + differing, shown_columns, run_scope)
    expectation.note = (
        f"{len(events)} valid events published; {len(found)} rows of this scenario: "
        f"{len(missing)} missing, {len(twice)} stored more than once, {len(unknown)} not published, "
        f"{len(differing)} not as published"
    )
    if missing:
        expectation.note += _already_stored(
            iceberg_catalog, table, id_column, [str(d[id_column]) for d in missing]
        )
    assert not (missing or twice or unknown or differing), expectation.note
    expectation.met = True


def _already_stored(catalog: Catalog, table: str, id_column: str, ids: list[str]) -> str:
    """A hint when missing events' ids are in the table under other rows: the job stores an id
    once, so an event id reused across runs (e.g. a fixed producer seed) is dropped as a duplicate."""
    try:
        earlier = rows_with(catalog, table, id_column, ids)
    except Exception as exc:  # a hint only
        return f"\n(could not look the missing {id_column}s up: {type(exc).__name__})"
    if not earlier:
        return ""
    example = earlier[0]
    distinct = len({row.get(id_column) for row in earlier})
    return (
        f"\nHINT: {distinct} of the {len(ids)} missing {id_column}s are already in {table}, in {len(earlier)} "
        f"rows of other runs (e.g. {example.get(id_column)} as {example.get('order_id', '?')}, processed at "
        f"{example.get('processed_at')}): the job stores each {id_column} once, so these were dropped as "
        "duplicates. Were the same events published before on this job?"
    )


@then(parsers.parse('the table "{table}" eventually holds {count:d} rows of this scenario'))
def table_holds_count(
    table: str, count: int, iceberg_catalog: Catalog, run_scope: RunScope, eventually: Any, settle: Settle
) -> None:
    def look() -> Probe:
        found = len(scenario_rows(iceberg_catalog, table, run_scope))
        return Probe(found >= count, f"{found} rows of this scenario")

    settle(watch=look)
    found = len(scenario_rows(iceberg_catalog, table, run_scope))
    assert found == count, f"{found} rows of this scenario in {table}, expected {count}"


# -- columns and partitions ----------------------------------------------------------------------
def _published_at(evidence: Evidence, id_column: str) -> dict[str, datetime]:
    first: dict[str, datetime] = {}
    for record in evidence.published:
        document = json_object(record.value)
        if document is not None and isinstance(document.get(id_column), str):
            key = document[id_column]
            first[key] = min(first.get(key, record.published_at), record.published_at)
    return first


@then(
    parsers.parse(
        'every row of this scenario in the table "{table}" has "{column}" not before its event was published'
    )
)
def not_before_published(
    table: str, column: str, iceberg_catalog: Catalog, run_scope: RunScope, evidence: Evidence
) -> None:
    id_column = run_scope.uuid_columns[0]
    published = _published_at(evidence, id_column)
    rows = scenario_rows(iceberg_catalog, table, run_scope)
    assert rows, f"no row of this scenario in {table}"
    for row in rows:
        key = str(row.get(id_column))
        assert key in published, f"row {show(key, id_column, run_scope)} was not published by this scenario"
        value = row.get(column)
        assert isinstance(value, datetime), f"{column} of row {show(key, id_column, run_scope)} is {value!r}"
        assert value >= published[key], (
            f"{column} {value.isoformat()} of {show(key, id_column, run_scope)} is before it was published "
            f"({published[key].isoformat()})"
        )


@then(
    parsers.parse(
        'every row of this scenario in the table "{table}" is stored in the partition of its "{column}"'
    )
)
def in_partition_of(table: str, column: str, iceberg_catalog: Catalog, run_scope: RunScope) -> None:
    fields = partition_fields(iceberg_catalog, table)
    key_column = run_scope.key_column
    rows = {row[key_column]: row for row in scenario_rows(iceberg_catalog, table, run_scope)}
    stored = scenario_partitions(iceberg_catalog, table, run_scope)
    assert rows, f"no row of this scenario in {table}"
    wrong = []
    for name, partition in stored.items():
        row = rows.get(name.split("#")[0])
        if row is None:
            continue
        want = expected_partition(fields, row, column)
        got = {k: partition.get(k) for k in want}
        if got != want:
            wrong.append(
                f"{show(row[key_column], key_column, run_scope)} ({column} {show(row.get(column), column, run_scope)}): in {got}, expected {want}"
            )
    unplaced = [k for k in rows if not any(n.split("#")[0] == k for n in stored)]
    assert not unplaced, f"rows found in no data file: {unplaced}"
    assert not wrong, "rows in the wrong partition:\n  " + "\n  ".join(wrong)


@then(
    parsers.parse('the rows of this scenario in the table "{table}" are stored in exactly these partitions:')
)
def in_exactly_these_partitions(
    table: str, datatable: list[list[str]], iceberg_catalog: Catalog, run_scope: RunScope, evidence: Evidence
) -> None:
    columns, expected = table_rows(datatable)
    stored = scenario_partitions(iceberg_catalog, table, run_scope)
    found = {tuple(show(p.get(c), c, run_scope) for c in columns) for p in stored.values()}
    wanted = {tuple(row[c] for c in columns) for row in expected}
    expectation = evidence.expect(f"partitions holding this scenario's rows in {table}", columns, expected)
    expectation.found = [dict(zip(columns, values, strict=True)) for values in sorted(found)]
    assert found == wanted, (
        f"this scenario's rows are in partitions {sorted(found)}, expected {sorted(wanted)}"
    )
    expectation.met = True


def _values(text: str) -> list[str]:
    return [part.strip().strip('"') for part in text.replace(" and ", ",").split(",") if part.strip()]


@then(
    parsers.parse(
        'the "{column}" values of this scenario\'s rows in the table "{table}" are exactly {values}'
    )
)
def column_values_exactly(
    column: str, table: str, values: str, iceberg_catalog: Catalog, run_scope: RunScope
) -> None:
    rows = scenario_rows(iceberg_catalog, table, run_scope)
    found = {show(row.get(column), column, run_scope) for row in rows}
    wanted = set(_values(values))
    assert found == wanted, (
        f"{column} of this scenario's {len(rows)} rows: {sorted(found)}, expected {sorted(wanted)}"
    )
