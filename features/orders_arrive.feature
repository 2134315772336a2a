Feature: Orders arrive in the analytics table
  Every order the shop publishes to the topic "orders.created.v1" is stored in the Iceberg table
  "analytics.orders" with exactly the values it was published with, plus the time it was processed.
  Each scenario's ids carry its own run id, so scenarios never see each other's orders.

  Background:
    Given the Flink job "order_ingest_job" is running

  @smoke
  Scenario: A valid order appears in the table exactly as published
    When these events are published to "orders.created.v1":
      | event_id | event_time               | order_id | user_id   | order_amount | currency | order_status |
      | e-1      | 2026-11-24T09:15:30.250Z | ord-1    | usr-alice | 19.99        | EUR      | CREATED      |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | event_id | event_time               | order_id | user_id   | order_amount | currency | order_status | schema_version |
      | e-1      | 2026-11-24T09:15:30.250Z | ord-1    | usr-alice | 19.99        | EUR      | CREATED      | 1              |
    And every row of this scenario in the table "analytics.orders" has "processed_at" not before its event was published

  Scenario: A batch of orders spread over every partition of the topic all arrive
    When 60 generated orders are published to "orders.created.v1"
    Then the records of this scenario went to at least 3 partitions of "orders.created.v1"
    And the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published

  Scenario: Orders dated on three days land in three day partitions
    When these events are published to "orders.created.v1":
      | order_id | event_time           |
      | ord-1    | 2026-11-20T23:59:59Z |
      | ord-2    | 2026-11-21T00:00:00Z |
      | ord-3    | 2026-11-21T12:30:00Z |
      | ord-4    | 2026-11-22T08:00:00Z |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | event_time           |
      | ord-1    | 2026-11-20T23:59:59Z |
      | ord-2    | 2026-11-21T00:00:00Z |
      | ord-3    | 2026-11-21T12:30:00Z |
      | ord-4    | 2026-11-22T08:00:00Z |
    And the rows of this scenario in the table "analytics.orders" are stored in exactly these partitions:
      | event_time_day |
      | 2026-11-20     |
      | 2026-11-21     |
      | 2026-11-22     |
    And every row of this scenario in the table "analytics.orders" is stored in the partition of its "event_time"

  Scenario: An event time with an offset is stored as the same instant in UTC
    When these events are published to "orders.created.v1":
      | order_id | event_time                    |
      | ord-1    | 2026-11-24T01:30:00+02:00     |
      | ord-2    | 2026-11-23T22:00:00.123-05:00 |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | event_time               |
      | ord-1    | 2026-11-23T23:30:00Z     |
      | ord-2    | 2026-11-24T03:00:00.123Z |
    And every row of this scenario in the table "analytics.orders" is stored in the partition of its "event_time"

  Scenario Outline: An amount of <amount> keeps its exact decimal value
    When an event with "order_amount" set to <written> is published to "orders.created.v1"
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_amount |
      | <amount>     |

    Examples: written as a decimal string, as the contract prefers
      | amount      | written       |
      | 0.00        | "0.00"        |
      | 0.01        | "0.01"        |
      | 0.10        | "0.10"        |
      | 19.99       | "19.99"       |
      | 12345678.90 | "12345678.90" |

    Examples: written as a JSON number
      | amount      | written     |
      | 0.10        | 0.1         |
      | 12345678.90 | 12345678.90 |

  Scenario: Every configured currency is kept
    When 60 generated orders in the currencies EUR, USD, GBP, CHF, JPY are published to "orders.created.v1"
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    And the "currency" values of this scenario's rows in the table "analytics.orders" are exactly EUR, USD, GBP, CHF, JPY
