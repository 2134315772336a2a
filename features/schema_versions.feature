Feature: Schema versions
  Version 1 of the Order Created event may grow optional fields: an event with a field the
  contract does not know is still a v1 event. A version 2 event is not understood by this job and
  goes to the dead-letter topic "orders.created.v1.dlq", with its reason.

  Version 1.1 added the optional "sales_channel". The orders table grew a column for it: a table
  made before v1.1 gains the column when the job is submitted, without rewriting a file, and its
  earlier rows read null.

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

  Scenario: A v1.1 order carries its sales channel into the table, a v1.0 order has none
    When these events are published to "orders.created.v1":
      | order_id | schema_version | sales_channel |
      | ord-1    | 1.1            | web           |
      | ord-2    | 1              | (absent)      |
      | ord-3    | 1.1            | (null)        |
    Then the table "analytics.orders" eventually contains exactly these rows:
      | order_id | schema_version | sales_channel |
      | ord-1    | 1.1            | web           |
      | ord-2    | 1              | (null)        |
      | ord-3    | 1.1            | (null)        |
    And no record of this scenario is in the topic "orders.created.v1.dlq"

  @dlq
  Scenario: A sales channel that breaks the contract goes to the dead-letter topic
    When these events are published to "orders.created.v1":
      | order_id | schema_version | sales_channel |
      | ord-1    | 1.1            | In Store      |
    Then the topic "orders.created.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | payload.order_id | reason.kind           | reason.field  | reason.value |
      | ord-1            | invalid_sales_channel | sales_channel | 'In Store'   |

  Scenario: An orders table made before v1.1 grows the sales_channel column on submit
    Given the table "analytics.orders_before_v1_1" made from the declared "analytics.orders" without its column "sales_channel", holding these rows:
      | order_id | order_amount | schema_version |
      | ord-1    | 12.50        | 1              |
      | ord-2    | 7.00         | 1              |
    When the declared definition of "analytics.orders" is applied to "analytics.orders_before_v1_1", as a submit does
    Then the table "analytics.orders_before_v1_1" has the optional column "sales_channel", and no data file was rewritten
    And the table "analytics.orders_before_v1_1" eventually contains exactly these rows:
      | order_id | order_amount | sales_channel |
      | ord-1    | 12.50        | (null)        |
      | ord-2    | 7.00         | (null)        |
