"""The fast lane's SQL: every table column comes from the canonical payload's groups, literals are quoted."""

from __future__ import annotations

from pipeline.fast_lane import canonical_columns_sql, canonical_groups_sql, sql_literal
from pipeline.table import flink_columns
from producer.canonical import CANONICAL_PATTERN
from producer.contract import MAX_PAYLOAD_BYTES


def test_every_table_column_has_an_expression() -> None:
    columns = canonical_columns_sql("g", "NOW()")
    assert list(columns) == [name for name, _ in flink_columns()]
    assert columns["processed_at"] == "NOW()"
    assert columns["event_id"] == "g[1]"
    assert columns["event_time"] == "iso_instant(g[2])"
    assert columns["order_amount"] == "CAST(g[5] AS DECIMAL(12, 2))"


def test_the_pattern_is_one_sql_string_literal() -> None:
    assert sql_literal("it's") == "'it''s'"
    assert (
        canonical_groups_sql("p") == f"match_groups(p, {sql_literal(CANONICAL_PATTERN)}, {MAX_PAYLOAD_BYTES})"
    )
