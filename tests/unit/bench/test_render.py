"""The results schema and the README renderer: figures in the README come from a results file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import render, scenario
from bench.latency import percentiles
from bench.results import latest, load

HERE = Path(__file__).parent
SAMPLE = HERE / "sample_results.json"


def test_the_sample_results_file_follows_the_schema() -> None:
    results = load(SAMPLE)
    assert results.machine.cpus == 2
    assert [s.name for s in results.sections] == ["Producer", "Boot"]


def test_the_renderer_names_the_machine_and_date_and_formats_figures() -> None:
    text = render.render(load(SAMPLE), "bench/results/2026-11-30-sample-host.json")
    assert "**sample-host** (2 CPUs, Sample CPU, 23.5 GiB) on 2026-11-30 13:00 UTC" in text
    assert "load average 1.5 before and 2.2 after" in text or "load average 1.5 before and 2.3 after" in text
    assert "| publish | 200,000 | 150,000 | acks=all |" in text
    assert "| yardstick | 200,000 | 160,000 | – |" in text
    assert "not measured: no Docker engine was running" in text
    assert "[bench/results/2026-11-30-sample-host.json](bench/results/2026-11-30-sample-host.json)" in text


def _repo_with(tmp_path: Path) -> tuple[Path, str]:
    results = tmp_path / "bench" / "results"
    results.mkdir(parents=True)
    shutil.copy(SAMPLE, results / "2026-11-30-sample-host.json")
    readme = f"# title\n\n{render.BEGIN}\nold\n{render.END}\n\nafter\n"
    block = f"{render.BEGIN}\n{render.render(load(SAMPLE), 'bench/results/2026-11-30-sample-host.json')}{render.END}"
    return tmp_path, render.replace_block(readme, block)


def test_a_rendered_block_passes_the_check_and_keeps_the_rest(tmp_path: Path) -> None:
    repo, readme = _repo_with(tmp_path)
    assert readme.startswith("# title\n\n") and readme.endswith("\n\nafter\n")
    assert render.check(readme, repo) == repo / "bench/results/2026-11-30-sample-host.json"


def test_a_hand_typed_figure_fails_the_check(tmp_path: Path) -> None:
    repo, readme = _repo_with(tmp_path)
    with pytest.raises(render.StaleBlock, match="not what"):
        render.check(readme.replace("150,000", "250,000"), repo)


def test_a_block_without_its_results_file_fails_the_check(tmp_path: Path) -> None:
    repo, readme = _repo_with(tmp_path)
    (repo / "bench/results/2026-11-30-sample-host.json").unlink()
    with pytest.raises(render.StaleBlock, match="does not exist"):
        render.check(readme, repo)


def test_a_block_of_two_results_files_renders_both_and_checks_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, readme = _repo_with(tmp_path)
    monkeypatch.setattr(render, "REPO", repo)  # the block names its files from the repo's root
    second = repo / "bench/results/2026-12-01-sample-host.json"
    shutil.copy(SAMPLE, second)
    readme_file = repo / "README.md"
    readme_file.write_text(readme)
    render.render_into(readme_file, [repo / "bench/results/2026-11-30-sample-host.json", second])
    both = readme_file.read_text()
    assert both.count("| publish | 200,000 | 150,000 | acks=all |") == 2
    assert render.check(both, repo) == repo / "bench/results/2026-11-30-sample-host.json"
    second.unlink()
    with pytest.raises(render.StaleBlock, match=r"2026-12-01-sample-host\.json, which does not exist"):
        render.check(both, repo)


def test_the_readme_block_is_what_its_results_file_renders() -> None:
    readme = (render.REPO / "README.md").read_text()
    render.check(readme)


def test_latest_skips_the_crash_matrix_files(tmp_path: Path) -> None:
    for name in ("faults-2026-12-01.json", "2026-11-29-a.json", "2026-11-30-b.json"):
        (tmp_path / name).write_text("{}")
    assert latest(tmp_path).name == "2026-11-30-b.json"


def test_percentiles_in_seconds() -> None:
    stats = percentiles(float(ms) for ms in range(1, 1001))
    assert stats["p50"] == pytest.approx(0.5005)
    assert stats["p99"] == pytest.approx(0.99001)
    assert percentiles([5.0])["p95"] is None


def test_the_readme_scenario_block_is_what_its_results_file_renders() -> None:
    render.check((render.REPO / "README.md").read_text(), tag=scenario.TAG)
