"""Where a new consumer group starts, decided when the job is deployed rather than when its reader
first polls.

With `scan.startup.mode` group-offsets and `auto.offset.reset` latest, Flink's Kafka reader resolves
"latest" lazily, at its first fetch, a moment after the job reports RUNNING: orders published in
between are skipped (the sales features lost their first orders so). Committing the topic's end
offsets for a group that has none, before the job is submitted, makes "latest" mean "when it was
deployed". A group that has committed offsets is left alone: the job resumes from them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pipeline.config import JobConfig

if TYPE_CHECKING:
    from pipeline.sales_metrics import SalesMetricsConfig

_CONSUMER = "org.apache.kafka.clients.consumer"
_BYTES = "org.apache.kafka.common.serialization.ByteArrayDeserializer"


def commit_end_offsets_of_new_group(config: JobConfig) -> dict[int, int]:
    """Commit the end offset of every partition of the orders topic for `config.group_id` when the
    group has no committed offset at all; partition → offset committed (empty: left alone)."""
    from pyflink.java_gateway import get_gateway  # the Flink env only; kafka-clients is in Flink's lib/

    jvm = get_gateway().jvm
    properties = jvm.java.util.Properties()
    settings = {
        **{k: v for k, v in config.kafka_properties.items() if k != "auto.offset.reset"},
        "bootstrap.servers": config.kafka_bootstrap,
        "group.id": config.group_id,
        "enable.auto.commit": "false",
        "key.deserializer": _BYTES,
        "value.deserializer": _BYTES,
    }
    for key, value in settings.items():
        properties.setProperty(key, value)
    consumer = getattr(jvm, _CONSUMER).KafkaConsumer(properties)
    try:
        partitions = jvm.java.util.HashSet()
        for info in consumer.partitionsFor(config.orders_topic):
            partitions.add(jvm.org.apache.kafka.common.TopicPartition(config.orders_topic, info.partition()))
        committed = consumer.committed(partitions)
        if any(committed.get(tp) is not None for tp in partitions):
            return {}
        ends = consumer.endOffsets(partitions)
        offsets = jvm.java.util.HashMap()
        for tp in partitions:
            offsets.put(tp, getattr(jvm, _CONSUMER).OffsetAndMetadata(ends.get(tp)))
        consumer.commitSync(offsets)
        return {int(tp.partition()): int(ends.get(tp)) for tp in partitions}
    finally:
        consumer.close()


def start_reading(job_name: str, reader: SalesMetricsConfig, log: logging.Logger) -> None:
    """Say where a job that reads from its own new group starts, and pin "latest" to now."""
    config = reader.job
    log.info(
        "starting %s (%s): %s → %s, group %s (a new group starts at the %s offset)",
        job_name,
        config.deployment_env,
        config.orders_topic,
        config.table_path,
        config.group_id,
        reader.offset_reset,
    )
    if reader.offset_reset == "latest":
        pin_latest(config, log)


def pin_latest(config: JobConfig, log: logging.Logger) -> None:
    """For a job whose new group starts at the latest offset: make that the end offsets now."""
    if config.starting_offsets == "group-offsets" and (pinned := commit_end_offsets_of_new_group(config)):
        log.info("new group %s starts at the end offsets %s", config.group_id, pinned)
