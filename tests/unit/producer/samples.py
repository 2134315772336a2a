"""Sample payloads shared by the producer unit tests."""

from __future__ import annotations

import json
from typing import Any

VALID: dict[str, Any] = {
    "event_id": "6f1c2a4e-8d3b-4a57-9b0e-2c1d3e4f5a6b",
    "event_time": "2026-11-21T01:30:00.250+02:00",
    "order_id": "ord-1",
    "user_id": "usr-1",
    "order_amount": "19.99",
    "currency": "EUR",
    "order_status": "CREATED",
}


def payload(**changes: Any) -> bytes:
    """VALID with `changes`; a change to `...` (Ellipsis) removes the field."""
    document = {**VALID, **changes}
    return json.dumps({k: v for k, v in document.items() if v is not ...}).encode()
