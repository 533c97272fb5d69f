#!/usr/bin/env bash
# `make bench-import`: the bulk import against its physical limit, in one run.
#
#   1. the penalty file (benchgen, IMPORT_BENCH_ROWS rows; written once, kept in .bench/);
#   2. the finished rows of that file, dumped once from an import with COPY TO (kept in
#      .bench/, made again when the migrations change);
#   3. baseline: a fresh database holding the import's subjects and key persons, then one
#      plain `COPY penalties FROM STDIN` of the finished rows into the table with all its
#      indexes, keys and triggers (psql \copy, one transaction);
#   4. the first import of the file into a fresh database (credithub import penalties);
#   5. the same file again, which changes nothing;
#   6. a table of rows/s, the load average before each run, and the two ratios against
#      their targets (first import >= 0.8x the COPY, re-run >= 1.5x the COPY).
#
# Each timed run starts after a CHECKPOINT, so that none inherits another's dirty pages.
# Settings (environment): IMPORT_BENCH_ROWS (1000000), IMPORT_BENCH_DB (a database name
# starting with credithub_bench; credithub_bench_import), IMPORT_BENCH_REDIS (the Redis the
# import invalidates: redis://127.0.0.1:6379/3, the benchmarks' database).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${IMPORT_BENCH_ROWS:-1000000}
DB=${IMPORT_BENCH_DB:-credithub_bench_import}
GO=${GO:-go}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB?sslmode=disable"
export REDIS_URL=${IMPORT_BENCH_REDIS:-redis://127.0.0.1:6379/3}

OUT=.bench
FILE=$OUT/penalties-$ROWS.csv
DUMP=$OUT/penalties-$ROWS.finished
mkdir -p "$OUT" bin
say() { printf 'bench-import: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
psqlq() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" "$@"; }
now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }

# CPU seconds used by the database's backends during a run, sampled from
# /proc every 0.2 s (a backend's last fraction of a second may be missed):
# on a shared machine wall time depends on others' load, CPU time far less.
# pg_cpu_start starts the sampler; pg_cpu_stop leaves the seconds in $pg_cpu.
pg_cpu_start() {
  rm -f "$OUT/.cpu-stop" "$OUT/.cpu-sum"
  (
    declare -A ticks
    while [ ! -e "$OUT/.cpu-stop" ]; do
      for p in $(pgrep -f "^postgres: .* $DB " || true); do
        v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) && ticks[$p]=$v
      done
      sleep 0.2
    done
    s=0
    for v in "${ticks[@]}"; do s=$((s + v)); done
    echo "$s" >"$OUT/.cpu-sum"
  ) &
  cpu_sampler=$!
}
pg_cpu_stop() {
  touch "$OUT/.cpu-stop"
  wait "$cpu_sampler"
  pg_cpu=$(echo "$(cat "$OUT/.cpu-sum") / $(getconf CLK_TCK)" | bc -l | xargs printf '%.1f')
}
# timed CMD...: runs CMD, leaves its CPU seconds (user + system) in $client_cpu.
timed() {
  local tf=$OUT/.time
  /usr/bin/time -f '%U %S' -o "$tf" "$@"
  client_cpu=$(awk '{printf "%.1f", $1 + $2}' "$tf")
}

scripts/services.sh
$GO build -o bin/credithub ./cmd/credithub
$GO build -o bin/benchgen ./internal/importer/benchgen
bin/benchgen file -rows "$ROWS" -out "$FILE"
fresh() { bin/benchgen db -url "$DATABASE_URL" 2>/dev/null; }

# The columns of the finished rows: every column of penalties but its id,
# which the table's sequence assigns as it does for an import.
penalty_columns() {
  psqlq -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = 'penalties'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'id'"
}
# Stored generated columns cannot be copied in.
copy_columns() { # table
  psqlq -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''"
}

