"""Pacing with a fake clock (no real waiting) and the CLI's time parsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from producer.pacing import Pacer, parse_duration, parse_start_time


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_a_rate_spaces_events_evenly_and_waits_only_the_gap() -> None:
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, wait=clock.wait)
    for _ in range(5):
        pacer.pace()
    assert clock.waits == pytest.approx([0.1, 0.1, 0.1, 0.1])
    assert clock.now == pytest.approx(100.4)


def test_time_spent_working_is_subtracted_from_the_wait() -> None:
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, wait=clock.wait)
    pacer.pace()
    clock.now += 0.07  # sending took 70 ms
    pacer.pace()
    assert clock.waits == pytest.approx([0.03])


def test_falling_behind_is_caught_up_without_waiting() -> None:
    clock = FakeClock()
    pacer = Pacer(100, clock=clock, wait=clock.wait)
    pacer.pace()
    clock.now += 1.0  # a stall of 100 events' worth
    for _ in range(50):
        pacer.pace()
    assert clock.waits == []


def test_rate_zero_never_waits() -> None:
    clock = FakeClock()
    pacer = Pacer(0, clock=clock, wait=clock.wait)
    for _ in range(1000):
        pacer.pace()
    assert clock.waits == [] and pacer.count == 1000


def test_a_negative_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="rate"):
        Pacer(-1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("5m", timedelta(minutes=5)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("250ms", timedelta(milliseconds=250)),
        ("2d", timedelta(days=2)),
        ("45", timedelta(seconds=45)),
        ("1.5s", timedelta(seconds=1.5)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "30x", "s", "1h 30m", "-5s", "-5", "inf", "nan", "abc"])
def test_bad_durations_name_the_value(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_an_absurdly_long_duration_is_refused_not_crashed() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration("99999999999d")


def test_start_times() -> None:
    assert parse_start_time("2026-11-24T12:00:00+01:00") == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    assert parse_start_time("now").tzinfo is UTC
    with pytest.raises(ValueError, match="no offset"):
        parse_start_time("2026-11-24T12:00:00")
    with pytest.raises(ValueError, match="not ISO-8601"):
        parse_start_time("yesterday")
