"""The results file of a `make bench` run (bench/results/<date>-<host>.json): one schema, read by
the renderer and the README check as it was written by the run."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# <date>-<host>.json; the crash matrix's faults-<date>.json is another file's schema
NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-.+\.json$")
Cell = str | int | float | None


class Table(BaseModel):
    """One table of figures as printed and rendered: numbers stay numbers, formatted on output."""

    title: str
    columns: list[str]
    rows: list[list[Cell]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Section(BaseModel):
    name: str  # producer, pipeline, latency, alerts, stateful, boot
    status: Literal["measured", "not measured", "failed"] = "measured"
    reason: str = ""  # why not measured, or what failed
    seconds: float = 0.0  # how long the section took
    tables: list[Table] = Field(default_factory=list)
    figures: dict[str, float | None] = Field(default_factory=dict)  # the headline ratios, by name


class Machine(BaseModel):
    host: str
    cpus: int
    cpu: str
    memory_gib: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] | None = None
    versions: dict[str, str]
    git_commit: str
    git_dirty: bool


class Results(BaseModel):
    schema_version: Literal[1] = 1
    started: datetime
    finished: datetime | None = None
    machine: Machine
    options: dict[str, object]
    sections: list[Section] = Field(default_factory=list)

    def path(self, folder: Path = RESULTS_DIR, prefix: str = "") -> Path:
        return folder / f"{prefix}{self.started:%Y-%m-%d}-{self.machine.host}.json"

    def write(self, folder: Path = RESULTS_DIR, prefix: str = "") -> Path:
        out = self.path(folder, prefix)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(self.model_dump_json(indent=2) + "\n")
        return out

    def finish(self, folder: Path = RESULTS_DIR, prefix: str = "") -> Path:
        """The load average after and the end time noted, the file written: its path."""
        self.machine.load_after = os.getloadavg()
        self.finished = datetime.now(UTC)
        return self.write(folder, prefix)


def load(path: Path) -> Results:
    return Results.model_validate_json(path.read_text())


def latest(folder: Path = RESULTS_DIR) -> Path:
    """The newest results file of `make bench` (by its date, then its modification time)."""
    found = sorted(
        (p for p in folder.glob("*.json") if NAME.match(p.name)),
        key=lambda p: (p.name[:10], p.stat().st_mtime),
    )
    if not found:
        raise FileNotFoundError(f"no results file in {folder}: run `make bench`")
    return found[-1]
