#!/usr/bin/env bash
# `make bench-scale`: the same queries at a city's and a province's size.
#
# Builds (once, kept between runs) a database per size in SCALE_SIZES with
# `credithub seed --subjects N --seed 1`, then VACUUM ANALYZE; for each size
# starts a private Redis and two servers on 127.0.0.1 (normal and
# --no-cache), warms the cache with one pass over the codes, runs every mode
# of MODES with cmd/loadgen (and the check statement through pgbench), and
# prints one table of each query's latency at each size with the ratio to
# the smallest size, which it also writes into docs/benchmarks.md.
#
# Settings (environment):
#   SCALE_SIZES    subjects per data set, smallest first (the baseline)  ("200000 5000000")
#   SCALE_SECONDS  measured seconds per run                               (15)
#   SCALE_WARMUP   unmeasured seconds before each run                     (3)
#   SCALE_CLIENTS  concurrent clients                                     (8)
#   SCALE_CODES    codes the clients draw from (10 % persons)             (10000)
#   SCALE_MODES    the modes to run, by name (default: every line of MODES below)
#   SCALE_DOC      where the table goes (docs/benchmarks.md; empty: nowhere)
# Databases are credithub_scale_<size> (credithub_scale_5m for 5,000,000 and
# credithub_scale_200k for 200,000); the ports are 18460-18462. A missing
# 5,000,000-subject database takes about 40 minutes and 21 GB to build.
set -euo pipefail
cd "$(dirname "$0")/.."

# The modes, one a line: name, server (cached: the normal server, nocache:
# --no-cache, pgbench: the statement through pgbench), the role of its API
# key, what it draws from (codes: subject codes, names: fragments of
# organisation names), then loadgen's arguments (pgbench's for pgbench;
# {3y} is the day three years ago in Dandong). A new query is one line here
# (and, for loadgen, its operation in cmd/loadgen). bank and window are the
# two reads of issue 10 as make bench sends them.
MODES='
bank            cached   BANK           codes  -mode bank -persisted
bank-nocache    nocache  BANK           codes  -mode bank-nocache
window          cached   WINDOW         codes  -mode window -persisted -purpose 受理审查
window-nocache  nocache  WINDOW         codes  -mode window-nocache -purpose 受理审查
credit          cached   BANK           codes  -mode credit -persisted
credit-nocache  nocache  BANK           codes  -mode credit-nocache
applicant       cached   WINDOW         codes  -mode applicant -persisted
subjects        cached   CREDIT_OFFICE  names  -mode subjects
subjects-nocache nocache CREDIT_OFFICE  names  -mode subjects-nocache
pgbench-bank    pgbench  -              codes  -f scripts/bench/bank.sql
pgbench-window  pgbench  -              codes  -f scripts/bench/window.sql -D since={3y}
'

SCALE_SIZES=${SCALE_SIZES:-200000 5000000}
SCALE_SECONDS=${SCALE_SECONDS:-15}
SCALE_WARMUP=${SCALE_WARMUP:-3}
SCALE_CLIENTS=${SCALE_CLIENTS:-8}
SCALE_CODES=${SCALE_CODES:-10000}
SCALE_MODES=${SCALE_MODES:-$(printf '%s\n' "$MODES" | awk 'NF {print $1}' | paste -sd' ')}
SCALE_DOC=${SCALE_DOC-docs/benchmarks.md}
GO=${GO:-go}

PORT=18461
NOCACHE_PORT=18462
REDIS_PORT=18460
export PGHOST=127.0.0.1 PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export RATE_LIMITS=DEFAULT=100000000,BANK=100000000,WINDOW=100000000,PUBLIC=100000000,CREDIT_OFFICE=100000000
export CREDITHUB_ENV=development
unset LISTEN_ADDR

OUT=.bench/scale
mkdir -p "$OUT" bin
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$(date +%s)
say() { printf 'bench-scale: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dbname() { # size → database name
  case $1 in
    *000000) echo "credithub_scale_$(($1 / 1000000))m" ;;
    *000) echo "credithub_scale_$(($1 / 1000))k" ;;
    *) echo "credithub_scale_$1" ;;
  esac
}
mode_line() { printf '%s\n' "$MODES" | awk -v m="$1" '$1 == m'; }

scripts/services.sh
for tool in psql pgbench redis-server redis-cli; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: postgresql-client, redis-server, redis-tools)"
done
for m in $SCALE_MODES; do [ -n "$(mode_line "$m")" ] || die "unknown mode $m (see MODES)"; done
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit with uncommitted changes"
$GO build -o bin/credithub ./cmd/credithub
$GO build -o bin/loadgen ./cmd/loadgen
$GO build -o "$OUT/checksql" ./cmd/loadgen/checksql
# The pgbench statements are make bench's; it checks that they still are
# the store's.
if ! "$OUT/checksql" -bank | cmp -s - scripts/bench/bank.sql; then
  die "scripts/bench/bank.sql has drifted from internal/store; regenerate it with BENCH_UPDATE_SQL=1 scripts/bench.sh"
