#!/bin/bash
# Healthy = the broker answers a Kafka ApiVersions request on the Docker-network listener, i.e.
# it finished start-up. (A bare TCP connect is not enough: the kernel completes handshakes into
# the listen backlog long before Kafka serves requests.)
# Spoken in bash over /dev/tcp rather than with Kafka's Java tool: a JVM every few seconds cost
# ~0.6 CPU-seconds a check (~12 % of a core); this takes ~10 ms.
set -o pipefail
exec 3<>/dev/tcp/127.0.0.1/19092 || exit 1
# size 12 | api_key 18 (ApiVersions) | version 0 | correlation id 1 | client id "hc"
printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc' >&3
# reply: size (4 bytes) | correlation id 1 | error code 0
reply=$(timeout 3 head -c 10 <&3 | od -An -tx1 | tr -d ' \n') || exit 1
[ "${reply:8:12}" = "000000010000" ]
