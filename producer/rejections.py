"""Why a payload is not a valid Order Created v1: the stable rejection codes (`Kind`), the
`Rejection` report (field, value as written, rule), and the mapping from pydantic's errors.

Standard library and pydantic only, like the contract: the PyFlink job imports it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from pydantic import ValidationError

VALUE_PREVIEW: Final = 80  # characters of the offending value kept in a Rejection


class Kind(StrEnum):
    """Why a payload is rejected: short, stable machine codes (add new ones, never rename)."""

    OVERSIZED = "oversized"
    NOT_UTF8 = "not_utf8"
    MALFORMED_JSON = "malformed_json"
    NOT_AN_OBJECT = "not_an_object"
    UNSUPPORTED_VERSION = "unsupported_version"
    MISSING_FIELD = "missing_field"
    INVALID_TYPE = "invalid_type"
    EMPTY_STRING = "empty_string"
    TOO_LONG = "too_long"
    INVALID_UUID = "invalid_uuid"
    INVALID_TIMESTAMP = "invalid_timestamp"
    NAIVE_TIMESTAMP = "naive_timestamp"
    INVALID_AMOUNT = "invalid_amount"
    FLOAT_AMOUNT = "float_amount"
    NEGATIVE_AMOUNT = "negative_amount"
    AMOUNT_PRECISION = "amount_precision"
    AMOUNT_TOO_LARGE = "amount_too_large"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_STATUS = "invalid_status"
    INVALID_SALES_CHANNEL = "invalid_sales_channel"  # since v1.1
    # A bug in this module, never a property of the input: validate_payload must not raise.
    INTERNAL_ERROR = "internal_error"


_KINDS: Final = frozenset(Kind)


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a payload is not a valid Order Created v1."""

    kind: str  # a Kind value: stable, for machines
    field: str  # the field, or "(payload)" when the payload as a whole is wrong
    value: str  # the offending value as written (strings quoted), at most ~80 characters
    rule: str  # the rule it breaks, for people

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", str(self.kind))  # a Kind member becomes its plain code

    def line(self) -> str:
        """One line naming field, value and rule: `order_amount='-1.00': must be >= 0 (negative_amount)`."""
        return f"{self.field}={self.value}: {self.rule} ({self.kind})"


PAYLOAD = "(payload)"
_ABSENT = "(absent)"


def preview(value: Any) -> str:
    """The offending value for a Rejection: strings quoted, JSON values as JSON, truncated."""
    if isinstance(value, str | bytes):
        text = repr(value[: VALUE_PREVIEW * 2])  # slice first: never repr 64 KiB
    elif value is None or isinstance(value, bool | list | dict):
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= VALUE_PREVIEW else text[: VALUE_PREVIEW - 1] + "…"


# pydantic's own error types that can still surface (the rest become invalid_type)
_PYDANTIC_KINDS: Final = {
    "missing": (Kind.MISSING_FIELD, "is required"),
    "model_type": (Kind.NOT_AN_OBJECT, "must be a JSON object"),
    "model_attributes_type": (Kind.NOT_AN_OBJECT, "must be a JSON object"),
}


def _rejection_from(error: Any) -> Rejection:
    loc = error.get("loc", ())
    context = error.get("ctx") or {}
    field = str(context.get("field") or ".".join(str(part) for part in loc) or PAYLOAD)
    if error["type"] in _KINDS:
        # a model-level error names its field in ctx; its input is the whole document
        value = error["input"].get(field) if not loc and "field" in context else error["input"]
        return Rejection(error["type"], field, preview(value), str(error["msg"]))
    kind, rule = _PYDANTIC_KINDS.get(error["type"], (Kind.INVALID_TYPE, str(error["msg"])))
    value = _ABSENT if kind is Kind.MISSING_FIELD else preview(error.get("input"))
    return Rejection(kind.value, field, value, rule)


def rejection_of(error: ValidationError) -> Rejection:
    """The first reason in a pydantic ValidationError of OrderCreatedV1, as a Rejection."""
    return _rejection_from(error.errors(include_url=False)[0])
