Feature: Schema versions
  Version 1 of the Order Created event may grow optional fields: an event with a field the
  contract does not know is still a v1 event. A version 2 event is not understood by this job and
  goes to the dead-letter topic "orders.created.v1.dlq", with its reason.

  Background:
    Given the Flink job "order_ingest_job" is running

  Scenario: A v1 event with an extra field the contract does not know is accepted
    When these events are published to "orders.created.v1":
      | order_id | order_amount | coupon_code | schema_version |
      | ord-1    | 12.50        | WELCOME10   | 1              |
      | ord-2    | 7.00         | (absent)    | (absent)       |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | order_amount | schema_version |
      | ord-1    | 12.50        | 1              |
      | ord-2    | 7.00         | 1              |
    And no record of this scenario is in the topic "orders.created.v1.dlq"

  @dlq
  Scenario: A v2 event goes to the dead-letter topic
    When these events are published to "orders.created.v1":
      | order_id | schema_version |
      | ord-1    | 1              |
      | ord-2    | 2              |
      | ord-3    | 1.1            |
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | payload.order_id | reason.kind         | reason.field   | reason.value |
      | ord-2            | unsupported_version | schema_version | '2'          |
    And the table "analytics.orders" eventually contains exactly these rows:
      | order_id | schema_version |
      | ord-1    | 1              |
      | ord-3    | 1.1            |