# --- the finished rows, once per set of migrations ----------------------------
stamp=$(cat migrations/*.sql | sha256sum | cut -c1-12)
if [ "$(cat "$DUMP.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "dumping the finished rows: importing $FILE once (migrations $stamp)"
  fresh
  bin/credithub import --no-cache penalties "$FILE" >/dev/null 2>&1 || true
  cols=$(penalty_columns)
  psqlq -c "\\copy (SELECT $cols FROM penalties ORDER BY id) TO '$DUMP.penalties'"
  psqlq -c "\\copy (SELECT $(copy_columns subjects) FROM subjects ORDER BY id) TO '$DUMP.subjects'"
  psqlq -c "\\copy (SELECT $(copy_columns key_persons) FROM key_persons ORDER BY id) TO '$DUMP.key_persons'"
  echo "$stamp" >"$DUMP.stamp"
fi
finished=$(wc -l <"$DUMP.penalties")

# --- 1. plain COPY --------------------------------------------------------------
say "baseline: a fresh database with the import's $(wc -l <"$DUMP.subjects") subjects"
fresh
psqlq -c "\\copy subjects ($(copy_columns subjects)) FROM '$DUMP.subjects'"
psqlq -c "\\copy key_persons ($(copy_columns key_persons)) FROM '$DUMP.key_persons'"
psqlq -c "SELECT setval('subjects_id_seq', (SELECT max(id) FROM subjects)), setval('key_persons_id_seq', (SELECT max(id) FROM key_persons))" >/dev/null
psqlq -c 'VACUUM ANALYZE subjects, key_persons'
psqlq -c 'CHECKPOINT'
copy_load=$(load)
say "COPY of $finished finished rows into penalties (load $copy_load)"
cols=$(penalty_columns)
pg_cpu_start
t0=$(now)
timed psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "\\copy penalties ($cols) FROM '$DUMP.penalties'"
t1=$(now)
pg_cpu_stop; copy_pg=$pg_cpu; copy_client=$client_cpu
copy_s=$(echo "$t1 - $t0" | bc -l)
outbox=$(psqlq -c 'SELECT count(*) FROM export_outbox')
[ "$outbox" = "$finished" ] || die "the COPY left $outbox outbox rows for $finished penalties"

# --- 2. first import -----------------------------------------------------------------
fresh
psqlq -c 'CHECKPOINT'
first_load=$(load)
say "first import of $FILE (load $first_load)"
pg_cpu_start
t0=$(now)
timed bin/credithub import penalties "$FILE" >"$OUT/import-first.txt" 2>"$OUT/import-first.err" || { cat "$OUT/import-first.err" >&2; die "import failed"; }
t1=$(now)
pg_cpu_stop; first_pg=$pg_cpu; first_client=$client_cpu
first_s=$(echo "$t1 - $t0" | bc -l)
cat "$OUT/import-first.txt" >&2
first_rows=$(psqlq -c 'SELECT count(*) FROM penalties')
[ "$first_rows" = "$finished" ] || die "the import stored $first_rows penalties, the COPY $finished"

# --- 3. the same file again ------------------------------------------------------------
psqlq -c 'CHECKPOINT'
rerun_load=$(load)
say "the same file again (load $rerun_load)"
pg_cpu_start
t0=$(now)
timed bin/credithub import penalties "$FILE" >"$OUT/import-rerun.txt" 2>"$OUT/import-rerun.err" || { cat "$OUT/import-rerun.err" >&2; die "re-run failed"; }
t1=$(now)
pg_cpu_stop; rerun_pg=$pg_cpu; rerun_client=$client_cpu
rerun_s=$(echo "$t1 - $t0" | bc -l)
cat "$OUT/import-rerun.txt" >&2
grep -q '(0 new, 0 updated' "$OUT/import-rerun.txt" || die "the re-run changed something"

# --- the table ------------------------------------------------------------------------------
rate() { echo "$finished / $1" | bc -l | xargs printf '%.0f'; }
copy_r=$(rate "$copy_s")
first_r=$(rate "$first_s")
rerun_r=$(rate "$rerun_s")
first_ratio=$(echo "$first_r / $copy_r" | bc -l | xargs printf '%.2f')
rerun_ratio=$(echo "$rerun_r / $copy_r" | bc -l | xargs printf '%.2f')
verdict() { if [ "$(echo "$1 >= $2" | bc -l)" = 1 ]; then echo met; else echo "NOT met"; fi; }
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit+changes"
cat <<EOF

$finished finished rows (from the $ROWS-row file), commit $commit, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs

| run | time | rows/s | CPU s: PostgreSQL backends | CPU s: client | load average at the start |
|---|---|---|---|---|---|
| plain COPY into penalties (indexes, keys, triggers) | $(printf '%.1f' "$copy_s") s | $copy_r | $copy_pg | $copy_client (psql) | $copy_load |
| first import (credithub import penalties) | $(printf '%.1f' "$first_s") s | $first_r | $first_pg | $first_client | $first_load |
| the same file again (nothing changes) | $(printf '%.1f' "$rerun_s") s | $rerun_r | $rerun_pg | $rerun_client | $rerun_load |

first import / COPY = $first_ratio (target >= 0.8: $(verdict "$first_ratio" 0.8))
re-run / COPY       = $rerun_ratio (target >= 1.5: $(verdict "$rerun_ratio" 1.5))
EOF
