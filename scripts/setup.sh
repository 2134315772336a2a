#!/usr/bin/env bash
# Makes everything orderflow needs on this machine, idempotently: a second run with
# everything cached only compares stamps and takes seconds.
#   .venv        the harness env (producer, fixtures, steps, pyiceberg, LocalStack) — no apache-flink
#   .venv-flink  the Flink env (apache-flink 1.20.5 + the pipeline and the contract it imports)
#   .cache/jvm/  every JVM jar of compose/jvm/pom.xml, one folder per profile, and the job's Java
#                functions (pipeline/jvm/, built by the same pom) with the Flink jars
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
STAMPS=.cache/stamps
mkdir -p "$STAMPS"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
digest() { cat "$@" | sha256sum | cut -c1-16; }
fresh() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }

make_venv() {  # name, pip args...
  local venv=$1; shift
  local key; key=$(digest pyproject.toml)
  if fresh "$venv" "$key" && [ -x "$venv/bin/python" ]; then say "$venv is up to date"; return; fi
  say "creating $venv ($*)"
  [ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
  # pip and setuptools talk on stderr even with -q (editable-install notices): their output goes
  # to a log, shown only when the install fails.
  local log="$STAMPS/$venv.pip.log"
  if ! { "$venv/bin/python" -m pip install -q --upgrade pip && "$venv/bin/python" -m pip install -q "$@"; } >"$log" 2>&1; then
    cat "$log" >&2
    say "pip install into $venv failed (log above, also in $log)"
    exit 1
  fi
  echo "$key" > "$STAMPS/$venv"
}

jars() {
  local key; key=$(digest compose/jvm/pom.xml)
  for profile in kafka flink catalog; do
    if fresh "jvm-$profile" "$key" && [ -d ".cache/jvm/$profile" ]; then say "jars for $profile are up to date"; continue; fi
    say "fetching jars for $profile from Maven Central"
    rm -rf ".cache/jvm/$profile"
    mvn -q -B -f compose/jvm/pom.xml -P "$profile" dependency:copy-dependencies \
      -DoutputDirectory="$ROOT/.cache/jvm/$profile"
    echo "$key" > "$STAMPS/jvm-$profile"
  done
}

FUNCTIONS_JAR=.cache/jvm/flink/orderflow-functions.jar
functions() {  # pipeline/jvm/ → one small jar next to the connectors (Flink's lib/, the images)
  local key; key=$(digest compose/jvm/pom.xml $(find pipeline/jvm -name '*.java' | sort))
  if fresh functions "$key" && [ -f "$FUNCTIONS_JAR" ]; then say "Java functions are up to date"; return; fi
  say "building the job's Java functions (pipeline/jvm/)"
  mvn -q -B -f compose/jvm/pom.xml -P functions package
  # a new file, never written through: .cache may hold hard links shared with another checkout
  cp --remove-destination .cache/jvm-functions/orderflow-functions.jar "$FUNCTIONS_JAR"
  echo "$key" > "$STAMPS/functions"
}

flink_home() {  # a Flink distribution = the wheel's, plus the connector jars in lib/ (hard links)
  local pyflink=.venv-flink/lib/python3.11/site-packages/pyflink
  local key; key=$(digest compose/jvm/pom.xml pyproject.toml scripts/setup.sh "$FUNCTIONS_JAR")
  if fresh flink-home "$key" && [ -x .cache/flink-home/bin/flink ]; then say "Flink home is up to date"; return; fi
  say "assembling .cache/flink-home (Flink 1.20.5 from the wheel + connectors)"
  rm -rf .cache/flink-home && mkdir -p .cache/flink-home
  for d in bin lib opt plugins conf; do cp -al "$pyflink/$d" .cache/flink-home/; done
  cp -l .cache/jvm/flink/*.jar .cache/flink-home/lib/
  # flink-python in lib/ (not only shipped with each job) so that pemja, the thread-mode bridge,
  # is loaded by the TaskManager's own class loader once, see fixtures/local/components.py.
  cp -l .cache/flink-home/opt/flink-python-*.jar .cache/flink-home/lib/
  echo "$key" > "$STAMPS/flink-home"
}

bytecode() {  # where PYTHONDONTWRITEBYTECODE is set (this machine), Python compiles the harness and
  # pytest rewrites the asserts of every plugin and step module on each run, never caching them: ~0.5 s
  # of CPU in every `pytest -k <one scenario>`. Both read caches they may not write, and ignore one older
  # than its source, so one compile and one collection with writing allowed leave them for every run.
  say "caching compiled modules (pytest's rewritten ones too)"
  env -u PYTHONDONTWRITEBYTECODE .venv/bin/python -m compileall -q fixtures steps producer pipeline bench >/dev/null
  env -u PYTHONDONTWRITEBYTECODE .venv/bin/pytest -q -p no:cacheprovider --collect-only features tests \
    >/dev/null 2>&1 || say "(collection failed: pytest will say why when it runs)"
}

start=$(date +%s)
jars
functions
make_venv .venv -e ".[harness,dev]"
make_venv .venv-flink -e ".[flink]"
flink_home
bytecode
say "done in $(( $(date +%s) - start )) s"
