"""`make package`: the one zip AWS Managed Flink runs, for every job orderflow.toml declares.

    dist/orderflow.zip
      main.py                     entry point (run option python=main.py): runs the job the
                                  ORDERFLOW_JOB property names, one of the declared jobs
      src/pipeline/ src/producer/…  the jobs and the contract modules they import (run option
                                  pyFiles=src/: Flink puts the folder itself on the Python
                                  workers' path, so `import pipeline` works in a UDF)
      python-packages/            the jobs' Python dependencies ([project].dependencies of
                                  pyproject.toml), manylinux cp311 wheels (pyFiles too)
      lib/pyflink-dependencies.jar  every Java dependency, shaded into one jar from
                                  compose/jvm/pom.xml (run option jarfile)

One zip for all jobs: one Managed Flink application per job, each with its own ORDERFLOW_JOB.
A job newly declared in orderflow.toml is packaged with no change here. No local path goes in:
every setting is read from the runtime property groups (pipeline/config.py).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from fixtures.declaration import Declaration, load_declaration
from fixtures.job_sources import job_sources

ROOT = Path(__file__).resolve().parent.parent
UBER_DIR = ROOT / ".cache" / "jvm-uber"  # the uber profile's build directory (compose/jvm/pom.xml)
UBER_JAR = UBER_DIR / "pyflink-dependencies.jar"
UBER_STAMP = ROOT / ".cache" / "stamps" / "jvm-uber"
JAR_IN_ZIP = "lib/pyflink-dependencies.jar"
SOURCES_IN_ZIP = "src"
PACKAGES_IN_ZIP = "python-packages"
DEFAULT_OUTPUT = ROOT / "dist" / "orderflow.zip"
JOB_PROPERTY = "ORDERFLOW_JOB"
# ZipFileContent's maximum length in the Managed Flink API (CodeContent): a larger zip goes
# through S3 (S3ContentLocation), docs/aws.md
INLINE_CODE_LIMIT = 52_428_800

ENTRY_POINT = '''"""AWS Managed Flink entry point: runs the declared job the {prop} property names."""
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The driver runs from the unpacked zip; the workers get these folders through pyFiles.
sys.path[:0] = [os.path.join(HERE, "{src}"), os.path.join(HERE, "{packages}")]

JOBS = {jobs!r}

if __name__ == "__main__":
    from pipeline.config import ConfigError, load_settings

    name = load_settings().get("{prop}", "")
    if name not in JOBS:
        raise ConfigError(f"{prop}={{name!r}}: must be one of {{', '.join(JOBS)}}")
    importlib.import_module(JOBS[name]).main()
'''


def java_release() -> int:
    """The Java the uber jar is built for: Managed Flink 1.20's JVM (`maven.compiler.release` of
    compose/jvm/pom.xml, whose shade filters drop the multi-release classes of later ones)."""
    pom = ElementTree.parse(ROOT / "compose" / "jvm" / "pom.xml")
    release = pom.find("m:properties/m:maven.compiler.release", {"m": "http://maven.apache.org/POM/4.0.0"})
    if release is None or not release.text:
        raise ValueError("compose/jvm/pom.xml: no maven.compiler.release")
    return int(release.text)


def uber_jar_inputs() -> list[Path]:
    """What the uber jar is made of: the pom (dependencies, shade filters, relocations) and the
    Java sources it compiles (compose/jvm/msf/, pipeline/jvm/)."""
    return [
        ROOT / "compose" / "jvm" / "pom.xml",
        *sorted((ROOT / "compose" / "jvm" / "msf").rglob("*.java")),
        *sorted((ROOT / "pipeline" / "jvm").rglob("*.java")),
    ]


def uber_jar_key() -> str:
    digest = hashlib.sha256()
    for path in uber_jar_inputs():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build_uber_jar() -> Path:
    """The uber jar, rebuilt from an empty build folder whenever its inputs changed, else kept.
    Why empty: on a second `mvn package` the jar step keeps the jar it finds (the last *shaded*
    one), and shade takes that as the project's own classes and shades it again, so the output
    depended on what was built before."""
    key = uber_jar_key()
    if UBER_JAR.is_file() and UBER_STAMP.is_file() and UBER_STAMP.read_text().strip() == key:
        return UBER_JAR
    shutil.rmtree(UBER_DIR, ignore_errors=True)
    subprocess.run(
        ["mvn", "-q", "-B", "-f", str(ROOT / "compose/jvm/pom.xml"), "-P", "flink,functions,uber", "package"],
        check=True,
    )
    UBER_STAMP.parent.mkdir(parents=True, exist_ok=True)
    UBER_STAMP.write_text(f"{key}\n")
    return UBER_JAR


def python_dependencies() -> list[str]:
    """The base dependencies of pyproject.toml: what the Flink env installs besides apache-flink."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"])


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
            *python_dependencies(),
        ],
        check=True,
    )


def job_modules(declaration: Declaration) -> dict[str, str]:
    """Each declared job's entry script as a module name (`pipeline/x.py` → `pipeline.x`)."""
    return {
        name: ".".join(spec.entry.with_suffix("").parts) for name, spec in sorted(declaration.jobs.items())
    }


def entry_point(declaration: Declaration) -> str:
    return ENTRY_POINT.format(
        prop=JOB_PROPERTY, src=SOURCES_IN_ZIP, packages=PACKAGES_IN_ZIP, jobs=job_modules(declaration)
    )


def build(output: Path = DEFAULT_OUTPUT, declaration: Declaration | None = None) -> Path:
    started = time.monotonic()
    declaration = declaration or load_declaration(ROOT / "orderflow.toml")
    jar = build_uber_jar()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        packages = Path(scratch) / PACKAGES_IN_ZIP
        download_python_dependencies(packages)
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("main.py", entry_point(declaration))
            for name, source in job_sources(declaration).items():
                archive.write(source, f"{SOURCES_IN_ZIP}/{name}")
            for path in sorted(packages.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    archive.write(path, f"{PACKAGES_IN_ZIP}/{path.relative_to(packages).as_posix()}")
            archive.write(jar, JAR_IN_ZIP)
    size = output.stat().st_size
    print(
        f"{output} ({size / 1e6:.0f} MB, jobs: {', '.join(declaration.jobs)}) built in {time.monotonic() - started:.0f}s"
    )
    if size > INLINE_CODE_LIMIT:
        print(
            f"over the {INLINE_CODE_LIMIT:,}-byte inline limit of Managed Flink: upload it to S3 (docs/aws.md)"
        )
    return output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    build(parser.parse_args().output)


if __name__ == "__main__":
    main()
