@dlq
Feature: No single record can stop the job
  Whatever a producer writes, one record at a time, ends either in the table or in the dead-letter
  topic, and the job goes on without a restart. A record too large to copy whole into the
  dead-letter topic is cut to 64 KiB there; the dead-letter record keeps its size and sha256.

  Background:
    Given the Flink job "order_ingest_job" is running

  Scenario: A valid order whose schema version has thousands of parts is stored, and the job does not restart
    When these events are published to "orders.created.v1":
      | order_id | order_amount |
      | ord-1    | 10.00        |
    And an event with "schema_version" set to "1" followed by ".0" repeated 3000 times is published to "orders.created.v1"
    And these events are published to "orders.created.v1":
      | order_id | order_amount |
      | ord-3    | 30.00        |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | order_amount |
      | ord-1    | 10.00        |
      | ord-2    | 10.00        |
      | ord-3    | 30.00        |
    And no record of this scenario is in the topic "orders.created.v1.dlq"
    And the Flink job "order_ingest_job" has not restarted

  Scenario: An order in the producer's own form but over the size limit goes to the dead-letter topic, as the contract says
    When an event with "schema_version" set to "1." followed by "0" repeated 70000 times is published to "orders.created.v1"
    And these events are published to "orders.created.v1":
      | order_id | order_amount |
      | ord-2    | 20.00        |
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | reason.kind | reason.field | payload_truncated |
      | oversized   | (payload)    | true              |
    And each dead-letter record of this scenario in "orders.created.v1.dlq" carries its original record and where it was read
    And the table "analytics.orders" eventually contains exactly these rows:
      | order_id | order_amount |
      | ord-2    | 20.00        |
    And the Flink job "order_ingest_job" has not restarted

  Scenario Outline: A record of <what> goes to the dead-letter topic cut to 64 KiB, and the job does not restart
    When these events are published to "orders.created.v1":
      | order_id |
      | ord-1    |
    And the raw record <record> is published to "orders.created.v1"
    And these events are published to "orders.created.v1":
      | order_id |
      | ord-3    |
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | reason.kind | reason.field | payload_truncated | payload_size |
      | oversized   | (payload)    | true              | <size>       |
    And each dead-letter record of this scenario in "orders.created.v1.dlq" carries its original record and where it was read
    And the table "analytics.orders" eventually contains exactly these rows:
      | order_id |
      | ord-1    |
      | ord-3    |
    And the Flink job "order_ingest_job" has not restarted

    Examples:
      | what                          | record                               | size   |
      | 800 KB of bytes not UTF-8     | bytes 'ff' repeated to 800000 bytes  | 800000 |
      | 600 KB of double quotes       | text '"' repeated to 600000 bytes    | 600000 |
      | 900 KB of control characters  | bytes '01' repeated to 900000 bytes  | 900000 |

  Scenario: Instants at the edges of the range are stored exactly, whichever way they are written
    When these events are published to "orders.created.v1":
      | order_id | event_time                       |
      | ord-1    | 1969-12-31T23:59:59.5Z           |
      | ord-2    | 1969-12-31T23:59:59.123456-00:00 |
      | ord-3    | 9999-12-31T23:59:59.999999+00:00 |
      | ord-4    | 0001-01-01T14:00:00.000001+14:00 |
      | ord-5    | 2026-11-30T23:59:59.999999999Z   |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | event_time                  |
      | ord-1    | 1969-12-31T23:59:59.500Z    |
      | ord-2    | 1969-12-31T23:59:59.123456Z |
      | ord-3    | 9999-12-31T23:59:59.999999Z |
      | ord-4    | 0001-01-01T00:00:00.000001Z |
      | ord-5    | 2026-11-30T23:59:59.999999Z |
    And the Flink job "order_ingest_job" has not restarted
