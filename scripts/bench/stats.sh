#!/usr/bin/env bash
# The statistics' latency (README "Statistics", docs/benchmarks.md): starts
# one server on STATS_DB and drives each stats-* mode of cmd/loadgen for
# STATS_SECONDS at each of STATS_CLIENTS, printing req/s, p50, p95 and p99.
# `make bench` runs it last (BENCH_STATS=1, the default). The server runs
# with --no-cache, so every answer is computed by PostgreSQL (the figure the
# issue asks for); STATS_CACHE=on measures the response cache instead.
#
# The database is prepared when it is missing (about 3 minutes on two
# cores), as by hand:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/$STATS_DB?sslmode=disable \
#     bin/credithub seed --subjects 200000 --today 2026-11-27
#   psql -X -v ON_ERROR_STOP=1 -d $STATS_DB -f scripts/bench/stats-data.sql   # joint cases, 1 M query-use rows
#   psql -d $STATS_DB -c 'VACUUM ANALYZE'   # index-only scans need the visibility map
#
# Settings (environment):
#   STATS_DB        database name                         (credithub_dash_bench)
#   STATS_PORT      port of the server on 127.0.0.1       (18083)
#   STATS_REDIS_DB  Redis database number the server uses (4; nothing is flushed)
#   STATS_SECONDS   measured seconds per run              (20)
#   STATS_CLIENTS   client counts                         ("1 4")
#   STATS_TO        last day of the periods               (2026-11-27, the seed's day)
#   STATS_MODES     modes, without stats-                 (records timeliness amounts published lists joint checks dashboard)
#   STATS_CACHE     on: serve with the response cache     (off)
set -euo pipefail
cd "$(dirname "$0")/../.."

STATS_DB=${STATS_DB:-credithub_dash_bench}
STATS_PORT=${STATS_PORT:-18083}
STATS_REDIS_DB=${STATS_REDIS_DB:-4}
STATS_SECONDS=${STATS_SECONDS:-20}
STATS_CLIENTS=${STATS_CLIENTS:-1 4}
STATS_TO=${STATS_TO:-2026-11-27}
STATS_MODES=${STATS_MODES:-records timeliness amounts published lists joint checks dashboard}
STATS_CACHE=${STATS_CACHE:-off}

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$STATS_DB?sslmode=disable"
export REDIS_URL="redis://127.0.0.1:6379/$STATS_REDIS_DB"
export RATE_LIMITS=DEFAULT=100000000,PUBLIC=100000000,BANK=100000000,WINDOW=100000000
OUT=.bench
mkdir -p "$OUT" bin
go build -o bin/credithub ./cmd/credithub
go build -o "$OUT/loadgen" ./cmd/loadgen

if [ "$(psql -X -At -h 127.0.0.1 -U postgres -d "$STATS_DB" -c 'SELECT count(*) FROM subjects' 2>/dev/null || echo none)" != 200000 ]; then
  echo "stats: preparing $STATS_DB (seed, joint cases and query-use rows, VACUUM ANALYZE)" >&2
  psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $STATS_DB WITH (FORCE)"
  bin/credithub seed --subjects 200000 --today "$STATS_TO" >"$OUT/stats-seed.txt" 2>&1 || { cat "$OUT/stats-seed.txt" >&2; exit 1; }
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$STATS_DB" -f scripts/bench/stats-data.sql >/dev/null
  psql -X -q -h 127.0.0.1 -U postgres -d "$STATS_DB" -c 'VACUUM ANALYZE'
fi

key() { bin/credithub apikey create --role "$1" --institution "统计基准 $1" 2>/dev/null | tail -n1; }
office=$(key CREDIT_OFFICE)
auditor=$(key AUDITOR)
board=$(key DASHBOARD)

cache_flag=--no-cache
[ "$STATS_CACHE" = on ] && cache_flag=
bin/credithub serve $cache_flag --listen "127.0.0.1:$STATS_PORT" >"$OUT/stats-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  curl -fso /dev/null "http://127.0.0.1:$STATS_PORT/healthz" && break
  sleep 0.5
done

echo "stats: $STATS_DB, period to $STATS_TO, response cache $STATS_CACHE, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for clients in $STATS_CLIENTS; do
  for mode in $STATS_MODES; do
    token=$office
    [ "$mode" = checks ] && token=$auditor
    [ "$mode" = dashboard ] && token=$board
    "$OUT/loadgen" -url "http://127.0.0.1:$STATS_PORT/graphql" -token "$token" -mode "stats-$mode" \
      -clients "$clients" -duration "${STATS_SECONDS}s" -warmup 2s -stats-to "$STATS_TO"
  done
done
echo "stats: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
