"""The publishing core without a broker: delivery reports through a stand-in client, the size
limit, and the errors a dead address gives."""

from __future__ import annotations

import time

import pytest

from producer.publishing import (
    MAX_RECORD_BYTES,
    BrokerUnreachable,
    Delivery,
    DeliveryFailed,
    DeliveryLog,
    KafkaPublisher,
    RecordTooLarge,
    producer_config,
)
from tests.unit.producer.fake_kafka import DEAD, FakeProducer, core_with


def test_each_delivered_record_has_its_partition_and_offset_in_consumer_order() -> None:
    core = core_with(FakeProducer())
    seen: list[Delivery] = []
    log = DeliveryLog(on_delivered=seen.append)
    for key in (b"a", b"bb", b"c", b"dd"):
        core.send("t", key, b"v-" + key, [("h", b"x")], log=log, label=f"label-{key.decode()}")
    delivered = core.settle(log, expected=4, timeout=1)
    assert [(d.partition, d.offset, d.key) for d in delivered] == [
        (0, 0, b"bb"),
        (0, 1, b"dd"),
        (1, 0, b"a"),
        (1, 1, b"c"),
    ]
    assert {d.label for d in delivered} == {"label-a", "label-bb", "label-c", "label-dd"}
    assert delivered[0].value == b"v-bb" and delivered[0].topic == "t"
    assert len(seen) == 4  # the hook saw each one as it arrived
    assert (core.stats.sent, core.stats.delivered, core.stats.failed) == (4, 4, 0)


def test_an_explicit_partition_is_passed_on() -> None:
    core = core_with(FakeProducer())
    log = DeliveryLog()
    core.send("t", b"a", b"v", partition=7, log=log)
    assert core.settle(log, 1, 1)[0].partition == 7


def test_records_sent_without_a_log_are_still_counted() -> None:
    core = core_with(FakeProducer(fail_keys=frozenset({b"bad"})))
    core.send("t", b"ok", b"v")
    core.send("t", b"bad", b"v")
    assert core.flush(1) == 0
    assert (core.stats.sent, core.stats.delivered, core.stats.failed) == (2, 1, 1)
    assert core.stats.last_error and "timed out" in core.stats.last_error.lower()


def test_a_failed_delivery_fails_the_batch_and_says_why() -> None:
    core = core_with(FakeProducer(fail_keys=frozenset({b"bad"})))
    log = DeliveryLog()
    core.send("t", b"ok", b"v", log=log)
    core.send("t", b"bad", b"v", log=log)
    with pytest.raises(DeliveryFailed) as raised:
        core.settle(log, expected=2, timeout=1)
    message = str(raised.value)
    assert "1 of 2 records not acknowledged" in message and "1 failed" in message
    assert "b'bad'" in message and len(log.delivered) == 1


def test_records_without_a_report_fail_the_batch_as_unreported() -> None:
    core = core_with(FakeProducer(lose_keys=frozenset({b"lost"})))
    log = DeliveryLog()
    core.send("t", b"ok", b"v", log=log)
    core.send("t", b"lost", b"v", log=log)
    with pytest.raises(DeliveryFailed, match=r"1 without a report within 3 s"):
        core.settle(log, expected=2, timeout=3)
    assert core.stats.pending == 1


def test_the_errors_kept_are_bounded_but_every_failure_is_counted() -> None:
    log = DeliveryLog()
    for i in range(100):
        log.fail(str(i).encode(), "boom")
    assert log.failed == 100 and len(log.errors) == 20


def test_a_record_over_the_brokers_limit_is_refused_before_it_is_sent() -> None:
    fake = FakeProducer()
    core = core_with(fake)
    with pytest.raises(RecordTooLarge, match=r"1,000,001 bytes .* limit of 1,000,000 bytes"):
        core.send("t", b"", b"x" * (MAX_RECORD_BYTES + 1))
    core.send("t", b"", b"x" * 900_000)  # a 900 KB poison record still goes
    assert len(fake.queued) == 1 and core.stats.sent == 1


def test_the_client_settings_keep_order_and_the_size_limit_and_take_overrides() -> None:
    config = producer_config("k:9092", {"message.timeout.ms": 1})
    assert config["enable.idempotence"] is True and config["acks"] == "all"
    assert config["partitioner"] == "murmur2_random"
    assert config["message.max.bytes"] == MAX_RECORD_BYTES
    assert config["message.timeout.ms"] == 1


def test_a_dead_address_is_a_clear_error_within_the_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(BrokerUnreachable, match=r"no Kafka broker answered at 127.0.0.1:9 within 0.5 s"):
        KafkaPublisher(DEAD).check_reachable(0.5)
    assert time.monotonic() - started < 5


def test_a_real_client_reports_a_timed_out_delivery_as_a_failure() -> None:
    core = KafkaPublisher(DEAD, {"message.timeout.ms": 300})
    log = DeliveryLog()
    core.send("t", b"k", b"v", log=log)
    with pytest.raises(DeliveryFailed, match=r"1 of 1 records not acknowledged .*\(1 failed"):
        core.settle(log, expected=1, timeout=10)
    assert core.stats.failed == 1
