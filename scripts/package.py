"""`make package`: the zip AWS Managed Flink runs for a PyFlink application.

    dist/order_ingest_job.zip
      main.py                          entry point (application property python=main.py)
      pipeline/ producer/contract.py…  the job and the contract it imports, from the working tree
      python-packages/                 the job's Python dependencies (pydantic), manylinux cp311 wheels
      lib/pyflink-dependencies.jar     every Java dependency, shaded into one jar from compose/jvm/pom.xml

No local path goes in: every setting is read from the runtime property groups (pipeline/config.py).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UBER_JAR = ROOT / ".cache" / "jvm-uber" / "pyflink-dependencies.jar"
ENTRY_POINT = '''"""AWS Managed Flink entry point: runs order_ingest_job (configuration from property groups)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-packages"))

from pipeline.order_ingest_job import main  # noqa: E402

if __name__ == "__main__":
    main()
'''
PYTHON_DEPENDENCIES = ["pydantic>=2.6,<3"]


def build_uber_jar() -> Path:
    subprocess.run(
        ["mvn", "-q", "-B", "-f", str(ROOT / "compose/jvm/pom.xml"), "-P", "flink,functions,uber", "package"],
        check=True,
    )
    return UBER_JAR


def download_python_dependencies(target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--target",
            str(target),
            "--only-binary=:all:",
            "--no-warn-conflicts",
            "--platform",
            "manylinux2014_x86_64",
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            *PYTHON_DEPENDENCIES,
        ],
        check=True,
    )


def _producer_imports(source: Path) -> set[str]:
    """The producer modules a Python file imports (`from producer.x import ...`)."""
    tree = ast.parse(source.read_text(), filename=str(source))
    return {
        node.module.split(".")[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("producer.")
    }


def job_sources() -> list[Path]:
    """The job's own Python files: pipeline/ whole but its Java sources (compiled into the uber
    jar), and the producer modules it imports, followed transitively (the contract and what it
    needs; not the producer's CLI or Kafka code)."""
    skipped = {"__pycache__", "jvm"}
    files = [
        p
        for p in (ROOT / "pipeline").rglob("*")
        if p.is_file() and not skipped & set(p.relative_to(ROOT).parts)
    ]
    wanted = set().union(*(_producer_imports(p) for p in files if p.suffix == ".py"))
    modules: set[str] = set()
    while wanted:
        module = wanted.pop()
        modules.add(module)
        wanted |= _producer_imports(ROOT / "producer" / f"{module}.py") - modules
    return (
        files + [ROOT / "producer" / "__init__.py"] + [ROOT / "producer" / f"{m}.py" for m in sorted(modules)]
    )


def build(output: Path) -> Path:
    started = time.monotonic()
    jar = build_uber_jar()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        packages = Path(scratch) / "python-packages"
        download_python_dependencies(packages)
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("main.py", ENTRY_POINT)
            for source in job_sources():
                archive.write(source, source.relative_to(ROOT).as_posix())
            for path in sorted(packages.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    archive.write(path, ("python-packages" / path.relative_to(packages)).as_posix())
            archive.write(jar, "lib/pyflink-dependencies.jar")
    size = output.stat().st_size / 1e6
    print(f"{output} ({size:.0f} MB) built in {time.monotonic() - started:.0f}s")
    return output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "order_ingest_job.zip")
    build(parser.parse_args().output)


if __name__ == "__main__":
    main()