fi

# --- the data sets, built once ---------------------------------------------------
build() { # size
  local size=$1 db have
  db=$(dbname "$size")
  have=$(psql -X -At -d "$db" -c 'SELECT count(*) FROM subjects' 2>/dev/null || echo none)
  if [ "$have" != "$size" ]; then
    say "building $db: seed --subjects $size (it has: $have)"
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db?sslmode=disable" /usr/bin/time -v \
      bin/credithub seed --subjects "$size" --seed 1 >"$OUT/seed-$size.txt" 2>"$OUT/seed-$size.err" ||
      { tail -20 "$OUT/seed-$size.err" >&2; die "seeding $db failed"; }
  else
    DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db?sslmode=disable" bin/credithub migrate up >"$OUT/migrate-$size.txt" 2>&1 ||
      { cat "$OUT/migrate-$size.txt" >&2; die "migrate up of $db failed"; }
  fi
  # Vacuumed once after it was built (visibility map for index-only scans).
  if [ "$(psql -X -At -d "$db" -c "SELECT last_vacuum IS NULL FROM pg_stat_user_tables WHERE relname = 'licences'")" = t ]; then
    say "VACUUM ANALYZE $db"
    psql -X -q -d "$db" -c 'VACUUM ANALYZE'
  fi
}
for size in $SCALE_SIZES; do build "$size"; done

# --- one data set ------------------------------------------------------------------
measure() { # size
  local size=$1 db url nocache_url procs nocache_procs
  db=$(dbname "$size")
  export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db?sslmode=disable"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  psql -X -q -d "$db" -c 'TRUNCATE query_log'
  # Codes as make bench draws them; name fragments: three characters of
  # organisation names (after 丹东 where they start with it).
  psql -X -q -At -d "$db" >"$OUT/codes-$size.txt" <<SQL
(SELECT code FROM subjects WHERE kind <> 'NATURAL_PERSON' ORDER BY md5(code) LIMIT $((SCALE_CODES - SCALE_CODES / 10)))
UNION ALL
(SELECT code FROM subjects WHERE kind = 'NATURAL_PERSON' ORDER BY md5(code) LIMIT $((SCALE_CODES / 10)))
SQL
  psql -X -q -At -d "$db" -c "SELECT DISTINCT CASE WHEN name LIKE '丹东%' THEN substr(name, 3, 3) ELSE substr(name, 1, 3) END
    FROM (SELECT name FROM subjects WHERE kind <> 'NATURAL_PERSON' ORDER BY md5(code) LIMIT 1000) x" >"$OUT/names-$size.txt"

  for port in $REDIS_PORT $PORT $NOCACHE_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use"; fi
  done
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT" >"$OUT/redis.log" 2>&1 &
  pids+=("$!"); local redis_pid=$!
  bin/credithub serve --listen "127.0.0.1:$PORT" >"$OUT/server-$size.log" 2>&1 &
  pids+=("$!"); local server_pid=$!
  bin/credithub serve --no-cache --listen "127.0.0.1:$NOCACHE_PORT" >"$OUT/server-nocache-$size.log" 2>&1 &
  pids+=("$!"); local nocache_pid=$!
  for port in $PORT $NOCACHE_PORT; do
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || die "the server on :$port did not start (see $OUT/server*-$size.log)"
  done
  declare -A keys
  local role
  for role in BANK WINDOW CREDIT_OFFICE; do
    keys[$role]=$(bin/credithub apikey create --role "$role" --institution "规模基准 $role" --expires 1d 2>/dev/null)
    [ -n "${keys[$role]}" ] || die "could not create a $role key"
  done
  url=http://127.0.0.1:$PORT/graphql
  nocache_url=http://127.0.0.1:$NOCACHE_PORT/graphql
  procs="server=$server_pid,redis=$redis_pid,postgres=postgres/$db"
  nocache_procs="server=$nocache_pid,redis=$redis_pid,postgres=postgres/$db"

  local m name server role values args target p values_file
  # Warm: one pass of every cached mode over its values.
  for m in $SCALE_MODES; do
    read -r name server role values args <<<"$(mode_line "$m")" || continue
    [ "$server" = cached ] || continue
    say "$db: warming $name"
    bin/loadgen -url "$url" -token "${keys[$role]}" $args -codes "$OUT/$values-$size.txt" -clients 8 -pass >&2
  done
  for m in $SCALE_MODES; do
    bin/loadgen idle -below 30 -max 30s
    say "$db: $m, $SCALE_CLIENTS clients, ${SCALE_SECONDS}s"
    read -r name server role values args <<<"$(mode_line "$m")"
    if [ "$server" = pgbench ]; then
      run_pgbench "$db" "$size" "$name" "${args//\{3y\}/$(TZ=Asia/Shanghai date -d '3 years ago' +%F)}"
      continue
    fi
    target=$url p=$procs
    if [ "$server" = nocache ]; then target=$nocache_url p=$nocache_procs; fi
    bin/loadgen -url "$target" -token "${keys[$role]}" $args -codes "$OUT/$values-$size.txt" -procs "$p" \
      -clients "$SCALE_CLIENTS" -duration "${SCALE_SECONDS}s" -warmup "${SCALE_WARMUP}s" -json |
      sed "s/^{/{\"size\":$size,/" >>"$RESULTS"
  done
  cleanup
}

