#!/usr/bin/env bash
# Deploy pipeline/order_ingest_job.py from the working tree (mounted at /opt/orderflow) to the
# compose stack: topics made, a running previous version stopped with a savepoint and resumed from
# it (none running: from the latest retained checkpoint), `flink run` inside the JobManager
# container. --fresh: group offsets, empty state. --allow-state-loss: accept a plan that drops state.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
exec .venv/bin/python -m fixtures.containers submit-compose --project "$PROJECT" "$@"
