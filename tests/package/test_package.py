"""`make package` builds what AWS Managed Flink runs: entry point, every declared job, deps, one uber jar."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from fixtures.aws import properties
from fixtures.declaration import load_declaration
from pipeline.jvm_functions import JAVA_FUNCTIONS
from scripts.package import INLINE_CODE_LIMIT, JAR_IN_ZIP, JOB_PROPERTY, ROOT, java_release, job_modules

pytestmark = pytest.mark.integration  # builds the real uber jar with Maven


def test_the_zip_has_the_entry_point_every_declared_job_and_their_dependencies(
    package: zipfile.ZipFile,
) -> None:
    names = set(package.namelist())
    declaration = load_declaration(ROOT / "orderflow.toml")
    assert {f"src/{spec.entry.as_posix()}" for spec in declaration.jobs.values()} <= names
    assert {
        "main.py",
        "src/pipeline/config.py",
        "src/pipeline/sql/orders_table.json",
        "src/producer/contract.py",
        "src/producer/canonical.py",
        "src/producer/iso4217.py",
        JAR_IN_ZIP,
    } <= names
    assert "src/producer/cli.py" not in names  # only what the jobs import
    assert any(n.startswith("python-packages/pydantic/") for n in names)
    assert any(n.startswith("python-packages/pydantic_core/") and n.endswith(".so") for n in names)
    assert any(n.startswith("python-packages/yaml/") for n in names)
    entry = package.read("main.py").decode()
    assert JOB_PROPERTY in entry and repr(job_modules(declaration)) in entry
    assert not any(n.startswith(("tests/", "fixtures/", "steps/", "features/")) for n in names)
    assert [n for n in names if n.endswith(".jar")] == [JAR_IN_ZIP]  # one jar, once


def test_the_run_options_point_into_the_zip(package: zipfile.ZipFile) -> None:
    names = set(package.namelist())
    options = properties.group(properties.load(), properties.RUN_OPTIONS)
    assert options["python"] in names and options["jarfile"] in names
    for folder in options["pyFiles"].split(","):
        assert any(n.startswith(folder) for n in names), folder


def test_the_uber_jar_carries_every_java_dependency(package: zipfile.ZipFile) -> None:
    jar = zipfile.ZipFile(io.BytesIO(package.read(JAR_IN_ZIP)))
    classes = set(jar.namelist())
    for needed in (
        "org/apache/flink/connector/kafka/source/KafkaSource.class",
        "org/apache/iceberg/flink/FlinkCatalogFactory.class",
        "org/apache/iceberg/aws/s3/S3FileIO.class",
        "org/apache/iceberg/rest/RESTCatalog.class",
        "software/amazon/msk/auth/iam/IAMLoginModule.class",
        *(f"{name.replace('.', '/')}.class" for name in JAVA_FUNCTIONS.values()),
    ):
        assert needed in classes, needed
    services = jar.read("META-INF/services/org.apache.flink.table.factories.Factory").decode()
    assert "KafkaDynamicTableFactory" in services and "FlinkDynamicTableFactory" in services


def test_hadoop_is_relocated_with_its_hadoop_utils_stand_in(package: zipfile.ZipFile) -> None:
    """On a Flink without Hadoop in lib/ (Managed Flink), Flink's own HadoopUtils cannot link:
    Iceberg must reach the jar's relocated copy, never org.apache.hadoop.conf nor Flink's class."""
    classes = set(zipfile.ZipFile(io.BytesIO(package.read(JAR_IN_ZIP))).namelist())
    shaded = "orderflow/shaded/org/apache"
    assert f"{shaded}/hadoop/conf/Configuration.class" in classes
    assert f"{shaded}/flink/runtime/util/HadoopUtils.class" in classes
    assert "org/apache/hadoop/conf/Configuration.class" not in classes
    assert "org/apache/flink/runtime/util/HadoopUtils.class" not in classes


def test_no_class_for_a_later_jvm_than_managed_flinks(package: zipfile.ZipFile) -> None:
    """Managed Flink 1.20 runs Java 11: multi-release entries for 12+ are dead weight."""
    names = zipfile.ZipFile(io.BytesIO(package.read(JAR_IN_ZIP))).namelist()
    versions = {
        int(n.split("/")[2]) for n in names if n.startswith("META-INF/versions/") and n.count("/") > 3
    }
    assert java_release() == 11  # what docs/aws.md says Managed Flink 1.20 runs
    assert versions and max(versions) <= java_release(), sorted(versions)


def test_no_entry_twice_and_no_jar_in_the_jar(package: zipfile.ZipFile) -> None:
    jar = zipfile.ZipFile(io.BytesIO(package.read(JAR_IN_ZIP)))
    for archive in (package, jar):
        names = archive.namelist()
        assert len(names) == len(set(names)), [n for n, count in Counter(names).items() if count > 1]
    assert not [n for n in jar.namelist() if n.endswith((".jar", ".whl", ".zip"))]


def test_one_version_of_each_native_library(package: zipfile.ZipFile) -> None:
    """Two versions of one native library mean the same jar shaded in twice."""
    versioned = re.compile(r"^(?P<lib>.*/lib[a-z-]+?)-(?P<version>\d[\w.-]*)\.(so|dll|dylib)$")
    versions: dict[str, set[str]] = {}
    for name in zipfile.ZipFile(io.BytesIO(package.read(JAR_IN_ZIP))).namelist():
        if match := versioned.match(name):
            versions.setdefault(match["lib"], set()).add(match["version"])
    assert versions, "no versioned native library: the pattern no longer matches zstd-jni's"
    assert {lib: v for lib, v in versions.items() if len(v) > 1} == {}


def test_no_native_library_for_a_system_managed_flink_does_not_run(package: zipfile.ZipFile) -> None:
    """Managed Flink runs on Linux: Windows, macOS, BSD, AIX and Android builds are dead weight."""
    natives = [
        n
        for n in zipfile.ZipFile(io.BytesIO(package.read(JAR_IN_ZIP))).namelist()
        if n.endswith((".so", ".dll", ".dylib", ".jnilib", ".a"))
    ]
    foreign = re.compile(r"(?i)(^|/)(win|win32|windows|darwin|osx|mac|freebsd|aix|sunos|android-[^/]*)/")
    assert natives and not [n for n in natives if foreign.search(n)]
    assert [n for n in natives if "linux" in n.lower() and ("x86_64" in n or "amd64" in n)]


def test_no_bytecode_cache_or_test_folder_in_the_zip(package: zipfile.ZipFile) -> None:
    names = package.namelist()
    assert not [n for n in names if n.endswith(".pyc") or "/__pycache__/" in n]
    assert not [n for n in names if re.search(r"(^|/)tests?/", n)]


def test_the_zip_is_over_the_inline_limit_so_docs_send_it_through_s3(package: zipfile.ZipFile) -> None:
    assert package.filename and Path(package.filename).stat().st_size > INLINE_CODE_LIMIT
    assert "S3ContentLocation" in (ROOT / "docs" / "aws.md").read_text()


def test_no_local_path_is_baked_into_the_jobs(package: zipfile.ZipFile) -> None:
    for name in package.namelist():
        if name.endswith(".py") and not name.startswith("python-packages/"):
            text = package.read(name).decode()
            assert "/work/" not in text and str(Path.home()) not in text, name
