"""bench/flavours.py: the suite's figures come from a JUnit file, and its README block is a tagged
block of its own, checked like the main one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import render
from bench.flavours import TAG, suite_row
from bench.results import load

SAMPLE = Path(__file__).parent / "sample_results.json"
JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1"
failures="2" skipped="0" tests="69" time="1234.567" timestamp="2026-11-30T17:05:00.1"
hostname="vm"></testsuite></testsuites>"""


def test_a_suite_row_is_read_from_the_junit_file(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT)
    row = suite_row("s3tables", junit)
    assert row[:7] == ["s3tables", 69, 66, 3, 0, 1234.6, "2026-11-30 17:05"]


def test_the_tagged_block_is_checked_apart_from_the_main_one(tmp_path: Path) -> None:
    results = tmp_path / "bench" / "results"
    results.mkdir(parents=True)
    shutil.copy(SAMPLE, results / "flavours-2026-11-30-sample-host.json")
    begin, end = render.markers(TAG)
    main = f"{render.BEGIN}\nmain\n{render.END}"
    readme = f"# t\n\n{main}\n\n{begin}\nold\n{end}\n"
    text = render.render(load(SAMPLE), "bench/results/flavours-2026-11-30-sample-host.json")
    readme = render.replace_block(readme, f"{begin}\n{text}{end}", TAG)
    assert main in readme  # the main block is left as it was
    assert render.check(readme, tmp_path, TAG).name == "flavours-2026-11-30-sample-host.json"
    with pytest.raises(render.StaleBlock, match="not what"):
        render.check(readme.replace("150,000", "250,000"), tmp_path, TAG)


def test_the_readme_flavours_block_is_what_its_results_file_renders() -> None:
    render.check((render.REPO / "README.md").read_text(), tag=TAG)
