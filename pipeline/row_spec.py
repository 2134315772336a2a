"""The row of analytics.orders, read from its one definition (sql/orders_table.json): the column
names in table order and their types, for the job's SQL, the slow lane's row and the tests.

Standard library only and no pyflink: the harness env imports it as well as the Flink env.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DEFINITION = "sql/orders_table.json"
PROCESSED_AT = "processed_at"  # the one column the job adds; every other comes from the event
INSTANT = "timestamptz"

# Iceberg type → Flink SQL type, for the types the table uses: a new type fails loudly here.
_FLINK_TYPES = {"string": "STRING", INSTANT: "TIMESTAMP_LTZ(6)", "decimal(12, 2)": "DECIMAL(12, 2)"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Iceberg's type name: string, timestamptz, decimal(12, 2)
    required: bool

    @property
    def flink_type(self) -> str:
        try:
            return _FLINK_TYPES[self.type]
        except KeyError:
            raise ValueError(f"column {self.name!r}: no Flink SQL type for Iceberg's {self.type!r}") from None

    @property
    def is_instant(self) -> bool:
        return self.type == INSTANT


@cache
def table_definition() -> dict[str, Any]:
    """The table's definition file as it is: schema, partition spec and table properties."""
    return dict(json.loads(resources.files("pipeline").joinpath(DEFINITION).read_text()))


@cache
def columns() -> tuple[Column, ...]:
    """Every column, in table order."""
    fields = table_definition()["schema"]["fields"]
    return tuple(Column(f["name"], f["type"], bool(f.get("required", False))) for f in fields)


def column_names() -> list[str]:
    return [column.name for column in columns()]


def flink_columns() -> list[tuple[str, str]]:
    """(name, Flink SQL type) for every column, in table order."""
    return [(column.name, column.flink_type) for column in columns()]
