"""What a figure was measured on: the machine, its load, the versions of every runtime, the commit."""

from __future__ import annotations

import os
import platform
import re
import socket
import subprocess
from importlib import metadata
from pathlib import Path

from bench.results import Machine
from fixtures import paths
from fixtures.machine import hardware

REPO = Path(__file__).resolve().parent.parent


def _jar_version(folder: Path, pattern: str) -> str:
    """The version in the name of the first jar matching `pattern` (a regex with one group)."""
    for jar in sorted(folder.rglob("*.jar")) if folder.exists() else []:
        if match := re.fullmatch(pattern, jar.name):
            return match[1]
    return "unknown"


def _java() -> str:
    try:
        done = subprocess.run(
            [paths.java(), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        return f"unknown ({exc})"
    first = (done.stderr or done.stdout).splitlines()
    return first[0].strip() if first else "unknown"


def versions() -> dict[str, str]:
    flink_lib = paths.flink_home() / "lib"
    return {
        "Python": platform.python_version(),
        "Java": _java(),
        "Flink": _jar_version(flink_lib, r"flink-dist-([\d.]+)\.jar"),
        "Kafka": _jar_version(REPO / ".cache" / "jvm" / "kafka", r"kafka_[\d.]+-([\d.]+)\.jar"),
        "Iceberg (Flink)": _jar_version(flink_lib, r"iceberg-flink-runtime-[\d.]+-([\d.]+)\.jar"),
        "PyIceberg": metadata.version("pyiceberg"),
        "confluent-kafka": metadata.version("confluent-kafka"),
    }


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def machine() -> Machine:
    facts = hardware()
    return Machine(
        host=socket.gethostname(),
        cpus=int(str(facts["cpus"])),
        cpu=str(facts["cpu"]),
        memory_gib=float(str(facts["memory_gib"])),
        load_before=os.getloadavg(),
        versions=versions(),
        git_commit=_git("rev-parse", "HEAD"),
        git_dirty=bool(_git("status", "--porcelain", "--untracked-files=no")),
    )
