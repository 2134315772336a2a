"""The steps' Kafka adapter over the publishing core: evidence of each delivered record, and a
failed delivery failing the scenario as an assertion."""

from __future__ import annotations

import pytest

from fixtures.diagnostics import Evidence
from steps.support.kafka import DeliveryFailed, Outgoing, Publisher
from tests.unit.producer.fake_kafka import DEAD, FakeProducer, core_with


def test_the_steps_publisher_records_evidence_and_fails_as_an_assertion() -> None:
    evidence = Evidence("run1")
    publisher = Publisher(DEAD, evidence)
    publisher.core = core_with(FakeProducer(fail_keys=frozenset({b"bad"})))
    published = publisher.publish("t", [Outgoing(b"bb", b"1", "valid"), Outgoing(b"a", b"2", "late")])
    assert [(r.partition, r.offset, r.intent) for r in published] == [(0, 0, "valid"), (1, 0, "late")]
    assert sorted(r.key or b"" for r in evidence.published) == [b"a", b"bb"]
    with pytest.raises(DeliveryFailed) as raised:
        publisher.publish("t", [Outgoing(b"bad", b"3")])
    assert isinstance(raised.value, AssertionError)
