@fault @slow
Feature: Nothing is lost or duplicated when a runtime fails
  The job commits to Iceberg only when a checkpoint completes, and restarts from the last one when
  something fails. So when a runtime dies while orders flow, every order still ends up in the
  table exactly once, and the job goes on.

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
