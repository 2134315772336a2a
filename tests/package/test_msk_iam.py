"""MSK IAM auth loads from the uber jar alone: the login module, the callback handler running the
AWS credential chain (fake keys here, the application role on AWS), and the Kafka client
classes they plug into. MSK's IAM SASL handshake itself cannot be emulated; this is what can."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.ports import free_port
from tests.package.java_probe import run_probe

pytestmark = pytest.mark.integration  # builds the real uber jar with Maven

PROBE = Path(__file__).with_name("MskIamProbe.java")
FAKE_KEY = "AKIAORDERFLOWPROBE01"


def test_msk_iam_auth_loads_and_runs_from_the_uber_jar_alone(uber_jar: Path, tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ACCESS_KEY_ID": FAKE_KEY,
        "AWS_SECRET_ACCESS_KEY": "fake-secret",
        "AWS_REGION": "us-east-1",
    }
    unreachable = f"127.0.0.1:{free_port()}"  # the producer is built, never connected
    result = run_probe(uber_jar, PROBE, unreachable, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"credentials: {FAKE_KEY}" in result.stdout
    assert "with AWS_MSK_IAM" in result.stdout
