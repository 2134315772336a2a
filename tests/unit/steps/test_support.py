"""The step library's pure helpers: run scoping, cell values, row matching, partitions, and the
text diagnostics render. No stack needed."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from fixtures.diagnostics import Evidence, Expectation, cucumber_embedding, format_table, render_expectation
from fixtures.documents import json_object
from fixtures.waits import Probe
from steps.context import watched
from steps.support.scope import RunScope
from steps.support.tables import PartitionField
from steps.support.values import (
    JsonLiteral,
    RawRecord,
    cell_matches,
    cell_to_field,
    encode_document,
    flatten,
    match_rows,
    parse_literal,
    show,
    table_rows,
)


@pytest.fixture
def scope() -> RunScope:
    return RunScope("abc123")


def test_prefixed_ids_carry_the_run_id_and_read_back_as_written(scope: RunScope) -> None:
    assert scope.scoped("order_id", "ord-1") == "ord-abc123-1"
    assert scope.scoped("order_id", "7") == "ord-abc123-7"
    assert scope.scoped("user_id", "usr-alice") == "usr-abc123-alice"
    assert scope.scoped("payload.order_id", "ord-1") == "ord-abc123-1"
    assert scope.scoped("order_id", "ord-abc123-1") == "ord-abc123-1"  # already scoped: unchanged
    assert scope.unscoped("order_id", "ord-abc123-1") == "ord-1"
    assert scope.unscoped("order_id", "ord-other-1") == "ord-other-1"
    assert scope.scoped("currency", "EUR") == "EUR"


def test_event_labels_become_uuids_of_this_run_only(scope: RunScope) -> None:
    first = scope.scoped("event_id", "e-1")
    assert first == scope.scoped("event_id", "e-1")  # the same label is the same event
    assert first != scope.scoped("event_id", "e-2")
    assert first != RunScope("other").scoped("event_id", "e-1")  # never another run's event
    assert scope.unscoped("event_id", first) == "e-1"


def test_markers_are_recognised_by_their_key(scope: RunScope) -> None:
    assert scope.is_marker(f"{scope.marker_prefix}1-orders-0")
    assert scope.is_marker(f"{scope.marker_prefix}1-orders-0".encode())
    assert not scope.is_marker("ord-abc123-1")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"19.99"', JsonLiteral('"19.99"')),
        ("12345678.90", JsonLiteral("12345678.90")),
        ("true", JsonLiteral("true")),
        ("absent", None),
        ("a text of 3 characters", JsonLiteral('"xxx"')),
    ],
)
def test_literals_are_json_as_written(written: str, expected: object) -> None:
    assert parse_literal(written) == expected


def test_a_literal_that_is_not_json_says_how_to_write_it() -> None:
    with pytest.raises(ValueError, match="double quotes"):
        parse_literal("EURO")


def test_documents_keep_literal_numbers_exactly() -> None:
    encoded = encode_document({"a": "x", "amount": JsonLiteral("12345678.90"), "gone": None})
    assert encoded == b'{"a":"x","amount":12345678.90}'
    assert json.loads(encoded, parse_float=Decimal)["amount"] == Decimal("12345678.90")


def test_cells_become_fields() -> None:
    assert cell_to_field("19.99") == "19.99"
    assert cell_to_field("(absent)") is None
    assert cell_to_field("(null)") == JsonLiteral("null")


def test_raw_records() -> None:
    assert RawRecord.parse("text '[1, 2]'").payload == b"[1, 2]"
    assert RawRecord.parse("bytes 'ff fe 00'").payload == b"\xff\xfe\x00"
    padded = RawRecord.parse("an order padded to 70000 bytes")
    payload = padded.bytes_for({"order_id": "ord-1"})
    assert len(payload) >= 70000 and json.loads(payload)["order_id"] == "ord-1"
    with pytest.raises(ValueError):
        RawRecord.parse("something else")


def test_cells_match_by_the_stored_type(scope: RunScope) -> None:
    moment = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert cell_matches("2026-11-24T01:30:00+02:00", moment, "event_time", scope)
    assert cell_matches("2026-11-23T23:30:00Z", moment, "event_time", scope)
    assert not cell_matches("2026-11-23T23:30:01Z", moment, "event_time", scope)
    assert cell_matches("0.10", Decimal("0.10"), "order_amount", scope)
    assert not cell_matches("0.1", Decimal("0.10"), "order_amount", scope)  # exact text, exact scale
    assert cell_matches("ord-1", "ord-abc123-1", "order_id", scope)
    assert not cell_matches("ord-1", "ord-zzz-1", "order_id", scope)
    assert cell_matches("(null)", None, "x", scope)
    assert cell_matches("(any)", "whatever", "x", scope)
    assert cell_matches("3", 3, "source.offset", scope)


def test_rows_pair_one_to_one(scope: RunScope) -> None:
    found = [{"order_id": "ord-abc123-1", "n": "1"}, {"order_id": "ord-abc123-1", "n": "1"}]
    result = match_rows([{"order_id": "ord-1", "n": "1"}], found, ["order_id", "n"], scope)
    assert result.complete and len(result.unexpected) == 1  # the second copy is unexpected
    result = match_rows([{"order_id": "ord-2", "n": "1"}], found, ["order_id", "n"], scope)
    assert result.missing == [{"order_id": "ord-2", "n": "1"}]


def test_values_are_shown_as_features_write_them(scope: RunScope) -> None:
    assert (
        show(datetime(2026, 11, 24, 9, 15, 30, 250000, tzinfo=UTC), "event_time", scope)
        == "2026-11-24T09:15:30.250Z"
    )
    assert show(Decimal("19.99"), "order_amount", scope) == "19.99"
    assert show("ord-abc123-1", "order_id", scope) == "ord-1"
    assert show(None, "x", scope) == "(null)"


def test_datatables_and_nested_records() -> None:
    assert table_rows([["a", " b "], ["1", " 2 "]]) == (["a", "b"], [{"a": "1", "b": "2"}])
    assert flatten({"reason": {"kind": "k", "field": "f"}, "x": 1}) == {
        "reason.kind": "k",
        "reason.field": "f",
        "x": 1,
    }


def test_day_partitions() -> None:
    day = PartitionField("event_time_day", "event_time", "day")
    assert day.value_of(datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)) == date(2026, 11, 20)
    assert day.shown((date(2026, 11, 20) - date(1970, 1, 1)).days) == date(2026, 11, 20)


def test_tables_render_as_plain_text() -> None:
    text = format_table(["a", "b"], [{"a": "1", "b": "x" * 100}] * 3, limit=2)
    lines = text.splitlines()
    assert lines[0] == "| a | " + "b".ljust(48) + " |"
    assert lines[-1] == "… and 1 more"
    assert "…" in lines[2]
    assert format_table(["a"], []) == "(none)"


def test_an_expectation_shows_expected_found_and_missing() -> None:
    expectation = Expectation("rows of this scenario in t", ["id"], [{"id": "1"}, {"id": "2"}])
    expectation.found = [{"id": "1"}]
    expectation.missing = [{"id": "2"}]
    text = render_expectation(expectation)
    assert "NOT met" in text and "expected (2):" in text and "found (1):" in text and "missing (1):" in text


def test_evidence_and_the_cucumber_attachment() -> None:
    evidence = Evidence("r1")
    assert evidence.published_to("t") == []
    attachment = cucumber_embedding("diagnostics ✓")
    assert attachment["mime_type"] == "text/plain"
    assert base64.b64decode(attachment["data"]).decode() == "diagnostics ✓"


def test_settle_looks_at_the_steps_watch_on_every_probe() -> None:
    seen = []

    def watch() -> Probe:
        seen.append(1)
        return Probe(False, "2 dead-letter records, 1 missing")

    probe = watched(lambda: Probe(True, "all in"), watch)
    result = probe()
    assert result.done and result.seen == "all in; 2 dead-letter records, 1 missing" and seen == [1]
    plain = lambda: Probe(False, "x")  # noqa: E731
    assert watched(plain, None) is plain


def test_the_watch_is_looked_at_first_then_at_most_once_every_so_often() -> None:
    """settle probes every 0.2 s; the watch (a table scan) runs on the first probe, then only once
    `every` has passed, and its last seen stays in the progress meanwhile."""
    looks: list[int] = []

    def watch() -> Probe:
        looks.append(1)
        return Probe(False, f"look {len(looks)}")

    probe = watched(lambda: Probe(False, "waiting"), watch, every=0.2)
    assert [probe().seen for _ in range(3)] == ["waiting; look 1"] * 3
    time.sleep(0.25)
    assert probe().seen == "waiting; look 2" and len(looks) == 2


def test_a_scoped_id_is_shown_as_the_feature_wrote_it_whatever_its_prefix() -> None:
    scope = RunScope("r1")
    assert scope.unscoped("order_id", scope.scoped("order_id", "big-1")) == "big-1"
    assert scope.unscoped("order_id", scope.scoped("order_id", "ord-2")) == "ord-2"
    assert scope.unscoped("order_id", "ord-r1-7") == "ord-7"  # generated: never written by the feature
    assert scope.unscoped("event_id", scope.scoped("event_id", "e-1")) == "e-1"


@pytest.mark.parametrize("raw", [b"[" * 60_000, b'{"a":' * 5_000, b"\xff\xfe", b"[1]", b"", None])
def test_hostile_records_are_read_as_no_object_never_an_exception(raw: bytes | None) -> None:
    assert json_object(raw) is None
    assert json_object(b'{"a": 1}') == {"a": 1}
