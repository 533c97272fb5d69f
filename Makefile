# credithub: two commands set everything up.
#   make run    start PostgreSQL and Redis (installing them if needed), create
#               and migrate the database, seed demo data when it is empty,
#               serve GraphQL on http://127.0.0.1:8080/graphql
#   make test   the same service check, then every test against the real
#               PostgreSQL and Redis

GO            ?= go
BIN           := bin/credithub
SEED_SUBJECTS ?= 2000
VERSION       ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS       := -X main.version=$(VERSION)

.PHONY: run test build services generate fuzz vet bench clean

run: services build
	$(BIN) serve --migrate --seed-if-empty $(SEED_SUBJECTS)

test: services
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/credithub

services:
	@scripts/services.sh

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
