Feature: The producer CLI feeds the pipeline
  A developer runs the producer from the command line against the stack; every order it publishes
  is in the table, once, exactly as published.

  Background:
    Given the Flink job "order_ingest_job" is running

  @smoke
  Scenario: 50 orders from the producer CLI are all in the table
    When the user runs "analytics-producer produce orders --count 50 --seed 7 --rate 0" against the stack
    Then 50 records of this scenario were published to "orders.created.v1"
    And the table "analytics.orders" eventually holds each valid event of this scenario exactly once, as published
