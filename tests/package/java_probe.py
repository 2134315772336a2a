"""Running a single-file Java probe (`java Probe.java`) with the uber jar as its only classpath:
what a class needs must then come from the jar alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fixtures import paths


def run_probe(
    uber_jar: Path, probe: Path, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [paths.java(), "-cp", str(uber_jar), str(probe), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=180,
        check=False,
    )
