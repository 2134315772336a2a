#!/bin/bash
# Healthy = the broker answers an ApiVersions request on the Docker-network listener, i.e. it
# finished start-up (a bare TCP connect would pass before it serves requests).
# A short-lived JVM: client-only settings keep it at ~1 s and small.
exec java -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
  -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -Dlog4j2.level=ERROR \
  -cp '/opt/kafka/libs/*' org.apache.kafka.tools.BrokerApiVersionsCommand \
  --bootstrap-server "localhost:19092" >/dev/null 2>&1
