"""sales_metrics_job's configuration and SQL text (the job itself runs in the acceptance suite:
features/sales_metrics.feature)."""

from __future__ import annotations

import pytest

from pipeline.sales_metrics import (
    JOB_NAME,
    ORDER_COLUMNS,
    SalesMetricsConfig,
    insert_metrics_sql,
    records_view_sql,
    valid_orders_view_sql,
)

REQUIRED = {"KAFKA_BOOTSTRAP_SERVERS": "kafka:9092", "ICEBERG_CATALOG_URI": "http://catalog"}
CHECKED = ["ok", *ORDER_COLUMNS, "dlq"]
SLOW = {column: f"slow({column})" for column in ORDER_COLUMNS}


def test_the_job_has_its_own_group_table_and_starts_a_new_group_at_the_latest_offset() -> None:
    config = SalesMetricsConfig.from_settings(REQUIRED)
    assert config.job.group_id == JOB_NAME
    assert config.job.table_path == "`iceberg`.`analytics`.`sales_metrics`"
    assert config.job.starting_offsets == "group-offsets"
    assert config.offset_reset == "latest"
    assert config.job.kafka_properties == {"auto.offset.reset": "latest"}


def test_the_environment_wins_over_the_jobs_defaults() -> None:
    config = SalesMetricsConfig.from_settings(
        {**REQUIRED, "KAFKA_GROUP_ID": "g", "ICEBERG_TABLE": "t", "KAFKA_AUTO_OFFSET_RESET": "earliest"}
    )
    assert (config.job.group_id, config.job.table, config.offset_reset) == ("g", "t", "earliest")
    assert config.job.kafka_properties["auto.offset.reset"] == "earliest"


def test_an_unknown_offset_reset_is_refused_naming_the_key() -> None:
    with pytest.raises(ValueError, match="KAFKA_AUTO_OFFSET_RESET='none'"):
        SalesMetricsConfig.from_settings({**REQUIRED, "KAFKA_AUTO_OFFSET_RESET": "none"})


def test_markers_are_dropped_and_the_fast_lane_can_be_turned_off() -> None:
    assert "headers['orderflow-marker'] IS NULL" in records_view_sql(True)
    assert "match_groups(payload" in records_view_sql(True)
    assert "match_groups" not in records_view_sql(False)


def test_valid_orders_come_from_both_lanes_and_only_at_their_own_event_time() -> None:
    both = valid_orders_view_sql(True, CHECKED, SLOW)
    assert "UNION ALL" in both and "`groups` IS NOT NULL" in both
    assert "check_order(r.payload" in both and "WHERE c.ok" in both
    assert "slow(currency) AS `currency`" in both
    assert "event_time >= event_rowtime AND event_time < event_rowtime + INTERVAL '0.001' SECOND" in both
    assert "UNION ALL" not in valid_orders_view_sql(False, CHECKED, SLOW)


def test_hour_long_windows_every_five_minutes_per_currency_with_exact_decimals() -> None:
    sql = insert_metrics_sql("t")
    assert "HOP(TABLE valid_orders, DESCRIPTOR(event_rowtime), INTERVAL '5' MINUTE, INTERVAL '1' HOUR)" in sql
    assert "GROUP BY window_start, window_end, currency" in sql
    assert "COUNT(DISTINCT user_id)" in sql
    # one rounding, of an exact quotient: the sum as DECIMAL(18, 2) divided by the count
    assert "CAST(CAST(SUM(order_amount) AS DECIMAL(18, 2)) / COUNT(*) AS DECIMAL(18, 2))" in sql
