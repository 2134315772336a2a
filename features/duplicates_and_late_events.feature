Feature: Duplicates are stored once; late and out-of-order events still land
  Producers retry, and the backend re-sends: an event (one event_id) is stored once, the first time
  it is seen. Events also arrive out of order and late; they are stored all the same, each in the
  day partition of its own event time.

  Background:
    Given the Flink job "order_ingest_job" is running

  @smoke
  Scenario: A duplicate (the same event published twice) is stored once
    When these events are published to "orders.created.v1":
      | event_id | order_id | order_amount |
      | e-1      | ord-1    | 25.00        |
      | e-2      | ord-2    | 30.00        |
    And the same events are published to "orders.created.v1" again
    Then the table "analytics.orders" eventually contains exactly these rows:
      | event_id | order_id | order_amount |
      | e-1      | ord-1    | 25.00        |
      | e-2      | ord-2    | 30.00        |

  Scenario: A duplicate with other values keeps the first version of the event
    When these events are published to "orders.created.v1":
      | event_id | order_id | order_amount |
      | e-1      | ord-1    | 25.00        |
    And these events are published to "orders.created.v1":
      | event_id | order_id | order_amount |
      | e-1      | ord-1    | 99.00        |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | event_id | order_id | order_amount |
      | e-1      | ord-1    | 25.00        |

  Scenario: Out-of-order and late events still land, each in its own day partition
    When these events are published to "orders.created.v1":
      | order_id | event_time               |
      | ord-1    | 2026-11-24T12:00:00Z     |
      | ord-2    | 2026-11-24T11:59:58Z     |
      | ord-3    | 2026-11-21T08:00:00Z     |
      | ord-4    | 2026-11-24T12:00:05Z     |
      | ord-5    | 2026-11-23T23:59:59.999Z |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | event_time               |
      | ord-1    | 2026-11-24T12:00:00Z     |
      | ord-2    | 2026-11-24T11:59:58Z     |
      | ord-3    | 2026-11-21T08:00:00Z     |
      | ord-4    | 2026-11-24T12:00:05Z     |
      | ord-5    | 2026-11-23T23:59:59.999Z |
    And every row of this scenario in the table "analytics.orders" is stored in the partition of its "event_time"
