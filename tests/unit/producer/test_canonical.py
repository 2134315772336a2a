"""The fast-lane pattern is sound (a match is a valid event with the same values) and covers what
the producer writes. Python's `re` stands in for Java's: the pattern keeps to their common subset."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from random import Random
from re import _constants, _parser  # type: ignore[attr-defined]
from re._constants import MAXREPEAT  # type: ignore[import-not-found]
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from producer.canonical import ALL_FIELDS, CANONICAL_PATTERN, group_of
from producer.contract import MAX_PAYLOAD_BYTES, OrderCreatedV1, Rejection, validate_payload
from producer.faults import INJECTABLE_KINDS, inject
from producer.generate import generate_orders

PATTERN = re.compile(CANONICAL_PATTERN)


def _canonical(text: str) -> bool:
    return PATTERN.search(text) is not None  # Flink's REGEXP is a search too


def _group_values(text: str) -> dict[str, str | None]:
    """What the job reads (the pattern's capture groups, match_groups in Java), as Python."""
    match = PATTERN.fullmatch(text)
    assert match is not None
    return {name: match.group(group_of(name)) for name, _ in ALL_FIELDS}


def _assert_same_values(text: str) -> None:
    event = validate_payload(text.encode("utf-8"))
    assert isinstance(event, OrderCreatedV1), f"fast lane accepts what the contract rejects: {event}"
    values = _group_values(text)
    assert values["event_id"] == str(event.event_id)
    assert values["event_time"] is not None and values["order_amount"] is not None
    # iso_instant reads it as an instant in UTC
    assert datetime.fromisoformat(values["event_time"][:-1]).replace(tzinfo=UTC) == event.event_time
    assert Decimal(values["order_amount"]) == event.order_amount
    assert f"{Decimal(values['order_amount']):.2f}" == values["order_amount"]
    for name in ("order_id", "user_id", "currency", "order_status", "schema_version", "sales_channel"):
        assert values[name] == getattr(event, name)


@given(st.from_regex(CANONICAL_PATTERN, fullmatch=True))
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_every_text_the_pattern_matches_is_a_valid_event_with_the_same_values(text: str) -> None:
    _assert_same_values(text)


def test_each_field_is_one_capture_group_in_order() -> None:
    assert PATTERN.groups == len(ALL_FIELDS)
    assert [group_of(name) for name, _ in ALL_FIELDS] == list(range(1, len(ALL_FIELDS) + 1))


@pytest.mark.parametrize("channel", [None, "web", "in_store_2"])
def test_a_v1_1_event_takes_the_fast_lane_with_or_without_its_sales_channel(channel: str | None) -> None:
    document = json.loads(next(iter(generate_orders(1, seed=5))).value)
    event = OrderCreatedV1.model_validate({**document, "schema_version": "1.1", "sales_channel": channel})
    text = event.to_json()
    assert ("sales_channel" in text) == (channel is not None)
    assert _canonical(text), text
    _assert_same_values(text)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_everything_the_producer_writes_takes_the_fast_lane(seed: int) -> None:
    events = [e for e in generate_orders(5_000, seed=seed) if not e.intent.startswith("invalid")]
    assert events
    for event in events:
        text = event.value.decode("utf-8")
        assert _canonical(text), text
        _assert_same_values(text)


@pytest.mark.parametrize("kind", INJECTABLE_KINDS)
def test_no_fault_the_producer_can_inject_takes_the_fast_lane(kind: str) -> None:
    document = json.loads(next(iter(generate_orders(1, seed=7))).value)
    for attempt in range(20):
        payload = inject(kind, document, Random(attempt))
        assert isinstance(validate_payload(payload), Rejection)
        assert not _canonical(payload.decode("utf-8", errors="replace"))


VALID = json.loads(next(iter(generate_orders(1, seed=11))).value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event_id", VALID["event_id"].upper()),  # valid, but stored lower case: contract's job
        ("event_time", "2026-11-24T10:00:00+02:00"),  # valid, offset: converted by the contract
        ("event_time", "2028-02-29T10:00:00.000Z"),  # valid leap day: left to the contract
        ("event_time", "2026-02-29T10:00:00.000Z"),  # not a date
        ("event_time", "2026-04-31T10:00:00.000Z"),
        ("event_time", "2026-11-24T24:00:00.000Z"),
        ("event_time", "2026-11-24T10:00:60.000Z"),
        ("event_time", "2026-11-24T10:00:00.1234Z"),
        ("order_id", " leading-space"),
        ("order_id", "x" * 129),
        ("order_id", 'with \\"quote'),
        ("order_id", "caf\u00e9"),  # valid, not ASCII: contract's job
        ("order_amount", "1.5"),
        ("order_amount", "01.50"),
        ("order_amount", "-1.00"),
        ("order_amount", "10000000000.00"),
        ("currency", "eur"),
        ("currency", "XXX"),
        ("order_status", "PAID"),
        ("schema_version", "2"),
        ("schema_version", "1."),
    ],
)
def test_texts_near_the_edges_of_the_pattern_are_left_to_the_contract(field: str, value: str) -> None:
    text = json.dumps({**VALID, field: value}, separators=(",", ":"), ensure_ascii=False)
    assert not _canonical(text)


def test_other_spellings_of_a_valid_event_are_left_to_the_contract() -> None:
    canonical = json.dumps(VALID, separators=(",", ":"))
    assert _canonical(canonical)
    assert not _canonical(json.dumps(VALID))  # spaces
    assert not _canonical(json.dumps(dict(reversed(VALID.items())), separators=(",", ":")))
    assert not _canonical(canonical[:-1] + ',"note":"x"}')  # an extra field


def test_the_pattern_keeps_to_what_java_and_python_regexes_read_alike() -> None:
    assert CANONICAL_PATTERN.isascii()
    for construct in ("\\d", "\\w", "\\s", "\\b", "(?P", "(?<", "\\z", "\\Z"):
        assert construct not in CANONICAL_PATTERN


def _repeats(parsed: Any) -> Iterator[tuple[int, int, Any]]:
    """Every repetition (min, max, repeated items) anywhere in a parsed pattern."""
    for op, argument in parsed:
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            yield argument
            yield from _repeats(argument[2])
        elif op is _constants.SUBPATTERN:
            yield from _repeats(argument[-1])
        elif op is _constants.BRANCH:
            for branch in argument[1]:
                yield from _repeats(branch)


def test_every_repetition_in_the_pattern_is_bounded() -> None:
    # Java's regex engine recurses once per repeat of a group: an unbounded `(?:\.[0-9]+)*` let a
    # valid schema_version of a few thousand parts overflow the TaskManager's stack.
    unbounded = [
        items for low, high, items in _repeats(_parser.parse(CANONICAL_PATTERN)) if high == MAXREPEAT
    ]
    assert not unbounded, f"unbounded repetitions: {unbounded}"


def test_the_longest_canonical_text_is_far_below_the_contracts_size_limit() -> None:
    _, longest = _parser.parse(CANONICAL_PATTERN).getwidth()
    assert longest < MAX_PAYLOAD_BYTES // 16, longest


def test_a_valid_event_with_a_version_of_thousands_of_parts_takes_the_slow_lane() -> None:
    text = json.dumps({**VALID, "schema_version": "1" + ".0" * 3000}, separators=(",", ":"))
    assert isinstance(validate_payload(text.encode()), OrderCreatedV1)  # valid all the same
    assert not _canonical(text)
