"""One `make package` build for every test of this folder (the Maven shade step takes a while)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from scripts.package import JAR_IN_ZIP, build


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    return zipfile.ZipFile(build(tmp_path_factory.mktemp("dist") / "orderflow.zip"))


@pytest.fixture(scope="session")
def uber_jar(package: zipfile.ZipFile, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip's one jar, on disk: what Managed Flink loads as the application's user jar."""
    folder = tmp_path_factory.mktemp("jar")
    package.extract(JAR_IN_ZIP, folder)
    return folder / JAR_IN_ZIP
