from __future__ import annotations

from bench.sections.scenario import pytest_outcome


def test_the_outcome_is_read_from_pytests_last_line() -> None:
    out = "orderflow: reusing the running order_ingest_job\n.\n1 passed, 69 deselected in 3.42s\n"
    assert pytest_outcome(out) == (1, 3.42)
    assert pytest_outcome("F\n1 failed, 69 deselected in 9.10s\n") == (0, None)
    assert pytest_outcome("") == (0, None)
