"""Order Created v1: the one definition of the event, used by the producer and the pipeline.

Imports only the standard library and pydantic: the PyFlink job imports this module in the
Flink env, where nothing else of the harness is installed.

Decisions worth knowing before changing anything here:
- `order_amount` is never a binary float. Raw JSON is parsed with `parse_float=Decimal`, so a
  JSON number such as `19.99` arrives exact and is accepted, as is the string `"19.99"`. A Python
  `float` handed to the model directly has already lost the exact amount: rejected (`float_amount`).
- The amount rule is about the value: `19.990` is 19.99 and accepted, `19.999` is not.
- `schema_version` is checked before every other field, so a v2 event is reported as
  `unsupported_version`, not as whatever field v2 happened to rename.
- v1 grows only by optional fields (v1.1: `sales_channel`). An event without them is still valid,
  and `to_json()` leaves an absent one out, so a v1.0 event's wire form never changes.
- Every rejection has a stable machine `kind` (see `Kind`); the DLQ, the BDD steps and the JSON
  Schema's consumers rely on these codes, so only ever add new ones.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Final, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from producer.iso4217 import ISO_4217
from producer.rejections import (
    PAYLOAD,
    VALUE_PREVIEW,
    Kind,
    Rejection,
    preview,
    rejection_of,
)

# Re-exported: the rejection codes and reports live in producer/rejections.py, and callers keep
# importing them from the contract.
__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "MAX_ID_LENGTH",
    "MAX_PAYLOAD_BYTES",
    "PAYLOAD",
    "SCHEMA_VERSION",
    "VALUE_PREVIEW",
    "Kind",
    "OrderCreatedV1",
    "Rejection",
    "format_event_time",
    "preview",
    "rejection_of",
    "validate_payload",
]

SCHEMA_VERSION: Final = "1"
SALES_CHANNEL_MAX: Final = 32
MAX_PAYLOAD_BYTES: Final = 64 * 1024
MAX_ID_LENGTH: Final = 128
MAX_AMOUNT: Final = Decimal("9999999999.99")  # analytics.orders stores decimal(12, 2)
CENT: Final = Decimal("0.01")


def _reject(kind: Kind, rule: str) -> PydanticCustomError:
    # The pydantic error type *is* our kind, so mapping errors back needs no string parsing.
    return PydanticCustomError(kind.value, rule)


def _json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for rules such as 'must be a string, not number'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _require_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _reject(Kind.INVALID_TYPE, f"must be {what}, not {_json_type(value)}")
    if not value.isascii():  # isascii is a flag check; encoding is the slow path
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape: unwritable downstream
            raise _reject(Kind.NOT_UTF8, "must be valid Unicode text (lone surrogate)") from None
    return value


# Field rules. Each one raises our own kind; pydantic's core validator after it only sees
# values that already passed.

_HEX = "[0-9a-fA-F]"
_UUID_TEXT = re.compile(f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}")
# RFC 3339 shape; the offset is optional here only so that its absence gets its own kind.
# "+0200" (PHP's DATE_ISO8601) is accepted beside "+02:00".
_TIMESTAMP_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?P<offset>Z|[+-]\d{2}:?\d{2})?", re.ASCII
)
_AMOUNT_TEXT = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
_VERSION_TEXT = re.compile(r"(?P<major>\d+)(?:\.\d+)*", re.ASCII)
SALES_CHANNEL_TEXT: Final = f"[a-z][a-z0-9_]{{0,{SALES_CHANNEL_MAX - 1}}}"
_SALES_CHANNEL = re.compile(SALES_CHANNEL_TEXT, re.ASCII)


def _event_id(value: Any) -> UUID:
    if isinstance(value, UUID):
        return value
    text = _require_str(value, "a UUID string")
    if not _UUID_TEXT.fullmatch(text):
        raise _reject(Kind.INVALID_UUID, "must be a UUID like 123e4567-e89b-42d3-a456-426614174000")
    return UUID(text)


def _event_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = _require_str(value, "an ISO-8601 timestamp string")
        shape = _TIMESTAMP_TEXT.fullmatch(text)
        if shape is None:
            raise _reject(Kind.INVALID_TIMESTAMP, "must be ISO-8601 like 2026-11-24T15:04:05.123Z")
        if shape["offset"] is None:
            raise _reject(Kind.NAIVE_TIMESTAMP, "must carry an offset (Z or +HH:MM)")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:  # the right shape, not a real instant: month 13, 25:00, ...
            raise _reject(Kind.INVALID_TIMESTAMP, f"is not a real date and time ({exc})") from None
    if moment.utcoffset() is None:
        raise _reject(Kind.NAIVE_TIMESTAMP, "must carry an offset (Z or +HH:MM)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise _reject(Kind.INVALID_TIMESTAMP, "is out of range once converted to UTC") from None


def _identifier(value: Any) -> str:
    text = _require_str(value, "a string")
    if not text.strip():
        raise _reject(Kind.EMPTY_STRING, "must be a non-empty string")
    if len(text) > MAX_ID_LENGTH:
        raise _reject(Kind.TOO_LONG, f"must be at most {MAX_ID_LENGTH} characters")
    return text


def _order_amount(value: Any) -> Decimal:
    if isinstance(value, bool):  # before int: bool is an int subclass
        raise _reject(Kind.INVALID_TYPE, 'must be a decimal string like "19.99" or a number, not boolean')
    if isinstance(value, float):
        raise _reject(Kind.FLOAT_AMOUNT, "must be a decimal string or an exact number, never a binary float")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        if not _AMOUNT_TEXT.fullmatch(value):
            raise _reject(Kind.INVALID_AMOUNT, 'must be a plain decimal like "19.99"')
        amount = Decimal(value)
    else:
        raise _reject(
            Kind.INVALID_TYPE, f'must be a decimal string like "19.99" or a number, not {_json_type(value)}'
        )
    if not amount.is_finite():
        raise _reject(Kind.INVALID_AMOUNT, "must be a finite number")
    if amount < 0:
        raise _reject(Kind.NEGATIVE_AMOUNT, "must be >= 0")
    if amount > MAX_AMOUNT:  # before quantize: a huge exponent would overflow the context
        raise _reject(Kind.AMOUNT_TOO_LARGE, f"must be <= {MAX_AMOUNT} (decimal(12,2))")
    cents = amount.quantize(CENT)
    if cents != amount:
        raise _reject(Kind.AMOUNT_PRECISION, "must have at most 2 decimal places")
    return abs(cents)  # abs: "-0.00" is zero, and writes back as "0.00"


def _currency(value: Any) -> str:
    text = _require_str(value, "an ISO-4217 code string")
    if text not in ISO_4217:
        raise _reject(Kind.INVALID_CURRENCY, "must be an ISO-4217 currency code in upper case, like EUR")
    return text


def _order_status(value: Any) -> str:
    if _require_str(value, "a string") != "CREATED":
        raise _reject(Kind.INVALID_STATUS, "must be CREATED")
    return value


def _schema_version(value: Any) -> str:
    if value is None:  # other languages often write an absent optional as null
        return SCHEMA_VERSION
    text = _require_str(value, f'a version string like "{SCHEMA_VERSION}"')
    shape = _VERSION_TEXT.fullmatch(text)
    if shape is None or shape["major"] != SCHEMA_VERSION:
        raise _reject(Kind.UNSUPPORTED_VERSION, f"only major version {SCHEMA_VERSION} is supported")
    return text


def _sales_channel(value: Any) -> str | None:
    if value is None:
        return None
    text = _require_str(value, 'a channel name string like "web"')
    if not _SALES_CHANNEL.fullmatch(text):
        raise _reject(
            Kind.INVALID_SALES_CHANNEL,
            f"must be lower-case letters, digits or _ (starting with a letter), at most {SALES_CHANNEL_MAX}",
        )
    return text


# The JSON Schema of each field, written out: it is what non-Python producers validate against,
# so it states the wire format, not pydantic's Python types.
_ID_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH, "pattern": r"\S"}
_AMOUNT_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2}0*)?$"},
        {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT), "multipleOf": 0.01},
    ]
}
_TIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$",
}

Identifier = Annotated[str, BeforeValidator(_identifier), WithJsonSchema(_ID_SCHEMA)]


class OrderCreatedV1(BaseModel):
    """An order was created. Unknown extra fields are accepted and ignored."""

    model_config = ConfigDict(
        extra="ignore",
        frozen=True,
        title="OrderCreatedV1",
        json_schema_extra={"additionalProperties": True},
    )

    event_id: Annotated[
        UUID,
        BeforeValidator(_event_id),
        WithJsonSchema({"type": "string", "format": "uuid", "pattern": f"^{_UUID_TEXT.pattern}$"}),
    ] = Field(description="Unique per event; a re-sent event keeps its event_id")
    event_time: Annotated[datetime, BeforeValidator(_event_time), WithJsonSchema(_TIME_SCHEMA)] = Field(
        description="When the order was created: ISO-8601 with an offset (Z or +HH:MM); stored in UTC"
    )
    order_id: Identifier = Field(description="Non-empty, at most 128 characters; the Kafka key")
    user_id: Identifier = Field(description="Non-empty, at most 128 characters")
    order_amount: Annotated[Decimal, BeforeValidator(_order_amount), WithJsonSchema(_AMOUNT_SCHEMA)] = Field(
        description='>= 0, at most 2 decimal places, below 10^10; preferably a string such as "19.99"'
    )
    currency: Annotated[
        str, BeforeValidator(_currency), WithJsonSchema({"type": "string", "enum": sorted(ISO_4217)})
    ] = Field(description="ISO-4217 code, upper case")
    order_status: Annotated[Literal["CREATED"], BeforeValidator(_order_status)]
    schema_version: Annotated[
        str,
        BeforeValidator(_schema_version),
        WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^1(\.\d+)*$"}, {"type": "null"}]}),
    ] = Field(default=SCHEMA_VERSION, description='Optional; major version "1" only')
    sales_channel: Annotated[
        str | None,
        BeforeValidator(_sales_channel),
        WithJsonSchema(
            {"anyOf": [{"type": "string", "pattern": f"^{SALES_CHANNEL_TEXT}$"}, {"type": "null"}]}
        ),
    ] = Field(
        default=None, description="Since v1.1, optional: where the order was placed, e.g. web, app, store"
    )

    @model_validator(mode="before")
    @classmethod
    def _version_first(cls, data: Any) -> Any:
        # A future major may rename any field: its version is the one reason worth reporting.
        if isinstance(data, dict) and "schema_version" in data:
            try:
                _schema_version(data["schema_version"])
            except PydanticCustomError as exc:
                raise PydanticCustomError(exc.type, exc.message(), {"field": "schema_version"}) from None
        return data

    @field_serializer("event_time")
    def _write_time(self, value: datetime) -> str:
        return format_event_time(value)

    @field_serializer("order_amount")
    def _write_amount(self, value: Decimal) -> str:
        return f"{value:.2f}"

    def to_json(self) -> str:
        """Canonical wire form: compact, fields in declaration order, amount as a 2-decimal string,
        event_time in UTC with `Z`, an absent optional field left out. Deterministic: equal events
        give equal text."""
        return self.model_dump_json(exclude_none=True)

    def to_json_bytes(self) -> bytes:
        return self.to_json().encode("utf-8")


def format_event_time(moment: datetime) -> str:
    """The canonical event_time text: UTC, `Z`, milliseconds (microseconds only when present)."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds" if utc.microsecond % 1000 else "milliseconds") + "Z"


