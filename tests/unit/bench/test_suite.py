"""bench/junit.py, the one reader of the suite benches' JUnit files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import render
from bench.junit import suite_outcome


def test_a_run_without_a_testsuite_is_an_error_not_a_zero(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text("<testsuites></testsuites>")
    with pytest.raises(ValueError, match="no <testsuite>"):
        suite_outcome(junit)


def test_the_readme_suite_block_is_what_its_results_file_renders() -> None:
    render.check((render.REPO / "README.md").read_text(), tag="suite")
