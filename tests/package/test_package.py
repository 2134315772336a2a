"""`make package` builds what AWS Managed Flink runs: entry point, job code, deps, one uber jar."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.jvm_functions import JAVA_FUNCTIONS
from scripts.package import build

pytestmark = pytest.mark.integration  # builds the real uber jar with Maven


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    return zipfile.ZipFile(build(tmp_path_factory.mktemp("dist") / "order_ingest_job.zip"))


def test_the_zip_has_the_entry_point_the_job_and_its_dependencies(package: zipfile.ZipFile) -> None:
    names = set(package.namelist())
    assert {
        "main.py",
        "pipeline/order_ingest_job.py",
        "pipeline/config.py",
        "pipeline/sql/orders_table.json",
        "producer/contract.py",
        "producer/canonical.py",
        "producer/iso4217.py",
        "lib/pyflink-dependencies.jar",
    } <= names
    assert "producer/cli.py" not in names  # only what the job imports
    assert any(n.startswith("python-packages/pydantic/") for n in names)
    assert any(n.startswith("python-packages/pydantic_core/") and n.endswith(".so") for n in names)
    assert "from pipeline.order_ingest_job import main" in package.read("main.py").decode()
    assert not any(n.startswith(("tests/", "fixtures/", "steps/", "features/")) for n in names)


def test_the_uber_jar_carries_every_java_dependency(package: zipfile.ZipFile) -> None:
    jar = zipfile.ZipFile(io.BytesIO(package.read("lib/pyflink-dependencies.jar")))
    classes = set(jar.namelist())
    for needed in (
        "org/apache/flink/connector/kafka/source/KafkaSource.class",
        "org/apache/iceberg/flink/FlinkCatalogFactory.class",
        "org/apache/iceberg/aws/s3/S3FileIO.class",
        "org/apache/iceberg/rest/RESTCatalog.class",
        "software/amazon/msk/auth/iam/IAMLoginModule.class",
        "org/apache/hadoop/conf/Configuration.class",
        *(f"{name.replace('.', '/')}.class" for name in JAVA_FUNCTIONS.values()),
    ):
        assert needed in classes, needed
    services = jar.read("META-INF/services/org.apache.flink.table.factories.Factory").decode()
    assert "KafkaDynamicTableFactory" in services and "FlinkDynamicTableFactory" in services


def test_no_local_path_is_baked_into_the_job(package: zipfile.ZipFile) -> None:
    for name in package.namelist():
        if name.endswith(".py") and not name.startswith("python-packages/"):
            text = package.read(name).decode()
            assert "/work/" not in text and str(Path.home()) not in text, name
