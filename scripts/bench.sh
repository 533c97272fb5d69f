#!/usr/bin/env bash
# `make bench`: the hub's throughput and latency on this machine, in one run.
#
# Seeds a dedicated database (BENCH_SUBJECTS subjects, kept between runs and
# re-seeded only when the count differs), starts two servers on 127.0.0.1
# (:18081 normal, :18082 --no-cache), warms the cache with one pass over a
# file of existing codes, then drives each mode with cmd/loadgen at 8, 32
# and 128 clients for BENCH_SECONDS each, runs the same check as one
# hand-written statement through pgbench, prints one table with the ratios
# against the targets and writes it into docs/benchmarks.md.
#
# Settings (environment):
#   BENCH_SUBJECTS  subjects in the data set           (200000)
#   BENCH_SECONDS   measured seconds per run           (20)
#   BENCH_WARMUP    unmeasured seconds before each run (3)
#   BENCH_CLIENTS   client counts                      ("8 32")
#   BENCH_CODES     codes the clients draw from        (10000; 10 % persons)
#   BENCH_MODES     what to run, in this order per client count ("bank bank-text window
#                   window-text typename bank-nocache window-nocache typename-nocache
#                   pgbench-bank pgbench-window credit applicant"): bank and window are
#                   the reads of issue 10 (persisted; -text: full query text), -nocache
#                   on the --no-cache server, pgbench-* the hand-written SQL answering them
#                   (scripts/bench/bank.sql, window.sql); credit, applicant, pgbench and
#                   pgbench-unprepared are the earlier check-only reads
#   BENCH_DB        database name                      (credithub_bench)
#   BENCH_REDIS_DB  Redis database number, flushed     (3)
#   BENCH_DOC       file to write the table into       (docs/benchmarks.md; empty: don't)
#   BENCH_SQLCOUNT  1: measure SQL statements per uncached check (about a minute; default 1)
#   BENCH_UPDATE_SQL 1: regenerate scripts/bench/check.sql instead of failing when it drifted
#   BENCH_STATS     1: then the statistics' latency from PostgreSQL (scripts/bench/stats.sh,
#                   its own database, prepared once; about 6 minutes) (1)
#   BENCH_IDLE_BELOW, BENCH_IDLE_MAX  before each run, wait until the machine is less than
#                   this % busy, for at most this many seconds (20, 30): other work skews figures
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_SUBJECTS=${BENCH_SUBJECTS:-200000}
BENCH_SECONDS=${BENCH_SECONDS:-20}
BENCH_WARMUP=${BENCH_WARMUP:-3}
BENCH_CLIENTS=${BENCH_CLIENTS:-8 32}
BENCH_CODES=${BENCH_CODES:-10000}
BENCH_MODES=${BENCH_MODES:-bank bank-text window window-text typename bank-nocache window-nocache typename-nocache pgbench-bank pgbench-window credit applicant}
BENCH_DB=${BENCH_DB:-credithub_bench}
BENCH_REDIS_DB=${BENCH_REDIS_DB:-3}
BENCH_DOC=${BENCH_DOC-docs/benchmarks.md}
BENCH_SQLCOUNT=${BENCH_SQLCOUNT:-1}
GO=${GO:-go}

PORT=18081
NOCACHE_PORT=18082
export PGHOST=127.0.0.1 PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB?sslmode=disable"
export REDIS_URL="redis://127.0.0.1:6379/$BENCH_REDIS_DB"
export RATE_LIMITS=DEFAULT=100000000,BANK=100000000,WINDOW=100000000,PUBLIC=100000000
export CREDITHUB_ENV=development
unset LISTEN_ADDR

OUT=.bench
mkdir -p "$OUT" bin
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$(date +%s)
say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
psqlq() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$BENCH_DB" "$@"; }

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- services and binaries -------------------------------------------------
scripts/services.sh
for tool in psql pgbench redis-cli; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: postgresql-client, redis-tools)"
done
say "building bin/credithub and bin/loadgen"
# What is measured is the working tree as built now.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty_files=$(git status --porcelain --untracked-files=no 2>/dev/null | awk '{print "`" $2 "`"}' | head -12 | paste -sd, - | sed 's/,/, /g')
dirty=${dirty_files:+ with uncommitted changes to $dirty_files}
$GO build -o bin/credithub ./cmd/credithub
$GO build -o bin/loadgen ./cmd/loadgen
$GO build -o "$OUT/checksql" ./cmd/loadgen/checksql

