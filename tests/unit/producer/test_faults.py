"""Each injected fault is rejected by the contract with exactly the kind it claims."""

from __future__ import annotations

import json
from random import Random

import pytest

from producer.contract import Kind, Rejection, validate_payload
from producer.faults import INJECTABLE_KINDS, inject

DOCUMENT = {
    "event_id": "6f1c2a4e-8d3b-4a57-9b0e-2c1d3e4f5a6b",
    "event_time": "2026-11-24T12:00:00.250Z",
    "order_id": "ord-x-00000001",
    "user_id": "usr-x-alice",
    "order_amount": "0.00",
    "currency": "EUR",
    "order_status": "CREATED",
    "schema_version": "1",
}


def test_every_wire_kind_but_float_can_be_injected() -> None:
    assert set(INJECTABLE_KINDS) == set(Kind) - {Kind.FLOAT_AMOUNT, Kind.INTERNAL_ERROR}


@pytest.mark.parametrize("kind", INJECTABLE_KINDS)
def test_each_fault_is_rejected_as_its_kind_in_every_variant(kind: str) -> None:
    rng = Random(kind)
    for _ in range(40):  # every fault picks among variants: try them all
        outcome = validate_payload(inject(kind, dict(DOCUMENT), rng))
        assert isinstance(outcome, Rejection), kind
        assert outcome.kind == kind, outcome.line()


def test_the_valid_document_itself_is_valid() -> None:
    assert not isinstance(validate_payload(json.dumps(DOCUMENT)), Rejection)


def test_an_unknown_kind_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown fault kind 'bogus'"):
        inject("bogus", dict(DOCUMENT), Random(0))
