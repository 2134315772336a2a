@dlq
Feature: Invalid records go to the dead-letter topic
  A record that is not a valid Order Created v1 event is not stored: it goes to the dead-letter
  topic "orders.created.v1.dlq" with the reason (a stable kind, the field, the offending value and
  the rule), the original record and where it was read. The valid orders around it are unaffected.

  Background:
    Given the Flink job "order_ingest_job" is running

  Scenario Outline: An order whose <field> is <why> goes to the dead-letter topic as <kind>
    When these events are published to "orders.created.v1":
      | order_id | order_amount |
      | ord-1    | 10.00        |
    And an event with "<field>" set to <value> is published to "orders.created.v1"
    And these events are published to "orders.created.v1":
      | order_id | order_amount |
      | ord-3    | 30.00        |
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | reason.kind | reason.field |
      | <kind>      | <field>      |
    And each dead-letter record of this scenario in "orders.created.v1.dlq" carries its original record and where it was read
    And the table "analytics.orders" eventually contains exactly these rows:
      | order_id | order_amount |
      | ord-1    | 10.00        |
      | ord-3    | 30.00        |

    Examples:
      | field          | why                        | value                     | kind                |
      | order_amount   | negative                   | "-5.00"                   | negative_amount     |
      | order_amount   | given to a tenth of a cent | "5.001"                   | amount_precision    |
      | order_amount   | beyond decimal(12,2)       | "10000000000.00"          | amount_too_large    |
      | order_amount   | not a number               | "12,50"                   | invalid_amount      |
      | order_amount   | a boolean                  | true                      | invalid_type        |
      | currency       | not an ISO-4217 code       | "EURO"                    | invalid_currency    |
      | currency       | missing                    | absent                    | missing_field       |
      | event_time     | not a timestamp            | "tomorrow"                | invalid_timestamp   |
      | event_time     | without an offset          | "2026-11-24T10:00:00"     | naive_timestamp     |
      | event_id       | not a UUID                 | "not-a-uuid"              | invalid_uuid        |
      | user_id        | empty                      | ""                        | empty_string        |
      | order_id       | longer than 128 characters | a text of 129 characters  | too_long            |
      | order_status   | not CREATED                | "PAID"                    | invalid_status      |
      | schema_version | a future major version     | "2"                       | unsupported_version |
      | order_id       | a lone surrogate escape    | "\ud800"                  | not_utf8            |

  Scenario Outline: A record that is not an order event at all goes to the dead-letter topic as <kind>
    When these events are published to "orders.created.v1":
      | order_id |
      | ord-1    |
    And the raw record <record> is published to "orders.created.v1"
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | reason.kind | reason.field |
      | <kind>      | (payload)    |
    And each dead-letter record of this scenario in "orders.created.v1.dlq" carries its original record and where it was read
    And the table "analytics.orders" eventually contains exactly these rows:
      | order_id |
      | ord-1    |

    Examples:
      | record                                          | kind           |
      | text '{"order_id": "ord-2", "order_amount": '   | malformed_json |
      | text '["an", "array", "of", "words"]'           | not_an_object  |
      | bytes 'ff fe 00 41 42'                          | not_utf8       |
      | an order padded to 70000 bytes                  | oversized      |
      | text '[' repeated to 60000 bytes                | malformed_json |
