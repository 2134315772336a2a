#!/bin/bash
# jobmanager | taskmanager | any command. Writes $FLINK_CONF_DIR/config.yaml first.
#   JOB_MANAGER_RPC_ADDRESS  the JobManager's name on the network   default jobmanager
#   TASK_MANAGER_HOST        this TaskManager's name on the network  default $(hostname)
#   TASK_MANAGER_NUMBER_OF_TASK_SLOTS                                default 2
#   FLINK_PROPERTIES         extra "key: value" lines; they override everything else
set -euo pipefail
/opt/flink-env/bin/python /opt/flink/bin/render_config.py
# healthcheck.sh asks this file which role to check.
echo "${1:-other}" >/opt/flink/tmp/role
case "${1:-}" in
  jobmanager) exec "$FLINK_HOME/bin/jobmanager.sh" start-foreground ;;
  taskmanager) exec "$FLINK_HOME/bin/taskmanager.sh" start-foreground ;;
  *) exec "$@" ;;
esac
