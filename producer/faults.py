"""Faults injected on purpose: each turns a valid order document into a payload that the contract
rejects with exactly one known kind, so a test can predict the DLQ record from the intent header.

`float_amount` is not injectable: on the wire a JSON number is exact text (the contract parses it
with Decimal), so only a Python caller handing the model a float can produce it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from random import Random

from producer.contract import MAX_AMOUNT, MAX_ID_LENGTH, MAX_PAYLOAD_BYTES, Kind

Document = dict[str, str]  # a valid event as its wire fields, every value a string
Fault = Callable[[Document, Random], bytes]

REQUIRED_FIELDS = (
    "event_id",
    "event_time",
    "order_id",
    "user_id",
    "order_amount",
    "currency",
    "order_status",
)


def _encode(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def _with(document: Document, field: str, value: object) -> bytes:
    return _encode({**document, field: value})


def malformed_json(doc: Document, rng: Random) -> bytes:
    text = _encode(doc)
    return text[: rng.randrange(1, len(text))]  # any strict prefix of an object is not JSON


def missing_field(doc: Document, rng: Random) -> bytes:
    gone = rng.choice(REQUIRED_FIELDS)
    return _encode({k: v for k, v in doc.items() if k != gone})


# a field, and a value of the wrong JSON type for it
_WRONG_TYPES: tuple[tuple[str, object], ...] = (
    ("event_id", 12345),
    ("event_time", 1764000000),
    ("order_id", 42),
    ("user_id", None),
    ("order_amount", True),
    ("order_amount", {"value": "19.99"}),
    ("currency", 978),
    ("order_status", ["CREATED"]),
)


def invalid_type(doc: Document, rng: Random) -> bytes:
    return _with(doc, *rng.choice(_WRONG_TYPES))


def empty_string(doc: Document, rng: Random) -> bytes:
    return _with(doc, rng.choice(("order_id", "user_id")), rng.choice(("", "   ", "\t")))


def too_long(doc: Document, rng: Random) -> bytes:
    field = rng.choice(("order_id", "user_id"))
    return _with(doc, field, doc[field] + "x" * MAX_ID_LENGTH)


def invalid_uuid(doc: Document, rng: Random) -> bytes:
    return _with(doc, "event_id", rng.choice(("not-a-uuid", doc["event_id"][:-1], doc["event_id"] + "0")))


def invalid_timestamp(doc: Document, rng: Random) -> bytes:
    hour_25 = f"{doc['event_time'][:11]}25{doc['event_time'][13:]}"  # the right shape, no such instant
    bad = ("yesterday", "2026-13-01T00:00:00Z", "24/11/2026 10:00:00", hour_25)
    return _with(doc, "event_time", rng.choice(bad))


def naive_timestamp(doc: Document, rng: Random) -> bytes:
    return _with(doc, "event_time", doc["event_time"].removesuffix("Z"))


def negative_amount(doc: Document, rng: Random) -> bytes:
    amount = doc["order_amount"]
    return _with(doc, "order_amount", "-0.01" if amount == "0.00" else f"-{amount}")


def amount_precision(doc: Document, rng: Random) -> bytes:
    return _with(doc, "order_amount", f"{doc['order_amount']}{rng.randrange(1, 10)}")


def amount_too_large(doc: Document, rng: Random) -> bytes:
    return _with(doc, "order_amount", f"{MAX_AMOUNT + rng.randrange(1, 10**6)}")


def invalid_amount(doc: Document, rng: Random) -> bytes:
    comma = doc["order_amount"].replace(".", ",")
    return _with(doc, "order_amount", rng.choice((comma, "abc", "1e3", "", "NaN")))


def invalid_currency(doc: Document, rng: Random) -> bytes:
    return _with(doc, "currency", rng.choice(("EURO", doc["currency"].lower(), "ABC", "XXX", "€")))


def invalid_status(doc: Document, rng: Random) -> bytes:
    return _with(doc, "order_status", rng.choice(("PAID", "SHIPPED", "created", "")))


def invalid_sales_channel(doc: Document, rng: Random) -> bytes:
    return _with(doc, "sales_channel", rng.choice(("Web", "in store", "", "x" * 33, "9app")))


def unsupported_version(doc: Document, rng: Random) -> bytes:
    return _with(doc, "schema_version", rng.choice(("2", "2.0", "3", "0")))


def oversized(doc: Document, rng: Random) -> bytes:
    # valid apart from its size: an unknown field (accepted in itself) carrying the padding
    return _with(doc, "comment", "x" * (MAX_PAYLOAD_BYTES + rng.randrange(1, 1024)))


def not_an_object(doc: Document, rng: Random) -> bytes:
    return _encode(rng.choice(([doc], doc["order_id"], None)))


def not_utf8(doc: Document, rng: Random) -> bytes:
    # what a Latin-1 client sends: the user id with an "é" as the single byte 0xE9
    return _with(doc, "user_id", f"{doc['user_id']}-MARKER").replace(b"-MARKER", b"-\xe9")


FAULTS: Mapping[str, Fault] = {
    Kind.MALFORMED_JSON: malformed_json,
    Kind.MISSING_FIELD: missing_field,
    Kind.INVALID_TYPE: invalid_type,
    Kind.EMPTY_STRING: empty_string,
    Kind.TOO_LONG: too_long,
    Kind.INVALID_UUID: invalid_uuid,
    Kind.INVALID_TIMESTAMP: invalid_timestamp,
    Kind.NAIVE_TIMESTAMP: naive_timestamp,
    Kind.NEGATIVE_AMOUNT: negative_amount,
    Kind.AMOUNT_PRECISION: amount_precision,
    Kind.AMOUNT_TOO_LARGE: amount_too_large,
    Kind.INVALID_AMOUNT: invalid_amount,
    Kind.INVALID_CURRENCY: invalid_currency,
    Kind.INVALID_STATUS: invalid_status,
    Kind.INVALID_SALES_CHANNEL: invalid_sales_channel,
    Kind.UNSUPPORTED_VERSION: unsupported_version,
    Kind.OVERSIZED: oversized,
    Kind.NOT_AN_OBJECT: not_an_object,
    Kind.NOT_UTF8: not_utf8,
}
INJECTABLE_KINDS: tuple[str, ...] = tuple(str(kind) for kind in FAULTS)


def inject(kind: str, document: Document, rng: Random) -> bytes:
    """The payload of `document` broken so that the contract rejects it as `kind`."""
    try:
        fault = FAULTS[kind]
    except KeyError:
        raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(INJECTABLE_KINDS)}") from None
    return fault(document, rng)
