"""The generator: valid events round-trip exactly, seeds reproduce bytes, intents tell the truth."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from producer.contract import OrderCreatedV1, Rejection, validate_payload
from producer.faults import INJECTABLE_KINDS
from producer.generate import DUPLICATE, LATE, VALID, GeneratedEvent, generate_orders
from producer.intent import INTENT_HEADER

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FAULTY = {"invalid_ratio": 0.3, "duplicate_ratio": 0.1, "late_ratio": 0.1}


def events(n: int, **options: object) -> list[GeneratedEvent]:
    return list(generate_orders(n, **{"seed": 1, "start_time": START, **options}))  # type: ignore[arg-type]


def test_the_same_seed_and_start_time_give_byte_identical_events() -> None:
    first = events(3000, seed=42, run_id="r1", **FAULTY)
    second = events(3000, seed=42, run_id="r1", **FAULTY)
    assert first == second  # keys, values (event ids and times included) and intents


def test_another_seed_gives_other_events_and_other_ids() -> None:
    first, second = events(200, seed=1), events(200, seed=2)
    assert not {e.value for e in first} & {e.value for e in second}
    assert not {e.key for e in first} & {e.key for e in second}


def test_order_ids_are_unique_within_a_run_and_tagged_with_the_run_id() -> None:
    batch = events(20_000, run_id="abc")
    assert len({e.key for e in batch}) == len(batch)
    for event in batch[:100]:
        order = json.loads(event.value)
        assert order["order_id"].startswith("ord-abc-") and event.key == order["order_id"].encode()
        assert order["user_id"].startswith("usr-abc-")


@settings(max_examples=25, deadline=None)  # each example builds its own pools: ~0.2 s
@given(
    seed=st.integers(0, 2**32),
    start=st.datetimes(datetime(1971, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    currencies=st.lists(
        st.sampled_from(["EUR", "USD", "JPY", "GBP", "KWD", "CHF", "BRL"]), min_size=1, unique=True
    ),
    ratios=st.fixed_dictionaries({"duplicate_ratio": st.floats(0, 0.3), "late_ratio": st.floats(0, 0.3)}),
)
def test_every_valid_event_validates_and_round_trips_exactly(
    seed: int, start: datetime, currencies: list[str], ratios: dict[str, float]
) -> None:
    stream = generate_orders(400, seed=seed, start_time=start, currencies=currencies, users=100, **ratios)
    for event in stream:
        order = validate_payload(event.value)
        assert isinstance(order, OrderCreatedV1), f"{event.intent}: {order}"
        # canonical form: the model writes back exactly the bytes that were generated
        assert order.to_json_bytes() == event.value
        document = json.loads(event.value, parse_float=Decimal)
        assert Decimal(document["order_amount"]) == order.order_amount
        assert order.order_amount.as_tuple().exponent == -2
        assert order.currency in currencies
        assert event.key == order.order_id.encode()


def test_each_intent_is_what_the_contract_says_of_the_event() -> None:
    seen: Counter[str] = Counter()
    for event in events(6000, invalid_ratio=0.6, duplicate_ratio=0.1, late_ratio=0.1):
        outcome = validate_payload(event.value)
        seen[event.intent] += 1
        if event.expected_kind is None:
            assert isinstance(outcome, OrderCreatedV1), f"{event.intent}: {outcome}"
        else:
            assert isinstance(outcome, Rejection), f"{event.intent} was accepted: {event.value[:200]!r}"
            assert outcome.kind == event.expected_kind, f"{event.intent}: {outcome.line()}"
    assert {f"invalid:{kind}" for kind in INJECTABLE_KINDS} | {VALID, DUPLICATE, LATE} == set(seen)


def test_the_intent_travels_as_a_kafka_header() -> None:
    intents = {e.intent: e.headers for e in events(2000, **FAULTY)}
    assert intents["valid"] == [(INTENT_HEADER, b"valid")]
    assert intents["late"] == [(INTENT_HEADER, b"late")]
    assert intents["invalid:missing_field"] == [(INTENT_HEADER, b"invalid:missing_field")]


def test_a_duplicate_is_a_byte_identical_resend_of_an_earlier_event() -> None:
    batch = events(3000, duplicate_ratio=0.2)
    earlier: set[tuple[bytes, bytes]] = set()
    duplicates = 0
    for event in batch:
        if event.intent == DUPLICATE:
            duplicates += 1
            assert (event.key, event.value) in earlier
        else:
            earlier.add((event.key, event.value))
    assert 450 < duplicates < 750


def test_late_events_are_hours_to_days_behind_and_normal_ones_near_the_start() -> None:
    batch = events(2000, late_ratio=0.25, spacing=timedelta(milliseconds=10), skew=timedelta(seconds=2))
    for i, event in enumerate(batch):
        order = validate_payload(event.value)
        assert isinstance(order, OrderCreatedV1)
        on_time = START + (i + 1) * timedelta(milliseconds=10)
        behind = on_time - order.event_time
        if event.intent == LATE:
            assert timedelta(minutes=59) < behind < timedelta(days=3, seconds=3)
        else:
            assert abs(behind) <= timedelta(seconds=2, milliseconds=1)


def test_ratios_are_honoured_roughly() -> None:
    seen = Counter(e.intent.split(":")[0] for e in events(10_000, **FAULTY))
    assert 2700 < seen["invalid"] < 3300
    assert 800 < seen["duplicate"] < 1200
    assert 800 < seen["late"] < 1200


def test_invalid_kinds_can_be_restricted() -> None:
    assert {e.intent for e in events(300, invalid_ratio=1.0, invalid_kinds=["oversized"])} == {
        "invalid:oversized"
    }


def test_amounts_look_like_prices() -> None:
    amounts = [json.loads(e.value)["order_amount"] for e in events(5000, currencies=["EUR"])]
    values = sorted(Decimal(a) for a in amounts)
    assert Decimal("10") < values[len(values) // 2] < Decimal("80")  # a median basket
    assert values[-1] <= Decimal("5000.00")
    assert sum(a.endswith(".99") for a in amounts) > 1000  # charm prices


def test_whole_unit_currencies_have_whole_prices() -> None:
    for event in events(500, currencies=["JPY"]):
        assert json.loads(event.value)["order_amount"].endswith(".00")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"invalid_ratio": 1.5}, "invalid_ratio must be between 0 and 1"),
        ({"invalid_ratio": 0.6, "late_ratio": 0.6}, "add up to"),
        ({"currencies": ["EURO"]}, "ISO-4217"),
        ({"currencies": []}, "ISO-4217"),
        ({"run_id": "has space"}, "run id"),
        ({"invalid_kinds": ["nope"]}, "invalid kinds"),
        ({"start_time": datetime(2026, 1, 1)}, "time zone"),
    ],
)
def test_bad_options_fail_at_the_call_with_a_clear_message(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_orders(10, **options)  # type: ignore[arg-type]


def test_n_none_is_an_endless_stream() -> None:
    stream = generate_orders(None, seed=1, start_time=START)
    assert len([next(stream) for _ in range(5000)]) == 5000


def test_a_run_id_namespaces_event_ids_as_well_as_order_ids() -> None:
    from producer.generate import generate_orders as generate

    first = [json.loads(e.value)["event_id"] for e in generate(20, seed=7, run_id="a")]
    second = [json.loads(e.value)["event_id"] for e in generate(20, seed=7, run_id="b")]
    again = [json.loads(e.value)["event_id"] for e in generate(20, seed=7, run_id="a")]
    assert not set(first) & set(second)
    assert first == again
