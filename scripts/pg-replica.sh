#!/usr/bin/env bash
# A PostgreSQL streaming replica of the main server on loopback, for tests
# and experiments: a second cluster made with `pg_basebackup -R`, hot standby
# on its own port.
#
#   scripts/pg-replica.sh start    make (or resume) the replica and wait until it streams (idempotent)
#   scripts/pg-replica.sh stop     stop it; its data is kept so the next start only catches up
#                                  (--purge: remove the data too; --if-marked: only a replica
#                                  that internal/testenv started, and its data with it)
#   scripts/pg-replica.sh status   "ok", its URL and its lag behind the primary, or why not
#   scripts/pg-replica.sh url      the replica's server URL (database postgres)
#
# Settings (environment):
#   PG_REPLICA_PRIMARY  the primary, host:port                     (127.0.0.1:5432)
#   PG_REPLICA_USER     the primary's role used for replication   (postgres)
#   PG_REPLICA_PORT     the replica's port                         (18450)
#   PG_REPLICA_DIR      its data, socket and log                   (/tmp/credithub-pg-replica)
#   PG_REPLICA_MARK     when set (internal/testenv sets "test"), start records who started it
#   PG_REPLICA_RESERVE_GB  free space a new copy must leave on its disk, or it is refused (10)
#   PG_REPLICA_SLOT_CAP    max_slot_wal_keep_size set on a primary that has no limit (4GB)
#
# What it changes on the primary, once and only by adding: a pg_hba.conf line
# `host replication USER 127.0.0.1/32 trust` (the primary's other rules stay
# first), and, when the primary has no limit on what replication slots may
# hold back, ALTER SYSTEM SET max_slot_wal_keep_size = '4GB'
# (PG_REPLICA_SLOT_CAP); then pg_reload_conf(). It needs wal_level replica
# or logical and a free WAL sender (Debian's defaults, replica and 10,
# suffice) and never restarts the primary. The replica streams through a
# physical replication slot (credithub_replica_PORT), made with the base
# backup: without one, a primary under other sessions' write load recycles
# the WAL the new copy needs before it has started. The cap bounds what a
# stopped replica holds back (beyond it the slot is lost and the next start
# makes a new copy); stop --purge drops the slot.
#
# pg_basebackup copies the whole cluster (every database on the primary),
# so the first start takes as long as copying the primary's data directory.
# The replica runs with fsync off: it is a disposable copy, made again if it
# ever crashes.
set -euo pipefail

