"""The external provider on a cluster that runs its own Python (ORDERFLOW_FLINK_PYTHON): a Python
UDF imports the job's own package and a contract module on the workers, from what `-pyfs` ships.

The session's Flink plays that cluster. Its workers get a Python that has PyFlink but not
orderflow: a fresh venv that sees the Flink env's site-packages through a plain path (so the
editable install's finder never runs), and the job sets `python.pythonpath` to that alone (the
local TaskManager's default also lists the working tree). Whatever the UDF imports must then come
through pyFiles; the UDF also refuses a `producer` imported from the working tree.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from fixtures import paths
from fixtures.declaration import load_declaration
from fixtures.external import ExternalStack
from fixtures.flink_rest import FlinkRest
from fixtures.stack import Stack
from fixtures.waits import Probe, wait_for

pytestmark = pytest.mark.integration

DECLARATION = """
[topics."pyfs.probe.v1"]
partitions = 1

[jobs.pyfs_probe_job]
entry = "jobs/pyfs_probe_job.py"
reads = ["pyfs.probe.v1"]
"""

JOB = '''
"""A bounded job whose Python UDF imports what only pyFiles can bring to the workers."""
from pyflink.table import DataTypes, EnvironmentSettings, TableEnvironment
from pyflink.table.udf import udf

WORKING_TREE_PRODUCER = {working_tree_producer!r}


@udf(result_type=DataTypes.STRING())
def origin(value: str) -> str:
    import producer
    from jobs.tags import TAG  # the job's own package
    from producer.markers import MARKER_HEADER  # a contract module it imports

    if producer.__file__ == WORKING_TREE_PRODUCER:
        raise RuntimeError(f"producer came from the working tree ({{producer.__file__}}), not pyFiles")
    return f"{{TAG}}:{{MARKER_HEADER}}:{{value}}"


def main() -> None:
    env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    env.get_config().set("python.pythonpath", {cluster_site!r})  # the workers: PyFlink, no orderflow
    env.get_config().set("restart-strategy.type", "none")  # a failed import fails the job at once
    env.create_temporary_function("origin", origin)
    env.execute_sql("CREATE TABLE sink (v STRING) WITH ('connector' = 'blackhole')")
    env.execute_sql("INSERT INTO sink SELECT origin(v) FROM (VALUES ('a'), ('b')) AS t(v)")


if __name__ == "__main__":
    main()
'''


def _cluster_python(folder: Path) -> tuple[Path, Path]:
    """A venv with PyFlink but not orderflow: its interpreter and its site-packages."""
    subprocess.run([str(paths.flink_python()), "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # a plain path line: the Flink env's packages, but none of its .pth files (the editable finder)
    (site / "flink-env.pth").write_text(f"{paths.flink_site_packages()}\n")
    return python, site


def _repo(folder: Path, cluster_site: Path) -> Path:
    (folder / "jobs").mkdir()
    (folder / "jobs" / "__init__.py").write_text("")
    (folder / "jobs" / "tags.py").write_text('TAG = "shipped"\n')
    (folder / "jobs" / "pyfs_probe_job.py").write_text(
        textwrap.dedent(JOB).format(
            working_tree_producer=str(paths.REPO_ROOT / "producer" / "__init__.py"),
            cluster_site=str(cluster_site),
        )
    )
    (folder / "orderflow.toml").write_text(DECLARATION)
    return folder / "orderflow.toml"


def test_a_python_udf_imports_the_jobs_packages_from_pyfiles(stack: Stack, tmp_path: Path) -> None:
    python, site = _cluster_python(tmp_path / "cluster-python")
    repo = tmp_path / "repo"
    repo.mkdir()
    own = ExternalStack(stack.endpoints, cluster_python=str(python))
    own.with_declaration(load_declaration(_repo(repo, site)))
    job_id = own.run_job("jobs/pyfs_probe_job.py", {}, None, allow_state_loss=False)
    rest = FlinkRest(stack.endpoints.flink_rest_url)

    def ended() -> Probe:
        state = rest.job(job_id)["state"]
        return Probe(state in {"FINISHED", "FAILED", "CANCELED"}, state, state)

    try:
        state = wait_for("the probe job to end", ended, timeout=120)
        cause = "" if state == "FINISHED" else rest.exceptions(job_id).get("root-exception", "")
    finally:
        rest.close()
    assert state == "FINISHED", cause[-3000:]


def test_the_cluster_python_cannot_import_orderflow_by_itself(tmp_path: Path) -> None:
    """The premise of the test above: without pyFiles, this interpreter finds neither package."""
    python, _ = _cluster_python(tmp_path / "cluster-python")
    probe = subprocess.run(
        [str(python), "-c", "import pyflink\ntry:\n import producer\nexcept ImportError:\n print('absent')"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert probe.stdout.strip() == "absent", probe.stdout + probe.stderr
