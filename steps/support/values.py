"""Values as features write them, and as the table and topics hold them.

A datatable cell is text. Published, it becomes a JSON string (`19.99` → `"19.99"`), except
`(absent)` (the field is left out) and `(null)`. A *literal* (the `set to <value>` steps) is JSON
as written, so `19.99` is a JSON number, `"19.99"` a string, `true` a boolean; plus `absent` and
`a text of N characters`. Read back, a cell matches a stored value by the stored value's type:
timestamps as instants, decimals by their exact text (`0.10` is not `0.1`), scoped ids through the
run scope.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fixtures.diagnostics import Expectation
from steps.support.scope import RunScope

ABSENT = "(absent)"
NULL = "(null)"
ANY = "(any)"


@dataclass(frozen=True)
class JsonLiteral:
    """A value spliced into the published JSON exactly as written."""

    text: str


FieldValue = str | JsonLiteral | None  # None: leave the field out


_TEXT_OF = re.compile(r"a text of (?P<n>\d+) characters?")
_REPEATED_TEXT = re.compile(r'"(?P<head>[^"]*)" followed by "(?P<unit>[^"]+)" repeated (?P<n>\d+) times')


def parse_literal(text: str) -> FieldValue:
    """`absent`, `a text of 129 characters`, `"1" followed by ".0" repeated 3000 times`, or any
    JSON value written as JSON."""
    written = text.strip()
    if written in ("absent", ABSENT):
        return None
    shape = _TEXT_OF.fullmatch(written)
    if shape:
        return JsonLiteral(json.dumps("x" * int(shape["n"])))
    if shape := _REPEATED_TEXT.fullmatch(written):
        return JsonLiteral(json.dumps(shape["head"] + shape["unit"] * int(shape["n"])))
    try:
        json.loads(written, parse_float=Decimal)
    except ValueError as exc:
        raise ValueError(
            f'{written!r} is not a JSON value (write strings in double quotes, e.g. "EUR"), '
            f"'absent', 'a text of N characters' or '\"head\" followed by \"unit\" repeated N times': {exc}"
        ) from None
    return JsonLiteral(written)


def encode_document(fields: Mapping[str, FieldValue]) -> bytes:
    """Compact JSON in the given field order; literals go in as written (no float round trip)."""
    parts = []
    for name, value in fields.items():
        if value is None:
            continue
        text = value.text if isinstance(value, JsonLiteral) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{json.dumps(name)}:{text}")
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def cell_to_field(cell: str) -> FieldValue:
    if cell == ABSENT:
        return None
    if cell == NULL:
        return JsonLiteral("null")
    return cell


# -- raw records (not JSON objects at all) ------------------------------------------------------
_RAW_TEXT = re.compile(r"text '(?P<text>.*)'", re.DOTALL)
_RAW_BYTES = re.compile(r"bytes '(?P<hex>[0-9a-fA-F ]+)'")
_RAW_PADDED = re.compile(r"an order padded to (?P<n>\d+) bytes")
_RAW_REPEATED = re.compile(r"(?P<kind>text|bytes) '(?P<unit>[^']+)' repeated to (?P<n>\d+) bytes")


@dataclass(frozen=True)
class RawRecord:
    """How a feature writes a record that is not an order: `text '…'`, `bytes 'ff fe'`,
    `an order padded to 70000 bytes` (valid, but larger than the contract allows), or
    `bytes 'ff' repeated to 800000 bytes` / `text '"' repeated to 600000 bytes`."""

    written: str
    payload: bytes | None = None  # None: an order padded to `size`
    size: int = 0

    @classmethod
    def parse(cls, text: str) -> RawRecord:
        written = text.strip()
        if shape := _RAW_REPEATED.fullmatch(written):
            unit = shape["unit"].encode() if shape["kind"] == "text" else bytes.fromhex(shape["unit"])
            size = int(shape["n"])
            return cls(written, (unit * (size // len(unit) + 1))[:size])
        if shape := _RAW_TEXT.fullmatch(written):
            return cls(written, shape["text"].encode("utf-8"))
        if shape := _RAW_BYTES.fullmatch(written):
            return cls(written, bytes.fromhex(shape["hex"].replace(" ", "")))
        if shape := _RAW_PADDED.fullmatch(written):
            return cls(written, None, int(shape["n"]))
        raise ValueError(
            f"raw record {written!r}: write text '…', bytes 'ff fe …', an order padded to N bytes, "
            "or text '…' / bytes '…' repeated to N bytes"
        )

    def bytes_for(self, order: Mapping[str, FieldValue]) -> bytes:
        if self.payload is not None:
            return self.payload
        base = encode_document(order)
        padding = max(0, self.size - len(base) - len(',"padding":""'))
        return encode_document({**order, "padding": "x" * padding})


# -- reading back ------------------------------------------------------------------------------
def parse_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def show(value: Any, column: str, scope: RunScope) -> str:
    """A stored value as a feature would write it."""
    if value is None:
        return NULL
    if isinstance(value, datetime):
        from producer.contract import format_event_time

        return format_event_time(scope.written_instant(value if value.tzinfo else value.replace(tzinfo=UTC)))
    if isinstance(value, date):
        return scope.written_date(value).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return scope.unscoped(column, value)
    return str(value)


def cell_matches(expected: str, found: Any, column: str, scope: RunScope) -> bool:
    if expected == ANY:
        return True
    if found is None:
        return expected in (NULL, "")
    if expected == NULL:
        return False
    if isinstance(found, datetime):
        try:
            return scope.stored_instant(parse_instant(expected)) == (
                found if found.tzinfo else found.replace(tzinfo=UTC)
            )
        except ValueError:
            return False
    if isinstance(found, date):
        return expected.strip() == scope.written_date(found).isoformat()
    if isinstance(found, Decimal):
        return expected.strip() == str(found)  # exact text: 0.10 is not 0.1
    if isinstance(found, bool):
        return expected.strip().lower() == str(found).lower()
    if isinstance(found, str):
        return found == (scope.scoped(column, expected) if scope.is_scoped(column) else expected)
    return expected.strip() == str(found)


@dataclass
class RowMatch:
    missing: list[dict[str, str]]  # expected rows with no partner
    unexpected: list[dict[str, Any]]  # found rows with no partner
    paired: list[tuple[dict[str, str], dict[str, Any]]]

    @property
    def complete(self) -> bool:
        return not self.missing


def match_rows(
    expected: Sequence[Mapping[str, str]],
    found: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    scope: RunScope,
) -> RowMatch:
    """Pair each expected row with a distinct found row that agrees on every given column."""
    free = list(range(len(found)))
    missing: list[dict[str, str]] = []
    paired: list[tuple[dict[str, str], dict[str, Any]]] = []
    for row in expected:
        partner = next(
            (
                i
                for i in free
                if all(cell_matches(row[c], found[i].get(c), c, scope) for c in columns if c in row)
            ),
            None,
        )
        if partner is None:
            missing.append(dict(row))
        else:
            free.remove(partner)
            paired.append((dict(row), dict(found[partner])))
    return RowMatch(missing, [dict(found[i]) for i in free], paired)


def compare(
    expectation: Expectation,
    expected: Sequence[Mapping[str, str]],
    found: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    scope: RunScope,
    *,
    exactly: bool = False,
) -> RowMatch:
    """Match the rows and record what was found and missed on the expectation, which the
    diagnostics of a red scenario show (rows beyond the expected count only for "exactly")."""
    result = match_rows(expected, found, columns, scope)
    expectation.found = shown_rows(found, columns, scope)
    expectation.missing = result.missing
    if exactly:
        expectation.unexpected = shown_rows(result.unexpected, columns, scope)
    return result


def assert_exact(result: RowMatch, what: str) -> None:
    __tracebackhide__ = True
    assert result.complete and not result.unexpected, (
        f"{what}: {len(result.missing)} missing, {len(result.unexpected)} unexpected "
        f"(see the expected vs. found tables in the diagnostics)"
    )


def shown_rows(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], scope: RunScope
) -> list[dict[str, str]]:
    return [{c: show(row.get(c), c, scope) for c in columns} for row in rows]


def table_rows(datatable: Sequence[Sequence[str]]) -> tuple[list[str], list[dict[str, str]]]:
    """A pytest-bdd datatable (header first) as column names and rows."""
    if not datatable:
        raise ValueError("the step needs a table with a header row")
    header = [cell.strip() for cell in datatable[0]]
    return header, [dict(zip(header, (cell.strip() for cell in row), strict=True)) for row in datatable[1:]]


def flatten(document: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"reason": {"kind": …}} → {"reason.kind": …}, for matching JSON records like table rows."""
    flat: dict[str, Any] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat
