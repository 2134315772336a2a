"""The plugin's failure plumbing, without a stack: a red scenario gets its diagnostics in the
terminal, a file, the junit XML properties, the Cucumber JSON (an embedding on the failed step) and
the HTML report."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import pytest

pytest_plugins = ("pytester",)

FEATURE = """\
Feature: Red on purpose
  Scenario: A step fails
    Given a step that passes
    Then a step that fails
"""

TEST_MODULE = """\
from pytest_bdd import given, scenarios, then

scenarios("red.feature")


@given("a step that passes")
def passes(evidence):
    evidence.waits.append("something: done")


@then("a step that fails")
def fails(evidence):
    expectation = evidence.expect("rows of this scenario in t", ["id"], [{"id": "ord-1"}])
    expectation.found = [{"id": "ord-2"}]
    expectation.missing = [{"id": "ord-1"}]
    assert False, "ord-1 never arrived"
"""


@pytest.mark.parametrize("workers", [[], ["-n", "1"]], ids=["in-process", "xdist"])
def test_a_red_scenario_carries_its_diagnostics_everywhere(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    """Under -n a worker gathers the diagnostics and the controller writes the reports."""
    pytester.makefile(".feature", red=FEATURE)
    pytester.makepyfile(test_red=TEST_MODULE)
    result = pytester.runpytest_subprocess(
        *workers,
        "-p",
        "no:cacheprovider",
        "--junitxml=junit.xml",
        "--cucumberjson=cucumber.json",
        "--html=report.html",
        "--self-contained-html",
        "--diagnostics-dir=diag",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*orderflow diagnostics (also in*",
            "=== scenario ===",
            "failed step: Then a step that fails (line 4 of red.feature)",
            "=== expected vs. found ===",
            "*the stack was not started*",
        ]
    )
    files = list((pytester.path / "diag").glob("*.txt"))
    assert len(files) == 1 and "ord-1" in files[0].read_text()

    properties = {
        p.get("name"): p.get("value") for p in ET.parse(pytester.path / "junit.xml").iter("property")
    }
    assert properties["orderflow.diagnostics"] == str(files[0])
    assert len(properties["orderflow.run_id"]) == 10
    failure = next(ET.parse(pytester.path / "junit.xml").iter("failure"))
    assert "=== expected vs. found ===" in (failure.text or "")

    [feature] = json.loads((pytester.path / "cucumber.json").read_text())
    failed = next(s for s in feature["elements"][0]["steps"] if s["result"]["status"] == "failed")
    attached = base64.b64decode(failed["embeddings"][0]["data"]).decode()
    assert "missing (1):" in attached and "| ord-1 |" in attached

    page = (pytester.path / "report.html").read_text()  # the page a person opens (pytest-html)
    assert "orderflow diagnostics" in page and "=== expected vs. found ===" in page


def test_a_failing_test_without_the_stack_gets_no_diagnostics(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_red():\n    assert 1 == 2\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--diagnostics-dir=diag")
    result.assert_outcomes(failed=1)
    assert "orderflow diagnostics" not in result.stdout.str()
    assert not (pytester.path / "diag").exists()
