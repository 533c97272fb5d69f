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

run: services build
	$(BIN) serve --migrate --seed-if-empty $(SEED_SUBJECTS)

test: services browser node-deps
	$(GO) vet ./...
	REQUIRE_BROWSER=1 $(GO) test -race -count=1 ./...

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
# writes it into docs/benchmarks.md. About 12 minutes; BENCH_SECONDS=5 for a
# quick look.
bench:
	@scripts/bench.sh

# Bulk import throughput (README "Bulk import"): writes a deterministic
# IMPORT_BENCH_ROWS-row penalty file once (.bench/, kept between runs),
# imports it into a fresh scratch database (dropped, created, migrated, with
# the reference departments), then imports it again, which changes nothing.
# The summary lines give rows/s.
IMPORT_BENCH_ROWS ?= 1000000
IMPORT_BENCH_DB   ?= postgres://postgres@127.0.0.1:5432/credithub_bench_import?sslmode=disable
.PHONY: bench-import
bench-import: services build
	$(GO) run ./internal/importer/benchgen file -rows $(IMPORT_BENCH_ROWS) -out .bench/penalties-$(IMPORT_BENCH_ROWS).csv
	$(GO) run ./internal/importer/benchgen db -url '$(IMPORT_BENCH_DB)'
	DATABASE_URL='$(IMPORT_BENCH_DB)' $(BIN) import penalties .bench/penalties-$(IMPORT_BENCH_ROWS).csv
	DATABASE_URL='$(IMPORT_BENCH_DB)' $(BIN) import penalties .bench/penalties-$(IMPORT_BENCH_ROWS).csv
