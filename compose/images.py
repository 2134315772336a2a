#!/usr/bin/env python3
"""Build the orderflow images — kafka, flink, localstack, iceberg-rest — only when their inputs change.

    .venv/bin/python compose/images.py              # build what is missing, tag :dev, write compose/.env
    .venv/bin/python compose/images.py flink kafka  # only these
    .venv/bin/python compose/images.py --force      # rebuild even if the tag exists
    .venv/bin/python compose/images.py --no-cache   # rebuild from scratch (measures a cold build)
    .venv/bin/python compose/images.py --json       # print {name: tag} (for scripts)

Each image's build context is assembled in compose/<name>/context/ (git-ignored) from:
  - the files next to its Dockerfile (compose/<name>/*),
  - jars/   the JVM jars of one profile of compose/jvm/pom.xml (.cache/jvm/<profile>, made by
            scripts/setup.sh): no Maven inside the image,
  - wheels/ a wheelhouse built on the host from compose/<name>/requirements.txt (cached in
            .cache/wheels/): the image installs with `pip --no-index`, so no HTTPS (and no
            host CA) is needed inside the build.
The image is tagged orderflow/<name>:<hash of that whole context>, so an unchanged context
means no build at all; orderflow/<name>:dev and compose/.env always point at the current tag.

Stdlib only, so it runs before (or without) the harness env; the wheelhouse step needs pip.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

COMPOSE_DIR = Path(__file__).resolve().parent
REPO_ROOT = COMPOSE_DIR.parent
CACHE = REPO_ROOT / ".cache"
JVM_CACHE = CACHE / "jvm"
WHEEL_CACHE = CACHE / "wheels"
STATE = CACHE / "images"
ENV_FILE = COMPOSE_DIR / ".env"
REPOSITORY = "orderflow"
BASE_IMAGE = "debian:bookworm-slim"


@dataclass(frozen=True)
class Image:
    name: str
    jar_profile: str | None = None
    wheels: bool = False

    @property
    def source(self) -> Path:
        return COMPOSE_DIR / self.name

    @property
    def context(self) -> Path:
        return self.source / "context"

    @property
    def env_key(self) -> str:
        return self.name.upper().replace("-", "_") + "_IMAGE"

    def tag(self, digest: str) -> str:
        return f"{REPOSITORY}/{self.name}:{digest}"

    @property
    def dev_tag(self) -> str:
        return f"{REPOSITORY}/{self.name}:dev"


IMAGES: dict[str, Image] = {
    image.name: image
    for image in (
        Image("kafka", jar_profile="kafka"),
        Image("flink", jar_profile="flink", wheels=True),
        Image("localstack", wheels=True),
        Image("iceberg-rest", jar_profile="catalog"),
    )
}


class BuildError(RuntimeError):
    pass


@dataclass
class Result:
    image: Image
    tag: str
    built: bool
    seconds: float
    size_mb: float


def log(message: str) -> None:
    print(f"[images] {message}", file=sys.stderr, flush=True)


# -- the build context ---------------------------------------------------------------------------


def wheelhouse(image: Image) -> Path:
    """A folder of wheels for the image's requirements.txt, made on the host once per requirements."""
    requirements = image.source / "requirements.txt"
    key = hashlib.sha256(requirements.read_bytes() + sys.version.encode()).hexdigest()[:16]
    folder = WHEEL_CACHE / f"{image.name}-{key}"
    if (folder / ".complete").exists():
        return folder
    log(f"{image.name}: building the wheelhouse for {requirements.relative_to(REPO_ROOT)} (once)")
    started = time.monotonic()
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    # The host's Python is the image's (Debian bookworm, CPython 3.11, glibc 2.36): the wheels fit.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", str(partial), "-r", str(requirements)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(f"pip wheel for {image.name} failed:\n{result.stdout}{result.stderr}"[-4000:])
    (partial / ".complete").write_text(requirements.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    log(f"{image.name}: wheelhouse ready in {time.monotonic() - started:.0f}s")
    return folder


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)  # hard link: no copy of hundreds of MB of jars and wheels
    except OSError:
        shutil.copy2(source, target)


def assemble(image: Image) -> Path:
    """Re-create compose/<name>/context/ from the image's sources, jars and wheels."""
    context = image.context
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    for path in sorted(image.source.rglob("*")):
        relative = path.relative_to(image.source)
        if relative.parts[0] == "context" or not path.is_file() or path.name.startswith("."):
            continue
        _link(path, context / relative)
    if image.jar_profile:
        jars = JVM_CACHE / image.jar_profile
        found = sorted(jars.glob("*.jar"))
        if not found:
            raise BuildError(f"no jars in {jars}: run scripts/setup.sh (it fetches them from Maven Central)")
        for jar in found:
            _link(jar, context / "jars" / jar.name)
    if image.wheels:
        for wheel in sorted(wheelhouse(image).glob("*.whl")):
            _link(wheel, context / "wheels" / wheel.name)
    return context