def _reject_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN / Infinity: Python's json accepts them, JSON does not


# One decoder for every call (json.loads with options builds a new one each time): numbers with a
# fraction or exponent become Decimal, exactly as written.
_JSON = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_json_constant)


def _validate(raw: bytes | bytearray | memoryview | str) -> OrderCreatedV1 | Rejection:
    if isinstance(raw, str):
        text = raw
        try:
            size = len(raw) if raw.isascii() else len(raw.encode("utf-8"))
        except UnicodeEncodeError as exc:
            return Rejection(Kind.NOT_UTF8, PAYLOAD, f"character {exc.start}", "must be valid Unicode text")
    elif isinstance(raw, bytes | bytearray | memoryview):
        size = len(raw) if not isinstance(raw, memoryview) else raw.nbytes
        if size <= MAX_PAYLOAD_BYTES:
            try:
                text = bytes(raw).decode("utf-8")
            except UnicodeDecodeError as exc:
                return Rejection(Kind.NOT_UTF8, PAYLOAD, f"byte {exc.start}", "must be UTF-8 text")
    else:
        return Rejection(Kind.INVALID_TYPE, PAYLOAD, preview(raw), "must be bytes or text")
    if size > MAX_PAYLOAD_BYTES:
        return Rejection(
            Kind.OVERSIZED, PAYLOAD, f"{size} bytes", f"must be at most {MAX_PAYLOAD_BYTES} bytes"
        )
    try:
        document = _JSON.decode(text)
    except (ValueError, RecursionError) as exc:
        return Rejection(Kind.MALFORMED_JSON, PAYLOAD, preview(text), f"must be JSON: {exc}"[:160])
    if not isinstance(document, dict):
        return Rejection(
            Kind.NOT_AN_OBJECT, PAYLOAD, preview(text), f"must be a JSON object, not {_json_type(document)}"
        )
    try:
        return OrderCreatedV1.model_validate(document)
    except ValidationError as exc:
        return rejection_of(exc)


def validate_payload(raw: bytes | str) -> OrderCreatedV1 | Rejection:
    """The valid event, or the first reason it is not one. Never raises, whatever the input:
    the pipeline calls it on every Kafka record, and one poison record must not stop the job."""
    try:
        return _validate(raw)
    except Exception as exc:  # a bug here must become a DLQ record, not a crashed job
        return Rejection(Kind.INTERNAL_ERROR, PAYLOAD, preview(raw), f"{type(exc).__name__}: {exc}"[:160])
