"""A full pytest run's figures from its JUnit file (pytest --junitxml): the one reader of them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SuiteOutcome:
    tests: int
    failed: int  # failures and errors
    skipped: int
    seconds: float  # pytest's own
    started: str  # "YYYY-MM-DD HH:MM", UTC

    @property
    def passed(self) -> int:
        return self.tests - self.failed - self.skipped


def suite_outcome(junit: Path) -> SuiteOutcome:
    root = ET.parse(junit).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        raise ValueError(f"{junit}: no <testsuite>")
    return SuiteOutcome(
        tests=int(suite.get("tests", 0)),
        failed=int(suite.get("failures", 0)) + int(suite.get("errors", 0)),
        skipped=int(suite.get("skipped", 0)),
        seconds=round(float(suite.get("time", 0)), 1),
        started=suite.get("timestamp", "?")[:16].replace("T", " "),
    )
