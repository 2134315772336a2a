@event_time
Feature: Suspicious orders raise alerts, once each
  Risk watches orders.alerts.v1 and the table analytics.order_alerts. order_alerts_job raises an
  alert when an order breaks one of the rules in pipeline/alerting_rules.yaml: a large order for
  its currency, two orders by one user within five minutes, five within an hour, an amount far
  above the user's usual, an order placed between 01:00 and 05:00 UTC. Each alert names its rule,
  severity, user and orders, and the event-time window they fall in; the same orders never raise
  the same alert twice. Not even when the TaskManager dies with alert windows open (the last
  scenario): the job restarts from its last checkpoint, and alerts reach the topic in Kafka
  transactions committed with it.

  A job's watermark only moves forward, and other features publish orders dated today: these
  scenarios date their orders in 2027, each on a later day than the one before it. Windowed rules
  are checked after event time has advanced twice: Flink at times emits a window's alert only at
  the watermark after the one that closed it (seen here, not yet explained).

  Background:
    Given the Flink job "order_alerts_job" is running

  Scenario: Two orders by one user within five minutes raise a rapid_orders alert naming both
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-01-04T10:00:00Z | 20.00        | EUR      |
      | ord-2    | u-2     | 2027-01-04T10:01:00Z | 20.00        | EUR      |
      | ord-3    | u-1     | 2027-01-04T10:03:00Z | 35.00        | EUR      |
      | ord-4    | u-2     | 2027-01-04T10:07:00Z | 20.00        | EUR      |
    And event time advances to "2027-01-04T10:10:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-04T10:08:00Z"
    When event time advances to "2027-01-04T10:20:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-04T10:15:00Z"
    And exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule         | severity | user_id | order_ids    | window_start         | window_end           |
      | rapid_orders | medium   | u-1     | ord-1, ord-3 | 2027-01-04T10:00:00Z | 2027-01-04T10:03:00Z |

  Scenario: An order over its currency's threshold is a large order
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-01-05T12:00:00Z | 1500.00      | EUR      |
      | ord-2    | u-2     | 2027-01-05T12:00:00Z | 950.00       | GBP      |
      | ord-3    | u-3     | 2027-01-05T12:00:00Z | 950.00       | USD      |
      | ord-4    | u-4     | 2027-01-05T12:00:00Z | 1000.00      | EUR      |
    Then exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule        | severity | user_id | order_ids | window_start         | window_end           |
      | large_order | high     | u-1     | ord-1     | 2027-01-05T12:00:00Z | 2027-01-05T12:00:00Z |
      | large_order | high     | u-2     | ord-2     | 2027-01-05T12:00:00Z | 2027-01-05T12:00:00Z |

  Scenario: An order placed at three in the morning UTC is at an unusual hour
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           |
      | ord-1    | u-1     | 2027-01-06T00:59:59Z |
      | ord-2    | u-2     | 2027-01-06T03:00:00Z |
      | ord-3    | u-3     | 2027-01-06T05:00:00Z |
    Then exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule         | severity | user_id | order_ids | window_start         |
      | unusual_hour | low      | u-2     | ord-2     | 2027-01-06T03:00:00Z |

  Scenario: Ordinary orders raise no alert
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-01-07T14:00:00Z | 99.00        | EUR      |
      | ord-2    | u-2     | 2027-01-07T14:01:00Z | 850.00       | GBP      |
      | ord-3    | u-1     | 2027-01-07T14:06:00Z | 12.50        | USD      |
    And event time advances to "2027-01-07T14:10:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-07T14:08:00Z"
    When event time advances to "2027-01-07T14:20:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-07T14:15:00Z"
    And no alert of this scenario is raised, on "orders.alerts.v1" nor in "analytics.order_alerts"

  Scenario: The same orders sent again raise no second alert
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-01-08T12:00:00Z | 5000.00      | USD      |
      | ord-2    | u-1     | 2027-01-08T12:02:00Z | 40.00        | USD      |
    And event time advances to "2027-01-08T12:10:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-08T12:05:00Z"
    When event time advances to "2027-01-08T12:12:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-08T12:11:00Z"
    And exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule         | severity | user_id | order_ids    | window_start         | window_end           |
      | large_order  | high     | u-1     | ord-1        | 2027-01-08T12:00:00Z | 2027-01-08T12:00:00Z |
      | rapid_orders | medium   | u-1     | ord-1, ord-2 | 2027-01-08T12:00:00Z | 2027-01-08T12:02:00Z |
    When the same events are published to "orders.created.v1" again
    And event time advances to "2027-01-08T12:20:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-08T12:15:00Z"
    When event time advances to "2027-01-08T12:30:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-08T12:25:00Z"
    And exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule         | severity | user_id | order_ids    | window_start         | window_end           |
      | large_order  | high     | u-1     | ord-1        | 2027-01-08T12:00:00Z | 2027-01-08T12:00:00Z |
      | rapid_orders | medium   | u-1     | ord-1, ord-2 | 2027-01-08T12:00:00Z | 2027-01-08T12:02:00Z |
    And the Flink job "order_alerts_job" has not restarted

  Scenario: Five orders by one user within an hour are an order spike
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-01-09T10:00:00Z | 20.00        | EUR      |
      | ord-2    | u-1     | 2027-01-09T10:06:00Z | 20.00        | EUR      |
      | ord-3    | u-1     | 2027-01-09T10:12:00Z | 20.00        | EUR      |
      | ord-4    | u-1     | 2027-01-09T10:18:00Z | 20.00        | EUR      |
      | ord-5    | u-1     | 2027-01-09T10:24:00Z | 20.00        | EUR      |
      | ord-6    | u-2     | 2027-01-09T10:00:00Z | 20.00        | EUR      |
      | ord-7    | u-2     | 2027-01-09T10:20:00Z | 20.00        | EUR      |
      | ord-8    | u-2     | 2027-01-09T10:40:00Z | 20.00        | EUR      |
      | ord-9    | u-2     | 2027-01-09T11:00:00Z | 20.00        | EUR      |
      | ord-10   | u-2     | 2027-01-09T11:20:00Z | 20.00        | EUR      |
    And event time advances to "2027-01-09T11:30:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-09T11:25:00Z"
    When event time advances to "2027-01-09T11:40:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-09T11:35:00Z"
    And exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule        | severity | user_id | order_ids                         | window_start         | window_end           |
      | order_spike | high     | u-1     | ord-1, ord-2, ord-3, ord-4, ord-5 | 2027-01-09T10:00:00Z | 2027-01-09T10:24:00Z |

  Scenario: An amount far above the user's usual orders is a statistical outlier
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-01-10T06:00:00Z | 10.00        | EUR      |
      | ord-2    | u-1     | 2027-01-10T07:05:00Z | 12.00        | EUR      |
      | ord-3    | u-1     | 2027-01-10T08:10:00Z | 11.00        | EUR      |
      | ord-4    | u-1     | 2027-01-10T09:15:00Z | 9.00         | EUR      |
      | ord-5    | u-1     | 2027-01-10T10:20:00Z | 10.00        | EUR      |
      | ord-6    | u-1     | 2027-01-10T11:25:00Z | 500.00       | EUR      |
      | ord-7    | u-2     | 2027-01-10T11:25:00Z | 500.00       | EUR      |
    And event time advances to "2027-01-10T11:40:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-10T11:30:00Z"
    When event time advances to "2027-01-10T11:50:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-01-10T11:45:00Z"
    And exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule                | severity | user_id | order_ids | window_start         | window_end           |
      | statistical_outlier | medium   | u-1     | ord-6     | 2027-01-10T06:00:00Z | 2027-01-10T11:25:00Z |

  @fault @slow
  Scenario: The TaskManager is killed while alert windows are open
    When these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-1    | u-1     | 2027-02-01T10:00:00Z | 5000.00      | EUR      |
      | ord-2    | u-1     | 2027-02-01T10:02:00Z | 20.00        | EUR      |
    Then exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule        | severity | user_id | order_ids | window_start         | window_end           |
      | large_order | high     | u-1     | ord-1     | 2027-02-01T10:00:00Z | 2027-02-01T10:00:00Z |
    When the TaskManager is killed
    And these events are published to "orders.created.v1":
      | order_id | user_id | event_time           | order_amount | currency |
      | ord-3    | u-2     | 2027-02-01T10:03:00Z | 20.00        | EUR      |
      | ord-4    | u-2     | 2027-02-01T10:04:00Z | 30.00        | EUR      |
    And event time advances to "2027-02-01T10:10:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-02-01T10:08:00Z"
    When event time advances to "2027-02-01T10:20:00Z" on every partition of "orders.created.v1"
    Then the watermark of "order_alerts_job" eventually passes "2027-02-01T10:15:00Z"
    And exactly these alerts of this scenario are raised, on "orders.alerts.v1" and in "analytics.order_alerts":
      | rule         | severity | user_id | order_ids    | window_start         | window_end           |
      | large_order  | high     | u-1     | ord-1        | 2027-02-01T10:00:00Z | 2027-02-01T10:00:00Z |
      | rapid_orders | medium   | u-1     | ord-1, ord-2 | 2027-02-01T10:00:00Z | 2027-02-01T10:02:00Z |
      | rapid_orders | medium   | u-2     | ord-3, ord-4 | 2027-02-01T10:03:00Z | 2027-02-01T10:04:00Z |
    And the Flink job "order_alerts_job" is running again, with a checkpoint completed after the fault