# run_pgbench runs a statement through pgbench on one data set, with the
# variables make bench binds (the codes in bench_codes, as of, since, roles,
# today) and the mode's own arguments after them.
run_pgbench() { # db, size, mode, pgbench arguments
  local db=$1 size=$2 mode=$3 extra=$4 asof since roles out tps
  asof=$("$OUT/checksql" -vars | sed -n 's/^asof=//p')
  since=$("$OUT/checksql" -vars | sed -n 's/^since=//p')
  roles=$("$OUT/checksql" -vars | sed -n 's/^roles=//p')
  psql -X -q -d "$db" -c "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_codes; CREATE TABLE bench_codes (i int PRIMARY KEY, code text NOT NULL)"
  awk '{print NR "\t" $0}' "$OUT/codes-$size.txt" | psql -X -q -d "$db" -c '\copy bench_codes FROM STDIN'
  local args=(-n -M prepared -c "$SCALE_CLIENTS" -j 2 -D "ncodes=$(wc -l <"$OUT/codes-$size.txt")" -D "asof=$asof"
    -D "since=$since" -D "roles=$roles" -D "today=$(TZ=Asia/Shanghai date +%F)" $extra)
  pgbench "${args[@]}" -T "$SCALE_WARMUP" "$db" >/dev/null 2>&1 || true
  rm -f "$OUT"/pgbench_log.*
  out=$(pgbench "${args[@]}" -T "$SCALE_SECONDS" --log --log-prefix="$OUT/pgbench_log" "$db" 2>&1) ||
    { printf '%s\n' "$out" >&2; die "pgbench failed"; }
  tps=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -1)
  bin/loadgen pgbench-log -mode "$mode" -clients "$SCALE_CLIENTS" -tps "${tps:-0}" -duration "${SCALE_SECONDS}s" \
    "$OUT"/pgbench_log.* | sed "s/^{/{\"size\":$size,/" >>"$RESULTS"
  rm -f "$OUT"/pgbench_log.*
  psql -X -q -d "$db" -c 'DROP TABLE bench_codes'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for size in $SCALE_SIZES; do measure "$size"; done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table -------------------------------------------------------------------------
sizes_sql() {
  local size db
  for size in $SCALE_SIZES; do
    db=$(dbname "$size")
    psql -X -At -F ' ' -d "$db" -c "SELECT $size, (SELECT count(*) FROM licences), (SELECT count(*) FROM penalties),
      (SELECT count(*) FROM key_persons), (SELECT count(*) FROM list_entries), pg_size_pretty(pg_database_size(current_database()))" |
      awk '{printf "- %s: %d subjects, %d licences, %d penalties, %d key persons, %d list entries, %s\n", "'"$db"'", $1, $2, $3, $4, $5, $6 " " $7}'
  done
}
table=$(bin/loadgen scale-report -in "$RESULTS")
elapsed=$(( $(date +%s) - t0 ))
section=$OUT/section.md
{
  echo "Measured $started_at on commit $commit, in $((elapsed / 60)) min $((elapsed % 60)) s, with \`make bench-scale\`"
  echo "(SCALE_SECONDS=$SCALE_SECONDS, SCALE_CLIENTS=$SCALE_CLIENTS, $SCALE_CODES codes, 10 % persons; subjects: name fragments"
  echo "of 1,000 organisations). Warm: the normal server after one pass over the values; cold: \`serve --no-cache\`, every"
  echo "answer computed by PostgreSQL (its buffers and the OS cache stay warm: this is a shared machine). Load average"
  echo "before $load_before, after $load_after; $(nproc) CPUs shared by the servers, PostgreSQL, Redis and loadgen."
  echo
  sizes_sql
  echo
  printf '%s\n' "$table"
} >"$section"
echo
cat "$section"
if [ -n "$SCALE_DOC" ]; then
  begin='<!-- bench-scale:begin -->'
  end='<!-- bench-scale:end -->'
  if [ ! -f "$SCALE_DOC" ] || ! grep -qF "$begin" "$SCALE_DOC"; then
    printf '\n## At a province'"'"'s size (make bench-scale)\n\n%s\n%s\n' "$begin" "$end" >>"$SCALE_DOC"
  fi
  awk -v begin="$begin" -v end="$end" -v section="$section" '
    $0 == begin { print; while ((getline line < section) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$SCALE_DOC" >"$OUT/doc.md"
  mv "$OUT/doc.md" "$SCALE_DOC"
  say "wrote the table into $SCALE_DOC"
fi