PRIMARY=${PG_REPLICA_PRIMARY:-127.0.0.1:5432}
PHOST=${PRIMARY%:*}
PPORT=${PRIMARY##*:}
PUSER=${PG_REPLICA_USER:-postgres}
PORT=${PG_REPLICA_PORT:-18450}
DIR=${PG_REPLICA_DIR:-/tmp/credithub-pg-replica}
DATA=$DIR/data
LOG=$DIR/replica.log
APP=credithub_replica_$PORT
SLOT=$APP
# The most WAL the replica's slot may hold back on the primary (its
# max_slot_wal_keep_size, set when the primary has no limit).
SLOT_CAP=${PG_REPLICA_SLOT_CAP:-4GB}

say() { printf 'pg-replica: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

primary() { psql -X -q -At -h "$PHOST" -p "$PPORT" -U "$PUSER" -d postgres -v ON_ERROR_STOP=1 "$@"; }
replica() { psql -X -q -At -h 127.0.0.1 -p "$PORT" -U "$PUSER" -d postgres -v ON_ERROR_STOP=1 "$@"; }

# PostgreSQL refuses to run as root: as root, run its programs as postgres.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
  local major
  major=$(primary -c 'SHOW server_version_num') || die "the primary $PRIMARY does not answer"
  major=$((major / 10000))
  if [ -x "/usr/lib/postgresql/$major/bin/pg_ctl" ]; then
    echo "/usr/lib/postgresql/$major/bin"
  elif command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/pg_ctl" ]; then
    echo "$(pg_config --bindir)"
  else
    die "no pg_ctl for PostgreSQL $major (Debian: postgresql-$major)"
  fi
}

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
answers() { [ "$(replica -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]; }

# ensure_hba lets USER connect for replication from 127.0.0.1, unless a rule
# already does.
ensure_hba() {
  local ok
  ok=$(primary -c "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)
    AND ('all' = ANY(user_name) OR '$PUSER' = ANY(user_name)) AND type = 'host'
    AND (address IS NULL OR address = '127.0.0.1' OR address = 'all') AND error IS NULL")
  [ "$ok" -gt 0 ] && return 0
  local hba line="host replication $PUSER 127.0.0.1/32 trust"
  hba=$(primary -c 'SHOW hba_file')
  [ -w "$hba" ] || die "the primary does not accept replication connections from 127.0.0.1; add \"$line\" to $hba and reload it (SELECT pg_reload_conf()), then run again"
  say "adding \"$line\" to $hba and reloading the primary's configuration"
  grep -qxF "$line" "$hba" || printf '\n# credithub scripts/pg-replica.sh: streaming replicas on this machine\n%s\n' "$line" >>"$hba"
  primary -c 'SELECT pg_reload_conf()' >/dev/null
  sleep 0.5
}

# ensure_slot_cap gives the primary a limit on the WAL replication slots may
# hold back, unless it has one.
ensure_slot_cap() {
  [ "$(primary -c 'SHOW max_slot_wal_keep_size')" = -1 ] || return 0
  say "limiting what replication slots hold back on the primary: ALTER SYSTEM SET max_slot_wal_keep_size = '$SLOT_CAP'"
  primary -c "ALTER SYSTEM SET max_slot_wal_keep_size = '$SLOT_CAP'" >/dev/null
  primary -c 'SELECT pg_reload_conf()' >/dev/null
  sleep 0.5
}

# drop_slot drops the replica's slot on the primary, if it exists and no
# replica is streaming through it.
drop_slot() {
  primary -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND NOT active" >/dev/null 2>&1 || true
}

check_primary() {
  local level senders used
  level=$(primary -c 'SHOW wal_level')
  [ "$level" = replica ] || [ "$level" = logical ] ||
    die "the primary's wal_level is $level; replication needs replica (a restart of the primary, which this script never does)"
  senders=$(primary -c 'SHOW max_wal_senders')
  used=$(primary -c "SELECT count(*) FROM pg_stat_replication")
  [ "$used" -lt "$senders" ] || die "the primary's $senders WAL senders are all in use"
}

# write_config gives the copy the settings of a hot standby on its own port:
# Debian keeps postgresql.conf and pg_hba.conf outside the data directory, so
# the base backup has neither.
write_config() {
  local v
  {
    echo "# scripts/pg-replica.sh: a hot standby of $PRIMARY"
    echo "port = $PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$DIR'"
    echo "hot_standby = on"
    echo "hot_standby_feedback = off"
    echo "wal_receiver_status_interval = 1s"
    echo "fsync = off"
    echo "full_page_writes = off"
    echo "shared_buffers = 128MB"
    echo "max_wal_size = 1GB"
    # A hot standby needs at least the primary's values of these.
    for v in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
      echo "$v = $(primary -c "SHOW $v")"
    done
    echo "datestyle = 'iso, mdy'"
    echo "timezone = '$(primary -c 'SHOW timezone')'"
  } >"$DATA/postgresql.conf"
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n' >"$DATA/pg_hba.conf"
  : >"$DATA/pg_ident.conf"
  chown postgres: "$DATA/postgresql.conf" "$DATA/pg_hba.conf" "$DATA/pg_ident.conf" 2>/dev/null || true
}

# PG_REPLICA_RESERVE_GB is the free space (GB) a copy must leave on the
# disk of PG_REPLICA_DIR: the machine is shared, and a full disk stops
# everyone's PostgreSQL.
RESERVE_GB=${PG_REPLICA_RESERVE_GB:-10}

basebackup() {
  local size bytes free_kb need_kb
  size=$(primary -c 'SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database')
  bytes=$(primary -c 'SELECT sum(pg_database_size(datname)) FROM pg_database')
  rm -rf "$DATA"
  mkdir -p "$DIR"
  free_kb=$(df -Pk "$DIR" | awk 'NR == 2 {print $4}')
  need_kb=$(( bytes / 1024 + RESERVE_GB * 1024 * 1024 ))
  if [ "$free_kb" -lt "$need_kb" ]; then
    die "a copy of $PRIMARY ($size: pg_basebackup copies every database on it) would leave less than ${RESERVE_GB} GB free on $(df -P "$DIR" | awk 'NR == 2 {print $6}') ($((free_kb / 1024 / 1024)) GB free); drop large scratch databases or set PG_REPLICA_DIR to a larger disk"
  fi
  say "pg_basebackup of $PRIMARY ($size) into $DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
  chmod 700 "$DIR"
  drop_slot
  as_pg "$(bindir)/pg_basebackup" -h "$PHOST" -p "$PPORT" -U "$PUSER" -D "$DATA" -R -X stream -c fast --no-sync \
    -C -S "$SLOT" -d "application_name=$APP" || { drop_slot; die "pg_basebackup failed"; }
  write_config
}

# same_system: the copy was made from this primary (not from one that was
# initialised again since).
same_system() {
  local mine theirs
  mine=$(as_pg "$(bindir)/pg_controldata" "$DATA" 2>/dev/null | sed -n 's/^Database system identifier: *//p')
  theirs=$(primary -c 'SELECT system_identifier FROM pg_control_system()')
  [ -n "$mine" ] && [ "$mine" = "$theirs" ]
}

# caught_up waits until the replica has replayed what the primary had
# written when it was asked; false when the primary no longer has the WAL
# the replica needs, or after the timeout.
caught_up() {
  local timeout=$1 target
  target=$(primary -c 'SELECT pg_current_wal_lsn()')
  for _ in $(seq 1 $((timeout * 5))); do
    if answers && [ "$(replica -c "SELECT pg_last_wal_replay_lsn() >= '$target'" 2>/dev/null)" = t ]; then
      return 0
    fi
    if grep -q 'has already been removed\|does not exist\|can no longer get changes' "$LOG" 2>/dev/null ||
      [ "$(primary -c "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '$SLOT'")" = lost ]; then
      say "the primary no longer has the WAL this copy needs"
      return 1
    fi
    sleep 0.2
  done
  return 1
}

start_server() {
  : >"$LOG"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$LOG"
  as_pg "$(bindir)/pg_ctl" -D "$DATA" -l "$LOG" -w -t 300 start >/dev/null 9>&- || { tail -20 "$LOG" >&2; die "the replica did not start (see $LOG)"; }
}

start() {
  command -v psql >/dev/null || die "psql is not installed (Debian: postgresql-client)"
  if running && answers; then
    say "already running: $(url)"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is in use by something that is not this replica"; fi
  mkdir -p "$DIR"
  exec 9>"$DIR/.lock"
  flock 9
  if running && answers; then
    say "already running (started meanwhile): $(url)"
    return 0
  fi
  check_primary
  ensure_hba
  ensure_slot_cap
  if [ -f "$DATA/PG_VERSION" ] && [ -f "$DATA/standby.signal" ] && same_system &&
    [ "$(primary -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND wal_status <> 'lost'")" = 1 ]; then
    say "resuming the copy in $DATA"
    write_config
    start_server
    if ! caught_up 120; then
      say "making it again"
      as_pg "$(bindir)/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
      basebackup
      start_server
      caught_up 300 || die "the replica did not catch up with the primary (see $LOG)"
    fi
  else
    basebackup
    start_server
    caught_up 300 || die "the replica did not catch up with the primary (see $LOG)"
  fi
  mark
  say "running: $(url)"
}

# mark records who started the replica (PG_REPLICA_MARK), for stop --if-marked.
mark() {
  if [ -n "${PG_REPLICA_MARK:-}" ]; then echo "$PG_REPLICA_MARK" >"$DIR/started-by"; else rm -f "$DIR/started-by"; fi
}

stop() {
  local purge=no if_marked=no a
  for a in "$@"; do
    case $a in
      --purge) purge=yes ;;
      --if-marked) if_marked=yes ;;
      *) die "stop: unknown option $a" ;;
    esac
  done
  if [ "$if_marked" = yes ] && [ ! -f "$DIR/started-by" ]; then return 0; fi
  # A copy tests made goes with them: it is as large as the primary, and
  # after the primary has written a while it could only be made again.
  [ "$if_marked" = yes ] && purge=yes
  if running; then
    as_pg "$(bindir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
  rm -f "$DIR/started-by"
  if [ "$purge" = yes ]; then
    rm -rf "$DATA"
    drop_slot
    say "stopped, data and replication slot removed"
  else
    say "stopped (data kept in $DATA; its slot holds back at most $(primary -c 'SHOW max_slot_wal_keep_size') of WAL on the primary)"
  fi
}

url() { echo "postgres://$PUSER@127.0.0.1:$PORT/postgres?sslmode=disable"; }

status() {
  if ! running || ! answers; then
    echo "not running"
    return 1
  fi
  local state from lag
  state=$(replica -c 'SELECT status FROM pg_stat_wal_receiver' 2>/dev/null)
  from=$(replica -c "SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver" 2>/dev/null)
  lag=$(psql -X -q -At -h "${from%:*}" -p "${from##*:}" -U "$PUSER" -d postgres -c \
    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication WHERE application_name = '$APP'" 2>/dev/null || true)
  if [ "$state" = streaming ]; then
    echo "ok: $(url), streaming from $from, ${lag:-?} bytes behind"
  else
    echo "not ok: $(url) is in recovery but its WAL receiver is ${state:-not running} (see $LOG)"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  status) status ;;
  url) url ;;
  *) die "usage: $0 start|stop [--purge] [--if-marked]|status|url" ;;
esac
