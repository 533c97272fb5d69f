#!/usr/bin/env bash
# A small PostgreSQL primary of its own on loopback, for running the tests
# (and a streaming replica of it, scripts/pg-replica.sh) when the shared
# server is too large to copy: pg_basebackup copies every database of a
# primary, and a shared server holding large benchmark databases cannot be
# copied next to itself.
#
#   scripts/pg-primary.sh start    initdb (once) and start it on 127.0.0.1:18451 (idempotent)
#   scripts/pg-primary.sh stop     stop it (--purge: remove its data too; --if-marked: only if
#                                  internal/testenv started it, PG_PRIMARY_MARK)
#   scripts/pg-primary.sh status   "ok" and its URL, or why not
#   scripts/pg-primary.sh url      its server URL
#
# Run the tests against it, replica included:
#   scripts/pg-primary.sh start
#   TEST_DATABASE_URL=$(scripts/pg-primary.sh url) make test
#
# Settings (environment): PG_PRIMARY_PORT (18451), PG_PRIMARY_DIR (/tmp/credithub-pg-primary).
# It trusts local connections (a disposable test server: never expose it) and runs with fsync off.
set -euo pipefail

PORT=${PG_PRIMARY_PORT:-18451}
DIR=${PG_PRIMARY_DIR:-/tmp/credithub-pg-primary}
DATA=$DIR/data
LOG=$DIR/primary.log

say() { printf 'pg-primary: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ] && { pg_config --bindir; return; }
  die "no initdb (Debian: postgresql)"
}

url() { echo "postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"; }
answers() { psql -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; }

start() {
  if answers; then say "already running: $(url)"; return 0; fi
  mkdir -p "$DIR"
  # Test binaries of several packages start it at once: one does.
  exec 9>"$DIR/.lock"
  flock 9
  if answers; then say "already running (started meanwhile): $(url)"; return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is in use by something else"; fi
  [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
  chmod 700 "$DIR"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    say "initdb $DATA"
    as_pg "$(bindir)/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null ||
      die "initdb failed"
    {
      echo "port = $PORT"
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$DIR'"
      echo "fsync = off"
      echo "wal_level = replica"
      echo "max_wal_senders = 10"
      echo "max_connections = 100"
    } >>"$DATA/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n' >"$DATA/pg_hba.conf"
  fi
  : >"$LOG"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$LOG"
  as_pg "$(bindir)/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null 9>&- || { tail -20 "$LOG" >&2; die "it did not start (see $LOG)"; }
  # PG_PRIMARY_MARK (internal/testenv sets "test") records who started it, for stop --if-marked.
  if [ -n "${PG_PRIMARY_MARK:-}" ]; then echo "$PG_PRIMARY_MARK" >"$DIR/started-by"; else rm -f "$DIR/started-by"; fi
  say "running: $(url)"
}

stop() {
  local purge=no a
  for a in "$@"; do
    case $a in
      --purge) purge=yes ;;
      --if-marked) [ -f "$DIR/started-by" ] || return 0 ;;
      *) die "stop: unknown option $a" ;;
    esac
  done
  if [ -f "$DATA/postmaster.pid" ]; then
    as_pg "$(bindir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  fi
  rm -f "$DIR/started-by"
  if [ "$purge" = yes ]; then rm -rf "$DATA"; say "stopped, data removed"; else say "stopped"; fi
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  status) if answers; then echo "ok: $(url)"; else echo "not running"; exit 1; fi ;;
  url) url ;;
  *) die "usage: $0 start|stop [--purge] [--if-marked]|status|url" ;;
esac
