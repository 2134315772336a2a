@event_time
Feature: Customers are segmented by recency, frequency and monetary value
  Marketing reads analytics.customer_segments: one current row per customer with the event time of
  their last order (recency), their number of orders (frequency), what they spent in all
  (monetary), their segment and the event time it holds from. A customer with one or two orders is
  New, with three or more Regular, with five or more and 500.00 or more spent VIP. With no order
  for 30 days of event time they are At-Risk, for 90 days Churned: they turn so when event time
  passes that day, without any new order. A new order brings them back. An order received twice
  counts once. Only valid orders count.

  The orders topic is shared by every feature, and a job's event time only moves forward, so these
  scenarios take place in 2029, each later than the one before it.

  Background:
    Given the Flink job "customer_segments_job" is running

  Scenario: Segments as orders arrive: a customer becomes New, then Regular, then VIP
    When these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 100.00       | 2029-01-08T10:00:00Z |
      | u-1     | 100.00       | 2029-01-08T10:05:00Z |
      | u-2     | 99.99        | 2029-01-08T11:00:00Z |
      | u-3     | -5.00        | 2029-01-08T11:00:00Z |
    Then the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              | segment_since        |
      | u-1     | New     | 2         | 200.00   | 2029-01-08T10:05:00Z | 2029-01-08T10:05:00Z |
      | u-2     | New     | 1         | 99.99    | 2029-01-08T11:00:00Z | 2029-01-08T11:00:00Z |
    When these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 100.00       | 2029-01-09T09:00:00Z |
    Then the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              |
      | u-1     | Regular | 3         | 300.00   | 2029-01-09T09:00:00Z |
      | u-2     | New     | 1         | 99.99    | 2029-01-08T11:00:00Z |
    When these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 150.00       | 2029-01-10T09:00:00Z |
      | u-1     | 50.00        | 2029-01-11T09:00:00Z |
      | u-2     | 100.00       | 2029-01-09T11:00:00Z |
      | u-2     | 100.00       | 2029-01-10T11:00:00Z |
      | u-2     | 100.00       | 2029-01-11T11:00:00Z |
      | u-2     | 100.00       | 2029-01-12T11:00:00Z |
    Then the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              |
      | u-1     | VIP     | 5         | 500.00   | 2029-01-11T09:00:00Z |
      | u-2     | Regular | 5         | 499.99   | 2029-01-12T11:00:00Z |
    When the same events are published to "orders.created.v1" again
    Then the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              |
      | u-1     | VIP     | 5         | 500.00   | 2029-01-11T09:00:00Z |
      | u-2     | Regular | 5         | 499.99   | 2029-01-12T11:00:00Z |
    And the "user_id" of this scenario's rows in the table "analytics.customer_segments" is unique

  Scenario: Segments as event time passes: silent 30 days is At-Risk, 90 days Churned; a new order brings a customer back
    When these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 40.00        | 2029-02-01T10:00:00Z |
      | u-2     | 60.00        | 2029-02-01T11:00:00Z |
    And event time advances to "2029-03-03T10:00:05Z" on every partition of "orders.created.v1"
    Then the watermark of "customer_segments_job" eventually passes "2029-03-03T10:00:00Z"
    And the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              | segment_since        |
      | u-1     | At-Risk | 1         | 40.00    | 2029-02-01T10:00:00Z | 2029-03-03T10:00:00Z |
      | u-2     | New     | 1         | 60.00    | 2029-02-01T11:00:00Z | 2029-02-01T11:00:00Z |
    When event time advances to "2029-05-02T10:00:05Z" on every partition of "orders.created.v1"
    Then the watermark of "customer_segments_job" eventually passes "2029-05-02T10:00:00Z"
    And the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              | segment_since        |
      | u-1     | Churned | 1         | 40.00    | 2029-02-01T10:00:00Z | 2029-05-02T10:00:00Z |
      | u-2     | At-Risk | 1         | 60.00    | 2029-02-01T11:00:00Z | 2029-03-03T11:00:00Z |
    When these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 25.00        | 2029-05-03T09:00:00Z |
    Then the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              | segment_since        |
      | u-1     | New     | 2         | 65.00    | 2029-05-03T09:00:00Z | 2029-05-03T09:00:00Z |
      | u-2     | At-Risk | 1         | 60.00    | 2029-02-01T11:00:00Z | 2029-03-03T11:00:00Z |
    And the "user_id" of this scenario's rows in the table "analytics.customer_segments" is unique

  # The same guarantee as the ingest job's (features/recovery.feature): the state of every customer
  # (counts, seen orders, the 30- and 90-day timers) comes back from the last checkpoint, with the
  # source offsets of that checkpoint; the table commits only with a checkpoint, by upsert.
  @fault @slow
  Scenario: Segments survive a TaskManager killed while customers have open state: each keeps one correct row
    When these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 100.00       | 2029-06-04T09:00:00Z |
      | u-1     | 100.00       | 2029-06-04T10:00:00Z |
      | u-1     | 100.00       | 2029-06-04T11:00:00Z |
      | u-2     | 200.00       | 2029-06-04T08:00:00Z |
      | u-2     | 200.00       | 2029-06-04T09:00:00Z |
      | u-2     | 200.00       | 2029-06-04T10:00:00Z |
      | u-2     | 200.00       | 2029-06-04T11:00:00Z |
      | u-2     | 200.00       | 2029-06-04T12:00:00Z |
      | u-3     | 10.00        | 2029-06-04T12:10:00Z |
    Then the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary |
      | u-1     | Regular | 3         | 300.00   |
      | u-2     | VIP     | 5         | 1000.00  |
      | u-3     | New     | 1         | 10.00    |
    When the TaskManager is killed
    And these events are published to "orders.created.v1":
      | user_id | order_amount | event_time           |
      | u-1     | 100.00       | 2029-06-05T12:00:00Z |
      | u-3     | 10.00        | 2029-06-05T12:00:00Z |
      | u-4     | 5.00         | 2029-06-05T12:00:00Z |
    And the same events are published to "orders.created.v1" again
    And event time advances to "2029-07-04T12:00:05Z" on every partition of "orders.created.v1"
    Then the Flink job "customer_segments_job" is running again, with a checkpoint completed after the fault
    And the watermark of "customer_segments_job" eventually passes "2029-07-04T12:00:00Z"
    And the table "analytics.customer_segments" eventually contains exactly these rows:
      | user_id | segment | frequency | monetary | recency              | segment_since        |
      | u-1     | Regular | 4         | 400.00   | 2029-06-05T12:00:00Z | 2029-06-05T12:00:00Z |
      | u-2     | At-Risk | 5         | 1000.00  | 2029-06-04T12:00:00Z | 2029-07-04T12:00:00Z |
      | u-3     | New     | 2         | 20.00    | 2029-06-05T12:00:00Z | 2029-06-05T12:00:00Z |
      | u-4     | New     | 1         | 5.00     | 2029-06-05T12:00:00Z | 2029-06-05T12:00:00Z |
    And the "user_id" of this scenario's rows in the table "analytics.customer_segments" is unique
