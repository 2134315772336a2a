Feature: Expectations on a whole table: unique keys, no nulls, sets, ranges, counts per partition, golden files
  Beyond lists of rows, a scenario can state what must hold of every row it produced, and compare
  them with a golden file kept next to the features (typed: exact decimals, instants at a stated
  precision). A check that fails lists the offending rows.

  Background:
    Given the Flink job "order_ingest_job" is running

  Scenario: Orders of two days are unique, complete, within range, counted per day and as the golden file says
    When these events are published to "orders.created.v1":
      | order_id | order_amount | currency | event_time                  |
      | ord-1    | 10.00        | EUR      | 2026-11-24T10:00:00Z        |
      | ord-2    | 20.50        | USD      | 2026-11-24T12:00:00.123456+01:00 |
      | ord-3    | 0.99         | EUR      | 2026-11-25T09:30:00Z        |
    Then the table "analytics.orders" eventually holds 3 rows of this scenario
    And the "event_id" of this scenario's rows in the table "analytics.orders" is unique
    And no row of this scenario in the table "analytics.orders" has a null in event_id, event_time, order_amount, currency, processed_at
    And every "currency" of this scenario's rows in the table "analytics.orders" is one of EUR, USD
    And every "order_amount" of this scenario's rows in the table "analytics.orders" lies between 0.00 and 100.00
    And every "event_time" of this scenario's rows in the table "analytics.orders" lies between 2026-11-24T00:00:00Z and 2026-11-26T00:00:00Z
    And the table "analytics.orders" holds these counts of this scenario's rows per partition:
      | event_time_day | rows |
      | 2026-11-24     | 2    |
      | 2026-11-25     | 1    |
    And the rows of this scenario in the table "analytics.orders" match the golden file "features/expected/orders_of_two_days.csv" with timestamps to the millisecond
