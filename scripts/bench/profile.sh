#!/usr/bin/env bash
# A quick look at one mode of `make bench`, with a CPU profile of the server.
#
#   scripts/bench/profile.sh credit            # warm creditCheck, 32 clients, 15 s
#   scripts/bench/profile.sh typename
#   NOCACHE=1 scripts/bench/profile.sh credit-nocache
#
# Needs the data set `make bench` seeds (database credithub_bench and
# .bench/codes.txt); starts one server on 127.0.0.1:18091 with --pprof on
# :16060, warms the cache with one pass over the codes, drives the mode for
# PROFILE_SECONDS (15) with CLIENTS (32) and writes the profile to .bench/MODE.pprof
# (`go tool pprof -top bin/credithub .bench/MODE.pprof`).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=${1:-credit}
SECONDS_=${PROFILE_SECONDS:-15}
CLIENTS=${CLIENTS:-32}
BENCH_DB=${BENCH_DB:-credithub_bench}
export DATABASE_URL="postgres://${PGUSER:-postgres}@127.0.0.1:${PGPORT:-5432}/$BENCH_DB?sslmode=disable"
export REDIS_URL="redis://127.0.0.1:6379/${BENCH_REDIS_DB:-3}"
export RATE_LIMITS=DEFAULT=100000000,BANK=100000000,WINDOW=100000000,PUBLIC=100000000
export CREDITHUB_ENV=development
unset LISTEN_ADDR
[ -s .bench/codes.txt ] || { echo "profile: run make bench once first (it seeds $BENCH_DB and writes .bench/codes.txt)" >&2; exit 1; }
go build -o bin/credithub ./cmd/credithub
go build -o bin/loadgen ./cmd/loadgen
role=${PROFILE_ROLE:-BANK} purpose=贷前审查
case $MODE in window*|applicant*) role=${PROFILE_ROLE:-WINDOW} purpose=受理审查 ;; esac
key=$(bin/credithub apikey create --role "$role" --institution "profile" --expires 1d 2>/dev/null)
redis-cli -n "${BENCH_REDIS_DB:-3}" FLUSHDB >/dev/null
bin/credithub serve ${NOCACHE:+--no-cache} --listen 127.0.0.1:18091 --pprof 127.0.0.1:16060 >.bench/profile-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18091/healthz >/dev/null 2>&1 && break; sleep 0.1; done
url=http://127.0.0.1:18091/graphql
persisted=-persisted
if [ "$MODE" = typename ] || [ -n "${NOCACHE:-}" ]; then persisted=; fi
bin/loadgen -url "$url" -token "$key" -mode "$MODE" $persisted -purpose "$purpose" -codes .bench/codes.txt -clients 8 -pass >/dev/null 2>&1
curl -fs "http://127.0.0.1:16060/debug/pprof/profile?seconds=$((SECONDS_ - 4))" -o ".bench/$MODE.pprof" &
bin/loadgen -url "$url" -token "$key" -mode "$MODE" $persisted -purpose "$purpose" -codes .bench/codes.txt -clients "$CLIENTS" \
  -duration "${SECONDS_}s" -warmup 1s -procs "server=$pid,redis=redis-server,postgres=postgres/$BENCH_DB"
wait %2 2>/dev/null || true
echo "profile: .bench/$MODE.pprof" >&2
