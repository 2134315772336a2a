"""The benches read pytest's last line (bench/sections/scenario.py): a failure is counted, never taken as a pass."""

from __future__ import annotations

from bench.sections.scenario import pytest_counts as outcome


def test_counts_come_from_pytests_last_line() -> None:
    stdout = (
        "....F.\n=== short test summary ===\nFAILED x\n2 failed, 60 passed, 7 deselected, 1 error in 50.20s\n"
    )
    assert outcome(stdout) == {"passed": 60, "failed": 2, "error": 1, "skipped": 0}
    assert outcome("63 passed, 7 deselected in 45.10s") == {
        "passed": 63,
        "failed": 0,
        "error": 0,
        "skipped": 0,
    }
    assert outcome("3 errors in 1.0s") == {"passed": 0, "failed": 0, "error": 3, "skipped": 0}


def test_no_summary_is_no_pass() -> None:
    assert outcome("") == {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    assert outcome("Traceback (most recent call last):\n  ...\nKeyboardInterrupt") == {
        "passed": 0,
        "failed": 0,
        "error": 0,
        "skipped": 0,
    }
