#!/bin/sh
# The Python binding's part of make bench: GET/SET/HSET/LPUSH ops/s from
# Python embedded, through redis-py to a real redis-server on loopback, and
# the Go-native call (core.Session.Do), as ratios. Writes
# bench/out/python.md (or the file given as $1). BENCH_SECONDS and
# BENCH_ROUNDS as in scripts/bench-capi.sh.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-bench/out/python.md}"
mkdir -p "$(dirname "$out")" build/bench
secs="${BENCH_SECONDS:-1}"
rounds="${BENCH_ROUNDS:-3}"
venv="$root/build/pyvenv"
./scripts/pyvenv.sh
go build -o build/bench/sessionbench ./bench/cmd/sessionbench
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
build/bench/sessionbench -secs "$secs" -rounds "$rounds" > "$tmp"
"$venv/bin/python" bindings/python/bench/bench_python.py --secs "$secs" --rounds "$rounds" --go "$tmp" --out "$out"
