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

.PHONY: all build lib examples run test test-go test-c test-fuzz test-python test-node fuzz stress deps bench bench-capi profile docs vectors clean

all: build lib examples

build: $(BIN)

$(BIN): FORCE
	cd core && go build -o ../$(BIN) ./cmd/redlite

FORCE:

# The C ABI: build/lib/libredlite.so.1 (+ libredlite.so), see capi/ and
# include/redlite.h.
lib:
	./scripts/build-lib.sh build/lib

examples: lib
	$(MAKE) -C examples/c

run: build
	./$(BIN) --db $(DB) --addr $(ADDR)

deps:
	./scripts/deps.sh

test: deps build test-go test-c test-fuzz test-python test-node

test-go:
	cd core && go vet ./... && go test -race -count=1 ./...
	@# The vectors' Go runner once more, for its counts (go test ./... hides them).
	cd core && go test -count=1 -v -run '^TestReplayThroughSession$$' ./internal/vectors | grep -v -e '^=== RUN' -e '^    --- PASS'
	cd bindings/go && go vet ./... && go test -race -count=1 ./...
	./scripts/test-go-getting-started.sh

test-c: lib examples
	./scripts/test-c.sh

# Fuzz targets: a few seconds each in make test, FUZZTIME (60s) in make fuzz.
test-fuzz:
	FUZZTIME=5s ./scripts/fuzz.sh

fuzz:
	./scripts/fuzz.sh

# The long reliability runs; writes bench/RELIABILITY.md.
stress: deps build
	./scripts/stress.sh

# The Python binding (bindings/python): venv in build/pyvenv, pip install,
# pytest, then the concurrent-processes test with its embedded Python worker.
test-python: deps
	./scripts/test-python.sh

# The Node binding (bindings/node): npm ci (builds libredlite and the N-API
# addon), node --test, npm install in a fresh directory.
test-node: deps
	./scripts/test-node.sh

bench: deps build bench-capi
	./scripts/bench.sh

# CPU profiles of the server under SET and GET load into bench/profiles/
# (summary.md says where the time goes; bench/PROFILE.md is the note).
profile: deps build
	./scripts/profile-server.sh

docs:
	cd core && go run ./cmd/gendocs ..

# The shared test vectors (tests/vectors): each script of tests/diff run
# against redis-server 7.0.15, replayed by the Go, C, Python and Node tests
# (tests/vectors/README.md).
vectors:
	cd core && go run ./cmd/genvectors ..

bench-capi: lib
	./scripts/bench-capi.sh

print-goflags:
	@echo $(GOFLAGS)

clean:
	rm -rf bin build