# The statements pgbench runs for the checks are generated from
# internal/store's checkSQL; refuse to compare against a stale copy.
for gen in "check -pgbench" "bank -bank"; do
  set -- $gen
  if ! "$OUT/checksql" "$2" | diff -u "scripts/bench/$1.sql" - >"$OUT/$1.sql.diff"; then
    if [ "${BENCH_UPDATE_SQL:-0}" = 1 ]; then
      "$OUT/checksql" "$2" >"scripts/bench/$1.sql"
      say "regenerated scripts/bench/$1.sql from internal/store/checks.go"
    else
      cat "$OUT/$1.sql.diff" >&2
      die "scripts/bench/$1.sql has drifted from checkSQL in internal/store/checks.go; regenerate it with BENCH_UPDATE_SQL=1 $0"
    fi
  fi
done

# --- the data set ------------------------------------------------------------
have=$(psql -X -At -d "$BENCH_DB" -c 'SELECT count(*) FROM subjects' 2>/dev/null || echo none)
if [ "$have" != "$BENCH_SUBJECTS" ]; then
  say "seeding $BENCH_DB with $BENCH_SUBJECTS subjects (it has: $have)"
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"
  bin/credithub seed --subjects "$BENCH_SUBJECTS" --seed 1 >"$OUT/seed.txt"
  cat "$OUT/seed.txt" >&2
  say "VACUUM ANALYZE"
  psqlq -c 'VACUUM ANALYZE'
else
  say "reusing $BENCH_DB ($have subjects)"
  if ! bin/credithub migrate up >"$OUT/migrate.txt" 2>&1; then
    cat "$OUT/migrate.txt" >&2
    say "WARNING: migrate up failed (a migration being written?); measuring with the schema as it is"
  fi
fi
# The query-use log grows by every logged check; keep the data set the same
# from run to run.
psqlq -c 'TRUNCATE query_log'

# Codes: a fixed sample (by hash) of organisations and businesses, and some
# persons, numbered for pgbench.
persons=$((BENCH_CODES / 10))
psqlq <<SQL
DROP TABLE IF EXISTS bench_codes;
CREATE TABLE bench_codes (i int PRIMARY KEY, code text NOT NULL);
INSERT INTO bench_codes
SELECT row_number() OVER (ORDER BY md5(code)), code FROM (
  (SELECT code FROM subjects WHERE kind <> 'NATURAL_PERSON' ORDER BY md5(code) LIMIT $((BENCH_CODES - persons)))
  UNION ALL
  (SELECT code FROM subjects WHERE kind = 'NATURAL_PERSON' ORDER BY md5(code) LIMIT $persons)) x;
SQL
# Vacuumed now, not by autovacuum during the statement count.
psqlq -c 'VACUUM ANALYZE bench_codes'

psqlq -c 'SELECT code FROM bench_codes ORDER BY i' >"$OUT/codes.txt"
ncodes=$(wc -l <"$OUT/codes.txt")
[ "$ncodes" -gt 0 ] || die "no codes in $BENCH_DB"
data_summary=$(psqlq -F ' ' -c "SELECT (SELECT count(*) FROM subjects), (SELECT count(*) FROM licences),
  (SELECT count(*) FROM penalties), (SELECT count(*) FROM list_entries), (SELECT count(*) FROM key_persons)" |
  awk '{printf "%d subjects, %d licences, %d penalties, %d list entries, %d key persons", $1, $2, $3, $4, $5}')

# Codes with the fewest and the most records, for the statement count.
records="(SELECT count(*) FROM penalties WHERE subject_id = s.id) + (SELECT count(*) FROM list_entries WHERE subject_id = s.id)
  + (SELECT count(*) FROM key_persons WHERE organization_id = s.id OR person_id = s.id)"
