"""The job's configuration: environment variables locally, runtime property groups on AWS.

One set of keys (see docs/configuration.md). Locally they come from the environment of
`flink run`; on AWS Managed Flink from /etc/flink/application_properties.json, a list of
{"PropertyGroupId": ..., "PropertyMap": {...}} whose maps are merged (later groups win).
No local paths live here: everything that differs between machines is a key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.dead_letters import DLQ_MAX_REQUEST_BYTES, DLQ_PAYLOAD_MAX_BYTES, dlq_record_max_bytes

# Where AWS Managed Flink writes the application's property groups. The AWS rehearsal (a stock
# Flink on this machine, scripts/aws_rehearsal.py) cannot write /etc: it names its copy here.
AWS_PROPERTIES_FILE = Path(
    os.environ.get("ORDERFLOW_PROPERTIES_FILE") or "/etc/flink/application_properties.json"
)
DEPLOYMENT_ENVS = ("local", "aws")
# "group" resumes where the previous deployment's last checkpoint committed its offsets (the same
# checkpoint that committed its Iceberg files), falling back to the earliest offset for a new group.
STARTING_OFFSETS = {"group": "group-offsets", "earliest": "earliest-offset", "latest": "latest-offset"}


class ConfigError(ValueError):
    """A key is missing or has a value the job cannot use; names the key and the value."""


def load_settings(
    env: Mapping[str, str] | None = None, properties_file: Path = AWS_PROPERTIES_FILE
) -> dict[str, str]:
    """Environment first, then AWS property groups on top when that file exists."""
    settings = dict(os.environ if env is None else env)
    if properties_file.exists():
        for group in json.loads(properties_file.read_text()):
            settings.update({str(k): str(v) for k, v in group.get("PropertyMap", {}).items()})
    return settings


@dataclass(frozen=True)
class CatalogConfig:
    """Iceberg REST catalog: a local REST server on LocalStack S3, or AWS S3 Tables."""

    name: str
    uri: str
    warehouse: str
    region: str
    s3_endpoint: str | None = None
    sigv4: bool = False
    # Static keys for an S3 emulator only: the TaskManagers do not see the submitter's
    # environment, so they travel as catalog properties. On AWS the IAM role is used instead.
    access_key_id: str | None = None
    secret_access_key: str | None = None

    def properties(self) -> dict[str, str]:
        props = {
            "type": "iceberg",
            "catalog-type": "rest",
            "uri": self.uri,
            "warehouse": self.warehouse,
            "io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
            "client.region": self.region,
        }
        if self.s3_endpoint:
            props |= {"s3.endpoint": self.s3_endpoint, "s3.path-style-access": "true"}
        if self.access_key_id and self.secret_access_key:
            props |= {"s3.access-key-id": self.access_key_id, "s3.secret-access-key": self.secret_access_key}
        if self.sigv4:
            props |= {
                "rest.sigv4-enabled": "true",
                "rest.signing-name": "s3tables",
                "rest.signing-region": self.region,
            }
        return props


@dataclass(frozen=True)
class JobConfig:
    deployment_env: str
    kafka_bootstrap: str
    orders_topic: str
    dlq_topic: str
    group_id: str
    starting_offsets: str
    catalog: CatalogConfig
    database: str
    table: str
    checkpoint_interval_ms: int
    watermark_max_out_of_orderness_ms: int
    dedupe_ttl_ms: int
    restart_attempts: int
    restart_delay_ms: int
    parallelism: int | None
    python_execution_mode: str
    fast_lane: bool = True
    kafka_properties: dict[str, str] = field(default_factory=dict)
    dlq_payload_max_bytes: int = DLQ_PAYLOAD_MAX_BYTES
    watermark_max_ahead_ms: int = 3_600_000
    dlq_max_request_bytes: int = DLQ_MAX_REQUEST_BYTES

    @property
    def table_path(self) -> str:
        return f"`{self.catalog.name}`.`{self.database}`.`{self.table}`"

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> JobConfig:
        read = _Reader(settings)
        deployment_env = read.choice("DEPLOYMENT_ENV", DEPLOYMENT_ENVS, default="local")
        region = read.text("ICEBERG_CATALOG_REGION", default=settings.get("AWS_REGION", "us-east-1"))
        if deployment_env == "aws":
            catalog = CatalogConfig(
                name="iceberg",
                uri=read.text(
                    "ICEBERG_CATALOG_URI", default=f"https://s3tables.{region}.amazonaws.com/iceberg"
                ),
                warehouse=read.text("ICEBERG_CATALOG_WAREHOUSE"),  # the table bucket ARN
                region=region,
                sigv4=True,
                # Unset on AWS (S3's regional endpoint); an S3 Tables emulator's address otherwise.
                s3_endpoint=read.text("ICEBERG_CATALOG_S3_ENDPOINT", default="") or None,
            )
            kafka_properties = _msk_iam_properties() if read.flag("KAFKA_IAM_AUTH", default=True) else {}
        else:
            catalog = CatalogConfig(
                name="iceberg",
                uri=read.text("ICEBERG_CATALOG_URI"),
                warehouse=read.text("ICEBERG_CATALOG_WAREHOUSE", default="s3://warehouse/"),
                region=region,
                s3_endpoint=read.text(
                    "ICEBERG_CATALOG_S3_ENDPOINT", default=settings.get("AWS_ENDPOINT_URL", "")
                )
                or None,
                access_key_id=settings.get("AWS_ACCESS_KEY_ID"),
                secret_access_key=settings.get("AWS_SECRET_ACCESS_KEY"),
            )
            kafka_properties = {}
        return cls(
            deployment_env=deployment_env,
            kafka_bootstrap=read.text("KAFKA_BOOTSTRAP_SERVERS"),
            orders_topic=read.text("ORDERS_TOPIC", default="orders.created.v1"),
            dlq_topic=read.text("DLQ_TOPIC", default="orders.created.v1.dlq"),
            group_id=read.text("KAFKA_GROUP_ID", default="order_ingest_job"),
            starting_offsets=STARTING_OFFSETS[
                read.choice("KAFKA_STARTING_OFFSETS", tuple(STARTING_OFFSETS), default="group")
            ],
            catalog=catalog,
            database=read.text("ICEBERG_DATABASE", default="analytics"),
            table=read.text("ICEBERG_TABLE", default="orders"),
            checkpoint_interval_ms=read.integer("CHECKPOINT_INTERVAL_MS", default=10_000, minimum=100),
            watermark_max_out_of_orderness_ms=read.integer(
                "WATERMARK_MAX_OUT_OF_ORDERNESS_MS", default=5_000, minimum=0
            ),
            dedupe_ttl_ms=read.integer("DEDUPE_TTL_MS", default=24 * 3600 * 1000, minimum=1000),
            restart_attempts=read.integer("RESTART_ATTEMPTS", default=10, minimum=0),
            restart_delay_ms=read.integer("RESTART_DELAY_MS", default=2_000, minimum=0),
            parallelism=read.integer("PARALLELISM", default=0, minimum=0) or None,
            python_execution_mode=read.choice(
                "PYTHON_EXECUTION_MODE", ("process", "thread"), default="process"
            ),
            fast_lane=read.flag("VALIDATION_FAST_LANE", default=True),
            kafka_properties=kafka_properties,
            watermark_max_ahead_ms=read.integer("WATERMARK_MAX_AHEAD_MS", default=3_600_000, minimum=0),
            **_dlq_limits(read),
        )

    @classmethod
    def load(cls) -> JobConfig:
        return cls.from_settings(load_settings())


def _dlq_limits(read: _Reader) -> dict[str, int]:
    """The DLQ's two limits, checked together: a dead-letter record, whatever the payload it
    copies, must fit in one Kafka request, or its send fails and restarts the job for ever."""
    payload = read.integer("DLQ_PAYLOAD_MAX_BYTES", default=DLQ_PAYLOAD_MAX_BYTES, minimum=0)
    request = read.integer("DLQ_MAX_REQUEST_BYTES", default=DLQ_MAX_REQUEST_BYTES, minimum=1024)
    if dlq_record_max_bytes(payload) > request:
        raise ConfigError(
            f"DLQ_PAYLOAD_MAX_BYTES={payload}: a dead-letter record may then take "
            f"{dlq_record_max_bytes(payload)} bytes, over DLQ_MAX_REQUEST_BYTES={request}; lower the "
            f"first or raise the second (and the broker's message.max.bytes with it)"
        )
    return {"dlq_payload_max_bytes": payload, "dlq_max_request_bytes": request}


def _msk_iam_properties() -> dict[str, str]:
    """Amazon MSK IAM auth (the aws-msk-iam-auth jar ships in the uber jar of `make package`)."""
    return {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "AWS_MSK_IAM",
        "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
        "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    }


class _Reader:
    def __init__(self, settings: Mapping[str, str]) -> None:
        self.settings = settings

    def text(self, key: str, default: str | None = None) -> str:
        value = self.settings.get(key, default)
        if value is None or (value == "" and default is None):
            raise ConfigError(f"{key} is not set (environment or AWS property group)")
        return value

    def integer(self, key: str, default: int, minimum: int) -> int:
        raw = self.settings.get(key)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{key}={raw!r}: must be an integer") from None
        if value < minimum:
            raise ConfigError(f"{key}={raw!r}: must be >= {minimum}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        raw = self.settings.get(key)
        if raw in (None, ""):
            return default
        if raw.lower() not in {"true", "false", "1", "0"}:
            raise ConfigError(f"{key}={raw!r}: must be true or false")
        return raw.lower() in {"true", "1"}

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.settings.get(key) or default
        if value not in allowed:
            raise ConfigError(f"{key}={value!r}: must be one of {', '.join(allowed)}")
        return value
