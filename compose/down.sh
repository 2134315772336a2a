#!/usr/bin/env bash
# Stop the compose stack: containers and network. Its volumes stay — Kafka's topics and group
# offsets, Flink's checkpoints, S3's objects and the catalog — so the next `up.sh` finds the
# table where the job left it, and the job resumes where its offsets say.
#   --clean   remove the volumes too (the next `up` starts empty)
# The Docker engine and the images stay.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clean=()
for arg in "$@"; do
  case $arg in
    --clean) clean=(-v) ;;
    *) echo "usage: $0 [--clean]" >&2; exit 2 ;;
  esac
done
if ! docker info >/dev/null 2>&1; then say "no Docker engine answers: nothing to take down"; exit 0; fi
compose down "${clean[@]}" --remove-orphans
if [ ${#clean[@]} -gt 0 ]; then say "stack and its volumes removed"; else say "stack stopped; volumes kept (--clean removes them)"; fi
