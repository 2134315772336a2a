"""Realistic, seeded Order Created v1 values: Faker for people, one seeded Random for the rest, and
a polyfactory factory over the contract model that draws from them.

Two ways in:
- `OrderFactory.seeded(...)` — a polyfactory factory of `OrderCreatedV1` models (`.build()`,
  `.batch()`, overrides such as `.build(currency="JPY")`), for tests that want a model.
- `ValuePools.build(...)` — a batch of that factory, flattened into tuples the fast stream
  (producer.generate) draws from with `random.Random`: building a model costs tens of µs, the
  stream's budget is 5 µs per event.

Nothing here calls `uuid4()` or reads the clock: the same seed gives the same values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any, ClassVar
from uuid import UUID

from faker import Faker
from polyfactory import PostGenerated
from polyfactory.factories.pydantic_factory import ModelFactory

from producer.contract import MAX_ID_LENGTH, OrderCreatedV1
from producer.iso4217 import ISO_4217

DEFAULT_CURRENCIES: tuple[str, ...] = ("EUR", "USD", "GBP")
RUN_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")

# Rough units per EUR, so that a JPY basket is ~160x a EUR one. Magnitudes, not live rates;
# currencies not listed are priced 1:1.
UNITS_PER_EUR: dict[str, float] = {
    "EUR": 1.0, "USD": 1.1, "GBP": 0.85, "CHF": 0.95, "JPY": 160.0, "SEK": 11.5, "NOK": 11.7,
    "DKK": 7.46, "PLN": 4.3, "CZK": 25.0, "HUF": 390.0, "CAD": 1.5, "AUD": 1.65, "NZD": 1.8,
    "CNY": 7.8, "INR": 92.0, "BRL": 5.9, "MXN": 19.0, "KRW": 1450.0, "TRY": 37.0, "ZAR": 20.0,
}  # fmt: skip
# ISO 4217 currencies without minor units: their prices are whole numbers (written "1980.00").
WHOLE_UNIT_CURRENCIES = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)
# A basket in EUR: log-normal, median ~35, nine in ten between ~7 and ~180, capped; a few free.
BASKET_MEDIAN_LOG = 3.55
BASKET_SIGMA = 1.0
BASKET_CAP_EUR = 5000.0
FREE_ORDER_SHARE = 0.005
CHARM_PRICE_SHARE = 0.4  # share of prices ending in .99, as shops do

_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)
_ORDER_SEQUENCE_MULTIPLIER = 0x9E3779B97F  # odd, so `n * M mod 2^40` is a bijection: unique ids
_ORDER_SEQUENCE_MASK = (1 << 40) - 1


def uuid4_text(bits: int) -> str:
    """A version-4 UUID string from 128 random bits (seeded), in canonical lower-case form."""
    h = (bits & _UUID4_CLEAR | _UUID4_SET).to_bytes(16, "big").hex()  # 2x faster than "%032x" or uuid.UUID
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def check_currencies(currencies: Sequence[str]) -> tuple[str, ...]:
    unknown = [c for c in currencies if c not in ISO_4217]
    if not currencies or unknown:
        raise ValueError(f"currencies must be ISO-4217 codes such as EUR,USD; not {unknown or 'empty'}")
    return tuple(currencies)


def check_run_id(run_id: str | None) -> str | None:
    if run_id is not None and not RUN_ID_PATTERN.fullmatch(run_id):
        raise ValueError(
            f"run id {run_id!r} must be 1-32 characters of letters, digits, '_', '.', '-' (starting alphanumeric)"
        )
    return run_id


@dataclass(frozen=True)
class OrderProfile:
    """What the orders look like: currencies, how many distinct customers, whose run they belong to,
    and how event times advance (`spacing` per order, +/- `skew` of disorder)."""

    currencies: tuple[str, ...] = DEFAULT_CURRENCIES
    users: int = 1000
    run_id: str | None = None
    spacing: timedelta = timedelta(milliseconds=10)
    skew: timedelta = timedelta(seconds=2)

    def __post_init__(self) -> None:
        check_currencies(self.currencies)
        check_run_id(self.run_id)
        if self.users < 1:
            raise ValueError(f"users must be >= 1, not {self.users}")
        if self.spacing < timedelta(0) or self.skew < timedelta(0):
            raise ValueError("spacing and skew must not be negative")

    @property
    def order_prefix(self) -> str:
        return f"ord-{self.run_id}-" if self.run_id else "ord-"

    @property
    def user_prefix(self) -> str:
        return f"usr-{self.run_id}-" if self.run_id else "usr-"


def order_id_salt(seed: int, purpose: str) -> int:
    """Shifts the order id sequence per seed (and per user of it), so runs with different seeds
    do not produce the same ids even without a run id."""
    return Random(f"orderflow:{seed}:{purpose}:order-ids").getrandbits(40)


def order_id_text(prefix: str, sequence: int, salt: int) -> str:
    """`ord-[run-]` + 10 hex digits: random-looking, yet unique for the first 2^40 orders of a
    sequence (`n -> n * odd + salt mod 2^40` is a bijection)."""
    return f"{prefix}{(sequence * _ORDER_SEQUENCE_MULTIPLIER + salt) & _ORDER_SEQUENCE_MASK:010x}"


def draw_amount(rng: Random, currency: str) -> Decimal:
    """A realistic basket price in `currency`, exactly 2 decimals, never a float on the way out."""
    if rng.random() < FREE_ORDER_SHARE:
        return Decimal("0.00")
    basket = min(rng.lognormvariate(BASKET_MEDIAN_LOG, BASKET_SIGMA), BASKET_CAP_EUR)
    units = basket * UNITS_PER_EUR.get(currency, 1.0)
    if currency in WHOLE_UNIT_CURRENCIES:
        cents = max(1, round(units)) * 100
    elif rng.random() < CHARM_PRICE_SHARE:
        cents = max(1, round(units)) * 100 - 1
    else:
        cents = max(1, round(units * 100))
    return Decimal(cents).scaleb(-2)


class OrderDraws:
    """The seeded source of every field value: one Random, one Faker, one event clock."""

    def __init__(self, seed: int, profile: OrderProfile, start_time: datetime) -> None:
        if start_time.utcoffset() is None:
            raise ValueError("start_time must carry a time zone")
        self.profile = profile
        self.rng = Random(f"orderflow:{seed}:draws")  # str seeds hash with SHA-512: stable everywhere
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self.start = start_time.astimezone(UTC)
        self.orders = 0  # order ids issued
        self.order_salt = order_id_salt(seed, "factory")
        self.ticks = 0  # event times issued
        # Customers come back: a fixed set of Faker user names, not a new one per order. Kept to the
        # characters of RUN_ID_PATTERN so they never need JSON escaping in the fast stream.
        self.users = tuple(
            f"{profile.user_prefix}{re.sub(r'[^A-Za-z0-9_.-]', '', self.faker.user_name())}"[:MAX_ID_LENGTH]
            for _ in range(profile.users)
        )

    def event_id(self) -> UUID:
        return UUID(uuid4_text(self.rng.getrandbits(128)))

    def event_time(self) -> datetime:
        skew = self.profile.skew
        jitter = (self.rng.random() * 2 - 1) * skew if skew else timedelta(0)
        self.ticks += 1
        return self.start + self.ticks * self.profile.spacing + jitter

    def order_id(self) -> str:
        self.orders += 1
        return order_id_text(self.profile.order_prefix, self.orders, self.order_salt)

    def user_id(self) -> str:
        return self.rng.choice(self.users)

    def currency(self) -> str:
        return self.rng.choice(self.profile.currencies)

    def amount(self, _field: str, values: dict[str, Any]) -> Decimal:
        return draw_amount(self.rng, values["currency"])


class OrderFactory(ModelFactory[OrderCreatedV1]):
    """polyfactory factory of valid orders. Use `OrderFactory.seeded(...)`: it returns a subclass with
    its own Random, Faker and clock, so two factories never disturb each other's sequence."""

    __model__ = OrderCreatedV1
    __check_model__ = False
    draws: ClassVar[OrderDraws]

    @classmethod
    def seeded(
        cls,
        seed: int = 0,
        *,
        start_time: datetime | None = None,
        profile: OrderProfile | None = None,
    ) -> type[OrderFactory]:
        draws = OrderDraws(seed, profile or OrderProfile(), start_time or datetime.now(UTC))
        return cls.create_factory(
            OrderCreatedV1,
            draws=draws,
            __random__=draws.rng,
            __faker__=draws.faker,
            # polyfactory calls each of these per build, in the model's field order
            order_id=draws.order_id,
            event_id=draws.event_id,
            event_time=draws.event_time,
            user_id=draws.user_id,
            currency=draws.currency,
            order_amount=PostGenerated(draws.amount),  # after currency: the price depends on it
            order_status="CREATED",
            schema_version="1",
            sales_channel=None,  # v1.0 events: the generator's output stays what it was before v1.1
        )


@dataclass(frozen=True)
class ValuePools:
    """Values drawn once from the factory, for the fast stream to recombine: prices stay paired with
    their currency, customers are drawn independently of them."""

    users: tuple[str, ...]
    prices: tuple[tuple[str, str], ...]  # (currency, amount as "12.34")

    @classmethod
    def build(cls, factory: type[OrderFactory], size: int = 2048) -> ValuePools:
        orders = factory.batch(size)
        return cls(
            users=factory.draws.users,
            prices=tuple((o.currency, f"{o.order_amount:.2f}") for o in orders),
        )
