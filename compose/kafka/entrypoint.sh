#!/bin/bash
# Writes server.properties from the environment, formats the log dir once, runs the broker.
#   KAFKA_ADVERTISED_HOST   host:port the host dials (the mapped port)   default 127.0.0.1:9092
#   KAFKA_INTERNAL_HOST     host:port on the Docker network               default $(hostname):19092
#   KAFKA_CLUSTER_ID        used only when formatting an empty log dir
#   KAFKA_CFG_<NAME>        any broker property: KAFKA_CFG_LOG_RETENTION_HOURS=1 → log.retention.hours=1
#   KAFKA_HEAP_OPTS         default -Xms256m -Xmx512m
set -euo pipefail
DATA=/var/lib/kafka/data
CONFIG=/opt/kafka/config/server.properties
ADVERTISED=${KAFKA_ADVERTISED_HOST:-127.0.0.1:9092}
INTERNAL=${KAFKA_INTERNAL_HOST:-$(hostname):19092}
# A fixed id is fine: every stack has its own log dir, and the id only has to match that dir.
CLUSTER_ID=${KAFKA_CLUSTER_ID:-b3JkZXJmbG93LWthZmthMQ}

cat >"$CONFIG" <<PROPS
process.roles=broker,controller
node.id=1
# Static voter on loopback: the controller never has to be reachable from outside.
controller.quorum.voters=1@localhost:9093
listeners=HOST://0.0.0.0:9092,INTERNAL://0.0.0.0:19092,CONTROLLER://localhost:9093
advertised.listeners=HOST://${ADVERTISED},INTERNAL://${INTERNAL}
listener.security.protocol.map=HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
log.dirs=${DATA}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
PROPS
# KAFKA_CFG_* overrides: later lines win in a Java properties file.
while IFS='=' read -r name value; do
  [[ $name == KAFKA_CFG_* ]] || continue
  key=${name#KAFKA_CFG_}; key=${key,,}; key=${key//_/.}
  echo "${key}=${value}" >>"$CONFIG"
done < <(env)

JAVA=(java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true
      -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -cp '/opt/kafka/libs/*')
if [ ! -f "$DATA/meta.properties" ]; then
  echo "[entrypoint] formatting $DATA (cluster $CLUSTER_ID)"
  "${JAVA[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$CONFIG"
fi
echo "[entrypoint] advertised: HOST://${ADVERTISED} INTERNAL://${INTERNAL}"
exec "${JAVA[@]}" kafka.Kafka "$CONFIG"
