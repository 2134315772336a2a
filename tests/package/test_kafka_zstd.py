"""The uber jar keeps one zstd-jni, Iceberg's (compose/jvm/pom.xml drops kafka-clients' older
copy): Kafka's zstd codec must still compress and decompress with it, natives included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.package.java_probe import run_probe

pytestmark = pytest.mark.integration  # builds the real uber jar with Maven

PROBE = Path(__file__).with_name("KafkaZstdProbe.java")


def test_kafka_zstd_round_trips_with_the_uber_jars_one_zstd(uber_jar: Path, tmp_path: Path) -> None:
    result = run_probe(uber_jar, PROBE, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "zstd: 10000 bytes -> " in result.stdout
