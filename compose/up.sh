#!/usr/bin/env bash
# The PRD's local dev environment in one command: Docker engine (if none answers), the images
# (built only when their inputs changed), the compose stack, and a wait until every service
# reports healthy. Then: Kafka 127.0.0.1:9092, Flink UI http://127.0.0.1:8081,
# S3 (MiniStack) http://127.0.0.1:4566, Iceberg REST catalog http://127.0.0.1:8181
# (ports: ORDERFLOW_{KAFKA,FLINK,S3,CATALOG}_PORT).
#   --clean   remove the stack's volumes first: start with no topics, no table, no checkpoints
#             (without it, what the last `down.sh` left is kept, as Kafka's log is)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
clean=0
for arg in "$@"; do
  case $arg in
    --clean) clean=1 ;;
    *) echo "usage: $0 [--clean]" >&2; exit 2 ;;
  esac
done
TIMEOUT=${ORDERFLOW_UP_TIMEOUT:-240}
started=$(date +%s.%N)

"$ROOT/compose/engine.sh" up
[ -d .cache/jvm/kafka ] || scripts/setup.sh
PYTHON=.venv/bin/python; [ -x "$PYTHON" ] || PYTHON=python3
"$PYTHON" compose/images.py

booted=$(date +%s.%N)
if [ $clean = 1 ]; then compose down -v --remove-orphans; fi
compose up -d --remove-orphans

# Wait for every container's own health check (1.29 has no `up --wait`).
deadline=$((SECONDS + TIMEOUT))
while :; do
  mapfile -t ids < <(compose ps -q)
  [ ${#ids[@]} -gt 0 ] || { echo "[compose] no containers started" >&2; exit 1; }
  states=$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "${ids[@]}")
  if ! grep -qv ' running healthy$' <<<"$states"; then break; fi
  if grep -qE ' (exited|dead) | unhealthy$' <<<"$states" || [ $SECONDS -ge $deadline ]; then
    echo "[compose] the stack did not become healthy within ${TIMEOUT}s:" >&2
    echo "$states" | sed 's/^\//  /' >&2
    while read -r name _ health; do
      [ "$health" = healthy ] && continue
      echo "--- last lines of ${name#/} ---" >&2
      docker logs --tail 30 "${name#/}" 2>&1 | sed 's/^/  /' >&2
    done <<<"$states"
    exit 1
  fi
  sleep 1
done

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say "stack healthy: $(elapsed "$booted") s from \`up\` ($(elapsed "$started") s with engine and images)"
echo "$states" | sed 's/^\//  /'
cat <<INFO
  Kafka (host)          127.0.0.1:${ORDERFLOW_KAFKA_PORT:-9092}   (Flink: kafka:19092)
  Flink UI / REST       http://127.0.0.1:${ORDERFLOW_FLINK_PORT:-8081}
  S3 (MiniStack)        http://127.0.0.1:${ORDERFLOW_S3_PORT:-4566}   (bucket: warehouse)
  Iceberg REST catalog  http://127.0.0.1:${ORDERFLOW_CATALOG_PORT:-8181}
  deploy the job:       compose/submit.sh [--fresh | --allow-state-loss]   (the working tree is mounted)
  stop with:            compose/down.sh   (volumes kept; --clean removes them)
INFO
