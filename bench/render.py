"""The README's benchmark tables, rendered from a results file between two marker comments, and
the check that the README's block is exactly what its results file renders (a figure typed by
hand, or a stale block, fails it: tests/unit/bench/test_render.py runs it on the README)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from bench.results import RESULTS_DIR, Cell, Results, Section, Table, load

BEGIN = "<!-- bench:begin: rendered by `make bench-readme` from a results file; do not edit -->"
END = "<!-- bench:end -->"
SOURCE = re.compile(r"\[(bench/results/[^\]\s]+\.json)\]")
REPO = RESULTS_DIR.parent.parent


def markers(tag: str | None = None) -> tuple[str, str]:
    """The block's two marker comments; a `tag` names another block (bench/flavours.py's)."""
    if tag is None:
        return BEGIN, END
    begin = BEGIN.replace("bench:begin", f"bench:{tag}:begin").replace(
        "`make bench-readme`", f"`python -m bench.{tag} render`"
    )
    return begin, END.replace("bench:end", f"bench:{tag}:end")


class StaleBlock(AssertionError):
    """The README's benchmark block differs from what its results file renders."""


def cell(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    return str(value).replace("|", "\\|")


def table_markdown(table: Table) -> list[str]:
    lines = [f"**{table.title}**", "", "| " + " | ".join(table.columns) + " |"]
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows]
    lines += [""] + [f"- {note}" for note in table.notes] + ([""] if table.notes else [])
    return lines


def section_markdown(section: Section) -> list[str]:
    lines = [f"#### {section.name}", ""]
    if section.status != "measured":
        return [*lines, f"{section.status}: {section.reason}", ""]
    for table in section.tables:
        lines += table_markdown(table)
    return lines


def render(results: Results, source: str) -> str:
    """The block's body: which machine, when, under what load, then each section's tables."""
    m = results.machine
    after = "?" if m.load_after is None else f"{m.load_after[0]:.1f}"
    versions = ", ".join(f"{k} {v}" for k, v in m.versions.items())
    lines = [
        f"Measured on **{m.host}** ({m.cpus} CPUs, {m.cpu}, {m.memory_gib:g} GiB) on "
        f"{results.started:%Y-%m-%d %H:%M} UTC, load average {m.load_before[0]:.1f} before and "
        f"{after} after, commit `{m.git_commit[:10]}`{' (with local changes)' if m.git_dirty else ''}; "
        f"options {_options(results.options)}; [{source}]({source}).",
        "",
        f"Versions: {versions}.",
        "",
    ]
    for section in results.sections:
        lines += section_markdown(section)
    return "\n".join(lines).rstrip() + "\n"


def _options(options: dict[str, object]) -> str:
    return ", ".join(f"`{k}={v}`" for k, v in options.items())


def relative(path: Path) -> str:
    """The path as the README shows it: from the repo root when inside it."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def block(results_files: Sequence[Path], tag: str | None = None) -> str:
    """The block of one or more results files (one bench run per provider, say), in that order."""
    return _framed([render(load(path), relative(path)) for path in results_files], tag)


def _framed(bodies: list[str], tag: str | None) -> str:
    begin, end = markers(tag)
    return f"{begin}\n" + "\n".join(bodies) + end


def replace_block(readme: str, new_block: str, tag: str | None = None) -> str:
    begin, end_marker = markers(tag)
    start, end = readme.find(begin), readme.find(end_marker)
    if start < 0 or end < start:
        raise ValueError(f"the README has no benchmark block ({begin} … {end_marker})")
    return readme[:start] + new_block + readme[end + len(end_marker) :]


def current_block(readme: str, tag: str | None = None) -> str:
    begin, end_marker = markers(tag)
    start, end = readme.find(begin), readme.find(end_marker)
    if start < 0 or end < start:
        raise StaleBlock(f"the README has no benchmark block ({begin} … {end_marker})")
    return readme[start : end + len(end_marker)]


def check(readme: str, repo: Path = REPO, tag: str | None = None) -> Path:
    """The README's block is what the results files it names render; the first of them, or StaleBlock."""
    found = current_block(readme, tag)
    named = SOURCE.findall(found)
    if not named:
        raise StaleBlock("the README's benchmark block names no results file")
    for name in named:
        if not (repo / name).exists():
            raise StaleBlock(f"the README's benchmark block names {name}, which does not exist")
    if found != _framed([render(load(repo / name), name) for name in named], tag):
        raise StaleBlock(
            f"the README's benchmark block is not what {', '.join(named)} render: run `make bench-readme`"
        )
    return repo / named[0]


def render_into(readme: Path, results_files: Sequence[Path], tag: str | None = None) -> None:
    """Replace the README's (tagged) block with what the results files render."""
    readme.write_text(replace_block(readme.read_text(), block(results_files, tag), tag))


def add_render_command(app: typer.Typer, tag: str, readme: Path) -> None:
    """`render RESULTS_FILE…`: the command of a bench with a README block of its own."""

    # The annotations are strings evaluated in this module's globals: nothing of this scope in them.
    @app.command("render")
    def render_readme(
        results_files: Annotated[
            list[Path],
            typer.Argument(help="results files of this bench (bench/results/), shown in this order"),
        ],
        into: Annotated[Path, typer.Option("--readme", help="the README to render into")] = readme,
    ) -> None:
        """Render the README's block of this bench from one or more results files."""
        render_into(into, results_files, tag)
        print(f"{into}: {tag} block rendered from {', '.join(map(str, results_files))}")
