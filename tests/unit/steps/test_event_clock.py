"""steps/support/event_clock.py and the run scope's event time shift: an @event_time feature
re-run on a warm stack moves whole weeks past the jobs' watermark, and reads as written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from fixtures.declaration import load_declaration
from steps.support.event_clock import WEEK, EventTimeExhausted, FeatureTimes, shift_past, tier_floor
from steps.support.scope import RunScope
from steps.support.values import cell_matches, show

FEATURE = """@event_time
Feature: segments
  These scenarios take place in 2029.

  Background:
    Given the Flink job "customer_segments_job" is running

  Scenario: one
    When these events are published to "orders.created.v1":
      | user_id | event_time                |
      | u-1     | 2029-01-08T10:00:00Z      |
      | u-2     | 2029-01-09T11:00:00+02:00 |
    And event time advances to "2029-05-02T10:00:05Z" on every partition of "orders.created.v1"
"""
NOW = datetime(2026, 12, 1, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[3]
FOUR_YEARS_MS = 4 * 365 * 24 * 3600 * 1000


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_a_feature_reads_as_its_span_and_the_declared_jobs_it_names() -> None:
    declaration = load_declaration(REPO / "orderflow.toml")
    times = FeatureTimes.read(FEATURE, declaration.named_in(FEATURE))
    assert times == FeatureTimes(
        earliest=datetime(2029, 1, 8, 10, tzinfo=UTC),
        latest=datetime(2029, 5, 2, 10, 0, 5, tzinfo=UTC),
        jobs=("customer_segments_job",),
    )
    assert FeatureTimes.read("Feature: no instants\n  Scenario: x\n", ["a"]) is None


def test_no_shift_while_the_watermark_is_before_the_feature_or_missing() -> None:
    times = FeatureTimes.read(FEATURE, ["customer_segments_job"])
    assert times is not None
    assert shift_past(times, None, FOUR_YEARS_MS, NOW) == timedelta(0)
    assert shift_past(times, _ms(datetime(2026, 12, 1, tzinfo=UTC)), FOUR_YEARS_MS, NOW) == timedelta(0)


@pytest.mark.parametrize(
    "watermark", [datetime(2029, 1, 8, 10, tzinfo=UTC), datetime(2029, 5, 2, 10, 0, 5, tzinfo=UTC)]
)
def test_a_passed_feature_moves_whole_weeks_to_more_than_a_week_past_the_watermark(
    watermark: datetime,
) -> None:
    times = FeatureTimes.read(FEATURE, ["customer_segments_job"])
    assert times is not None
    shift = shift_past(times, _ms(watermark), FOUR_YEARS_MS, NOW)
    assert shift % WEEK == timedelta(0)
    assert times.earliest + shift > watermark + WEEK
    assert times.earliest + shift - WEEK <= watermark + 2 * WEEK  # no further than needed


def test_a_shift_beyond_the_jobs_max_ahead_is_refused_with_what_to_do() -> None:
    times = FeatureTimes.read(FEATURE, ["customer_segments_job"])
    assert times is not None
    two_years_ms = 2 * 365 * 24 * 3600 * 1000
    with pytest.raises(
        EventTimeExhausted, match=r"customer_segments_job: event time is at 2029-05-02.*submit --fresh"
    ):
        shift_past(times, _ms(datetime(2029, 5, 2, tzinfo=UTC)), two_years_ms, NOW)


def test_a_feature_starts_at_its_tiers_floor_in_whole_weeks() -> None:
    times = FeatureTimes.read(FEATURE, ["customer_segments_job"])
    assert times is not None
    assert shift_past(times, None, FOUR_YEARS_MS, NOW, floor=datetime(2029, 1, 1, tzinfo=UTC)) == timedelta(0)
    floor = datetime(2029, 3, 1, tzinfo=UTC)
    shift = shift_past(times, None, FOUR_YEARS_MS, NOW, floor=floor)
    assert shift % WEEK == timedelta(0)
    assert floor <= times.earliest + shift < floor + WEEK
    # the watermark asks for more: the larger shift wins
    watermark = datetime(2029, 6, 1, tzinfo=UTC)
    shift = shift_past(times, _ms(watermark), FOUR_YEARS_MS, NOW, floor=floor)
    assert times.earliest + shift > watermark + WEEK


def test_the_declared_horizons_make_the_tiers_of_the_features() -> None:
    declaration = load_declaration(REPO / "orderflow.toml")
    tiers = {
        feature.name: declaration.event_time_tier(feature.read_text(encoding="utf-8"))
        for feature in sorted((REPO / "features").glob("*.feature"))
        if feature.read_text(encoding="utf-8").startswith("@event_time")
    }
    alerts, sales, segments = (
        tiers["order_alerts.feature"],
        tiers["sales_metrics.feature"],
        tiers["customer_segments.feature"],
    )
    assert alerts is not None and sales is not None and segments is not None
    assert alerts < sales < segments  # three tiers: the three features run side by side
    assert declaration.horizons_below(segments) == [alerts, sales]
    assert declaration.horizons_below(alerts) == []
    # Each feature as written lies beyond the tiers below it and within its own, from NOW:
    # a fresh stack moves none of them.
    for name, tier in tiers.items():
        text = (REPO / "features" / name).read_text(encoding="utf-8")
        times = FeatureTimes.read(text, declaration.named_in(text))
        assert times is not None and tier is not None
        below = declaration.horizons_below(tier)
        assert shift_past(times, None, tier, NOW, floor=tier_floor(below, NOW)) == timedelta(0), name


def test_the_scope_moves_written_instants_and_shows_stored_ones_as_written() -> None:
    scope = RunScope("r1", event_time_shift=timedelta(weeks=20))
    stored = datetime(2029, 1, 8, 10, tzinfo=UTC) + timedelta(weeks=20)
    assert scope.stored_instant(datetime(2029, 1, 8, 10, tzinfo=UTC)) == stored
    assert cell_matches("2029-01-08T10:00:00Z", stored, "last_order_time", scope)
    assert not cell_matches("2029-01-08T10:00:00Z", stored - timedelta(days=1), "last_order_time", scope)
    assert show(stored, "last_order_time", scope) == show(
        datetime(2029, 1, 8, 10, tzinfo=UTC), "x", RunScope("r1")
    )
    assert cell_matches("2029-01-08", date(2029, 1, 8) + timedelta(weeks=20), "event_date", scope)


def test_published_text_keeps_its_form_only_the_date_moves() -> None:
    scope = RunScope("r1", event_time_shift=timedelta(weeks=1))
    assert scope.stored_instant_text("2029-01-08T10:00:00+02:00") == "2029-01-15T10:00:00+02:00"
    assert scope.stored_instant_text("2029-12-30T23:59:59.123456Z") == "2030-01-06T23:59:59.123456Z"
    for not_an_instant in ["tomorrow", "2029-02-30T10:00:00Z", "", "2029-01-08"]:
        assert scope.stored_instant_text(not_an_instant) == not_an_instant
    assert RunScope("r1").stored_instant_text("2029-01-08T10:00:00Z") == "2029-01-08T10:00:00Z"
