"""The fast, deterministic stream of order events: valid ones, and faults on purpose.

Each `GeneratedEvent` carries its intent (`valid`, `invalid:<kind>`, `duplicate`, `late`), which
travels as the Kafka header `x-orderflow-intent` so a test can predict each record's fate.

Speed: models are built once, into `ValuePools`, by the polyfactory factory; the loop below only
draws from those pools and formats text (target >= 200,000 events/s on one core). Valid events
come out in the contract's canonical form, byte for byte what `OrderCreatedV1.to_json_bytes()`
writes (a unit test holds this).

Determinism: every random choice comes from `random.Random` instances seeded from `seed`; event
times count from `start_time`. The same seed, start_time and options give byte-identical events.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import NamedTuple

from producer.contract import format_event_time
from producer.factories import (
    DEFAULT_CURRENCIES,
    OrderFactory,
    OrderProfile,
    ValuePools,
    order_id_salt,
    order_id_text,
    uuid4_text,
)
from producer.faults import INJECTABLE_KINDS, Document, inject
from producer.intent import INTENT_HEADER

VALID = "valid"
DUPLICATE = "duplicate"
LATE = "late"
INVALID_PREFIX = "invalid:"
DEFAULT_LATE_BY = (timedelta(hours=1), timedelta(days=3))
RECENT_FOR_DUPLICATES = 1024  # a duplicate re-sends one of the last this-many good events

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TIME_PREFIX_CACHE = 4096  # seconds whose "YYYY-MM-DDTHH:MM:SS" text is kept


class GeneratedEvent(NamedTuple):
    """One record to publish: Kafka key (the order id), value (JSON bytes) and why it was made."""

    key: bytes
    value: bytes
    intent: str  # valid | invalid:<kind> | duplicate | late

    @property
    def headers(self) -> list[tuple[str, bytes]]:
        return [(INTENT_HEADER, self.intent.encode())]

    @property
    def order_id(self) -> str:
        return self.key.decode()

    @property
    def expected_kind(self) -> str | None:
        """The Rejection kind the contract must give this event; None when it must be accepted."""
        return self.intent.removeprefix(INVALID_PREFIX) if self.intent.startswith(INVALID_PREFIX) else None


def invalid_intent(kind: str) -> str:
    return f"{INVALID_PREFIX}{kind}"


@dataclass(frozen=True)
class FaultMix:
    """Which share of the stream is broken on purpose, re-sent, or late."""

    invalid_ratio: float = 0.0
    duplicate_ratio: float = 0.0
    late_ratio: float = 0.0
    invalid_kinds: tuple[str, ...] = INJECTABLE_KINDS
    late_by: tuple[timedelta, timedelta] = DEFAULT_LATE_BY  # how far behind a late event is

    def __post_init__(self) -> None:
        ratios = {"invalid_ratio": self.invalid_ratio, "duplicate_ratio": self.duplicate_ratio}
        ratios["late_ratio"] = self.late_ratio
        for name, ratio in ratios.items():
            if not 0.0 <= ratio <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {ratio}")
        if sum(ratios.values()) > 1.0:
            raise ValueError(
                f"invalid, duplicate and late ratios add up to {sum(ratios.values())}, more than 1"
            )
        unknown = sorted(set(self.invalid_kinds) - set(INJECTABLE_KINDS))
        if unknown or not self.invalid_kinds:
            raise ValueError(f"invalid kinds must be among {', '.join(INJECTABLE_KINDS)}; not {unknown}")
        low, high = self.late_by
        if not timedelta(0) < low <= high:
            raise ValueError(f"late_by must be 0 < low <= high, not {low}..{high}")


def _ms(delta: timedelta) -> int:
    return delta // timedelta(milliseconds=1)


class OrderStream:
    """An endless, seeded stream of GeneratedEvents (take as many as you need)."""

    def __init__(
        self,
        *,
        seed: int = 0,
        start_time: datetime | None = None,
        profile: OrderProfile | None = None,
        faults: FaultMix | None = None,
        pool_size: int = 2048,
    ) -> None:
        if start_time is not None and start_time.utcoffset() is None:
            raise ValueError("start_time must carry a time zone (naive times are ambiguous)")
        self.seed = seed
        self.start_time = (start_time or datetime.now(UTC)).astimezone(UTC)
        self.profile = profile or OrderProfile()
        self.faults = faults or FaultMix()
        factory = OrderFactory.seeded(seed, start_time=self.start_time, profile=self.profile)
        self.pools = ValuePools.build(factory, pool_size)

    def __iter__(self) -> Iterator[GeneratedEvent]:
        # Locals on purpose: this loop runs a million times a second-ish, attribute lookups show.
        # A run id namespaces the event ids too: the same seed in two runs must not produce
        # event_ids the pipeline would (rightly) drop as duplicates of the first run.
        run = f":{self.profile.run_id}" if self.profile.run_id else ""
        rng = Random(f"orderflow:{self.seed}{run}:stream")
        bits, rand = rng.getrandbits, rng.random
        users, prices = self.pools.users, self.pools.prices
        n_users, n_prices = len(users), len(prices)
        profile, faults = self.profile, self.faults
        order_prefix, order_salt = profile.order_prefix, order_id_salt(self.seed, "stream")
        start_ms = _ms(self.start_time - _EPOCH)
        spacing_us = profile.spacing // timedelta(microseconds=1)
        skew_ms = _ms(profile.skew)
        late_low_ms, late_span_ms = _ms(faults.late_by[0]), _ms(faults.late_by[1] - faults.late_by[0])
        invalid_cut = faults.invalid_ratio
        duplicate_cut = invalid_cut + faults.duplicate_ratio
        late_cut = duplicate_cut + faults.late_ratio
        kinds, n_kinds = faults.invalid_kinds, len(faults.invalid_kinds)
        new_tuple = tuple.__new__
        recent: list[GeneratedEvent] = []
        time_prefix: dict[int, str] = {}
        sequence = 0

        while True:
            roll = rand() if late_cut else 1.0
            if invalid_cut <= roll < duplicate_cut and recent:
                yield recent[int(rand() * len(recent))]._replace(intent=DUPLICATE)
                continue
            intent = VALID if roll >= late_cut or roll < duplicate_cut else LATE
            sequence += 1
            order_id = order_id_text(order_prefix, sequence, order_salt)
            event_id = uuid4_text(bits(128))
            moment = start_ms + sequence * spacing_us // 1000
            if skew_ms:
                moment += int((rand() * 2 - 1) * skew_ms)
            if intent is LATE:
                moment -= late_low_ms + int(rand() * late_span_ms)
            second, milli = divmod(moment, 1000)
            prefix = time_prefix.get(second)
            if prefix is None:
                if len(time_prefix) >= _TIME_PREFIX_CACHE:
                    time_prefix.clear()
                # the contract's own formatter, minus ".000Z": one source for the canonical text
                prefix = time_prefix[second] = format_event_time(_EPOCH + timedelta(seconds=second))[:-5]
            event_time = f"{prefix}.{milli:03d}Z"
            user_id = users[int(rand() * n_users)]
            currency, amount = prices[int(rand() * n_prices)]
            if roll < invalid_cut:
                kind = kinds[int(rand() * n_kinds)]
                document: Document = {
                    "event_id": event_id,
                    "event_time": event_time,
                    "order_id": order_id,
                    "user_id": user_id,
                    "order_amount": amount,
                    "currency": currency,
                    "order_status": "CREATED",
                    "schema_version": "1",
                }
                yield GeneratedEvent(order_id.encode(), inject(kind, document, rng), invalid_intent(kind))
                continue
            # The canonical encoding, field order as in OrderCreatedV1. No escaping is needed: every
            # value is hex, digits, an ISO code or an id restricted to [A-Za-z0-9_.-].
            event = new_tuple(  # GeneratedEvent(...) without its Python-level __new__: half the cost
                GeneratedEvent,
                (
                    order_id.encode(),
                    (
                        f'{{"event_id":"{event_id}","event_time":"{event_time}","order_id":"{order_id}",'
                        f'"user_id":"{user_id}","order_amount":"{amount}","currency":"{currency}",'
                        f'"order_status":"CREATED","schema_version":"1"}}'
                    ).encode(),
                    intent,
                ),
            )
            if duplicate_cut > invalid_cut:  # only remember when duplicates are wanted
                if len(recent) < RECENT_FOR_DUPLICATES:
                    recent.append(event)
                else:
                    recent[sequence % RECENT_FOR_DUPLICATES] = event
            yield event


def generate_orders(
    n: int | None = None,
    *,
    seed: int = 0,
    start_time: datetime | None = None,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    run_id: str | None = None,
    invalid_ratio: float = 0.0,
    duplicate_ratio: float = 0.0,
    late_ratio: float = 0.0,
    invalid_kinds: Sequence[str] | None = None,
    late_by: tuple[timedelta, timedelta] = DEFAULT_LATE_BY,
    users: int = 1000,
    spacing: timedelta = timedelta(milliseconds=10),
    skew: timedelta = timedelta(seconds=2),
) -> Iterator[GeneratedEvent]:
    """`n` events (endless when None). Options are checked now, not at the first `next()`.

    start_time: event times count from it (default: now, which is not reproducible); `spacing`
    apart, +/- `skew`. run_id tags the ids: `ord-<run_id>-…`, `usr-<run_id>-…`.
    """
    if n is not None and n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    stream = OrderStream(
        seed=seed,
        start_time=start_time,
        profile=OrderProfile(
            currencies=tuple(currencies), users=users, run_id=run_id, spacing=spacing, skew=skew
        ),
        faults=FaultMix(
            invalid_ratio=invalid_ratio,
            duplicate_ratio=duplicate_ratio,
            late_ratio=late_ratio,
            invalid_kinds=tuple(invalid_kinds) if invalid_kinds is not None else INJECTABLE_KINDS,
            late_by=late_by,
        ),
    )
    return iter(stream) if n is None else itertools.islice(stream, n)
