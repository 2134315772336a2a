"""Steps on Kafka topics: publish events (datatables, single fields, raw bytes) and check
dead-letter records. Phrased on topics and fields, not on orders, so they serve any JSON events.

    When these events are published to "orders.created.v1":
      | order_id | order_amount | currency |
      | ord-1    | 19.99        | EUR      |
    When an event with "currency" set to "EURO" is published to "orders.created.v1"
    When the raw record bytes 'ff fe 00' is published to "orders.created.v1"
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | reason.kind      | reason.field |
      | invalid_currency | currency     |
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from pytest_bdd import parsers, then, when

from fixtures.declaration import Declaration
from fixtures.diagnostics import Evidence, PublishedRecord
from fixtures.documents import json_object
from fixtures.waits import Probe
from steps.context import DefaultEvent, Settle
from steps.support.kafka import MARKER, Outgoing, Publisher, dlq_records_of, original_payload
from steps.support.scope import RunScope
from steps.support.values import (
    FieldValue,
    RawRecord,
    assert_exact,
    cell_to_field,
    compare,
    encode_document,
    flatten,
    parse_literal,
    table_rows,
)

EXTRA_TYPES = {"Literal": parse_literal, "Raw": RawRecord.parse}


def _key_of(fields: dict[str, FieldValue], key_field: str) -> bytes | None:
    value = fields.get(key_field)
    if isinstance(value, str):
        return value.encode()
    return None


def event_from_row(
    row: dict[str, str], scope: RunScope, default_event: DefaultEvent, n: int, event_time_field: str | None
) -> dict[str, FieldValue]:
    """The default event of this run with the row's cells on top (ids scoped to the run, the event
    time moved by the scope's shift)."""
    fields = default_event(scope, n)
    for column, cell in row.items():
        value = cell_to_field(cell)
        if isinstance(value, str) and scope.is_scoped(column):
            value = scope.scoped(column, value)
        elif isinstance(value, str) and column == event_time_field:
            value = scope.stored_instant_text(value)
        fields[column] = value
    return fields


@when(parsers.parse('these events are published to "{topic}":'), target_fixture="published_batch")
def publish_events(
    topic: str,
    datatable: list[list[str]],
    run_scope: RunScope,
    default_event: DefaultEvent,
    publisher: Publisher,
    sequence: Iterator[int],
    declaration: Declaration,
) -> list[Outgoing]:
    _, rows = table_rows(datatable)
    spec = declaration.topics.get(topic)
    records = []
    for row in rows:
        fields = event_from_row(
            row, run_scope, default_event, next(sequence), spec.event_time_field if spec else None
        )
        records.append(Outgoing(_key_of(fields, run_scope.key_column), encode_document(fields)))
    publisher.publish(topic, records)
    return records


@when(parsers.parse('the same events are published to "{topic}" again'), target_fixture="published_batch")
def publish_again(topic: str, publisher: Publisher, published_batch: list[Outgoing]) -> list[Outgoing]:
    assert published_batch, "no events were published before in this scenario"
    publisher.publish(topic, published_batch)
    return published_batch


@when(
    parsers.cfparse('an event with "{field}" set to {value:Literal} is published to "{topic}"', EXTRA_TYPES),
    target_fixture="published_batch",
)
def publish_with_field(
    field: str,
    value: FieldValue,
    topic: str,
    run_scope: RunScope,
    default_event: DefaultEvent,
    publisher: Publisher,
    sequence: Iterator[int],
) -> list[Outgoing]:
    fields = default_event(run_scope, next(sequence))
    key = _key_of(fields, run_scope.key_column)  # the record keeps its key whatever the field holds
    if value is None:
        fields.pop(field, None)
    else:
        fields[field] = value
    record = Outgoing(key, encode_document(fields))
    publisher.publish(topic, [record])
    return [record]


@when(
    parsers.cfparse('the raw record {raw:Raw} is published to "{topic}"', EXTRA_TYPES),
    target_fixture="published_batch",
)
def publish_raw(
    raw: RawRecord,
    topic: str,
    run_scope: RunScope,
    default_event: DefaultEvent,
    publisher: Publisher,
    sequence: Iterator[int],
) -> list[Outgoing]:
    order = default_event(run_scope, next(sequence))
    record = Outgoing(_key_of(order, run_scope.key_column), raw.bytes_for(order))
    publisher.publish(topic, [record])
    return [record]


