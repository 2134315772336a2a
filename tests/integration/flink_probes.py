"""Running a probe script (a small PyFlink program next to this file) in the Flink env, on
payloads handed over as hex on stdin; its JSON output lines come back parsed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from fixtures import paths


def run_probe(script: str, payloads: list[bytes], timeout: float = 600) -> list[dict[str, Any]]:
    env = {**os.environ, "FLINK_HOME": str(paths.flink_home()), "PYTHONPATH": str(paths.REPO_ROOT)}
    done = subprocess.run(
        [str(paths.flink_python()), str(Path(__file__).with_name(script))],
        input=json.dumps([payload.hex() for payload in payloads]),
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
