"""page_views_job: Kafka `page.views.v1` → views per page and minute (event time) → Iceberg
`web.page_views_per_minute`; records that are no page view → `page.views.v1.dlq`.

A page view: {"view_id": "…", "page": "/pricing", "user_id": "…", "viewed_at": "2026-11-24T10:00:10Z"}.
Configured by environment only, as on AWS Managed Flink. Flink SQL all through: the window is a
tumbling window TVF, so a minute is written once, when the watermark passes its end; a view that
arrives after that is late and not counted.
"""

from __future__ import annotations

import os

from pyflink.datastream import CheckpointingMode, StreamExecutionEnvironment
from pyflink.table import StreamTableEnvironment

JOB_NAME = "page_views_job"
# Text of a view the DLQ record copies: enough to recognise it, bounded whatever arrives.
DLQ_PAYLOAD_CHARS = 1000


def setting(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise SystemExit(f"{JOB_NAME}: set {name} in the job's environment")
    return value


def with_options(options: dict[str, str]) -> str:
    return ",\n".join(f"  '{key}' = '{value}'" for key, value in options.items())


def kafka(topic: str) -> dict[str, str]:
    return {
        "connector": "kafka",
        "topic": topic,
        "properties.bootstrap.servers": setting("KAFKA_BOOTSTRAP_SERVERS"),
    }


def catalog() -> dict[str, str]:
    options = {
        "type": "iceberg",
        "catalog-type": "rest",
        "uri": setting("ICEBERG_CATALOG_URI"),
        "warehouse": setting("ICEBERG_CATALOG_WAREHOUSE"),
        "io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
        "client.region": setting("AWS_REGION", "us-east-1"),
    }
    if endpoint := os.environ.get("ICEBERG_CATALOG_S3_ENDPOINT"):
        options |= {"s3.endpoint": endpoint, "s3.path-style-access": "true"}
    if os.environ.get("AWS_ACCESS_KEY_ID"):  # a local S3; on AWS the job's role signs
        options |= {
            "s3.access-key-id": setting("AWS_ACCESS_KEY_ID"),
            "s3.secret-access-key": setting("AWS_SECRET_ACCESS_KEY"),
        }
    return options


def statements(t_env: StreamTableEnvironment) -> None:
    source = {
        **kafka(setting("VIEWS_TOPIC")),
        "properties.group.id": setting("KAFKA_GROUP_ID", JOB_NAME),
        "scan.startup.mode": "group-offsets",
        "properties.auto.offset.reset": "earliest",
        "format": "raw",  # any bytes reach the job: what is no page view goes to the DLQ
    }
    # The event time: `viewed_at` when it is an instant, else the record's Kafka timestamp.
    t_env.execute_sql(f"""
CREATE TEMPORARY TABLE views_source (
  payload BYTES,
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  kafka_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  headers MAP<STRING, BYTES> METADATA VIRTUAL,
  doc AS CAST(payload AS STRING),
  viewed_at AS CAST(TRY_CAST(REPLACE(REPLACE(JSON_VALUE(CAST(payload AS STRING), '$.viewed_at'), 'T', ' '), 'Z', '')
    AS TIMESTAMP(3)) AS TIMESTAMP_LTZ(3)),
  event_time AS COALESCE(
    CAST(TRY_CAST(REPLACE(REPLACE(JSON_VALUE(CAST(payload AS STRING), '$.viewed_at'), 'T', ' '), 'Z', '')
      AS TIMESTAMP(3)) AS TIMESTAMP_LTZ(3)),
    kafka_time),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
{with_options(source)}
)""")
    t_env.execute_sql(f"""
CREATE TEMPORARY TABLE views_dlq (record STRING) WITH (
{with_options({**kafka(setting("DLQ_TOPIC")), "format": "raw", "sink.delivery-guarantee": "at-least-once"})}
)""")
    t_env.execute_sql(f"CREATE CATALOG lake WITH (\n{with_options(catalog())}\n)")
    # The harness's event-time markers (orderflow: header `orderflow-marker`) have moved the
    # watermark by now; they are no page view.
    t_env.execute_sql("""
CREATE TEMPORARY VIEW page_views AS
SELECT JSON_VALUE(doc, '$.page') AS page, JSON_VALUE(doc, '$.user_id') AS user_id, viewed_at,
  event_time, doc, `partition`, `offset`
FROM views_source WHERE headers['orderflow-marker'] IS NULL""")
    statement_set = t_env.create_statement_set()
    statement_set.add_insert_sql(f"""
INSERT INTO lake.{setting("VIEWS_TABLE")}
SELECT CAST(window_start AS TIMESTAMP_LTZ(6)), CAST(window_end AS TIMESTAMP_LTZ(6)), page,
  COUNT(*), COUNT(DISTINCT user_id)
FROM TABLE(TUMBLE(TABLE page_views, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
WHERE page IS NOT NULL AND viewed_at IS NOT NULL
GROUP BY window_start, window_end, page""")
    # The dead-letter record the orderflow steps read: where the record was, why, and its text.
    statement_set.add_insert_sql(f"""
INSERT INTO views_dlq
SELECT JSON_OBJECT(
  'source' VALUE JSON_OBJECT('topic' VALUE '{setting("VIEWS_TOPIC")}', 'partition' VALUE `partition`,
    'offset' VALUE `offset`),
  'reason' VALUE JSON_OBJECT(
    'kind' VALUE CASE WHEN page IS NULL THEN 'no_page' ELSE 'no_view_time' END,
    'rule' VALUE CASE WHEN page IS NULL THEN 'a page view has a "page"'
      ELSE 'a page view has "viewed_at", an ISO-8601 instant' END),
  'payload' VALUE SUBSTRING(doc FROM 1 FOR {DLQ_PAYLOAD_CHARS}),
  'failed_at' VALUE CAST(CURRENT_TIMESTAMP AS STRING))
FROM page_views WHERE page IS NULL OR viewed_at IS NULL""")
    statement_set.execute()


def main() -> None:
    env = StreamExecutionEnvironment.get_execution_environment()
    env.enable_checkpointing(int(setting("CHECKPOINT_INTERVAL_MS", "10000")), CheckpointingMode.EXACTLY_ONCE)
    t_env = StreamTableEnvironment.create(env)
    config = t_env.get_config()
    config.set("pipeline.name", JOB_NAME)
    config.set("table.local-time-zone", "UTC")
    statements(t_env)


if __name__ == "__main__":
    main()