psqlq -F ' ' -c "SELECT s.code, $records FROM bench_codes b JOIN subjects s USING (code) ORDER BY 2, 1 LIMIT 100" >"$OUT/few.txt"
psqlq -F ' ' -c "SELECT s.code, $records FROM bench_codes b JOIN subjects s USING (code) ORDER BY 2 DESC, 1 LIMIT 100" >"$OUT/many.txt"
span() { # file of "code count" lines → "lo–hi" (or "n")
  cut -d' ' -f2 "$1" | sort -n | sed -n '1p;$p' | paste -sd' ' | awk '{print ($1 == $2 ? $1 : $1 "–" $2)}'
}
few_records=$(span "$OUT/few.txt")
many_records=$(span "$OUT/many.txt")

# --- keys, Redis, servers --------------------------------------------------------
key() { bin/credithub apikey create --role "$1" --institution "基准测试 $1" --expires 1d 2>/dev/null; }
BANK_KEY=$(key BANK)
WINDOW_KEY=$(key WINDOW)
OFFICE_KEY=$(key CREDIT_OFFICE)
[ -n "$BANK_KEY" ] && [ -n "$WINDOW_KEY" ] && [ -n "$OFFICE_KEY" ] || die "could not create API keys"

[ "$(redis-cli -n "$BENCH_REDIS_DB" FLUSHDB)" = OK ] || die "could not flush Redis database $BENCH_REDIS_DB"

for port in $PORT $NOCACHE_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use"; fi
done
bin/credithub serve --listen "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
server_pid=$!; pids+=("$server_pid")
bin/credithub serve --no-cache --listen "127.0.0.1:$NOCACHE_PORT" >"$OUT/server-nocache.log" 2>&1 &
nocache_pid=$!; pids+=("$nocache_pid")
for port in $PORT $NOCACHE_PORT; do
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || die "the server on :$port did not start (see $OUT/server*.log)"
done
url=http://127.0.0.1:$PORT/graphql
nocache_url=http://127.0.0.1:$NOCACHE_PORT/graphql

# Midnight in Dandong moves "today": cached answers expire and the checks
# change their as-of date. Warn if the run will cross it.
if [ "$(TZ=Asia/Shanghai date +%F)" != "$(TZ=Asia/Shanghai date -d '+15 minutes' +%F)" ]; then
  say "WARNING: midnight in Asia/Shanghai falls within the run; the warm figures will include misses"
fi

# --- SQL statements per uncached check ---------------------------------------
sqlcount=""
if [ "$BENCH_SQLCOUNT" = 1 ]; then
  say "counting SQL statements per uncached check (PostgreSQL's counters; about a minute)"
  cut -d' ' -f1 "$OUT/few.txt" >"$OUT/few.codes"
  cut -d' ' -f1 "$OUT/many.txt" >"$OUT/many.codes"
  sqlcount=$(bin/loadgen sqlcount -db "$DATABASE_URL" -url "$nocache_url" -token "$OFFICE_KEY" \
    -set "the 100 codes with the fewest records ($few_records each)=$OUT/few.codes" \
    -set "the 100 codes with the most records ($many_records each)=$OUT/many.codes")
  printf '%s\n' "$sqlcount" >&2
fi

# --- warm the cache --------------------------------------------------------------
# PostgreSQL: the backends of the bench database (other databases' work,
# and PostgreSQL's own background processes, count as "others").
procs="server=$server_pid,redis=redis-server,postgres=postgres/$BENCH_DB"
nocache_procs="server=$nocache_pid,redis=redis-server,postgres=postgres/$BENCH_DB"
# Each warm mode's requests (persisted or full text) are their own entries.
warm() { # mode, token, loadgen flags…
  local mode=$1 token=$2; shift 2
  case " $BENCH_MODES " in *" $mode "*)
    say "warming $mode: one pass over $ncodes codes"
    bin/loadgen -url "$url" -token "$token" -mode "$mode" "$@" -codes "$OUT/codes.txt" -clients 8 -pass -procs "$procs" >&2 ;;
  esac
}
warm bank "$BANK_KEY" -persisted
warm bank-text "$BANK_KEY"
warm window "$WINDOW_KEY" -persisted -purpose 受理审查
warm window-text "$WINDOW_KEY" -purpose 受理审查
warm credit "$BANK_KEY" -persisted
warm applicant "$WINDOW_KEY" -persisted

