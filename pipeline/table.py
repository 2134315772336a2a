"""analytics.orders: its one definition (sql/orders_table.json) and its idempotent creation.

Flink SQL cannot declare Iceberg's hidden partition transforms (`PARTITIONED BY` takes plain
columns only), so the table is created through Iceberg's own Java catalog API, reached over the
PyFlink gateway, from the JSON forms of the schema and the partition spec.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.config import JobConfig
from pipeline.row_spec import flink_columns, table_definition

# Re-exported: the job imports the columns from here; their one reader is pipeline/row_spec.py.
__all__ = ["ensure_table", "flink_columns", "table_definition"]


def ensure_table(config: JobConfig) -> bool:
    """Create the namespace and the table if missing; True when this call created the table."""
    from pyflink.java_gateway import get_gateway  # the Flink env only: keeps this module importable anywhere

    gateway = get_gateway()
    jvm = gateway.jvm
    iceberg = jvm.org.apache.iceberg
    properties = jvm.java.util.HashMap()
    for key, value in config.catalog.properties().items():
        if key != "type":
            properties.put("type" if key == "catalog-type" else key, value)
    # The Hadoop configuration Flink's own Iceberg catalog gets: on a Flink without Hadoop in lib/
    # (AWS Managed Flink) Hadoop's classes exist only relocated inside the uber jar, so the job
    # never names them itself (compose/jvm/msf/.../HadoopUtils.java).
    hadoop_conf = iceberg.flink.FlinkCatalogFactory.clusterHadoopConf()
    catalog = iceberg.CatalogUtil.buildIcebergCatalog(config.catalog.name, properties, hadoop_conf)
    try:
        levels = gateway.new_array(jvm.java.lang.String, 1)  # Namespace.of(String...) wants an array
        levels[0] = config.database
        namespace = iceberg.catalog.Namespace.of(levels)
        if not catalog.namespaceExists(namespace):
            _ignore_already_exists(lambda: catalog.createNamespace(namespace))
        identifier = iceberg.catalog.TableIdentifier.of(namespace, config.table)
        if catalog.tableExists(identifier):
            return False
        definition = table_definition()
        schema = iceberg.SchemaParser.fromJson(json.dumps(definition["schema"]))
        spec = iceberg.PartitionSpecParser.fromJson(schema, json.dumps(definition["partition-spec"]))
        table_properties = jvm.java.util.HashMap()
        for key, value in definition["properties"].items():
            table_properties.put(key, value)
        return _ignore_already_exists(lambda: catalog.createTable(identifier, schema, spec, table_properties))
    finally:
        catalog.close()


def _ignore_already_exists(create: Any) -> bool:
    """Another submission may win the race; that is the idempotent outcome, not an error."""
    try:
        create()
    except Exception as exc:
        if "AlreadyExists" in str(exc):
            return False
        raise
    return True
