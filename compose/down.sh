#!/usr/bin/env bash
# Remove the compose stack: containers, network and volumes (Kafka's topics, Flink's
# checkpoints). The Docker engine and the images stay.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if ! docker info >/dev/null 2>&1; then say "no Docker engine answers: nothing to take down"; exit 0; fi
compose down -v --remove-orphans
say "stack removed"
