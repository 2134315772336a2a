"""Dead-letter records are bounded whatever the payload: a record of any size and any bytes
becomes a DLQ record that fits in one Kafka request, and says what was cut."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import ConfigError, JobConfig
from pipeline.dead_letters import (
    DLQ_MAX_REQUEST_BYTES,
    DLQ_PAYLOAD_MAX_BYTES,
    dlq_record,
    dlq_record_max_bytes,
)
from pipeline.validation import SourcePosition, process
from producer.contract import validate_payload

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SOURCE = SourcePosition("t" * 249, 2**31 - 1, 2**63 - 1)  # the longest source Kafka allows
LIMIT = 1024  # small, so that hypothesis reaches it


def _dlq(payload: bytes, limit: int = LIMIT) -> str:
    outcome = process(payload, SOURCE, NOW, limit)
    assert isinstance(outcome, str), "expected a rejection"
    return outcome


def _copied(record: dict) -> bytes:
    if record["payload_encoding"] == "base64":
        return base64.b64decode(record["payload"])
    return str(record["payload"]).encode("utf-8")


# The worst payloads for the size of the JSON that copies them: control bytes (\u00XX), quotes,
# backslashes, bytes that are not UTF-8, and characters cut in two at the limit.
_hostile = st.one_of(
    st.binary(min_size=0, max_size=4 * LIMIT),
    st.lists(
        st.sampled_from([b"\x00", b'"', b"\\", b"\x1f", "é".encode(), "😀".encode()]), max_size=3 * LIMIT
    ).map(b"".join),
)


@given(_hostile)
@settings(max_examples=300)
def test_a_dead_letter_record_never_exceeds_its_bound(payload: bytes) -> None:
    text = _dlq(payload) if not _is_valid(payload) else None
    if text is None:
        return
    assert len(text.encode("utf-8")) <= dlq_record_max_bytes(LIMIT)
    record = json.loads(text)
    assert record["payload_size"] == len(payload)
    assert record["payload_sha256"] == hashlib.sha256(payload).hexdigest()
    assert record["payload_truncated"] == (len(payload) > LIMIT)
    copied = _copied(record)
    assert payload.startswith(copied)  # a prefix, cut at most at the limit
    assert len(copied) <= LIMIT
    assert len(copied) >= min(len(payload), LIMIT) - 3  # at most a split character is left out


def _is_valid(payload: bytes) -> bool:
    return not hasattr(validate_payload(payload), "kind")


@pytest.mark.parametrize(
    "payload",
    [
        b"\xff" * 800_000,  # ~800 KB of non-UTF-8 bytes: base64 of it was over 1 MiB
        b'"' * 600_000,  # ~600 KB of quotes: escaped, 1.2 MB
        b"\x00" * 1_000_000,  # a broker-sized record of control bytes: escaped, 6 MB
    ],
)
def test_the_records_that_restarted_the_job_now_fit_in_one_kafka_request(payload: bytes) -> None:
    text = process(payload, SOURCE, NOW)
    assert isinstance(text, str)
    assert len(text.encode("utf-8")) <= dlq_record_max_bytes(DLQ_PAYLOAD_MAX_BYTES) <= DLQ_MAX_REQUEST_BYTES
    record = json.loads(text)
    assert record["payload_truncated"] is True
    assert record["reason"]["kind"] == "oversized"


def test_a_small_record_is_copied_whole() -> None:
    payload = b'{"order_id": "o-1"}'
    record = json.loads(_dlq(payload))
    assert _copied(record) == payload
    assert record["payload_truncated"] is False


def test_a_copy_limit_the_request_size_cannot_carry_is_refused() -> None:
    settings = {"KAFKA_BOOTSTRAP_SERVERS": "k:9092", "ICEBERG_CATALOG_URI": "http://c"}
    assert JobConfig.from_settings(settings).dlq_payload_max_bytes == DLQ_PAYLOAD_MAX_BYTES
    with pytest.raises(ConfigError, match="DLQ_PAYLOAD_MAX_BYTES=500000"):
        JobConfig.from_settings({**settings, "DLQ_PAYLOAD_MAX_BYTES": "500000"})
    raised = JobConfig.from_settings(
        {**settings, "DLQ_PAYLOAD_MAX_BYTES": "500000", "DLQ_MAX_REQUEST_BYTES": "4000000"}
    )
    assert raised.dlq_max_request_bytes == 4_000_000


def test_dlq_record_names_its_source() -> None:
    rejection = validate_payload(b"[]")
    assert hasattr(rejection, "kind")
    record = json.loads(dlq_record(b"[]", rejection, ("orders", 1, 7), NOW))  # type: ignore[arg-type]
    assert record["source"] == {"topic": "orders", "partition": 1, "offset": 7}
