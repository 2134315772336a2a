"""Order Created v1: the one definition of the event, used by the producer and the pipeline.

Imports only the standard library and pydantic: the PyFlink job imports this module in the
Flink env, where nothing else of the harness is installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

SCHEMA_VERSION = "1"
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_ID_LENGTH = 128
MAX_AMOUNT = Decimal("9999999999.99")  # decimal(12, 2) in analytics.orders
VALUE_PREVIEW = 80

# ISO 4217 active codes (2024). Kept here, not fetched: the contract must not need the network.
ISO_4217 = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWL",
    ]
)


def _no_float(value: Any) -> Any:
    # A binary float has already lost the exact amount; only strings and exact JSON numbers
    # (parsed as Decimal) are accepted.
    if isinstance(value, float):
        raise ValueError("float_amount: must be a JSON string or an exact number, never a float")
    if isinstance(value, bool):
        raise ValueError("invalid_type: must be a decimal amount")
    return value


def _non_empty(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("empty_string: must be a non-empty string")
    return value


NonEmptyId = Annotated[str, BeforeValidator(_non_empty), Field(max_length=MAX_ID_LENGTH)]


class OrderCreatedV1(BaseModel):
    """An order was created. Unknown extra fields are accepted and ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=False, title="OrderCreatedV1")

    event_id: UUID
    event_time: datetime = Field(description="ISO-8601 with an offset; stored in UTC")
    order_id: NonEmptyId
    user_id: NonEmptyId
    order_amount: Annotated[Decimal, BeforeValidator(_no_float)] = Field(
        description='≥ 0, at most 2 decimal places, sent as a JSON string (e.g. "19.99")'
    )
    currency: str = Field(description="ISO-4217 code, upper case", pattern=r"^[A-Z]{3}$")
    order_status: Literal["CREATED"]
    schema_version: Literal["1"] = SCHEMA_VERSION

    @field_validator("event_time", mode="before")
    @classmethod
    def _event_time_has_offset(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("invalid_type: must be an ISO-8601 string")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("invalid_timestamp: must be ISO-8601 with an offset") from None
        if parsed.tzinfo is None:
            raise ValueError("naive_timestamp: must carry an offset (e.g. Z or +02:00)")
        return parsed.astimezone(UTC)

    @field_validator("order_amount")
    @classmethod
    def _amount_rules(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("invalid_type: must be a finite decimal amount")
        if value < 0:
            raise ValueError("negative_amount: must be >= 0")
        if -value.as_tuple().exponent > 2:  # type: ignore[operator]
            raise ValueError("amount_precision: at most 2 decimal places")
        if value > MAX_AMOUNT:
            raise ValueError(f"amount_too_large: must be <= {MAX_AMOUNT}")
        return value.quantize(Decimal("0.01"))

    @field_validator("currency", mode="before")
    @classmethod
    def _known_currency(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in ISO_4217:
            raise ValueError("invalid_currency: must be an ISO-4217 code")
        return value

    def to_json_dict(self) -> dict[str, str]:
        return {
            "event_id": str(self.event_id),
            "event_time": self.event_time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "order_id": self.order_id,
            "user_id": self.user_id,
            "order_amount": f"{self.order_amount:.2f}",
            "currency": self.currency,
            "order_status": self.order_status,
            "schema_version": self.schema_version,
        }

    def to_json_bytes(self) -> bytes:
        return json.dumps(self.to_json_dict(), separators=(",", ":")).encode()


@dataclass(frozen=True)
class Rejection:
    """Why a payload is not a valid Order Created v1: a stable kind, the field, its value, the rule."""

    kind: str
    field: str
    value: str
    rule: str

    def line(self) -> str:
        return f"{self.field}={self.value}: {self.rule} ({self.kind})"


def _preview(value: Any) -> str:
    text = (
        value if isinstance(value, str) else json.dumps(value, default=str) if value is not None else "null"
    )
    text = repr(text) if isinstance(value, str) else text
    return text if len(text) <= VALUE_PREVIEW else text[: VALUE_PREVIEW - 1] + "…"


_PYDANTIC_KINDS = {
    "missing": ("missing_field", "is required"),
    "uuid_parsing": ("invalid_uuid", "must be a UUID"),
    "uuid_type": ("invalid_uuid", "must be a UUID"),
    "literal_error": ("invalid_status", "must be CREATED"),
    "string_too_long": ("invalid_type", f"must be at most {MAX_ID_LENGTH} characters"),
    "string_pattern_mismatch": ("invalid_currency", "must be an ISO-4217 code"),
    "decimal_parsing": ("invalid_type", "must be a decimal amount"),
    "decimal_type": ("invalid_type", "must be a decimal amount"),
}


def _rejection_from(error: dict[str, Any], document: dict[str, Any]) -> Rejection:
    field = ".".join(str(part) for part in error["loc"]) or "(event)"
    value = _preview(document.get(field)) if field in document else "(absent)"
    message = str(error.get("msg", ""))
    if error["type"] == "value_error":  # our own validators: "kind: rule"
        kind, _, rule = message.removeprefix("Value error, ").partition(": ")
        return Rejection(kind, field, value, rule)
    if field == "schema_version" and error["type"] == "literal_error":
        return Rejection(
            "unsupported_version", field, value, f"only schema_version {SCHEMA_VERSION!r} is supported"
        )
    kind, rule = _PYDANTIC_KINDS.get(error["type"], ("invalid_type", message))
    return Rejection(kind, field, value, rule)


def validate_payload(raw: bytes | str) -> OrderCreatedV1 | Rejection:
    """The valid event, or the first reason it is not one. Never raises, whatever the input."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > MAX_PAYLOAD_BYTES:
        return Rejection(
            "oversized", "(payload)", f"{size} bytes", f"must be at most {MAX_PAYLOAD_BYTES} bytes"
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Rejection("not_utf8", "(payload)", f"byte {exc.start}", "must be UTF-8 text")
    try:
        document = json.loads(raw, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        return Rejection("malformed_json", "(payload)", _preview(raw), f"must be JSON ({exc})"[:120])
    if not isinstance(document, dict):
        return Rejection("not_an_object", "(payload)", _preview(raw), "must be a JSON object")
    version = document.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        return Rejection(
            "unsupported_version",
            "schema_version",
            _preview(version),
            f"only schema_version {SCHEMA_VERSION!r} is supported",
        )
    try:
        return OrderCreatedV1.model_validate(document)
    except ValidationError as exc:
        return _rejection_from(exc.errors(include_url=False)[0], document)
    except (InvalidOperation, ValueError, TypeError) as exc:
        return Rejection("invalid_type", "(event)", _preview(raw), str(exc)[:120])
