"""The two validation lanes agree, proven on Flink itself: the job's own views run over the same
payloads with the fast lane (Java functions) and without it (every record through the contract in
Python and PyFlink's coders), and what each would store or dead-letter is compared, with each
other and with the contract. The payloads cover the full ranges the contract allows: years
0001-9999, fractions of 0-9 digits, offsets from -14:00 to +14:00 (and -00:00), sizes up to the
limit and one past it, every character class of the ids, escapes and duplicate keys."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from random import Random
from typing import Any

import pytest

from producer.contract import MAX_PAYLOAD_BYTES, OrderCreatedV1, Rejection, validate_payload
from producer.generate import generate_orders
from tests.integration.flink_probes import run_probe

pytestmark = pytest.mark.integration

_random = Random(13)
BASE: dict[str, Any] = json.loads(next(iter(generate_orders(1, seed=7))).value)


def _order(**changes: Any) -> dict[str, Any]:
    return {**BASE, "event_id": str(uuid.UUID(int=_random.getrandbits(128), version=4)), **changes}


def _compact(document: dict[str, Any], **dumps: Any) -> bytes:
    return json.dumps(document, separators=(",", ":"), **dumps).encode("utf-8")


def _times() -> list[str]:
    texts = []
    for year in (1, 2, 999, 1000, 1969, 1970, 2026, 9998, 9999):
        for digits in range(10):
            fraction = "." + "".join(str(_random.randrange(10)) for _ in range(digits)) if digits else ""
            if year == 9999 and digits:
                fraction = "." + "9" * digits  # the last instants of the range
            for offset in ("Z", "+00:00", "-00:00", "+14:00", "-14:00", "+05:30", "-09:30", "+0100"):
                day = "12-31T23:59:59" if year in (1969, 9999) else "01-01T00:00:00"
                texts.append(f"{year:04d}-{day}{fraction}{offset}")
    return texts


def _sized(size: int, field: str) -> bytes:
    """A canonical-looking order of exactly `size` bytes, grown through `field`."""
    document = _order()
    grown = size - len(_compact(document))
    if field == "schema_version":  # "1.0.0…": valid at any length, and what broke Java's regex
        document["schema_version"] = "1" + ".0" * ((grown + len("1")) // 2)
    else:
        document[field] = "x" * grown
    payload = _compact(document)
    return payload + b" " * (size - len(payload))  # JSON allows trailing white space


_ID_SAMPLES = [
    "a", "A z", "~!#$%&'()*+,-./:;<=>?@[]^_`{|}", "}", '"', "\\", "/", "é", "Zoë", "注文", "😀", "x" * 128,
    "x" * 129, " ", "\t", "a\nb", "\u0000", "\u2028", "\ud7ff", "-1", "null",
]  # fmt: skip

PAYLOADS: list[bytes] = (
    [_compact(_order(event_time=text)) for text in _times()]
    + [_compact(_order(order_id=value)) for value in _ID_SAMPLES]
    + [_compact(_order(user_id=value), ensure_ascii=False) for value in _ID_SAMPLES]
    + [_compact(_order(order_id=value), ensure_ascii=True) for value in _ID_SAMPLES]  # \uXXXX escapes
    + [_compact(_order(order_amount=value)) for value in ("0.00", "0", "9999999999.99", "1.5", "01.00")]
    + [
        _compact(_order(schema_version="1" + ".0" * 3000)),  # a few KB of version: valid
        _sized(MAX_PAYLOAD_BYTES, "schema_version"),
        _sized(MAX_PAYLOAD_BYTES + 1, "schema_version"),
        _sized(MAX_PAYLOAD_BYTES, "note"),
        _sized(MAX_PAYLOAD_BYTES + 1, "note"),
        _compact(_order())[:-1] + b',"order_id":"second"}',  # a duplicate key
        _compact(_order()).replace(b'"order_id":', b'"order\\u005fid":'),  # an escaped key
        b'{"order_id": "no-event-id"}',
        b"\xff\xfe",
    ]
    + [event.value for event in generate_orders(200, seed=11, invalid_ratio=0.2)]
)


@pytest.fixture(scope="module")
def lanes() -> dict[str, dict[str, Any]]:
    """Per lane: the stored rows by event_id, and the dead-letter records by offset."""
    outputs = run_probe("lanes_probe.py", PAYLOADS)
    found: dict[str, dict[str, Any]] = {lane: {"rows": {}, "dlq": {}} for lane in ("fast", "slow")}
    for output in outputs:
        if "row" in output:
            row = output["row"]
            row.pop("processed_at")
            found[output["lane"]]["rows"][row["event_id"]] = row
        else:
            dlq = json.loads(output["dlq"])
            found[output["lane"]]["dlq"][dlq["source"]["offset"]] = dlq
    return found


def _stored_instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_both_lanes_store_and_reject_exactly_the_same(lanes: dict[str, dict[str, Any]]) -> None:
    fast, slow = lanes["fast"], lanes["slow"]
    assert fast["rows"] == slow["rows"]
    assert {o: d["reason"] for o, d in fast["dlq"].items()} == {
        o: d["reason"] for o, d in slow["dlq"].items()
    }


@pytest.mark.parametrize("lane", ["fast", "slow"])
def test_each_lane_stores_what_the_contract_reads_to_the_microsecond(
    lane: str, lanes: dict[str, dict[str, Any]]
) -> None:
    rows, dead = lanes[lane]["rows"], lanes[lane]["dlq"]
    for offset, payload in enumerate(PAYLOADS):
        event = validate_payload(payload)
        if isinstance(event, Rejection):
            assert offset in dead, (
                f"{lane} lane stored what the contract rejects ({event.kind}): {payload[:200]!r}"
            )
            assert dead[offset]["reason"]["kind"] == event.kind
            assert dead[offset]["payload_size"] == len(payload)
            continue
        assert isinstance(event, OrderCreatedV1)
        row = rows.get(str(event.event_id))
        assert row is not None, f"{lane} lane lost a valid order: {payload[:200]!r}"
        assert _stored_instant(row["event_time"]) == event.event_time, (row["event_time"], payload[:200])
        assert row["order_amount"] == f"{event.order_amount:.2f}"
        for name in ("order_id", "user_id", "currency", "order_status", "schema_version"):
            assert row[name] == getattr(event, name), (name, payload[:200])
    valid = sum(isinstance(validate_payload(p), OrderCreatedV1) for p in PAYLOADS)
    assert len(rows) == valid and len(dead) == len(PAYLOADS) - valid
