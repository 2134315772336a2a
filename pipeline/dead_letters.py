"""The dead-letter record: why a payload was rejected, where it was read, and the payload itself,
cut to a bounded size.

Bounded because the record is sent to Kafka: a copy of a ~1 MB record (base64 or JSON-escaped)
is over Kafka's request limit, its send fails, and the job restarts for ever on one record. The
copy keeps the first `payload_max_bytes` bytes; the record then says how large the payload was
and its sha256, so the original can still be identified in the source topic.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Final

from producer.contract import Rejection

DLQ_PAYLOAD_MAX_BYTES: Final = 64 * 1024
# Kafka's own default for a producer's max.request.size; the broker's message.max.bytes is 1 MiB too.
DLQ_MAX_REQUEST_BYTES: Final = 1024 * 1024
# Everything but the payload: the reason (its value is cut to VALUE_PREVIEW characters), the
# source (a topic name is at most 249 characters), the times and the keys; with room to spare.
_RECORD_OVERHEAD: Final = 4096
# The most one payload byte can become in the record: a control byte is written as `\u00XX`.
_WORST_EXPANSION: Final = 6


def dlq_record_max_bytes(payload_max_bytes: int) -> int:
    """The largest dead-letter record (UTF-8 bytes) for a payload limit, whatever the payload."""
    return payload_max_bytes * _WORST_EXPANSION + _RECORD_OVERHEAD


def _copy(payload: bytes, limit: int) -> tuple[str, str]:
    """(text, encoding) of the payload's first `limit` bytes: UTF-8 text where the payload is
    UTF-8 (a character cut in two at the limit is left out), else base64."""
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(payload[:limit]).decode("ascii"), "base64"
    return payload[:limit].decode("utf-8", errors="ignore"), "utf-8"


def dlq_record(
    payload: bytes | None,
    rejection: Rejection,
    source: tuple[str, int, int],
    failed_at: datetime,
    payload_max_bytes: int = DLQ_PAYLOAD_MAX_BYTES,
) -> str:
    """The dead-letter JSON of a rejected payload read at `source` (topic, partition, offset)."""
    raw = payload or b""
    copied, encoding = _copy(raw, payload_max_bytes)
    topic, partition, offset = source
    return json.dumps(
        {
            "payload": copied,
            "payload_encoding": encoding,
            "payload_truncated": len(raw) > payload_max_bytes,
            "payload_size": len(raw),
            "payload_sha256": hashlib.sha256(raw).hexdigest(),
            "reason": {
                "kind": rejection.kind,
                "field": rejection.field,
                "value": rejection.value,
                "rule": rejection.rule,
                "line": rejection.line(),
            },
            "source": {"topic": topic, "partition": partition, "offset": offset},
            "failed_at": failed_at.astimezone(UTC).isoformat(),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
