"""The committed JSON Schema: up to date with the model, and agreeing with it on the wire format."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from producer.generate import generate_orders
from producer.schema import SCHEMA_PATH, main, rendered
from tests.unit.producer.samples import VALID, payload


def test_the_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == rendered(), (
        "producer/schemas/order_created_v1.json is out of date: run python -m producer.schema --write"
    )


def test_check_mode_reports_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "order_created_v1.json"
    stale.write_text("{}\n")
    monkeypatch.setattr("producer.schema.SCHEMA_PATH", stale)
    assert main(["--check"]) == 1
    assert main(["--write"]) == 0
    assert main(["--check"]) == 0


def test_the_schema_names_every_required_field_and_allows_extras() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == set(VALID)
    assert schema["additionalProperties"] is True
    assert "EUR" in schema["properties"]["currency"]["enum"]


@pytest.fixture(scope="module")
def validator() -> Any:
    # jsonschema is not a declared dependency (it comes in transitively): skip when absent
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_generated_events_satisfy_the_schema(validator: Any) -> None:
    for event in generate_orders(
        500, seed=5, start_time=datetime(2026, 11, 24, tzinfo=UTC), currencies=["JPY", "EUR"]
    ):
        validator.validate(json.loads(event.value))


@pytest.mark.parametrize(
    "changes",
    [
        {"order_amount": "-1.00"},
        {"order_amount": "1.001"},
        {"order_amount": "10000000000.00"},
        {"order_amount": True},
        {"currency": "EURO"},
        {"order_status": "PAID"},
        {"schema_version": "2"},
        {"event_time": "2026-11-21T01:30:00"},
        {"event_id": "42"},
        {"order_id": ""},
        {"user_id": "   "},
        {"currency": ...},
    ],
)
def test_what_the_model_rejects_the_schema_rejects_too(validator: Any, changes: dict[str, object]) -> None:
    assert list(validator.iter_errors(json.loads(payload(**changes)))), f"schema accepted {changes}"
