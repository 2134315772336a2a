#!/usr/bin/env bash
# A Docker engine on a machine that has none and reaches no container registry
# (docs: ../shared/docs/docker-offline.md). Idempotent; runs as root.
#
#   compose/engine.sh up       install docker.io + debootstrap + docker-compose if missing, make a
#                              bridge, start dockerd, make the debian:bookworm-slim base once
#   compose/engine.sh down     stop the dockerd this script started (images and volumes stay)
#   compose/engine.sh status   say whether a Docker engine answers (exit 0 if it does)
#   compose/engine.sh compose-v2   optional: build Compose v2 from the Go module proxy (~2 min,
#                              needs Go >= 1.24) and install it as the `docker compose` plugin
#
# On a laptop with Docker running, `up` sees the engine answer and does nothing: there,
# debian:bookworm-slim is simply pulled by the first build.
set -euo pipefail

BRIDGE=${ORDERFLOW_BRIDGE:-obr0}
BRIDGE_CIDR=${ORDERFLOW_BRIDGE_CIDR:-10.213.78.1/24}
ROOTFS_CACHE=${ORDERFLOW_ROOTFS:-/var/cache/orderflow/rootfs}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE_IMAGE=debian:bookworm-slim
PIDFILE=/var/run/dockerd.pid
LOG=/var/log/dockerd.log

say() { printf '\033[1m[engine]\033[0m %s\n' "$*"; }
answers() { docker info >/dev/null 2>&1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  # Compose: Debian has only the 1.29 Python tool; compose/docker-compose.yml keeps to the
  # subset it and Compose v2 both accept. Skip it when `docker compose` (v2) already works.
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
    missing+=(docker-compose)
  fi
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} (apt)"
  local t; t=$(now)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "packages installed in $(since "$t") s"
}

bridge() {
  ip link show "$BRIDGE" >/dev/null 2>&1 && return
  local subnet=${BRIDGE_CIDR%.*}.
  if ip -br addr | grep -q " ${subnet}"; then
    echo "[engine] $BRIDGE_CIDR overlaps an address already in use; set ORDERFLOW_BRIDGE_CIDR" >&2
    exit 1
  fi
  say "creating bridge $BRIDGE ($BRIDGE_CIDR)"
  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

start_dockerd() {
  # A stale pidfile from a killed daemon makes dockerd refuse to start.
  if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE"; fi
  say "starting dockerd (log: $LOG)"
  local t; t=$(now)
  # No systemd and no iptables rules to rely on here: our own bridge, no NAT; port mappings
  # to 127.0.0.1 still work through docker-proxy. setsid: the daemon outlives this shell.
  setsid dockerd --host unix:///var/run/docker.sock --data-root /var/lib/docker \
    --exec-root /var/run/docker-exec --pidfile "$PIDFILE" --storage-driver overlay2 \
    --iptables=false --ip-masq=false --bridge="$BRIDGE" >>"$LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until answers; do
    if [ $SECONDS -ge $deadline ]; then
      echo "[engine] dockerd did not answer \`docker info\` within 60 s; last log lines:" >&2
      tail -n 20 "$LOG" >&2
      exit 1
    fi
    sleep 0.5
  done
  say "dockerd answers after $(since "$t") s"
}

base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return; fi
  # Try the registry first: on a normal machine this is all it takes.
  if timeout 60 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then say "pulled $BASE_IMAGE"; return; fi
  local t; t=$(now)
  if [ ! -x "$ROOTFS_CACHE/bin/sh" ]; then
    say "debootstrap bookworm (minbase) into $ROOTFS_CACHE"
    rm -rf "$ROOTFS_CACHE.tmp"
    mkdir -p "$(dirname "$ROOTFS_CACHE")"
    debootstrap --variant=minbase bookworm "$ROOTFS_CACHE.tmp" "$DEBIAN_MIRROR" >/dev/null
    mv "$ROOTFS_CACHE.tmp" "$ROOTFS_CACHE"
  fi
  slim "$ROOTFS_CACHE"
  say "importing $ROOTFS_CACHE as $BASE_IMAGE"
  tar -C "$ROOTFS_CACHE" -c . | docker import \
    -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$BASE_IMAGE" >/dev/null
  say "base image ready in $(since "$t") s"
}

slim() {  # rootfs: make it behave like the official debian:bookworm-slim (idempotent)
  local root=$1
  # What the official image ships: apt drops downloaded .debs after each install (otherwise
  # every `apt-get install` layer keeps them), and dpkg skips docs, man pages and locales.
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
  echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CONF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/lib/apt/lists/* \
    "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
}

up() {
  if answers; then
    say "a Docker engine already answers; nothing to start"
  else
    [ "$(id -u)" -eq 0 ] || { echo "[engine] run as root to install and start dockerd" >&2; exit 1; }
    need_packages
    bridge
    start_dockerd
  fi
  base_image
}

down() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    local pid; pid=$(cat "$PIDFILE")
    say "stopping dockerd (pid $pid)"
    kill "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { kill -9 "$pid"; break; }
      sleep 0.5
    done
  elif answers; then
    say "the Docker engine that answers was not started by this script; leaving it alone"
  else
    say "no Docker engine running"
  fi
}

status() {
  if answers; then
    say "Docker engine answers: $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null)"
    docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && say "$BASE_IMAGE present" || say "$BASE_IMAGE missing (run: compose/engine.sh up)"
  else
    say "no Docker engine answers (start one: compose/engine.sh up)"
    return 1
  fi
}

compose_v2() {
  local version=${COMPOSE_VERSION:-v2.40.3}
  local plugin=${COMPOSE_PLUGIN:-/usr/local/lib/docker/cli-plugins/docker-compose}
  if "$plugin" version 2>/dev/null | grep -q "$version"; then say "Compose $version already installed"; return; fi
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || { echo "[engine] no Go toolchain" >&2; exit 1; }
  local go; go=$(command -v go || echo /usr/local/go/bin/go)
  local t; t=$(now)
  say "building Compose $version from the Go module proxy"
  # `go install module/cmd@version` refuses compose's go.mod (exclude directives): build in the
  # downloaded module instead.
  local dir; dir=$("$go" mod download -json "github.com/docker/compose/v2@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$(dirname "$plugin")"
  (cd "$dir" && "$go" build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$version" -o "$plugin" ./cmd)
  say "Compose $version installed as $plugin in $(since "$t") s"
}

case "${1:-}" in
  up) up ;;
  compose-v2) compose_v2 ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status|compose-v2" >&2; exit 2 ;;
esac
