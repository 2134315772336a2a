# Shared by up.sh and down.sh: which Compose to run, with which project.
# Compose v2 (`docker compose`) when the Docker CLI has it, else Debian's docker-compose 1.29;
# docker-compose.yml is written for both.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT=${ORDERFLOW_COMPOSE_PROJECT:-orderflow}
FILE=$ROOT/compose/docker-compose.yml

compose() {
  if [ -n "${ORDERFLOW_COMPOSE:-}" ]; then  # e.g. a standalone Compose v2 binary
    $ORDERFLOW_COMPOSE -p "$PROJECT" -f "$FILE" "$@"
  elif docker compose version >/dev/null 2>&1; then
    docker compose -p "$PROJECT" -f "$FILE" "$@"
  elif command -v docker-compose >/dev/null; then
    docker-compose -p "$PROJECT" -f "$FILE" "$@"
  else
    echo "[compose] neither \`docker compose\` nor docker-compose found (compose/engine.sh up installs one)" >&2
    return 1
  fi
}

say() { printf '\033[1m[compose]\033[0m %s\n' "$*"; }
