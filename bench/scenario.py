"""The README's `bench:scenario` block (`python -m bench.scenario render FILE`): the loop a data
engineer runs many times a day, one scenario against a warm stack, from a results file of
`make bench ARGS="--section scenario --prefix scenario-"` (bench/sections/scenario.py measures it)."""

from __future__ import annotations

import typer

from bench import render as rendering
from fixtures.paths import REPO_ROOT

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
README = REPO_ROOT / "README.md"
TAG = "scenario"


@app.callback()
def main() -> None:
    """Keeps `render` a subcommand: the README's marker names it."""


rendering.add_render_command(app, TAG, README)

if __name__ == "__main__":
    app()
