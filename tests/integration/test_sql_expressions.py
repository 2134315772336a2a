"""The job's SQL expressions (event time for watermarks, the fast lane) evaluated by a real Flink
planner and runtime (a local mini cluster in the Flink env), against the contract's own reading."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fixtures import paths
from producer.contract import OrderCreatedV1, validate_payload
from producer.generate import generate_orders

pytestmark = pytest.mark.integration

BASE = json.loads(next(iter(generate_orders(1, seed=5))).value)


def _compact(document: dict[str, object]) -> str:
    return json.dumps(document, separators=(",", ":"))


TEXTS = [
    next(iter(generate_orders(1, seed=1))).value.decode(),  # the producer's own
    _compact({**BASE, "event_time": "2026-11-24T10:00:00.123456Z", "order_amount": "9999999999.99"}),
    _compact({**BASE, "event_time": "2026-02-28T23:59:59Z", "user_id": "}", "order_id": "o'1 ,:{"}),
    _compact({**BASE, "event_time": "2026-11-24T01:30:00+02:00"}),  # valid, offset: slow lane
    json.dumps({**BASE, "event_time": "2026-11-24T01:30:00.5-0530"}),  # valid, spaces: slow lane
    _compact({**BASE, "event_time": "2028-02-29T12:00:00.000Z"}),  # leap day: slow lane
    _compact({**BASE, "event_time": "2026-11-24T10:00:00"}),  # naive: no event time
    "not json",
]


@pytest.fixture(scope="module")
def evaluated() -> list[dict]:
    env = {**os.environ, "FLINK_HOME": str(paths.flink_home()), "PYTHONPATH": str(paths.REPO_ROOT)}
    probe = Path(__file__).with_name("flink_sql_probe.py")
    done = subprocess.run(
        [str(paths.flink_python()), str(probe)],
        input=json.dumps(TEXTS),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_event_time_for_watermarks_is_the_events_instant_to_the_second(evaluated: list[dict]) -> None:
    assert len(evaluated) == len(TEXTS)
    for text, row in zip(TEXTS, evaluated, strict=True):
        event = validate_payload(text.encode())
        if isinstance(event, OrderCreatedV1):
            expected = event.event_time.astimezone(UTC).replace(microsecond=0, tzinfo=None)
            assert row["rowtime"] == f"{expected:%Y-%m-%d %H:%M:%S}.000", text
        else:
            assert row["rowtime"] is None, text  # the job falls back to the Kafka timestamp


def test_the_fast_lane_takes_canonical_payloads_only_and_reads_the_contracts_values(
    evaluated: list[dict],
) -> None:
    canonical = [row["canonical"] for row in evaluated]
    assert canonical == [True, True, True, False, False, False, False, False]
    for text, row in zip(TEXTS, evaluated, strict=True):
        if not row["canonical"]:
            continue
        event = validate_payload(text.encode())
        assert isinstance(event, OrderCreatedV1)
        columns = row["columns"]
        assert columns["event_id"] == str(event.event_id)
        assert datetime.fromisoformat(columns["event_time"]).replace(tzinfo=UTC) == event.event_time
        assert columns["order_amount"] == f"{event.order_amount:.2f}"  # exact decimal(12, 2)
        for name in ("order_id", "user_id", "currency", "order_status", "schema_version"):
            assert columns[name] == getattr(event, name), name
