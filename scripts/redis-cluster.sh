#!/usr/bin/env bash
# A Redis Cluster on loopback for tests and experiments: three masters and
# three replicas (redis-server --cluster-enabled yes), no persistence.
#
#   scripts/redis-cluster.sh start    start the six nodes and create the cluster (idempotent)
#   scripts/redis-cluster.sh stop     stop the nodes and remove their data
#   scripts/redis-cluster.sh status   "ok" and the nodes when the cluster serves every slot
#   scripts/redis-cluster.sh seeds    the seed addresses, comma-separated (host:port,...)
#
# Settings (environment):
#   REDIS_CLUSTER_PORTS  the six ports, masters first  ("18401 18402 18403 18404 18405 18406")
#   REDIS_CLUSTER_DIR    where node configs, pid files and logs go (/tmp/credithub-redis-cluster)
#   REDIS_CLUSTER_MARK   when set (internal/testenv sets "test"), start records who started
#                        the cluster, and `stop --if-marked` stops only a cluster started so
#
# Every node binds 127.0.0.1 only. Nothing is saved to disk: a stopped cluster
# starts empty next time.
set -euo pipefail

PORTS=(${REDIS_CLUSTER_PORTS:-18401 18402 18403 18404 18405 18406})
DIR=${REDIS_CLUSTER_DIR:-/tmp/credithub-redis-cluster}
HOST=127.0.0.1

say() { printf 'redis-cluster: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "${#PORTS[@]}" -eq 6 ] || die "REDIS_CLUSTER_PORTS must name six ports, got ${#PORTS[@]}"

cli() { redis-cli -h "$HOST" -p "$1" "${@:2}"; }
node_up() { [ "$(cli "$1" ping 2>/dev/null)" = PONG ]; }
cluster_ok() { cli "${PORTS[0]}" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'; }

seeds() {
  local out=() p
  for p in "${PORTS[@]}"; do out+=("$HOST:$p"); done
  (IFS=,; echo "${out[*]}")
}

status() {
  if cluster_ok; then
    echo ok
    cli "${PORTS[0]}" cluster nodes | awk '{print $2, $3}' | sed 's/@[0-9]*//' | sort
    return 0
  fi
  local up=0 p
  for p in "${PORTS[@]}"; do node_up "$p" && up=$((up + 1)); done
  echo "not ok: $up of ${#PORTS[@]} nodes answer"
  return 1
}

start() {
  command -v redis-server >/dev/null || die "redis-server is not installed (Debian: apt-get install redis-server)"
  command -v redis-cli >/dev/null || die "redis-cli is not installed (Debian: apt-get install redis-tools)"
  if cluster_ok; then
    say "already running: $(seeds)"
    return 0
  fi
  mkdir -p "$DIR"
  # Serialise concurrent starts (several test binaries at once); the nodes
  # must not inherit the lock (9>&- below), or they would hold it forever.
  exec 9>"$DIR/.lock"
  flock 9
  if cluster_ok; then
    say "already running (started meanwhile): $(seeds)"
    return 0
  fi
  local p
  for p in "${PORTS[@]}"; do
    if node_up "$p"; then continue; fi
    if (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then die "port $p is in use by something that is not Redis"; fi
    mkdir -p "$DIR/$p"
    # A node that was not shut down cleanly leaves a cluster config that
    # names the old cluster: start empty.
    rm -f "$DIR/$p/nodes.conf" "$DIR/$p/dump.rdb"
    redis-server --port "$p" --bind "$HOST" --protected-mode yes --daemonize yes \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --save "" --appendonly no --dir "$DIR/$p" \
      --pidfile "$DIR/$p/redis.pid" --logfile "$DIR/$p/redis.log" 9>&- ||
      die "could not start redis-server on $p (see $DIR/$p/redis.log)"
  done
  for p in "${PORTS[@]}"; do
    for _ in $(seq 1 100); do node_up "$p" && break; sleep 0.05; done
    node_up "$p" || die "the node on $p did not answer (see $DIR/$p/redis.log)"
  done
  # A node already holding slots is part of a cluster; otherwise create it.
  if [ "$(cli "${PORTS[0]}" cluster info | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p')" = 0 ]; then
    local addrs=() out
    for p in "${PORTS[@]}"; do addrs+=("$HOST:$p"); done
    # The first three become masters, the others one replica each.
    out=$(redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes 2>&1) ||
      { printf '%s\n' "$out" >&2; die "redis-cli --cluster create failed"; }
  fi
  for _ in $(seq 1 200); do
    if cluster_ok && all_agree; then break; fi
    sleep 0.1
  done
  cluster_ok || die "the cluster did not reach cluster_state:ok within 20 s"
  if [ -n "${REDIS_CLUSTER_MARK:-}" ]; then echo "$REDIS_CLUSTER_MARK" >"$DIR/started-by"; else rm -f "$DIR/started-by"; fi
  say "running: $(seeds)"
}

# all_agree: every node reports cluster_state:ok (a replica learns the slot
# map a moment after the master it was created with).
all_agree() {
  local p
  for p in "${PORTS[@]}"; do
    cli "$p" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok' || return 1
  done
}

stop() {
  if [ "${1:-}" = --if-marked ] && [ ! -f "$DIR/started-by" ]; then
    return 0
  fi
  local p pid
  for p in "${PORTS[@]}"; do
    if [ -f "$DIR/$p/redis.pid" ]; then
      pid=$(cat "$DIR/$p/redis.pid")
      # Only our own node: the pid file's process must be redis-server on that port.
      if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server.*:$p"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      fi
    fi
    rm -rf "${DIR:?}/$p"
  done
  rm -f "$DIR/started-by"
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) status ;;
  seeds) seeds ;;
  *) die "usage: $0 start|stop [--if-marked]|status|seeds" ;;
esac
