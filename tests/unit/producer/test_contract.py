"""The Order Created v1 contract: what it accepts, what it rejects and how it says why."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from producer.contract import (
    MAX_PAYLOAD_BYTES,
    Kind,
    OrderCreatedV1,
    Rejection,
    format_event_time,
    preview,
    rejection_of,
    validate_payload,
)
from tests.unit.producer.samples import VALID, payload


def raw_amount(number: bytes) -> bytes:
    """The sample with order_amount written as this exact JSON number literal."""
    return payload().replace(b'"19.99"', number)


# (payload, kind, field): at least one per kind, and the edge cases each rule has
BAD_INPUTS: list[tuple[bytes | str, str, str]] = [
    # the payload as a whole
    (b"", Kind.MALFORMED_JSON, "(payload)"),
    (b"{not json", Kind.MALFORMED_JSON, "(payload)"),
    (payload()[:-1], Kind.MALFORMED_JSON, "(payload)"),
    (b'{"order_amount": NaN}', Kind.MALFORMED_JSON, "(payload)"),
    (b"\xef\xbb\xbf" + payload(), Kind.MALFORMED_JSON, "(payload)"),  # a BOM is not JSON
    (b"[" * 100_000 + b"]" * 100_000, Kind.OVERSIZED, "(payload)"),
    ("[" * 30_000, Kind.MALFORMED_JSON, "(payload)"),  # deep nesting must not crash the parser
    (b"\xff\xfe\x00", Kind.NOT_UTF8, "(payload)"),
    (payload(user_id="caf\u00e9").replace(b"\\u00e9", b"\xe9"), Kind.NOT_UTF8, "(payload)"),
    ('{"order_id": "\ud800"}', Kind.NOT_UTF8, "(payload)"),  # a str that cannot be UTF-8
    (b"[1, 2]", Kind.NOT_AN_OBJECT, "(payload)"),
    (b'"ord-1"', Kind.NOT_AN_OBJECT, "(payload)"),
    (b"null", Kind.NOT_AN_OBJECT, "(payload)"),
    (payload(padding="x" * MAX_PAYLOAD_BYTES), Kind.OVERSIZED, "(payload)"),
    # schema_version: checked first
    (payload(schema_version="2"), Kind.UNSUPPORTED_VERSION, "schema_version"),
    (payload(schema_version="2.0", order_id=..., currency=9), Kind.UNSUPPORTED_VERSION, "schema_version"),
    (payload(schema_version="v1"), Kind.UNSUPPORTED_VERSION, "schema_version"),
    (payload(schema_version=1), Kind.INVALID_TYPE, "schema_version"),
    # missing fields
    *((payload(**{name: ...}), Kind.MISSING_FIELD, name) for name in VALID),
    # event_id
    (payload(event_id="42"), Kind.INVALID_UUID, "event_id"),
    (payload(event_id="6f1c2a4e8d3b4a579b0e2c1d3e4f5a6b"), Kind.INVALID_UUID, "event_id"),
    (payload(event_id=42), Kind.INVALID_TYPE, "event_id"),
    # event_time
    (payload(event_time="yesterday"), Kind.INVALID_TIMESTAMP, "event_time"),
    (payload(event_time="2026-11-21 01:30:00Z"), Kind.INVALID_TIMESTAMP, "event_time"),
    (payload(event_time="2026-02-30T10:00:00Z"), Kind.INVALID_TIMESTAMP, "event_time"),
    (payload(event_time="2026-11-21T25:00:00+01:00"), Kind.INVALID_TIMESTAMP, "event_time"),
    (payload(event_time="0001-01-01T00:00:00+01:00"), Kind.INVALID_TIMESTAMP, "event_time"),
    (payload(event_time="2026-11-21T01:30:00"), Kind.NAIVE_TIMESTAMP, "event_time"),
    (payload(event_time=1764000000), Kind.INVALID_TYPE, "event_time"),
    # order_id / user_id
    (payload(order_id=""), Kind.EMPTY_STRING, "order_id"),
    (payload(user_id=" \t "), Kind.EMPTY_STRING, "user_id"),
    (payload(order_id="o" * 129), Kind.TOO_LONG, "order_id"),
    (payload(user_id=7), Kind.INVALID_TYPE, "user_id"),
    (payload(order_id=None), Kind.INVALID_TYPE, "order_id"),
    # order_amount
    (payload(order_amount="-1.00"), Kind.NEGATIVE_AMOUNT, "order_amount"),
    (payload(order_amount="-0.01"), Kind.NEGATIVE_AMOUNT, "order_amount"),
    (raw_amount(b"-5"), Kind.NEGATIVE_AMOUNT, "order_amount"),
    (payload(order_amount="1.001"), Kind.AMOUNT_PRECISION, "order_amount"),
    (raw_amount(b"0.105"), Kind.AMOUNT_PRECISION, "order_amount"),
    (payload(order_amount="10000000000.00"), Kind.AMOUNT_TOO_LARGE, "order_amount"),
    (raw_amount(b"1e400"), Kind.AMOUNT_TOO_LARGE, "order_amount"),
    (payload(order_amount="19,99"), Kind.INVALID_AMOUNT, "order_amount"),
    (payload(order_amount="1e3"), Kind.INVALID_AMOUNT, "order_amount"),
    (payload(order_amount="NaN"), Kind.INVALID_AMOUNT, "order_amount"),
    (payload(order_amount=""), Kind.INVALID_AMOUNT, "order_amount"),
    (payload(order_amount=True), Kind.INVALID_TYPE, "order_amount"),
    (payload(order_amount={"value": "1"}), Kind.INVALID_TYPE, "order_amount"),
    # currency, status
    (payload(currency="EURO"), Kind.INVALID_CURRENCY, "currency"),
    (payload(currency="eur"), Kind.INVALID_CURRENCY, "currency"),
    (payload(currency="XXX"), Kind.INVALID_CURRENCY, "currency"),
    (payload(currency=978), Kind.INVALID_TYPE, "currency"),
    (payload(order_status="SHIPPED"), Kind.INVALID_STATUS, "order_status"),
    (payload(order_status="created"), Kind.INVALID_STATUS, "order_status"),
    (payload(sales_channel="Web"), Kind.INVALID_SALES_CHANNEL, "sales_channel"),
    (payload(sales_channel="x" * 33), Kind.INVALID_SALES_CHANNEL, "sales_channel"),
    (payload(order_status=["CREATED"]), Kind.INVALID_TYPE, "order_status"),
]


def test_the_corpus_covers_every_kind_the_wire_can_produce() -> None:
    assert len(BAD_INPUTS) >= 30
    wire_kinds = set(Kind) - {Kind.FLOAT_AMOUNT, Kind.INTERNAL_ERROR}  # neither can come from bytes
    assert {kind for _, kind, _ in BAD_INPUTS} == wire_kinds


@pytest.mark.parametrize(
    ("raw", "kind", "field"), BAD_INPUTS, ids=[f"{k}-{i}" for i, (_, k, _) in enumerate(BAD_INPUTS)]
)
def test_each_bad_input_is_rejected_with_its_kind_and_field(raw: bytes | str, kind: str, field: str) -> None:
    outcome = validate_payload(raw)
    assert isinstance(outcome, Rejection), f"accepted: {outcome!r}"
    assert (outcome.kind, outcome.field) == (kind, field), outcome.line()
    assert "\n" not in outcome.line()
    assert len(outcome.value) <= 80


def test_a_rejection_is_one_line_naming_field_value_and_rule() -> None:
    outcome = validate_payload(payload(order_amount="-1.00"))
    assert outcome == Rejection("negative_amount", "order_amount", "'-1.00'", "must be >= 0")
    assert outcome.line() == "order_amount='-1.00': must be >= 0 (negative_amount)"
    assert type(outcome.kind) is str  # plain code, not the enum: stable in JSON and repr


def test_a_missing_field_says_absent() -> None:
    outcome = validate_payload(payload(currency=...))
    assert isinstance(outcome, Rejection)
    assert outcome.line() == "currency=(absent): is required (missing_field)"


def test_long_values_are_truncated_in_the_rejection() -> None:
    outcome = validate_payload(payload(currency="E" * 5000))
    assert isinstance(outcome, Rejection)
    assert len(outcome.value) == 80 and outcome.value.endswith("…")


def test_the_valid_sample_is_accepted_and_normalised_to_utc() -> None:
    order = validate_payload(payload())
    assert isinstance(order, OrderCreatedV1)
    assert order.event_id == UUID(VALID["event_id"])
    assert order.event_time == datetime(2026, 11, 20, 23, 30, 0, 250000, tzinfo=UTC)
    assert order.order_amount == Decimal("19.99")
    assert order.schema_version == "1"


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"event_time": "2026-11-21T01:30:00Z"}, "event_time", datetime(2026, 11, 21, 1, 30, tzinfo=UTC)),
        ({"event_time": "2026-11-21T01:30:00-0500"}, "event_time", datetime(2026, 11, 21, 6, 30, tzinfo=UTC)),
        (
            {"event_time": "2026-11-21T01:30:00.123456789Z"},
            "event_time",
            datetime(2026, 11, 21, 1, 30, 0, 123456, tzinfo=UTC),
        ),
        ({"event_id": VALID["event_id"].upper()}, "event_id", UUID(VALID["event_id"])),
        ({"order_amount": "19.990"}, "order_amount", Decimal("19.99")),  # the value has 2 places
        ({"order_amount": "-0.00"}, "order_amount", Decimal("0.00")),
        ({"order_amount": "7"}, "order_amount", Decimal("7.00")),
        ({"order_amount": "0009999999999.99"}, "order_amount", Decimal("9999999999.99")),
        ({"schema_version": None}, "schema_version", "1"),
        ({"schema_version": "1.3"}, "schema_version", "1.3"),
        ({"currency": "JPY"}, "currency", "JPY"),
    ],
)
def test_accepted_variants(changes: dict[str, object], field: str, expected: object) -> None:
    order = validate_payload(payload(**changes))
    assert isinstance(order, OrderCreatedV1), order
    assert getattr(order, field) == expected


@pytest.mark.parametrize("number", [b"0.10", b"12345678.90", b"1", b"1.5e1", b"0"])
def test_an_exact_json_number_amount_is_read_as_decimal_without_loss(number: bytes) -> None:
    order = validate_payload(raw_amount(number))
    assert isinstance(order, OrderCreatedV1)
    assert order.order_amount == Decimal(number.decode())
    assert isinstance(order.order_amount, Decimal)


def test_unknown_extra_fields_are_accepted_and_ignored() -> None:
    order = validate_payload(payload(channel="web", nested={"a": [1, 2]}, order_status="CREATED"))
    assert isinstance(order, OrderCreatedV1)
    assert "channel" not in order.model_dump()
    assert b"channel" not in order.to_json_bytes()


def test_schema_version_2_is_rejected_as_unsupported_even_when_the_rest_is_v1() -> None:
    outcome = validate_payload(payload(schema_version="2"))
    assert isinstance(outcome, Rejection)
    assert outcome.kind == "unsupported_version"
    assert outcome.line() == "schema_version='2': only major version 1 is supported (unsupported_version)"


def test_a_python_float_amount_is_rejected_as_float_amount() -> None:
    with pytest.raises(ValidationError) as caught:
        OrderCreatedV1.model_validate({**VALID, "order_amount": 19.99})
    assert rejection_of(caught.value).kind == "float_amount"


def test_the_model_rejects_the_same_way_when_built_from_python() -> None:
    with pytest.raises(ValidationError) as caught:
        OrderCreatedV1(**{**VALID, "event_time": datetime(2026, 11, 21, 1, 30)})  # type: ignore[arg-type]
    assert rejection_of(caught.value).kind == "naive_timestamp"
    with pytest.raises(ValidationError) as caught:
        OrderCreatedV1.model_validate({**VALID, "schema_version": "3"})
    assert rejection_of(caught.value).line().startswith("schema_version='3'")


def test_to_json_is_canonical_compact_and_deterministic() -> None:
    order = validate_payload(payload(order_amount="7", extra=1))
    assert isinstance(order, OrderCreatedV1)
    assert order.to_json() == (
        '{"event_id":"6f1c2a4e-8d3b-4a57-9b0e-2c1d3e4f5a6b","event_time":"2026-11-20T23:30:00.250Z",'
        '"order_id":"ord-1","user_id":"usr-1","order_amount":"7.00","currency":"EUR",'
        '"order_status":"CREATED","schema_version":"1"}'
    )
    again = validate_payload(order.to_json_bytes())
    assert again == order and again.to_json_bytes() == order.to_json_bytes()


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "2026-11-24T12:00:00.000Z"),
        (datetime(2026, 11, 24, 12, 0, 0, 250000, tzinfo=UTC), "2026-11-24T12:00:00.250Z"),
        (datetime(2026, 11, 24, 12, 0, 0, 250001, tzinfo=UTC), "2026-11-24T12:00:00.250001Z"),
    ],
)
def test_event_time_is_written_in_utc_with_z(moment: datetime, text: str) -> None:
    assert format_event_time(moment) == text


def test_preview_quotes_strings_and_writes_json_values() -> None:
    assert preview("a") == "'a'"
    assert preview(None) == "null"
    assert preview(True) == "true"
    assert preview(Decimal("1.50")) == "1.50"
    assert preview({"a": [1]}) == '{"a": [1]}'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
field_values = st.fixed_dictionaries({}, optional={name: json_values for name in VALID})


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_validate_payload_never_raises_for_any_bytes_or_text(raw: bytes | str) -> None:
    outcome = validate_payload(raw)
    assert isinstance(outcome, OrderCreatedV1 | Rejection)
    if isinstance(outcome, Rejection):
        assert outcome.kind in set(Kind) - {Kind.INTERNAL_ERROR}, outcome


@settings(max_examples=300, deadline=None)
@given(field_values, st.sampled_from(sorted(VALID)))
def test_validate_payload_never_raises_for_any_json_object(changes: dict[str, object], _: str) -> None:
    outcome = validate_payload(json.dumps({**VALID, **changes}))
    if isinstance(outcome, Rejection):
        assert outcome.kind in set(Kind) - {Kind.INTERNAL_ERROR}, outcome
    else:
        assert validate_payload(outcome.to_json_bytes()) == outcome


def test_the_contract_imports_only_the_standard_library_and_pydantic() -> None:
    """The Flink env has pydantic and apache-flink only: nothing of the harness may sneak in."""
    probe = (
        "import sys, producer, producer.contract, producer.schema\n"
        "heavy = {'faker', 'polyfactory', 'confluent_kafka', 'typer', 'rich', 'hypothesis', 'click'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