# --- pgbench -------------------------------------------------------------------------
asof=$("$OUT/checksql" -vars | sed -n 's/^asof=//p')
since=$("$OUT/checksql" -vars | sed -n 's/^since=//p')
roles=$("$OUT/checksql" -vars | sed -n 's/^roles=//p')
max_conns=$(psqlq -c 'SHOW max_connections')
reserved=$(psqlq -c 'SHOW superuser_reserved_connections')
today=$(TZ=Asia/Shanghai date +%F)
three_years_ago=$(TZ=Asia/Shanghai date -d '3 years ago' +%F)
run_pgbench() { # mode, clients
  local mode=$1 clients=$2 qmode=prepared note="" used avail out tps failed script=scripts/bench/check.sql
  [ "$mode" = pgbench-unprepared ] && qmode=extended
  [ "$mode" = pgbench-bank ] && script=scripts/bench/bank.sql
  [ "$mode" = pgbench-window ] && script=scripts/bench/window.sql
  used=$(psqlq -c 'SELECT count(*) FROM pg_stat_activity WHERE backend_type = '"'client backend'")
  avail=$((max_conns - reserved - used - 2))
  if [ "$clients" -gt "$avail" ]; then
    note="(ran with $avail connections: max_connections is $max_conns)"
    clients=$avail
  fi
  local args=(-n -M "$qmode" -c "$clients" -j 2 -D "ncodes=$ncodes" -D "asof=$asof" -D "since=$since" -D "roles=$roles"
    -D "today=$today" -f "$script")
  [ "$mode" = pgbench-window ] && args+=(-D "since=$three_years_ago")
  if [ "$BENCH_WARMUP" -gt 0 ]; then pgbench "${args[@]}" -T "$BENCH_WARMUP" "$BENCH_DB" >/dev/null 2>&1 || true; fi
  rm -f "$OUT"/pgbench_log.*
  # CPU during the middle of the run, while pgbench's backends are alive.
  local window=$((BENCH_SECONDS > 4 ? BENCH_SECONDS - 2 : BENCH_SECONDS))
  bin/loadgen watch -delay 1s -for "${window}s" -procs "pgbench=pgbench,postgres=postgres/$BENCH_DB,redis=redis-server" \
    >"$OUT/pgbench_cpu.json" &
  local watcher=$!
  out=$(pgbench "${args[@]}" -T "$BENCH_SECONDS" --log --log-prefix="$OUT/pgbench_log" "$BENCH_DB" 2>&1) ||
    { printf '%s\n' "$out" >&2; die "pgbench failed"; }
  wait "$watcher" || true
  tps=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -1)
  failed=$(printf '%s\n' "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
  bin/loadgen pgbench-log -mode "$mode" -clients "$2" -tps "${tps:-0}" -failed "${failed:-0}" \
    -duration "${BENCH_SECONDS}s" -note "$note" -cpu "$OUT/pgbench_cpu.json" "$OUT"/pgbench_log.*
  rm -f "$OUT"/pgbench_log.*
}

