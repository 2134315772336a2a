"""The polyfactory factory and the value pools the fast stream draws from."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from random import Random

import pytest

from producer.contract import OrderCreatedV1, validate_payload
from producer.factories import (
    OrderFactory,
    OrderProfile,
    ValuePools,
    draw_amount,
    order_id_text,
    uuid4_text,
)

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_a_seeded_factory_builds_valid_orders_deterministically() -> None:
    profile = OrderProfile(currencies=("EUR", "JPY"), run_id="t1")
    first = OrderFactory.seeded(9, start_time=START, profile=profile).batch(50)
    second = OrderFactory.seeded(9, start_time=START, profile=profile).batch(50)
    assert [o.to_json_bytes() for o in first] == [o.to_json_bytes() for o in second]
    for order in first:
        assert isinstance(validate_payload(order.to_json_bytes()), OrderCreatedV1)
        assert order.order_id.startswith("ord-t1-") and order.user_id.startswith("usr-t1-")
        assert order.currency in {"EUR", "JPY"}


def test_two_factories_do_not_disturb_each_other() -> None:
    alone = [o.to_json() for o in OrderFactory.seeded(1, start_time=START).batch(5)]
    a, b = OrderFactory.seeded(1, start_time=START), OrderFactory.seeded(2, start_time=START)
    interleaved = []
    for _ in range(5):
        interleaved.append(a.build().to_json())
        b.build()
    assert interleaved == alone


def test_build_takes_overrides_for_a_specific_order() -> None:
    order = OrderFactory.seeded(3, start_time=START).build(order_amount=Decimal("0.00"), currency="CHF")
    assert (order.order_amount, order.currency) == (Decimal("0.00"), "CHF")


def test_pools_pair_prices_with_their_currency() -> None:
    pools = ValuePools.build(
        OrderFactory.seeded(4, start_time=START, profile=OrderProfile(currencies=("JPY", "EUR"))), 300
    )
    assert len(pools.prices) == 300
    assert all(amount.endswith(".00") for currency, amount in pools.prices if currency == "JPY")
    assert len(set(pools.users)) > 900  # Faker names, 1000 customers by default


def test_amounts_have_two_places_and_never_go_negative() -> None:
    rng = Random(1)
    for currency in ("EUR", "JPY", "KWD", "XOF"):
        for _ in range(2000):
            amount = draw_amount(rng, currency)
            assert amount >= 0 and amount.as_tuple().exponent == -2


def test_uuid4_text_is_a_canonical_version_4_uuid() -> None:
    from uuid import UUID

    for bits in (0, (1 << 128) - 1, Random(5).getrandbits(128)):
        text = uuid4_text(bits)
        assert str(UUID(text)) == text and UUID(text).version == 4


def test_order_ids_are_a_bijection_of_the_sequence() -> None:
    ids = {order_id_text("ord-", n, salt=12345) for n in range(100_000)}
    assert len(ids) == 100_000


@pytest.mark.parametrize(
    "profile",
    [
        {"currencies": ()},
        {"currencies": ("EURO",)},
        {"users": 0},
        {"run_id": "-leading-dash"},
        {"run_id": "x" * 33},
    ],
)
def test_a_bad_profile_is_refused(profile: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        OrderProfile(**profile)  # type: ignore[arg-type]
