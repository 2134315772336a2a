"""The job's Java functions by SQL name: pipeline/jvm/, built by compose/jvm/pom.xml into
orderflow-functions.jar, which sits in Flink's lib/ next to the connectors (local Flink home,
the Flink image, the AWS uber jar) — so they are on the classpath before any job starts.

They hold no contract: the job passes them what they match (producer/canonical.py's pattern), so
a contract change needs no rebuild. Why Java: they run for every record, where a Python function
costs a round trip to the Python worker and Flink SQL re-evaluates an expression per reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the harness env reads JAVA_FUNCTIONS without pyflink
    from pyflink.table import TableEnvironment

PACKAGE = "dev.orderflow.functions"
JAVA_FUNCTIONS = {
    "match_groups": f"{PACKAGE}.MatchGroups",  # the fast lane: a canonical payload's values
    "iso_instant": f"{PACKAGE}.IsoInstant",  # a canonical event_time as TIMESTAMP_LTZ(6)
    "json_instant": f"{PACKAGE}.JsonInstant",  # event time for watermarks
    "tally": f"{PACKAGE}.Tally",  # the valid / duplicate / late counters; keeps the first
}


class MissingJavaFunctions(RuntimeError):
    pass


def register_java_functions(t_env: TableEnvironment) -> None:
    from pyflink.util.exceptions import TableException

    for name, class_name in JAVA_FUNCTIONS.items():
        try:
            t_env.execute_sql(
                f"CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS {name} AS '{class_name}' LANGUAGE JAVA"
            )
        except TableException as error:
            raise MissingJavaFunctions(
                f"{class_name} is not on Flink's classpath: `make setup` builds orderflow-functions.jar "
                f"into Flink's lib/ (restart the stack after it changes): {error}"
            ) from error