class DigestCache:
    """File digests keyed by (path, inode, size, mtime): a warm run hashes nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.entries: dict[str, list] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        self.used: dict[str, list] = {}

    def digest(self, path: Path) -> str:
        st = path.stat()
        stamp = [st.st_ino, st.st_size, st.st_mtime_ns]
        entry = self.entries.get(str(path))
        if entry and entry[:3] == stamp:
            self.used[str(path)] = entry
            return str(entry[3])
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                sha.update(chunk)
        self.used[str(path)] = [*stamp, sha.hexdigest()]
        return sha.hexdigest()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.used))


def context_digest(context: Path, cache: DigestCache) -> str:
    """A hash of every file's relative path, exec bit and content: the image's identity."""
    total = hashlib.sha256()
    for path in sorted(p for p in context.rglob("*") if p.is_file()):
        executable = "x" if os.access(path, os.X_OK) else "-"
        total.update(f"{path.relative_to(context)}\0{executable}\0{cache.digest(path)}\n".encode())
    return total.hexdigest()[:12]


# -- docker ------------------------------------------------------------------------------------


def docker(*args: str, check: bool = True, capture: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["docker", *args], capture_output=capture, text=True, check=False)
    if check and result.returncode != 0:
        raise BuildError(f"docker {' '.join(args)} failed: {(result.stderr or '').strip()[-2000:]}")
    return result


def image_exists(tag: str) -> bool:
    return docker("image", "inspect", tag, check=False).returncode == 0


def image_size_mb(tag: str) -> float:
    size = docker("image", "inspect", "--format", "{{.Size}}", tag).stdout.strip()
    return int(size) / 1e6


def require_engine() -> None:
    if shutil.which("docker") is None or docker("info", check=False).returncode != 0:
        raise BuildError("no Docker engine answers: start one with `compose/engine.sh up`")


def build(image: Image, tag: str, *, no_cache: bool = False) -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    build_log = STATE / f"{image.name}.build.log"
    # The classic builder (BuildKit is not available here); --network host so apt in RUN
    # reaches the Debian mirror through the host's network.
    command = ["docker", "build", "--network", "host", "-t", tag, "-t", image.dev_tag, str(image.context)]
    if no_cache:
        command.insert(2, "--no-cache")
    with build_log.open("w") as out:
        result = subprocess.run(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DOCKER_BUILDKIT": "0"},
            check=False,
        )
    if result.returncode != 0:
        tail = "\n".join(build_log.read_text(errors="replace").splitlines()[-40:])
        raise BuildError(f"building {tag} failed (full log: {build_log}):\n{tail}")


def ensure_images(
    names: Iterable[str] | None = None, *, force: bool = False, no_cache: bool = False, write_env: bool = True
) -> dict[str, Result]:
    """Build each image whose context hash has no image yet; return name → result."""
    require_engine()
    if not image_exists(BASE_IMAGE):
        log(f"{BASE_IMAGE} is not here yet: the first build pulls it (or run compose/engine.sh up)")
    selected = [IMAGES[name] for name in (names or IMAGES)]
    cache = DigestCache(STATE / "digests.json")
    results: dict[str, Result] = {}
    for image in selected:
        started = time.monotonic()
        context = assemble(image)
        tag = image.tag(context_digest(context, cache))
        built = force or no_cache or not image_exists(tag)
        if built:
            log(f"{image.name}: building {tag}")
            build(image, tag, no_cache=no_cache)
        else:
            docker("tag", tag, image.dev_tag)  # :dev follows the current inputs
        if built:
            _drop_superseded(image, tag)
        results[image.name] = Result(image, tag, built, time.monotonic() - started, image_size_mb(tag))
        verb = "built" if built else "up to date"
        log(
            f"{image.name}: {verb} {tag} ({results[image.name].size_mb:.0f} MB) in {results[image.name].seconds:.1f}s"
        )
    cache.save()
    if write_env:
        _write_env({name: result.tag for name, result in results.items()})
    return results


def _drop_superseded(image: Image, current: str) -> None:
    """Untag this image's older hashes: each edit of an input would otherwise leave ~1 GB behind.
    (An image a container still uses stays; Docker refuses, and that is fine.)"""
    listed = docker(
        "images", f"{REPOSITORY}/{image.name}", "--format", "{{.Repository}}:{{.Tag}}"
    ).stdout.split()
    for old in listed:
        if old not in (current, image.dev_tag):
            docker("rmi", old, check=False)


def _write_env(tags: dict[str, str]) -> None:
    """compose/.env: the image tags docker-compose.yml uses (${KAFKA_IMAGE} ...)."""
    current: dict[str, str] = {}
    if ENV_FILE.exists():
        for line in ENV_FILE.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.startswith("#"):
                current[key] = value
    for name, tag in tags.items():
        current[IMAGES[name].env_key] = tag
    text = "# Written by compose/images.py: the images built from the current inputs.\n"
    text += "".join(f"{key}={value}\n" for key, value in sorted(current.items()))
    if not ENV_FILE.exists() or ENV_FILE.read_text() != text:
        ENV_FILE.write_text(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"images to build: {', '.join(IMAGES)} (default: all)")
    parser.add_argument("--force", action="store_true", help="rebuild even when the tag exists")
    parser.add_argument("--no-cache", action="store_true", help="rebuild without Docker's layer cache")
    parser.add_argument("--json", action="store_true", help="print {name: tag} on stdout")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(IMAGES)
    if unknown:
        parser.error(f"unknown image(s) {', '.join(sorted(unknown))}; choose from {', '.join(IMAGES)}")
    started = time.monotonic()
    try:
        results = ensure_images(args.names or None, force=args.force, no_cache=args.no_cache)
    except BuildError as exc:
        print(f"[images] {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    log(f"done in {time.monotonic() - started:.1f}s")
    if args.json:
        print(json.dumps({name: result.tag for name, result in results.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