# --- the runs ---------------------------------------------------------------------------
run() { # mode, clients
  local mode=$1 clients=$2 line
  case $mode in
    bank)             line=$(bin/loadgen -url "$url" -token "$BANK_KEY" -mode bank -persisted -codes "$OUT/codes.txt" -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    bank-text)        line=$(bin/loadgen -url "$url" -token "$BANK_KEY" -mode bank-text -codes "$OUT/codes.txt" -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    window)           line=$(bin/loadgen -url "$url" -token "$WINDOW_KEY" -mode window -persisted -purpose 受理审查 -codes "$OUT/codes.txt" -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    window-text)      line=$(bin/loadgen -url "$url" -token "$WINDOW_KEY" -mode window-text -purpose 受理审查 -codes "$OUT/codes.txt" -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    bank-nocache)     line=$(bin/loadgen -url "$nocache_url" -token "$BANK_KEY" -mode bank-nocache -codes "$OUT/codes.txt" -procs "$nocache_procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    window-nocache)   line=$(bin/loadgen -url "$nocache_url" -token "$WINDOW_KEY" -mode window-nocache -purpose 受理审查 -codes "$OUT/codes.txt" -procs "$nocache_procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    credit)           line=$(bin/loadgen -url "$url" -token "$BANK_KEY" -mode credit -persisted -codes "$OUT/codes.txt" -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    applicant)        line=$(bin/loadgen -url "$url" -token "$WINDOW_KEY" -mode applicant -persisted -codes "$OUT/codes.txt" -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    typename)         line=$(bin/loadgen -url "$url" -token "$BANK_KEY" -mode typename -procs "$procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    credit-nocache)   line=$(bin/loadgen -url "$nocache_url" -token "$BANK_KEY" -mode credit-nocache -codes "$OUT/codes.txt" -procs "$nocache_procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    applicant-nocache) line=$(bin/loadgen -url "$nocache_url" -token "$WINDOW_KEY" -mode applicant-nocache -codes "$OUT/codes.txt" -procs "$nocache_procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    typename-nocache) line=$(bin/loadgen -url "$nocache_url" -token "$BANK_KEY" -mode typename-nocache -procs "$nocache_procs" -clients "$clients" -duration "${BENCH_SECONDS}s" -warmup "${BENCH_WARMUP}s" -json) ;;
    pgbench|pgbench-unprepared|pgbench-bank|pgbench-window) line=$(run_pgbench "$mode" "$clients") ;;
    *) die "unknown mode $mode in BENCH_MODES" ;;
  esac
  printf '%s\n' "$line" >>"$RESULTS"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for clients in $BENCH_CLIENTS; do
  for mode in $BENCH_MODES; do
    # On a shared machine, let other work (builds, tests) calm down first.
    bin/loadgen idle -below "${BENCH_IDLE_BELOW:-20}" -max "${BENCH_IDLE_MAX:-30}s"
    say "$mode, $clients clients, ${BENCH_SECONDS}s"
    run "$mode" "$clients"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
