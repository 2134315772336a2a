Feature: Page views are counted per page and minute of event time
  The team's dashboard reads web.page_views_per_minute: for each page and each minute, how many
  views and how many distinct visitors. A minute is written once, when event time has passed it;
  a view arriving after that is late and is not counted.

  A job's watermark only moves forward, so each scenario below lives in a later hour than the one
  before it.

  Background:
    Given the Flink job "page_views_job" is running

  Scenario: Views are counted in the minute they happened, once event time has passed it
    When these events are published to "page.views.v1":
      | page     | user_id | viewed_at            |
      | /home    | u-1     | 2026-11-24T10:00:10Z |
      | /home    | u-2     | 2026-11-24T10:00:20Z |
      | /home    | u-1     | 2026-11-24T10:00:59Z |
      | /pricing | u-1     | 2026-11-24T10:00:40Z |
      | /pricing | u-3     | 2026-11-24T10:01:30Z |
    And event time advances to "2026-11-24T10:01:05Z" on every partition of "page.views.v1"
    Then the watermark of "page_views_job" eventually passes "2026-11-24T10:01:00Z"
    And the table "web.page_views_per_minute" eventually contains exactly these rows:
      | window_start         | window_end           | page     | views | visitors |
      | 2026-11-24T10:00:00Z | 2026-11-24T10:01:00Z | /home    | 3     | 2        |
      | 2026-11-24T10:00:00Z | 2026-11-24T10:01:00Z | /pricing | 1     | 1        |

  Scenario: A view that arrives after its minute was written is late and not counted
    When these events are published to "page.views.v1":
      | page  | user_id | viewed_at            |
      | /home | u-1     | 2026-11-24T11:00:10Z |
    And event time advances to "2026-11-24T11:01:05Z" on every partition of "page.views.v1"
    Then the watermark of "page_views_job" eventually passes "2026-11-24T11:01:00Z"
    When these events are published to "page.views.v1":
      | page  | user_id | viewed_at            |
      | /home | u-2     | 2026-11-24T11:00:50Z |
      | /home | u-2     | 2026-11-24T11:01:10Z |
    And event time advances to "2026-11-24T11:02:05Z" on every partition of "page.views.v1"
    Then the watermark of "page_views_job" eventually passes "2026-11-24T11:02:00Z"
    And the table "web.page_views_per_minute" eventually contains exactly these rows:
      | window_start         | page  | views | visitors |
      | 2026-11-24T11:00:00Z | /home | 1     | 1        |
      | 2026-11-24T11:01:00Z | /home | 1     | 1        |

  Scenario: Two minutes of views match the team's golden file
    When these events are published to "page.views.v1":
      | page     | user_id | viewed_at            |
      | /home    | u-1     | 2026-11-24T12:00:01Z |
      | /docs    | u-2     | 2026-11-24T12:00:02Z |
      | /docs    | u-2     | 2026-11-24T12:00:03Z |
      | /docs    | u-3     | 2026-11-24T12:00:04Z |
      | /home    | u-4     | 2026-11-24T12:01:05Z |
    And event time advances to "2026-11-24T12:02:05Z" on every partition of "page.views.v1"
    Then the watermark of "page_views_job" eventually passes "2026-11-24T12:02:00Z"
    And the rows of this scenario in the table "web.page_views_per_minute" match the golden file "features/expected/views_at_noon.csv"
    And no row of this scenario in the table "web.page_views_per_minute" has a null in "page", "views", "visitors"

  Scenario: A record that is no page view goes to the dead-letter topic, and the job runs on
    When the raw record text 'not json at all' is published to "page.views.v1"
    And these events are published to "page.views.v1":
      | page     | viewed_at            |
      | (absent) | 2026-11-24T13:00:00Z |
      | /home    | yesterday            |
    Then the topic "page.views.v1.dlq" eventually holds exactly these dead-letter records of this scenario:
      | reason.kind  |
      | no_page      |
      | no_page      |
      | no_view_time |
    And the Flink job "page_views_job" has not restarted
