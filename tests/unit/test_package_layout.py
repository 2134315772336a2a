"""`make package` follows the declaration: every declared job is in the zip's entry point and its
sources, with no change to scripts/package.py when a job is added."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.declaration import load_declaration
from fixtures.job_sources import job_sources
from scripts import package
from scripts.package import ROOT, entry_point, job_modules, uber_jar_inputs

TOML = """
[topics."orders.created.v1"]
[jobs.order_ingest_job]
entry = "pipeline/order_ingest_job.py"
reads = ["orders.created.v1"]
[jobs.new_job]
entry = "pipeline/new_job.py"
reads = ["orders.created.v1"]
"""


def test_a_newly_declared_job_is_packaged_with_no_code_change(tmp_path: Path) -> None:
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "order_ingest_job.py").write_text("from producer.contract import X\n")
    (tmp_path / "pipeline" / "new_job.py").write_text("")
    (tmp_path / "orderflow.toml").write_text(TOML)
    declaration = load_declaration(tmp_path / "orderflow.toml")
    assert job_modules(declaration) == {
        "new_job": "pipeline.new_job",
        "order_ingest_job": "pipeline.order_ingest_job",
    }
    assert "'new_job': 'pipeline.new_job'" in entry_point(declaration)
    sources = {p.name for p in job_sources(declaration).values()}
    assert {"new_job.py", "order_ingest_job.py", "contract.py"} <= sources
    assert "cli.py" not in sources


def test_this_repos_jobs_are_all_in_the_entry_point() -> None:
    declaration = load_declaration(ROOT / "orderflow.toml")
    entry = entry_point(declaration)
    for name in declaration.jobs:
        assert repr(name) in entry
    compile(entry, "main.py", "exec")


def test_the_uber_jar_is_rebuilt_from_scratch_when_its_inputs_change_and_kept_when_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert {ROOT / "compose/jvm/pom.xml", *(ROOT / "pipeline/jvm").rglob("*.java")} <= set(uber_jar_inputs())
    folder = tmp_path / "jvm-uber"
    monkeypatch.setattr(package, "UBER_DIR", folder)
    monkeypatch.setattr(package, "UBER_JAR", folder / "pyflink-dependencies.jar")
    monkeypatch.setattr(package, "UBER_STAMP", tmp_path / "stamps" / "jvm-uber")
    builds: list[set[str]] = []

    def maven(command: list[str], check: bool) -> None:
        builds.append({p.name for p in folder.glob("*")})  # what the build starts from
        folder.mkdir(exist_ok=True)
        (folder / "pyflink-dependencies.jar").write_bytes(b"shaded")

    monkeypatch.setattr(package.subprocess, "run", maven)
    monkeypatch.setattr(package, "uber_jar_key", lambda: "pom-1")
    package.build_uber_jar()
    package.build_uber_jar()
    assert len(builds) == 1, "unchanged inputs: the jar is kept"
    monkeypatch.setattr(package, "uber_jar_key", lambda: "pom-2")
    package.build_uber_jar()
    assert builds == [set(), set()], "a changed pom: built again, from an empty folder"
