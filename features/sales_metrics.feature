@event_time
Feature: Sales metrics per currency over the last hour, every five minutes
  The sales dashboard reads analytics.sales_metrics: for each currency and each hour-long window of
  event time, starting every five minutes, the revenue, the number of orders, the average order
  value and the number of distinct customers. An order counts in every window that contains its
  event time (twelve of them). A window is written once, when event time has passed its end; an
  order arriving after that is late: it still counts in the windows that are not written yet, and
  in no window already written. Only valid orders count. A window is stored once, even when the
  TaskManager dies while it is open (the last scenario).

  The orders topic is shared by every feature, and a job's event time only moves forward, so these
  scenarios take place in 2028, each on a later day than the one before it, and each reads only
  the windows of its own day.

  Background:
    Given the Flink job "sales_metrics_job" is running

  Scenario: An order at 10:04:59 and one at 10:05:00 fall in the windows that contain them
    When these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time           |
      | u-1     | 10.00        | EUR      | 2028-01-03T10:04:59Z |
      | u-2     | 20.00        | EUR      | 2028-01-03T10:05:00Z |
    And event time advances to "2028-01-03T11:15:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-01-03T11:15:00Z"
    And the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-01-03T09:00:00Z" to "2028-01-03T09:10:00Z":
      | window_start         | window_end           | currency | revenue | orders | average_order_value | customers |
      | 2028-01-03T09:05:00Z | 2028-01-03T10:05:00Z | EUR      | 10.00   | 1      | 10.00               | 1         |
      | 2028-01-03T09:10:00Z | 2028-01-03T10:10:00Z | EUR      | 30.00   | 2      | 15.00               | 2         |
    And the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-01-03T10:00:00Z" to "2028-01-03T10:10:00Z":
      | window_start         | window_end           | currency | revenue | orders | average_order_value | customers |
      | 2028-01-03T10:00:00Z | 2028-01-03T11:00:00Z | EUR      | 30.00   | 2      | 15.00               | 2         |
      | 2028-01-03T10:05:00Z | 2028-01-03T11:05:00Z | EUR      | 20.00   | 1      | 20.00               | 1         |

  Scenario: Revenue, orders, average order value and customers per currency; invalid orders do not count
    When these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time           |
      | u-1     | 10.00        | EUR      | 2028-01-04T10:00:00Z |
      | u-1     | 5.01         | EUR      | 2028-01-04T10:01:00Z |
      | u-2     | 0.99         | EUR      | 2028-01-04T10:04:59Z |
      | u-3     | 10.00        | USD      | 2028-01-04T10:02:00Z |
      | u-4     | 10.01        | USD      | 2028-01-04T10:03:00Z |
      | u-5     | -5.00        | EUR      | 2028-01-04T10:03:00Z |
      | u-6     | 7.00         | XXX      | 2028-01-04T10:03:00Z |
    And event time advances to "2028-01-04T11:00:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-01-04T11:00:00Z"
    And the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-01-04T10:00:00Z" to "2028-01-04T10:00:00Z":
      | window_start         | window_end           | currency | revenue | orders | average_order_value | customers |
      | 2028-01-04T10:00:00Z | 2028-01-04T11:00:00Z | EUR      | 16.00   | 3      | 5.33                | 2         |
      | 2028-01-04T10:00:00Z | 2028-01-04T11:00:00Z | USD      | 20.01   | 2      | 10.01               | 2         |

  Scenario: A late order counts only in the windows not yet written
    When these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time           |
      | u-1     | 10.00        | EUR      | 2028-01-05T10:10:00Z |
    And event time advances to "2028-01-05T11:10:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-01-05T11:10:00Z"
    When these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time           |
      | u-2     | 5.00         | EUR      | 2028-01-05T10:12:00Z |
      | u-3     | 7.00         | EUR      | 2028-01-05T10:20:00Z |
    And event time advances to "2028-01-05T11:25:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-01-05T11:25:00Z"
    And the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-01-05T10:05:00Z" to "2028-01-05T10:25:00Z":
      | window_start         | window_end           | currency | revenue | orders | average_order_value | customers |
      | 2028-01-05T10:05:00Z | 2028-01-05T11:05:00Z | EUR      | 10.00   | 1      | 10.00               | 1         |
      | 2028-01-05T10:10:00Z | 2028-01-05T11:10:00Z | EUR      | 10.00   | 1      | 10.00               | 1         |
      | 2028-01-05T10:15:00Z | 2028-01-05T11:15:00Z | EUR      | 7.00    | 1      | 7.00                | 1         |
      | 2028-01-05T10:20:00Z | 2028-01-05T11:20:00Z | EUR      | 7.00    | 1      | 7.00                | 1         |

  Scenario: A fixed morning of orders matches the sales team's golden file
    When these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time               |
      | u-1     | 12.50        | EUR      | 2028-01-06T09:58:00Z     |
      | u-2     | 99.99        | EUR      | 2028-01-06T10:00:00Z     |
      | u-1     | 0.01         | EUR      | 2028-01-06T10:03:30.500Z |
      | u-3     | 250.00       | USD      | 2028-01-06T10:04:00Z     |
      | u-3     | 40.00        | USD      | 2028-01-06T10:06:00Z     |
      | u-4     | 3.33         | GBP      | 2028-01-06T10:09:59.999Z |
      | u-5     | 3.33         | GBP      | 2028-01-06T10:10:00Z     |
      | u-4     | 3.34         | GBP      | 2028-01-06T11:11:00+01:00 |
    And event time advances to "2028-01-06T11:15:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-01-06T11:15:00Z"
    And the rows of the table "analytics.sales_metrics" for windows starting from "2028-01-06T09:55:00Z" to "2028-01-06T10:10:00Z" match the golden file "features/expected/sales_metrics_morning.csv"

  @fault @slow
  Scenario: The TaskManager is killed while sales windows are open
    When these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time           |
      | u-1     | 10.00        | EUR      | 2028-02-01T10:01:00Z |
      | u-2     | 20.00        | EUR      | 2028-02-01T10:02:00Z |
    And event time advances to "2028-02-01T10:30:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-02-01T10:30:00Z"
    And the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-02-01T09:30:00Z" to "2028-02-01T09:30:00Z":
      | window_start         | window_end           | currency | revenue | orders | average_order_value | customers |
      | 2028-02-01T09:30:00Z | 2028-02-01T10:30:00Z | EUR      | 30.00   | 2      | 15.00               | 2         |
    When the TaskManager is killed
    And these events are published to "orders.created.v1":
      | user_id | order_amount | currency | event_time           |
      | u-3     | 30.00        | EUR      | 2028-02-01T10:40:00Z |
    And event time advances to "2028-02-01T11:50:05Z" on every partition of "orders.created.v1"
    Then the watermark of "sales_metrics_job" eventually passes "2028-02-01T11:50:00Z"
    And the table "analytics.sales_metrics" eventually holds exactly these rows for windows starting from "2028-02-01T09:30:00Z" to "2028-02-01T09:50:00Z":
      | window_start         | window_end           | currency | revenue | orders | average_order_value | customers |
      | 2028-02-01T09:30:00Z | 2028-02-01T10:30:00Z | EUR      | 30.00   | 2      | 15.00               | 2         |
      | 2028-02-01T09:35:00Z | 2028-02-01T10:35:00Z | EUR      | 30.00   | 2      | 15.00               | 2         |
      | 2028-02-01T09:40:00Z | 2028-02-01T10:40:00Z | EUR      | 30.00   | 2      | 15.00               | 2         |
      | 2028-02-01T09:45:00Z | 2028-02-01T10:45:00Z | EUR      | 60.00   | 3      | 20.00               | 3         |
      | 2028-02-01T09:50:00Z | 2028-02-01T10:50:00Z | EUR      | 60.00   | 3      | 20.00               | 3         |
    And the Flink job "sales_metrics_job" is running again, with a checkpoint completed after the fault
