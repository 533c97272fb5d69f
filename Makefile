# credithub: two commands set everything up.
#   make run    start PostgreSQL and Redis (installing them if needed), create
#               and migrate the database, seed demo data when it is empty,
#               serve GraphQL on http://127.0.0.1:8080/graphql
#   make test   the same service check, headless Chromium for the dashboard's
#               browser test, the npm packages of the interop tests
#               (test/node), then every test against the real PostgreSQL and
#               Redis

GO            ?= go
BIN           := bin/credithub
SEED_SUBJECTS ?= 2000
VERSION       ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
COMMIT        ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS       := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

.PHONY: run test build services node-deps browser screenshots generate fuzz vet bench clean

# A development key for reporters' identities (var/, not in git), made
# once, so that the demo takes reports with a contact; REPORT_KEYS in the
# environment wins.
run: services build
	@mkdir -p var && [ -s var/dev-report-keys ] || $(BIN) reports newkey dev >var/dev-report-keys
	REPORT_KEYS="$${REPORT_KEYS:-$$(cat var/dev-report-keys)}" $(BIN) serve --migrate --seed-if-empty $(SEED_SUBJECTS)

# Tests that need a Redis Cluster or a PostgreSQL replica start them with
# scripts/redis-cluster.sh and scripts/pg-replica.sh (internal/testenv);
# when no other `make test` is running, the engines tests started are
# stopped at the end (shared lock: concurrent runs in other checkouts keep
# theirs). Engines you started yourself stay up.
ENGINES_LOCK ?= /tmp/credithub-engines.lock
test: services browser node-deps
	$(GO) vet ./...
	REQUIRE_BROWSER=1 flock -o -s $(ENGINES_LOCK) $(GO) test -race -count=1 ./...; rc=$$?; \
	  flock -n -x $(ENGINES_LOCK) $(MAKE) --no-print-directory engines-stop-marked || true; exit $$rc

# The engines beyond the shared PostgreSQL and Redis (README "Engines").
.PHONY: engines-start engines-stop engines-status engines-stop-marked
# The replica streams from the tests' own small primary (scripts/pg-primary.sh):
# pg_basebackup copies every database of a primary, and the shared server may
# hold large benchmark databases.
PG_REPLICA_PRIMARY ?= 127.0.0.1:18451
export PG_REPLICA_PRIMARY
engines-start:
	scripts/redis-cluster.sh start
	scripts/pg-primary.sh start
	scripts/pg-replica.sh start
engines-stop:
	scripts/redis-cluster.sh stop
	scripts/pg-replica.sh stop
	scripts/pg-primary.sh stop
engines-status:
	-scripts/redis-cluster.sh status
	-scripts/pg-primary.sh status
	-scripts/pg-replica.sh status
engines-stop-marked:
	@scripts/redis-cluster.sh stop --if-marked
	@scripts/pg-replica.sh stop --if-marked
	@scripts/pg-primary.sh stop --if-marked

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/credithub

services:
	@scripts/services.sh

# The graphql-http audit suite and the Apollo federation tools that
# test/interop drives, pinned by test/node/package-lock.json (npm ci).
node-deps:
	@scripts/node-deps.sh

# Headless Chromium (Debian's package) and a Chinese font for the
# dashboard's browser test; installed with apt-get when missing.
browser:
	@scripts/chromium.sh >/dev/null

# Rewrites the README's screenshots of the dashboard (docs/dashboard.png,
# docs/dashboard-lookup.png) from the browser test's seeded hub.
screenshots: services browser
	DASHBOARD_SCREENSHOTS=$(CURDIR)/docs REQUIRE_BROWSER=1 $(GO) test -count=1 -run '^TestTheDashboardInAHeadlessBrowser$$' ./cmd/credithub

# Regenerate graph/generated.go after editing schema.graphqls or gqlgen.yml.
generate:
	$(GO) tool gqlgen generate

# Run each identifier fuzzer for FUZZTIME (default 60s).
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./internal/credit -run '^$$' -fuzz '^FuzzNormalizeUSCC$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/credit -run '^$$' -fuzz '^FuzzNormalizeCitizenID$$' -fuzztime $(FUZZTIME)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

clean:
	rm -rf bin

# The benchmark (docs/benchmarks.md): seeds a dedicated database once
# (BENCH_SUBJECTS, default 200000; kept between runs), starts a normal and a
# --no-cache server on 127.0.0.1 and drives them with cmd/loadgen at 8, 32
# and 128 clients, runs the same check through pgbench, prints the table and
# writes it into docs/benchmarks.md, then the statistics from PostgreSQL
# (scripts/bench/stats.sh; BENCH_STATS=0 skips them). About 20 minutes;
# BENCH_SECONDS=5 for a quick look.
bench:
	@scripts/bench.sh

# Bulk import against its physical limit (README "Bulk import"): a plain
# COPY of the finished rows into penalties, the first import of the
# IMPORT_BENCH_ROWS-row file into a fresh database, the same file again,
# and the two ratios (scripts/bench-import.sh). About 5 minutes.
IMPORT_BENCH_ROWS ?= 1000000
.PHONY: bench-import
bench-import: services
	IMPORT_BENCH_ROWS=$(IMPORT_BENCH_ROWS) scripts/bench-import.sh

# The same queries at a city's and a province's size (docs/benchmarks.md
# "At a province's size"): builds credithub_scale_200k and
# credithub_scale_5m once (kept; the 5,000,000-subject one takes about 40
# minutes and 21 GB), then measures every mode of scripts/bench-scale.sh on
# each with a private Redis and servers on 18460-18462 (about 10 minutes).
.PHONY: bench-scale
bench-scale: services
	@scripts/bench-scale.sh
