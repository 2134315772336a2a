"""The job's configuration: the same keys from the environment (local) and AWS property groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import ConfigError, JobConfig, load_settings

LOCAL = {
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
    "ICEBERG_CATALOG_URI": "http://127.0.0.1:8181",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
}


def test_local_defaults_point_at_localstack_and_the_rest_catalog() -> None:
    config = JobConfig.from_settings(LOCAL)
    assert config.deployment_env == "local"
    assert (config.orders_topic, config.dlq_topic) == ("orders.created.v1", "orders.created.v1.dlq")
    assert config.table_path == "`iceberg`.`analytics`.`orders`"
    props = config.catalog.properties()
    assert props["catalog-type"] == "rest"
    assert props["uri"] == "http://127.0.0.1:8181"
    assert props["warehouse"] == "s3://warehouse/"
    assert props["s3.endpoint"] == "http://127.0.0.1:4566"
    assert props["s3.path-style-access"] == "true"
    assert props["s3.access-key-id"] == "test"
    assert "rest.sigv4-enabled" not in props
    assert config.kafka_properties == {}
    assert config.starting_offsets == "group-offsets"  # a redeployment resumes, never replays
    assert config.fast_lane and config.python_execution_mode == "process"
    assert not JobConfig.from_settings({**LOCAL, "VALIDATION_FAST_LANE": "false"}).fast_lane


def test_aws_uses_s3_tables_with_sigv4_and_msk_iam(tmp_path: Path) -> None:
    properties = tmp_path / "application_properties.json"
    properties.write_text(
        json.dumps(
            [
                {"PropertyGroupId": "kafka", "PropertyMap": {"KAFKA_BOOTSTRAP_SERVERS": "b-1.msk:9098"}},
                {
                    "PropertyGroupId": "iceberg",
                    "PropertyMap": {
                        "DEPLOYMENT_ENV": "aws",
                        "ICEBERG_CATALOG_REGION": "eu-west-1",
                        "ICEBERG_CATALOG_WAREHOUSE": "arn:aws:s3tables:eu-west-1:123456789012:bucket/analytics",
                        "CHECKPOINT_INTERVAL_MS": "60000",
                    },
                },
            ]
        )
    )
    config = JobConfig.from_settings(load_settings(env={}, properties_file=properties))
    props = config.catalog.properties()
    assert config.deployment_env == "aws"
    assert config.kafka_bootstrap == "b-1.msk:9098"
    assert props["uri"] == "https://s3tables.eu-west-1.amazonaws.com/iceberg"
    assert props["warehouse"] == "arn:aws:s3tables:eu-west-1:123456789012:bucket/analytics"
    assert props["rest.sigv4-enabled"] == "true"
    assert props["rest.signing-name"] == "s3tables"
    assert props["rest.signing-region"] == "eu-west-1"
    assert "s3.endpoint" not in props and "s3.access-key-id" not in props
    assert config.kafka_properties["sasl.mechanism"] == "AWS_MSK_IAM"
    assert config.kafka_properties["security.protocol"] == "SASL_SSL"
    assert config.checkpoint_interval_ms == 60000


def test_property_groups_override_the_environment(tmp_path: Path) -> None:
    properties = tmp_path / "p.json"
    properties.write_text(json.dumps([{"PropertyGroupId": "g", "PropertyMap": {"ORDERS_TOPIC": "from-aws"}}]))
    settings = load_settings(env={**LOCAL, "ORDERS_TOPIC": "from-env"}, properties_file=properties)
    assert JobConfig.from_settings(settings).orders_topic == "from-aws"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("CHECKPOINT_INTERVAL_MS", "soon", "CHECKPOINT_INTERVAL_MS='soon': must be an integer"),
        ("CHECKPOINT_INTERVAL_MS", "5", "CHECKPOINT_INTERVAL_MS='5': must be >= 100"),
        ("DEPLOYMENT_ENV", "prod", "DEPLOYMENT_ENV='prod': must be one of local, aws"),
        ("KAFKA_STARTING_OFFSETS", "middle", "KAFKA_STARTING_OFFSETS='middle': must be one of"),
        ("PYTHON_EXECUTION_MODE", "fast", "PYTHON_EXECUTION_MODE='fast': must be one of process, thread"),
        ("VALIDATION_FAST_LANE", "maybe", "VALIDATION_FAST_LANE='maybe': must be true or false"),
    ],
)
def test_bad_values_name_the_key_and_the_value(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        JobConfig.from_settings({**LOCAL, key: value})


def test_a_missing_required_key_is_named() -> None:
    settings = {k: v for k, v in LOCAL.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    with pytest.raises(ConfigError, match="KAFKA_BOOTSTRAP_SERVERS is not set"):
        JobConfig.from_settings(settings)
