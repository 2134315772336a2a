"""The job's SQL expressions and Java functions (event time for watermarks, the fast lane)
evaluated by a real Flink planner and runtime (a local mini cluster in the Flink env), against
the contract's own reading and Python's reading of the same pattern."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from random import Random

import pytest

from pipeline.row_spec import columns as table_columns
from producer.canonical import ALL_FIELDS, CANONICAL_PATTERN
from producer.contract import OrderCreatedV1, validate_payload
from producer.faults import INJECTABLE_KINDS, inject
from producer.generate import generate_orders
from tests.integration.flink_probes import run_probe

pytestmark = pytest.mark.integration

BASE = json.loads(next(iter(generate_orders(1, seed=5))).value)
UNREADABLE = "1970-01-01 00:00:00.000"  # the probe's stand-in for the Kafka timestamp


def _compact(document: dict[str, object]) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


# (payload, takes the fast lane)
CASES: list[tuple[bytes, bool]] = [
    (next(iter(generate_orders(1, seed=1))).value, True),  # the producer's own
    (_compact({**BASE, "event_time": "2026-11-24T10:00:00.123456Z", "order_amount": "9999999999.99"}), True),
    (_compact({**BASE, "event_time": "2026-02-28T23:59:59Z", "user_id": "}", "order_id": "o'1 ,:{"}), True),
    (_compact({**BASE, "schema_version": "1.1", "sales_channel": "in_store"}), True),  # v1.1
    (_compact({**BASE, "sales_channel": None}), False),  # valid, but to_json() leaves it out
    (_compact({**BASE, "sales_channel": "Web"}), False),  # invalid_sales_channel
    (_compact({**BASE, "event_time": "2026-11-24T01:30:00+02:00"}), False),  # valid, offset
    (json.dumps({**BASE, "event_time": "2026-11-24T01:30:00.5-0530"}).encode(), False),  # spaces
    (_compact({**BASE, "event_time": "2028-02-29T12:00:00.000Z"}), False),  # leap day
    (_compact({**BASE, "user_id": "Zoë"}), False),  # valid, not ASCII
    (_compact({**BASE, "user_id": "Zo\xeb"}).replace("ë".encode(), b"\xeb"), False),  # not UTF-8
    (_compact({**BASE, "event_time": "2026-11-24T10:00:00"}), False),  # naive: unreadable
    (_compact({k: v for k, v in BASE.items() if k != "event_time"}), False),  # no event_time
    (b"not json", False),
    (_compact({**BASE, "event_time": "9999-12-31T23:59:59.999Z"}), True),  # far ahead of its publication
    (_compact({**BASE, "event_time": "2026-11-30T00:59:59.999Z"}), True),  # just within the hour
]
# What the producer writes and every fault it can inject: the JVM must read them as Python does.
GENERATED = [event.value for event in generate_orders(300, seed=3, invalid_ratio=0.2)]
FAULTS = [inject(kind, BASE, Random(i)) for kind in INJECTABLE_KINDS for i in range(5)]
PAYLOADS = [payload for payload, _ in CASES] + GENERATED + FAULTS
# The table's text columns, copied from the payload as written (the table's definition says which).
TEXT_COLUMNS = [column.name for column in table_columns() if column.type == "string"]


@pytest.fixture(scope="module")
def evaluated() -> list[dict]:
    rows = run_probe("flink_sql_probe.py", PAYLOADS)
    assert [row["i"] for row in rows] == list(range(len(PAYLOADS)))
    return rows


def _python_groups(payload: bytes) -> tuple[str, ...] | None:
    try:
        match = re.fullmatch(CANONICAL_PATTERN, payload.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return match.groups() if match else None


def test_event_time_for_watermarks_is_the_events_instant_to_the_millisecond(evaluated: list[dict]) -> None:
    for payload, row in zip(PAYLOADS, evaluated, strict=True):
        event = validate_payload(payload)
        if isinstance(event, OrderCreatedV1):
            expected = event.event_time.astimezone(UTC).replace(tzinfo=None)
            assert row["rowtime"] == f"{expected:%Y-%m-%d %H:%M:%S.%f}"[:-3], payload
        else:
            assert row["rowtime"] is not None, payload  # a rowtime is never null
    unreadable = [row["rowtime"] for row in evaluated[len(CASES) - 5 : len(CASES) - 2]]
    assert unreadable == [UNREADABLE] * 3  # naive, missing, not JSON: the Kafka timestamp


def test_the_watermark_ignores_an_event_time_more_than_an_hour_ahead_of_its_publication(
    evaluated: list[dict],
) -> None:
    published_at = datetime(2026, 11, 30, tzinfo=UTC)
    for payload, row in zip(PAYLOADS, evaluated, strict=True):
        event = validate_payload(payload)
        if not isinstance(event, OrderCreatedV1):
            continue
        ahead = event.event_time - published_at > timedelta(hours=1)
        expected = published_at if ahead else event.event_time
        assert row["bounded"] == f"{expected.replace(tzinfo=None):%Y-%m-%d %H:%M:%S.%f}"[:-3], payload
    assert [row["bounded"] for row in evaluated[len(CASES) - 2 : len(CASES)]] == [
        "2026-11-30 00:00:00.000",
        "2026-11-30 00:59:59.999",
    ]


def test_the_fast_lane_takes_canonical_payloads_only(evaluated: list[dict]) -> None:
    assert [row["canonical"] for row in evaluated[: len(CASES)]] == [canonical for _, canonical in CASES]
    generated_valid = [
        row["canonical"]
        for payload, row in zip(PAYLOADS, evaluated, strict=True)
        if payload in GENERATED and isinstance(validate_payload(payload), OrderCreatedV1)
    ]
    assert generated_valid and all(generated_valid)  # every valid event the producer writes


def test_java_matches_exactly_what_python_matches_with_the_same_groups(evaluated: list[dict]) -> None:
    for payload, row in zip(PAYLOADS, evaluated, strict=True):
        groups = _python_groups(payload)
        assert row["canonical"] == (groups is not None), payload
        if groups is None:
            continue
        read = dict(zip([name for name, _ in ALL_FIELDS], groups, strict=True))
        for name in TEXT_COLUMNS:
            assert row["columns"][name] == read[name], (name, payload)


def test_the_fast_lane_reads_the_contracts_values(evaluated: list[dict]) -> None:
    for payload, row in zip(PAYLOADS, evaluated, strict=True):
        if not row["canonical"]:
            continue
        event = validate_payload(payload)
        assert isinstance(event, OrderCreatedV1), f"fast lane accepts what the contract rejects: {payload!r}"
        columns = row["columns"]
        assert columns["event_id"] == str(event.event_id)
        assert datetime.fromisoformat(columns["event_time"]).replace(tzinfo=UTC) == event.event_time
        assert columns["order_amount"] == f"{event.order_amount:.2f}"  # exact decimal(12, 2)
        for name in TEXT_COLUMNS:
            value = getattr(event, name)
            assert columns[name] == (None if value is None else str(value)), name