hits=$(curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^credithub_response_cache_hits_total/ {s += $2} END {print s + 0}')
fallbacks=$(curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^credithub_cache_fallbacks_total/ {s += $2} END {print s + 0}')
# The durable query-use log: every logged read (BANK, WINDOW) is answered
# only after its row's group commit; what that costs per read is the mean
# commit it waits for.
querylog() { # port → "rows in commits (rows per commit), mean commit ms"
  curl -fs "http://127.0.0.1:$1/metrics" | awk '
    /^credithub_query_log_rows_written_total / {rows = $2}
    /^credithub_query_log_batches_total / {batches = $2}
    /^credithub_query_log_batch_duration_seconds_total / {secs = $2}
    END { if (batches > 0) printf "%d rows in %d group commits (%.1f rows each, a commit took %.2f ms on average)", rows, batches, rows / batches, secs * 1000 / batches; else print "no rows" }'
}
querylog_warm=$(querylog "$PORT")
querylog_cold=$(querylog "$NOCACHE_PORT")

# --- the statistics (issue 14) -------------------------------------------------------------
stats_out=""
if [ "${BENCH_STATS:-1}" = 1 ]; then
  say "statistics: scripts/bench/stats.sh (--no-cache; STATS_SECONDS=${STATS_SECONDS:-15})"
  bin/loadgen idle -below "${BENCH_IDLE_BELOW:-20}" -max "${BENCH_IDLE_MAX:-30}s"
  stats_out=$(STATS_SECONDS=${STATS_SECONDS:-15} scripts/bench/stats.sh) || die "scripts/bench/stats.sh failed"
  printf '%s\n' "$stats_out" >&2
fi

# --- the report -----------------------------------------------------------------------------
# The targets of issue 10 (warm vs { __typename } through the same server,
# latencies, cold vs the hand-written SQL, server CPU per cold request),
# then the earlier check-only reads for information.
table=$(bin/loadgen report -in "$RESULTS" \
  -ratio bank/typename@32\>=0.9 -ratio bank-text/typename@32\>=0.9 \
  -ratio window/typename@32\>=0.9 -ratio window-text/typename@32\>=0.9 \
  -p50 bank@8\<=1ms -p50 bank-text@8\<=1ms -p50 window@8\<=1ms -p50 window-text@8\<=1ms \
  -p99 bank@32\<=15ms -p99 bank-text@32\<=15ms -p99 window@32\<=15ms -p99 window-text@32\<=15ms \
  -ratio bank-nocache/pgbench-bank@32\>=0.6 -ratio window-nocache/pgbench-window@32\>=0.6 \
  -cpu bank-nocache@32\<=250us -cpu window-nocache@32\<=250us -cpu bank-nocache@8\<=250us -cpu window-nocache@8\<=250us \
  -ratio credit/typename@32 -ratio applicant/typename@32 -ratio typename/typename-nocache@32)
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
pg_version=$(psqlq -c 'SHOW server_version')
redis_version=$(redis-cli INFO server | sed -n 's/^redis_version:\(.*\)\r*$/\1/p' | tr -d '\r')
go_version=$($GO env GOVERSION)
elapsed=$(( $(date +%s) - t0 ))

section=$OUT/section.md
{
  echo "Measured $started_at on commit $commit$dirty, in $((elapsed / 60)) min $((elapsed % 60)) s, with:"
  echo
  echo '```sh'
  echo "make bench   # = BENCH_SUBJECTS=$BENCH_SUBJECTS BENCH_SECONDS=$BENCH_SECONDS BENCH_WARMUP=$BENCH_WARMUP BENCH_CODES=$BENCH_CODES scripts/bench.sh"
  echo '```'
  echo
  echo "- machine: $(nproc) CPUs ($cpu_model), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r);" \
       "load average before the runs $load_before, after $load_after (other work on the machine counts too)"
  echo "- PostgreSQL $pg_version (max_connections $max_conns, server pool DB_MAX_CONNS ${DB_MAX_CONNS:-4}), Redis $redis_version, $go_version"
  echo "- data: $data_summary; clients draw from $ncodes codes ($persons of them persons)"
  echo "- warm runs: the cache was filled by one pass over the codes; response-cache hits over the whole run: ${hits:-?}; Redis fallbacks: ${fallbacks:-?}"
  echo "- each run: ${BENCH_WARMUP} s unmeasured, then ${BENCH_SECONDS} s measured; loadgen and the servers share the machine"
  echo "- the durable query-use log (a logged read is answered only once its row is committed): warm server $querylog_warm; cold server $querylog_cold"
  echo
  printf '%s\n' "$table"
  if [ -n "$sqlcount" ]; then
    echo
    echo "SQL statements per uncached check, counted by PostgreSQL (\`loadgen sqlcount\`: growth of"
    echo "\`pg_stat_database.xact_commit\` while the \`--no-cache\` server answers, one Sync of the protocol each):"
    echo
    printf '%s\n' "$sqlcount" | sed -e 's/^/- /'
    echo
    echo "Every statement costs at least one transaction, so about one per check is exactly one (prepared) statement, for"
    echo "few records as for many; two per check would be one unprepared statement or two prepared ones. Other work in the"
    echo "database during a window (autovacuum, the API key's re-check every 5 s) adds a few hundredths."
    echo "\`TestUncachedCheckIsOneStatementWhateverTheRecordCount\` (graph/checks_test.go) proves the same with the server's"
    echo "own statement counter (1 with few records, 1 with 60 more penalties)."
  fi
  if [ -n "$stats_out" ]; then
    echo
    echo "The statistics from PostgreSQL (\`scripts/bench/stats.sh\`, a server with \`--no-cache\`, its own 200,000-subject"
    echo "database with joint cases and 1,000,000 query-use rows; target p95 ≤ 300 ms):"
    echo
    echo '```'
    printf '%s\n' "$stats_out"
    echo '```'
  fi
} >"$section"

echo
cat "$section"
if [ -n "$BENCH_DOC" ]; then
  begin='<!-- bench:begin -->'
  end='<!-- bench:end -->'
  if [ ! -f "$BENCH_DOC" ] || ! grep -qF "$begin" "$BENCH_DOC"; then
    printf '\n## Latest run\n\n%s\n%s\n' "$begin" "$end" >>"$BENCH_DOC"
  fi
  awk -v begin="$begin" -v end="$end" -v section="$section" '
    $0 == begin { print; while ((getline line < section) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$BENCH_DOC" >"$OUT/doc.md"
  mv "$OUT/doc.md" "$BENCH_DOC"
  say "wrote the results into $BENCH_DOC"
fi
