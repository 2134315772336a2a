#!/bin/bash
# JobManager: its REST API answers. TaskManager: the JobManager lists this TaskManager
# (its id starts with taskmanager.host), i.e. it registered and offers its slots.
set -euo pipefail
role=$(cat /opt/flink/tmp/role 2>/dev/null || echo unknown)
conf=$FLINK_CONF_DIR/config.yaml
value() { sed -n "s/^$1: \"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$conf"; }
case "$role" in
  jobmanager) curl -fsS -o /dev/null "http://127.0.0.1:$(value rest.port)/overview" ;;
  taskmanager)
    curl -fsS "http://$(value rest.address):$(value rest.port)/taskmanagers" \
      | grep -q "\"id\":\"$(value taskmanager.host):" ;;
  *) exit 1 ;;
esac
