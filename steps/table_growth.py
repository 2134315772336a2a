"""Steps on a declared table's growth: a copy of the table as it was before a column was added,
then the declared definition applied to it the way `submit` applies it (fixtures/tables.py).

    Given the table "analytics.orders_before_v1_1" made from the declared "analytics.orders" without its column "sales_channel", holding these rows:
      | order_id | order_amount |
      | ord-1    | 12.50        |
    When the declared definition of "analytics.orders" is applied to "analytics.orders_before_v1_1", as a submit does
    Then the table "analytics.orders_before_v1_1" has the optional column "sales_channel", and no data file was rewritten

The copy is dropped and made again each time: the declared table itself is never touched, and the
rows are this scenario's (ids scoped by its run id), so the generic table steps read them.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
from pyiceberg.catalog import Catalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.schema import Schema
from pyiceberg.table import Table
from pyiceberg.types import DecimalType, StringType, TimestamptzType
from pytest_bdd import given, parsers, then, when

from fixtures.diagnostics import Evidence
from fixtures.stack import Stack
from fixtures.tables import TableChange, ensure_table
from steps.context import DefaultEvent
from steps.support.scope import RunScope
from steps.support.values import NULL, parse_instant, table_rows


@dataclass(frozen=True)
class TableBefore:
    """A table made as it was before a column was added, and the data files it then held."""

    name: str
    data_files: frozenset[str]


def data_files(table: Table) -> frozenset[str]:
    return frozenset(task.file.file_path for task in table.scan().plan_files())


def without_column(definition: dict[str, Any], column: str) -> dict[str, Any]:
    earlier = copy.deepcopy(definition)
    fields = earlier["schema"]["fields"]
    if column not in [field["name"] for field in fields]:
        raise AssertionError(
            f"the definition has no column {column!r}: {[field['name'] for field in fields]}"
        )
    earlier["schema"]["fields"] = [field for field in fields if field["name"] != column]
    return earlier


def typed(schema: Schema, values: dict[str, str | None], written_at: datetime) -> dict[str, Any]:
    """A row of `schema` from text values. A required instant column given no value is the time of
    writing, as a job's processing time would be; any other required column must be given."""
    row: dict[str, Any] = {}
    for field in schema.fields:
        text = values.get(field.name)
        if text is None or text == NULL:
            if field.required and isinstance(field.field_type, TimestamptzType):
                row[field.name] = written_at
                continue
            if field.required:
                raise AssertionError(
                    f"column {field.name!r} is required: give it a value in the step's table"
                )
            row[field.name] = None
        elif isinstance(field.field_type, TimestamptzType):
            row[field.name] = parse_instant(text).astimezone(UTC)
        elif isinstance(field.field_type, DecimalType):
            row[field.name] = Decimal(text)
        elif isinstance(field.field_type, StringType):
            row[field.name] = text
        else:
            raise AssertionError(f"column {field.name!r}: the step cannot write Iceberg's {field.field_type}")
    return row


@given(
    parsers.parse(
        'the table "{copy_name}" made from the declared "{table}" without its column "{column}", '
        "holding these rows:"
    ),
    target_fixture="table_before",
)
def table_before_column(
    copy_name: str,
    table: str,
    column: str,
    datatable: list[list[str]],
    stack: Stack,
    iceberg_catalog: Catalog,
    run_scope: RunScope,
    default_event: DefaultEvent,
    evidence: Evidence,
) -> TableBefore:
    with contextlib.suppress(NoSuchTableError):
        iceberg_catalog.drop_table(copy_name)
    ensure_table(
        iceberg_catalog, copy_name, without_column(stack.declaration.table_definition(table), column)
    )
    made = iceberg_catalog.load_table(copy_name)
    _header, cells = table_rows(datatable)
    now = datetime.now(UTC)
    rows = []
    for n, written in enumerate(cells, start=1):
        values: dict[str, str | None] = {
            k: v for k, v in default_event(run_scope, n).items() if isinstance(v, str)
        }
        values.update({name: run_scope.scoped(name, cell) for name, cell in written.items()})
        rows.append(typed(made.schema(), values, now))
    made.append(pa.Table.from_pylist(rows, schema=made.schema().as_arrow()))
    evidence.tables.add(copy_name)
    return TableBefore(copy_name, data_files(iceberg_catalog.load_table(copy_name)))


@when(
    parsers.parse('the declared definition of "{table}" is applied to "{copy_name}", as a submit does'),
    target_fixture="table_change",
)
def apply_declared_definition(
    table: str, copy_name: str, stack: Stack, iceberg_catalog: Catalog
) -> TableChange:
    return ensure_table(iceberg_catalog, copy_name, stack.declaration.table_definition(table))


@then(
    parsers.parse(
        'the table "{copy_name}" has the optional column "{column}", and no data file was rewritten'
    )
)
def grew_without_rewrite(
    copy_name: str,
    column: str,
    table_before: TableBefore,
    table_change: TableChange,
    iceberg_catalog: Catalog,
) -> None:
    assert table_change.added == (column,), table_change.describe()
    grown = iceberg_catalog.load_table(copy_name)
    field = grown.schema().find_field(column)
    assert not field.required, f"{copy_name}.{column} is required"
    assert data_files(grown) == table_before.data_files, "a data file was added or rewritten"
