"""Steps that use the producer: generated orders (the producer library), flows of them in the
background, and the producer CLI run as a user would run it.

    When 60 generated orders are published to "orders.created.v1"
    When 50 generated orders in the currencies EUR, USD, JPY are published to "orders.created.v1"
    Given 600 generated orders start flowing to "orders.created.v1" at 40 per second
    When 100 orders of the flow have been published
    When the flow has published all its orders
    When the user runs "analytics-producer produce orders --count 50 --seed 7" against the stack
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, then, when

from fixtures.diagnostics import Evidence, PublishedRecord
from fixtures.topics import read_topic
from fixtures.waits import Probe
from producer.intent import INTENT_HEADER
from steps.support.kafka import MARKER, Flow, Outgoing, Publisher
from steps.support.scope import RunScope

CLI_TIMEOUT = 180.0


def _seed(scope: RunScope) -> int:
    """A seed of this run: generated ids never collide with another run's."""
    return int(scope.run_id, 16) if all(c in "0123456789abcdef" for c in scope.run_id) else hash(scope.run_id)


def _currencies(text: str) -> list[str]:
    return [c.strip() for c in text.replace(" and ", ",").split(",") if c.strip()]


def _generated(count: int, scope: RunScope, **options: Any) -> list[Outgoing]:
    # Imported here: the generator starts Faker (half a second), which a scenario of hand-written
    # events never needs.
    from producer.generate import generate_orders

    return [
        Outgoing(event.key, event.value, event.intent)
        for event in generate_orders(count, seed=_seed(scope), run_id=scope.run_id, **options)
    ]


@when(
    parsers.parse('{count:d} generated orders are published to "{topic}"'), target_fixture="published_batch"
)
def publish_generated(count: int, topic: str, run_scope: RunScope, publisher: Publisher) -> list[Outgoing]:
    records = _generated(count, run_scope)
    publisher.publish(topic, records)
    return records


@when(
    parsers.parse('{count:d} generated orders in the currencies {currencies} are published to "{topic}"'),
    target_fixture="published_batch",
)
def publish_generated_in(
    count: int,
    currencies: str,
    topic: str,
    run_scope: RunScope,
    publisher: Publisher,
) -> list[Outgoing]:
    records = _generated(count, run_scope, currencies=_currencies(currencies))
    publisher.publish(topic, records)
    return records


@given(
    parsers.parse('{count:d} generated orders start flowing to "{topic}" at {rate:d} per second'),
    target_fixture="flow",
)
def start_flow(
    count: int,
    topic: str,
    rate: int,
    run_scope: RunScope,
    kafka_bootstrap: str,
    evidence: Evidence,
    flows: list[Flow],
) -> Flow:
    started = Flow(kafka_bootstrap, topic, _generated(count, run_scope), rate, evidence).start()
    flows.append(started)
    return started


def _started(flow: Flow | None) -> Flow:
    assert flow is not None, "no flow was started in this scenario"
    return flow


@when(parsers.parse("{count:d} orders of the flow have been published"))
def flow_reached(count: int, flow: Flow | None, eventually: Any) -> None:
    flow = _started(flow)

    def reached() -> Probe:
        if flow.error is not None:
            raise flow.error
        return Probe(flow.delivered >= count, flow.progress())

    eventually(f"{count} orders of the flow to be acknowledged by Kafka", reached)


@when("the flow has published all its orders")
def flow_done(flow: Flow | None, eventually: Any) -> None:
    flow = _started(flow)
    total = len(flow.records)
    eventually(
        f"the flow to publish its {total} orders",
        lambda: Probe(flow.finished, flow.progress()),
        timeout=eventually.timeout * 2.5,
    )
    assert flow.error is None, f"the flow failed: {flow.error!r}"
    assert flow.delivered == total and not flow.deliveries.errors, (
        f"the flow published {flow.delivered} of {total} orders; errors: {flow.deliveries.errors[:5]}"
    )


# -- the producer CLI ------------------------------------------------------------------------------
def _cli(name: str) -> str:
    beside = Path(sys.executable).parent / name  # the venv that runs pytest
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed (pip install -e '.[harness]')"
    return found


@when(parsers.parse('the user runs "{command}" against the stack'))
def user_runs(
    command: str,
    run_scope: RunScope,
    kafka_bootstrap: str,
    evidence: Evidence,
) -> subprocess.CompletedProcess[str]:
    """The command as written, plus the stack's Kafka address and this scenario's run id (what a
    user sets with KAFKA_BOOTSTRAP_SERVERS and --run-id). What it published is then read back from
    its topic: the records whose key carries the run id."""
    words = shlex.split(command)
    started = datetime.now(UTC)  # no record of the run can have been published before this
    args = [_cli(words[0]), *words[1:], "--bootstrap-servers", kafka_bootstrap, "--run-id", run_scope.run_id]
    result = subprocess.run(args, capture_output=True, text=True, timeout=CLI_TIMEOUT, check=False)
    evidence.waits.append(f"`{shlex.join([words[0], *args[1:]])}` exited {result.returncode}")
    assert result.returncode == 0, (
        f"`{command}` exited with {result.returncode}\n--- stderr ---\n{result.stderr[-3000:]}"
    )
    topic = _option(words, "--topic") or "orders.created.v1"
    prefix = run_scope.run_prefix().encode()
    for record in read_topic(kafka_bootstrap, topic, timeout=10.0):
        if record.key and record.key.startswith(prefix):
            evidence.record_published(
                PublishedRecord(
                    topic,
                    record.partition,
                    record.offset,
                    record.key,
                    record.value,
                    started,
                    (record.headers.get(INTENT_HEADER) or b"").decode(),
                )
            )
    return result


def _option(words: list[str], name: str) -> str | None:
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


@then(parsers.parse('{count:d} records of this scenario were published to "{topic}"'))
def published_count(count: int, topic: str, evidence: Evidence) -> None:
    found = len([r for r in evidence.published_to(topic) if r.intent != MARKER])
    assert found == count, f"{found} records of this scenario in {topic}, expected {count}"
