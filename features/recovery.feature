@fault @slow
Feature: Nothing is lost or duplicated when a runtime fails
  The job commits to Iceberg only when a checkpoint completes, and restarts from the last one when
  something fails. So when a runtime dies or hangs while orders flow, every order still ends up in
  the table exactly once, and the job goes on. `make faults` runs the same faults at 100,000 orders.

  Background:
    Given the Flink job "order_ingest_job" is running

  Scenario: The TaskManager is killed while orders flow
    Given 600 generated orders start flowing to "orders.created.v1" at 40 per second
    When 120 orders of the flow have been published
    And the TaskManager is killed
    And the flow has published all its orders
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    And the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault

  Scenario: The Kafka broker restarts while orders flow
    Given 600 generated orders start flowing to "orders.created.v1" at 40 per second
    When 120 orders of the flow have been published
    And the Kafka broker is restarted
    And the flow has published all its orders
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    And the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault

  Scenario: The Kafka broker is killed while orders flow
    Given 600 generated orders start flowing to "orders.created.v1" at 40 per second
    When 120 orders of the flow have been published
    And the Kafka broker is killed and started again
    And the flow has published all its orders
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    And the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault

  Scenario: The JobManager is killed while orders flow, then started again and the job resubmitted
    Given 600 generated orders start flowing to "orders.created.v1" at 40 per second
    When 120 orders of the flow have been published
    And the JobManager is killed
    And the JobManager is started again and the job resubmitted
    And the flow has published all its orders
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    And the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault

  # A hung host, not a refused connection: the process is frozen (SIGSTOP, `docker pause`) with
  # its sockets open, so clients wait rather than fail fast. 30 s is fifteen checkpoint intervals.
  Scenario Outline: <runtime> is unreachable for 30 seconds while orders flow
    Given 600 generated orders start flowing to "orders.created.v1" at 40 per second
    When 120 orders of the flow have been published
    And <runtime> is unreachable for 30 seconds
    And the flow has published all its orders
    Then the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
    And the Flink job "order_ingest_job" is running again, with a checkpoint completed after the fault

    Examples:
      | runtime             |
      | S3                  |
      | the Iceberg catalog |
