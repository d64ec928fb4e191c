# redlite: `make` builds, `make run` serves ./redlite.db, `make test` runs
# every test, `make bench` the benchmarks.

# The SQLite build tags every Go build uses (FTS5, math functions; R*Tree is
# on by default in mattn/go-sqlite3). Set once here, for every go command.
comma := ,
space := $() $()
TAGS := $(shell cat scripts/buildtags)
export GOFLAGS := -tags=$(subst $(space),$(comma),$(TAGS))

BIN := bin/redlite
DB ?= ./redlite.db
ADDR ?= 127.0.0.1:6379

.PHONY: all build run test test-go deps bench docs clean

all: build

build: $(BIN)

$(BIN): FORCE
	cd core && go build -o ../$(BIN) ./cmd/redlite

FORCE:

run: build
	./$(BIN) --db $(DB) --addr $(ADDR)

deps:
	./scripts/deps.sh

test: deps build test-go

test-go:
	cd core && go vet ./... && go test -race -count=1 ./...
	cd bindings/go && go vet ./... && go test -race -count=1 ./...
	./scripts/test-go-getting-started.sh

bench: deps build
	./scripts/bench.sh

docs:
	cd core && go run ./cmd/gendocs ..

print-goflags:
	@echo $(GOFLAGS)

clean:
	rm -rf bin build
