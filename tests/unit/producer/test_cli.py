"""`analytics-producer` through Typer's CliRunner: the standalone generator and the option errors.
Kafka itself is covered by tests/integration/test_producer_kafka.py."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from producer.cli import app
from producer.contract import OrderCreatedV1, validate_payload
from tests.unit.producer.samples import payload

runner = CliRunner()
SEEDED = ["--seed", "7", "--start-time", "2026-11-24T12:00:00Z"]


def produce(*args: str) -> tuple[int, bytes, str]:
    result = runner.invoke(app, ["produce", "orders", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


def test_output_dash_writes_clean_jsonl_to_stdout_and_the_summary_to_stderr() -> None:
    code, stdout, stderr = produce("--output", "-", "--count", "25", "--run-id", "cli", *SEEDED)
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert len(lines) == 25
    for line in lines:
        order = validate_payload(line)
        assert isinstance(order, OrderCreatedV1) and order.order_id.startswith("ord-cli-")
    assert "sent" in stderr and "achieved rate" in stderr and "replay with --seed 7" in stderr


def test_the_same_seed_and_start_time_give_the_same_file() -> None:
    first = produce(
        "-o", "-", "--count", "100", "--invalid-ratio", "0.2", "--duplicate-ratio", "0.1", *SEEDED
    )
    second = produce(
        "-o", "-", "--count", "100", "--invalid-ratio", "0.2", "--duplicate-ratio", "0.1", *SEEDED
    )
    assert first[1] == second[1] and first[1]


def test_output_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "orders.jsonl"
    code, stdout, _ = produce("--output", str(target), "--count", "10", *SEEDED)
    assert code == 0 and stdout == b""
    assert len(target.read_bytes().splitlines()) == 10


def test_dry_run_sends_nothing_and_reports_what_would_be_rejected() -> None:
    code, stdout, stderr = produce("--dry-run", "--count", "300", "--invalid-ratio", "0.5", *SEEDED)
    assert code == 0 and stdout == b""
    assert "the contract would reject" in stderr


@pytest.mark.parametrize(
    ("args", "option", "fragment"),
    [
        (["--rate", "-1"], "--rate", "'-1' must be >= 0"),
        (["--rate", "nan"], "--rate", "'nan' must be >= 0"),
        (["--count", "many"], "--count", "'many' is not an integer"),
        (["--duration", "30x"], "--duration", "'30x' is not a duration"),
        (["--start-time", "2026-11-24T12:00:00"], "--start-time", "has no offset"),
        (["--start-time", "yesterday"], "--start-time", "'yesterday' is not ISO-8601"),
        (["--currencies", "EUR,EURO"], "--currencies", "EURO"),
        (["--invalid-ratio", "1.5"], "--invalid-ratio", "'1.5' must be between 0 and 1"),
        (["--invalid-ratio", "0.6", "--late-ratio", "0.6"], "--invalid-ratio", "add up to 1.2"),
        (["--invalid-kinds", "oversized,bogus"], "--invalid-kinds", "bogus"),
        (["--run-id", "no spaces"], "--run-id", "no spaces"),
        (["--partitions", "0"], "--partitions", "'0' must be >= 1"),
        (["--skew", "soon"], "--skew", "'soon' is not a duration"),
        (["--output", "/nonexistent/dir/x.jsonl"], "--output", "cannot write"),
    ],
)
def test_a_bad_option_value_is_a_clear_error_naming_the_option(
    args: list[str], option: str, fragment: str
) -> None:
    code, stdout, stderr = produce("--count", "1", *(args if "--output" in args else ["-o", "-", *args]))
    assert code == 2 and stdout == b""
    flat = " ".join(stderr.replace("│", " ").split())  # rich wraps the error box
    assert f"Invalid value for '{option}'" in flat and fragment in flat, flat


def test_help_lists_the_options() -> None:
    result = runner.invoke(app, ["produce", "orders", "--help"])
    assert result.exit_code == 0
    for option in (
        "--rate",
        "--count",
        "--duration",
        "--seed",
        "--output",
        "--bootstrap-servers",
        "--partitions",
    ):
        assert option in result.stdout


def test_publish_dry_run_reports_each_rejected_line_and_checks_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "mine.jsonl"
    source.write_bytes(
        b"\n".join([payload(), payload(order_amount="-1.00"), b"", b"{oops", payload(order_id="ord-2")])
        + b"\n"
    )
    result = runner.invoke(app, ["publish", str(source), "--dry-run"])
    assert result.exit_code == 4  # some lines rejected; the rest went through
    assert "line 2: order_amount='-1.00': must be >= 0 (negative_amount)" in result.stderr
    assert "line 4: (payload)='{oops'" in result.stderr
    flat = " ".join(result.stderr.replace("│", " ").split())
    assert "sent 2" in flat and "rejected before publish 2" in flat


def test_publish_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["publish", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_an_unreachable_broker_is_a_quick_clear_error() -> None:
    started = time.monotonic()
    result = runner.invoke(app, ["produce", "orders", "--count", "1", "--bootstrap-servers", "127.0.0.1:9"])
    assert time.monotonic() - started < 10  # the publisher's 5 s connect check, not librdkafka's retries
    assert result.exit_code == 3
    flat = " ".join(result.stderr.split())
    assert "no Kafka broker answered at 127.0.0.1:9" in flat


def test_valid_lines_from_the_generator_publish_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "gen.jsonl"
    _, stdout, _ = produce("-o", "-", "--count", "40", *SEEDED)
    source.write_bytes(stdout)
    result = runner.invoke(app, ["publish", str(source), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(stdout.splitlines()[0])["schema_version"] == "1"