@then(parsers.parse('the records of this scenario went to at least {count:d} partitions of "{topic}"'))
def spread_over_partitions(count: int, topic: str, evidence: Evidence) -> None:
    records = [r for r in evidence.published_to(topic) if r.intent != MARKER]
    partitions = {r.partition for r in records}
    assert len(partitions) >= count, (
        f"the {len(records)} records of this scenario went to partitions "
        f"{sorted(partitions)} of {topic}, expected at least {count} partitions"
    )


# -- dead-letter records -----------------------------------------------------------------------
def _dlq_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        flat = flatten({k: v for k, v in record.items() if k != "_published"})
        payload = record.get("payload")
        document = json_object(payload) if isinstance(payload, str) else None
        if document is not None:
            flat.update(flatten(document, "payload."))
        rows.append(flat)
    return rows


def _await_dlq(
    topic: str,
    datatable: list[list[str]],
    *,
    exactly: bool,
    evidence: Evidence,
    run_scope: RunScope,
    eventually: Any,
    kafka_bootstrap: str,
    settle: Settle,
) -> None:
    __tracebackhide__ = True
    columns, expected = table_rows(datatable)
    mine = [r for r in evidence.published if r.topic != topic]
    expectation = evidence.expect(
        f"dead-letter records of this scenario in {topic}{' (exactly)' if exactly else ''}", columns, expected
    )

    def look() -> Probe:
        found = _dlq_rows(dlq_records_of(kafka_bootstrap, topic, mine))
        result = compare(expectation, expected, found, columns, run_scope)
        return Probe(
            result.complete,
            f"{len(found)} dead-letter records of this scenario, {len(result.missing)} missing",
        )

    if not exactly:
        eventually(f"{len(expected)} dead-letter records of this scenario in {topic}", look)
    else:
        # Once the job has committed everything this scenario published, one look is the truth.
        settle(watch=look)
        found = _dlq_rows(dlq_records_of(kafka_bootstrap, topic, mine))
        result = compare(expectation, expected, found, columns, run_scope, exactly=True)
        assert_exact(result, f"dead-letter records of this scenario in {topic}")
    expectation.met = True


@then(
    parsers.re(
        r'the topic "(?P<topic>[^"]+)" eventually holds (?P<exactly>exactly )?these dead-letter records of this scenario:'
    )
)
def dlq_contains(
    topic: str,
    exactly: str | None,
    datatable: list[list[str]],
    evidence: Evidence,
    run_scope: RunScope,
    eventually: Any,
    kafka_bootstrap: str,
    settle: Settle,
) -> None:
    _await_dlq(
        topic,
        datatable,
        exactly=bool(exactly),
        evidence=evidence,
        run_scope=run_scope,
        eventually=eventually,
        kafka_bootstrap=kafka_bootstrap,
        settle=settle,
    )


@then(
    parsers.parse(
        'each dead-letter record of this scenario in "{topic}" carries its original record and where it was read'
    )
)
def dlq_carries_original(topic: str, evidence: Evidence, kafka_bootstrap: str) -> None:
    mine = [r for r in evidence.published if r.topic != topic]
    records = dlq_records_of(kafka_bootstrap, topic, mine)
    assert records, f"no dead-letter record of this scenario in {topic}"
    for record in records:
        origin: PublishedRecord = record["_published"]
        published, copied = origin.value or b"", original_payload(record)
        where = f"the dead-letter record from {origin.topic}[{origin.partition}]@{origin.offset}"
        if record.get("payload_truncated"):  # a prefix, with the size and digest of the whole
            assert published.startswith(copied) and copied, f"{where} does not start with the published bytes"
            assert record.get("payload_size") == len(published), (
                f"{where}: payload_size {record.get('payload_size')}"
            )
            assert record.get("payload_sha256") == hashlib.sha256(published).hexdigest(), (
                f"{where}: sha256 differs"
            )
        else:
            assert copied == published, (
                f"{where} does not carry the published bytes: {record.get('payload')!r:.200}"
            )
        assert record.get("failed_at"), f"no failed_at in {record}"
        reason = record.get("reason") or {}
        assert reason.get("kind") and reason.get("rule"), f"the reason is incomplete: {reason}"


@then(parsers.parse('no record of this scenario is in the topic "{topic}"'))
def none_in_topic(topic: str, evidence: Evidence, kafka_bootstrap: str, settle: Settle) -> None:
    settle()
    mine = [r for r in evidence.published if r.topic != topic]
    found = dlq_records_of(kafka_bootstrap, topic, mine)
    assert not found, f"{len(found)} records of this scenario are in {topic}: " + "; ".join(
        str((r.get("reason") or {}).get("line", r)) for r in found[:5]
    )
