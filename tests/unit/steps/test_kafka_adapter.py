"""The steps' Kafka adapter over the publishing core: evidence of each delivered record, and a
failed delivery failing the scenario as an assertion, and dropping the session's shared client."""

from __future__ import annotations

import pytest

from fixtures.diagnostics import Evidence
from steps.support.kafka import DeliveryFailed, Outgoing, Publisher, SharedProducer
from tests.unit.producer.fake_kafka import DEAD, FakeProducer, core_with


def test_the_steps_publisher_records_evidence_and_fails_as_an_assertion() -> None:
    evidence = Evidence("run1")
    shared = SharedProducer(DEAD)
    failing = core_with(FakeProducer(fail_keys=frozenset({b"bad"})))
    shared._core = failing
    publisher = Publisher(shared, evidence)
    published = publisher.publish("t", [Outgoing(b"bb", b"1", "valid"), Outgoing(b"a", b"2", "late")])
    assert [(r.partition, r.offset, r.intent) for r in published] == [(0, 0, "valid"), (1, 0, "late")]
    assert sorted(r.key or b"" for r in evidence.published) == [b"a", b"bb"]
    with pytest.raises(DeliveryFailed) as raised:
        publisher.publish("t", [Outgoing(b"bad", b"3")])
    assert isinstance(raised.value, AssertionError)
    assert shared.core is not failing  # the next step publishes through a new client


def test_scenarios_share_one_client_until_a_delivery_fails() -> None:
    shared = SharedProducer(DEAD)
    first = shared.core
    shared._core = core_with(FakeProducer())
    ok = shared.core
    Publisher(shared, Evidence("run1")).publish("t", [Outgoing(b"k", b"1")])
    Publisher(shared, Evidence("run2")).publish("t", [Outgoing(b"k", b"2")])
    assert shared.core is ok and ok is not first
