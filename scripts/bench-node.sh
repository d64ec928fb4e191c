#!/bin/sh
# The Node binding's part of make bench: GET/SET ops/s from Node (async with
# 100 promises in flight, one awaited call at a time, and the synchronous
# mirror) against ioredis (pinned devDependency) to a real redis-server on
# loopback, and against the Go-native call (core.Session.Do,
# bench/cmd/sessionbench), as ratios. Writes bench/out/node.md (or the file
# given as $1). BENCH_SECONDS and BENCH_ROUNDS as in scripts/bench-capi.sh.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-bench/out/node.md}"
mkdir -p "$(dirname "$out")" build/bench
secs="${BENCH_SECONDS:-1}"
rounds="${BENCH_ROUNDS:-3}"
if [ ! -f bindings/node/build/Release/redlite.node ] || [ ! -d bindings/node/node_modules/ioredis ]; then
	(cd bindings/node && npm ci --no-audit --no-fund >/dev/null)
fi
go build -o build/bench/sessionbench ./bench/cmd/sessionbench
tmp="$(mktemp -d)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
while ! redis-cli -p "$port" ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "redis-server did not start" >&2; exit 1; }
	sleep 0.1
done
# Alternate the sides, several rounds; each measurement keeps its best round
# (the one least disturbed by other work on the machine).
: > "$tmp/node.txt"
: > "$tmp/go.txt"
i=0
while [ "$i" -lt "$rounds" ]; do
	node bindings/node/bench/bench.js --seconds "$secs" --redis-port "$port" --dir "$tmp" >> "$tmp/node.txt"
	build/bench/sessionbench -secs "$secs" -rounds 1 -dir "$tmp" >> "$tmp/go.txt"
	rm -f "$tmp"/*.db*
	i=$((i + 1))
done
node bindings/node/bench/report.js "$tmp/node.txt" "$tmp/go.txt" "$secs" "$rounds" > "$out"
cat "$out"
