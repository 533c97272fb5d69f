#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis are running on 127.0.0.1 for `make run` and
# `make test`: starts them if they are installed, installs the Debian
# packages when they are missing and we are root, and says clearly what to
# do otherwise. Idempotent: does nothing when both already answer.
set -euo pipefail

PGHOST=127.0.0.1
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"

say() { printf 'services: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  is_root || die "$1 is not installed and I am not root: install the Debian package(s) '$*' (sudo apt-get install $*) and run again."
  command -v apt-get >/dev/null || die "$1 is not installed and there is no apt-get: install $* and run again."
  say "installing $* with apt-get"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  }
}

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$name did not come up within 30 seconds"
}

pg_up() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$PGHOST" -p "$PGPORT"
  else
    (exec 3<>"/dev/tcp/$PGHOST/$PGPORT") 2>/dev/null
  fi
}

pg_cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n1; }

ensure_postgres() {
  pg_up && return 0
  local installed_now=no
  if [ -z "$(pg_cluster_version)" ]; then
    apt_install postgresql postgresql-contrib
    installed_now=yes
  fi
  local v; v=$(pg_cluster_version)
  [ -n "$v" ] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"
  if [ "$installed_now" = yes ]; then
    # A fresh Debian cluster asks for a password on 127.0.0.1; the local
    # development database trusts local connections, as CI's does.
    local hba="/etc/postgresql/$v/main/pg_hba.conf"
    if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
  fi
  say "starting PostgreSQL $v"
  if is_root; then
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  else
    pg_ctlcluster "$v" main start || die "could not start PostgreSQL: start it (pg_ctlcluster $v main start) and run again"
  fi
  wait_for PostgreSQL pg_up
}

redis_up() {
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -h "$PGHOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    (exec 3<>"/dev/tcp/$PGHOST/$REDIS_PORT") 2>/dev/null
  fi
}

ensure_redis() {
  redis_up && return 0
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis"
  local dir=/var/lib/redis log=/var/log/redis/ci.log
  if ! is_root; then dir=${TMPDIR:-/tmp}; log=$dir/credithub-redis.log; fi
  mkdir -p "$dir" "$(dirname "$log")"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$dir" --logfile "$log" || die "could not start Redis"
  wait_for Redis redis_up
}

ensure_postgres
ensure_redis
say "PostgreSQL ($PGHOST:$PGPORT) and Redis ($PGHOST:$REDIS_PORT) are up"
