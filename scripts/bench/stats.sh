#!/usr/bin/env bash
# The statistics' latency (README "Statistics", docs/benchmarks.md): starts
# one server on STATS_DB and drives each stats-* mode of cmd/loadgen for
# STATS_SECONDS at each of STATS_CLIENTS, printing req/s, p50, p95 and p99.
# Not part of `make bench` yet; made to be folded into it.
#
# The database is prepared once (about 3 minutes on two cores):
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
set -euo pipefail
cd "$(dirname "$0")/../.."

STATS_DB=${STATS_DB:-credithub_dash_bench}
STATS_PORT=${STATS_PORT:-18083}
STATS_REDIS_DB=${STATS_REDIS_DB:-4}
STATS_SECONDS=${STATS_SECONDS:-20}
STATS_CLIENTS=${STATS_CLIENTS:-1 4}
STATS_TO=${STATS_TO:-2026-11-27}
STATS_MODES=${STATS_MODES:-records timeliness amounts published lists joint checks dashboard}

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$STATS_DB?sslmode=disable"
export REDIS_URL="redis://127.0.0.1:6379/$STATS_REDIS_DB"
export RATE_LIMITS=DEFAULT=100000000,PUBLIC=100000000,BANK=100000000,WINDOW=100000000
OUT=.bench
mkdir -p "$OUT" bin
go build -o bin/credithub ./cmd/credithub
go build -o "$OUT/loadgen" ./cmd/loadgen

key() { bin/credithub apikey create --role "$1" --institution "统计基准 $1" 2>/dev/null | tail -n1; }
office=$(key CREDIT_OFFICE)
auditor=$(key AUDITOR)
board=$(key DASHBOARD)

bin/credithub serve --listen "127.0.0.1:$STATS_PORT" >"$OUT/stats-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  curl -fso /dev/null "http://127.0.0.1:$STATS_PORT/healthz" && break
  sleep 0.5
done

echo "stats: $STATS_DB, period to $STATS_TO, load average $(cut -d' ' -f1-3 /proc/loadavg)"
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
