#!/bin/sh
# make bench: runs every benchmark part in one go on this machine and
# rewrites bench/RESULTS.md. Each part prints a markdown section into
# bench/out/<part>.md; this script adds the machine, the date and the commit.
# Ratios are only comparable within one run (client and server share cores).
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/out
N=${BENCH_N:-200000}

echo "== server: redlite vs redis-server (redis-benchmark)"
go run ./bench/cmd/serverbench -redlite bin/redlite -n "$N" -out bench/out/server.md >/dev/null

echo "== idle blocked clients: GET/SET with and without 50 blocked clients"
./scripts/bench-blocking.sh bench/out/blocking.md >/dev/null

echo "== lists, sets and sorted sets at scale: 1,000 vs 1,000,000 elements"
{
  echo "## Sorted sets at scale (core)"
  echo
  echo "\`cd core && go test -run '^\$' -bench ZSetRatio -benchtime 1x\`: each command on a 1,000- and a 1,000,000-element"
  echo "sorted set in alternating rounds (median of 15 rounds of 300 calls each, through Session.Do). The target is a ratio of 2 at most."
  echo
  echo "| command | µs at 1,000 | µs at 1,000,000 | ratio | CPU µs at 1,000 | CPU µs at 1,000,000 | CPU ratio |"
  echo "|---|---|---|---|---|---|---|"
  (cd core && go test -run '^$' -bench ZSetRatio -benchtime 1x .) | sed -n 's/^ *zsets_bench_test.go:[0-9]*: \(|.*|\)$/\1/p'
  echo
  echo "## Lists and sets at scale (core)"
  echo
  echo "\`cd core && go test -run '^\$' -bench CollectionRatio -benchtime 1x\`: the same, on a 1,000- and a 1,000,000-element"
  echo "list and set (pushes and pops undone between rounds, so both keep their size). The target is a ratio of 2 at most."
  echo
  echo "| command | µs at 1,000 | µs at 1,000,000 | ratio | CPU µs at 1,000 | CPU µs at 1,000,000 | CPU ratio |"
  echo "|---|---|---|---|---|---|---|"
  (cd core && go test -run '^$' -bench CollectionRatio -benchtime 1x .) | sed -n 's/^ *collections_ratio_bench_test.go:[0-9]*: \(|.*|\)$/\1/p'
} > bench/out/scale.md

# BENCH_SCALE_KEYS (default 10,000,000: the full run, about 3 minutes of
# loading here) sets the large key count; BENCH_SCALE_ORDER=random loads
# in a pseudo-random order instead of key order (about twice as long).
echo "== scale: 1,000,000 vs ${BENCH_SCALE_KEYS:-10000000} keys; server memory with 1,000 idle connections"
go run ./bench/cmd/scalebench -redlite bin/redlite -order "${BENCH_SCALE_ORDER:-seq}" \
  -out-scale bench/out/scale-keys.md -out-memory bench/out/memory.md >/dev/null

echo "== go binding: embedded calls vs raw mattn/go-sqlite3"
./scripts/bench-go.sh bench/out/go.md >/dev/null

echo "== python binding: embedded vs redis-py to redis-server vs Go-native"
./scripts/bench-python.sh bench/out/python.md >/dev/null

echo "== node binding: async and sync vs ioredis to redis-server vs Go-native"
./scripts/bench-node.sh bench/out/node.md >/dev/null

{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` ($(date -u '+%Y-%m-%d %H:%M UTC')), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)."
  echo "Client and server share the cores: compare the ratios, which are measured in one run, not absolute numbers across runs."
  echo
  for part in server blocking capi go python node scale-keys scale memory; do
    [ -f "bench/out/$part.md" ] || continue
    cat "bench/out/$part.md"
    echo
  done
} > bench/RESULTS.md
echo "wrote bench/RESULTS.md"
