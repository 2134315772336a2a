"""Iceberg tables from the steps' side: a run's own rows, and which partition holds each of them.

Partitions are read from the data files themselves: a file's partition value is authoritative,
while a filtered scan plan (min/max metrics) may also name files that only *might* hold a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyarrow.parquet as pq
from pyiceberg.catalog import Catalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.expressions import And, GreaterThanOrEqual, In, LessThanOrEqual, StartsWith

from fixtures.iceberg import TableReader
from steps.support.scope import RunScope

EPOCH_DAY = date(1970, 1, 1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def own_rows(catalog: Catalog, identifier: str, column: str, prefix: str) -> list[dict[str, Any]]:
    """Every row whose `column` starts with `prefix` (a run's own rows), newest snapshot."""
    return TableReader(catalog, identifier).rows(StartsWith(column, prefix))


def rows_with(
    catalog: Catalog, identifier: str, column: str, values: list[str], limit: int = 500
) -> list[dict[str, Any]]:
    """Rows whose `column` is one of `values`, whoever wrote them (for "already stored" hints)."""
    if not values:
        return []
    return TableReader(catalog, identifier).rows(In(column, values[:limit]))


def rows_between(
    catalog: Catalog, identifier: str, column: str, low: datetime, high: datetime
) -> list[dict[str, Any]]:
    """Rows whose timestamp `column` lies within [low, high], whoever wrote them (rows keyed by
    time, not by a run id: a scenario owns a stretch of time instead)."""
    bounds = And(GreaterThanOrEqual(column, low.isoformat()), LessThanOrEqual(column, high.isoformat()))
    return TableReader(catalog, identifier).rows(bounds)


def table_columns(catalog: Catalog, identifier: str) -> list[str]:
    try:
        return [f.name for f in catalog.load_table(identifier).schema().fields]
    except NoSuchTableError:
        return []


@dataclass(frozen=True)
class PartitionField:
    name: str  # e.g. event_time_day
    source: str  # e.g. event_time
    transform: str  # e.g. day

    def value_of(self, source_value: Any) -> Any:
        """The partition value a row with this source value belongs to (as shown to people)."""
        if source_value is None:
            return None
        if self.transform == "identity":
            return source_value
        if isinstance(source_value, datetime):
            moment = source_value.astimezone(UTC) if source_value.tzinfo else source_value
            if self.transform == "day":
                return moment.date()
            if self.transform == "hour":
                return moment.replace(minute=0, second=0, microsecond=0)
            if self.transform == "month":
                return f"{moment.year:04d}-{moment.month:02d}"
            if self.transform == "year":
                return f"{moment.year:04d}"
        raise ValueError(
            f"partition transform {self.transform!r} of {self.name} is not supported by the steps"
        )

    def shown(self, stored: Any) -> Any:
        """A file's stored partition value (days/hours/months since 1970) as value_of() gives it."""
        if stored is None or self.transform == "identity":
            return stored
        if self.transform == "day":
            return EPOCH_DAY + timedelta(days=int(stored))
        if self.transform == "hour":
            return EPOCH + timedelta(hours=int(stored))
        if self.transform == "month":
            return f"{1970 + int(stored) // 12:04d}-{int(stored) % 12 + 1:02d}"
        if self.transform == "year":
            return f"{1970 + int(stored):04d}"
        return stored


def partition_fields(catalog: Catalog, identifier: str) -> list[PartitionField]:
    table = catalog.load_table(identifier)
    schema = table.schema()
    return [
        PartitionField(f.name, schema.find_column_name(f.source_id) or "", str(f.transform))
        for f in table.spec().fields
    ]


def partitions_of(
    catalog: Catalog, identifier: str, key_column: str, prefix: str
) -> dict[str, dict[str, Any]]:
    """key value → {partition field name: partition value} for every row whose key starts with
    `prefix`, read from the data files that hold them. A key in several files appears once per
    file under `key#2`, `key#3`… (a duplicate row shows as such)."""
    table = catalog.load_table(identifier)
    if table.current_snapshot() is None:
        return {}
    fields = partition_fields(catalog, identifier)
    found: dict[str, dict[str, Any]] = {}
    for task in table.scan(row_filter=StartsWith(key_column, prefix)).plan_files():
        with table.io.new_input(task.file.file_path).open() as stream:
            keys = pq.read_table(stream, columns=[key_column]).column(key_column).to_pylist()
        values = {f.name: f.shown(task.file.partition[i]) for i, f in enumerate(fields)}
        for key in keys:
            if not (isinstance(key, str) and key.startswith(prefix)):
                continue
            name, n = key, 1
            while name in found:
                n += 1
                name = f"{key}#{n}"
            found[name] = values
    return found


def expected_partition(fields: list[PartitionField], row: Mapping[str, Any], source: str) -> dict[str, Any]:
    chosen = [f for f in fields if f.source == source]
    if not chosen:
        raise AssertionError(f"no partition field of the table is derived from {source!r}: {fields}")
    return {f.name: f.value_of(row.get(source)) for f in chosen}


def scenario_key(catalog: Catalog, identifier: str, scope: RunScope) -> str:
    """The run-scoped column that tells this scenario's rows of the table: the scope's key column
    (order_id) when the table has it, else the first other run-scoped column it has (user_id, in a
    table of one row per customer)."""
    columns = table_columns(catalog, identifier)
    return next((c for c in scope.prefixes if c in columns), scope.key_column)


def scenario_rows(catalog: Catalog, identifier: str, scope: RunScope) -> list[dict[str, Any]]:
    """This scenario's rows (its key carries the run id), without the markers of `settle`."""
    key = scenario_key(catalog, identifier, scope)
    rows = own_rows(catalog, identifier, key, scope.run_prefix(key))
    return [row for row in rows if not scope.is_marker(row.get(scope.key_column))]


def scenario_partitions(catalog: Catalog, identifier: str, scope: RunScope) -> dict[str, dict[str, Any]]:
    """Row key → its partition values, for this scenario's rows (markers left out)."""
    stored = partitions_of(catalog, identifier, scope.key_column, scope.run_prefix())
    return {key: value for key, value in stored.items() if not scope.is_marker(key)}
