#!/bin/sh
# make bench-capi: GET and SET calls/s through the C ABI (libredlite.so, from
# C) against the same operations in pure Go (core.Session.Do), on the same
# kind of database (a file in a temporary directory), one after the other on
# this machine. Prints a table with the ratios and writes it to
# bench/out/capi.md. BENCH_SECONDS sets the time per measurement (default 1),
# BENCH_ROUNDS the number of rounds (default 3; the best round counts).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
secs="${BENCH_SECONDS:-1}"
out="$root/build/bench"
mkdir -p "$out" bench/out
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tags="$(tr -s ' \n' ',' < scripts/buildtags | sed 's/,$//')"

${CC:-gcc} -O2 -Wall -Wextra -Werror -Iinclude bench/capi/bench_capi.c -o "$out/bench_capi" \
	-Lbuild/lib -lredlite -Wl,-rpath,"$root/build/lib"
go build -tags "$tags" -o "$out/sessionbench" ./bench/cmd/sessionbench

# The machine is shared: run both sides alternately, several rounds, and keep
# each operation's best round (the one least disturbed by other work).
rounds="${BENCH_ROUNDS:-3}"
: > "$tmp/go.txt"
: > "$tmp/c.txt"
i=0
while [ "$i" -lt "$rounds" ]; do
	mkdir "$tmp/go$i"
	"$out/sessionbench" -dir "$tmp/go$i" -secs "$secs" -rounds 1 -ops GET,SET >> "$tmp/go.txt"
	"$out/bench_capi" "$tmp/c$i.db" "$secs" >> "$tmp/c.txt"
	i=$((i + 1))
done

rate() { awk -v k="$1" '$1 == k && $2 > best { best = $2 } END { print best }' "$2"; }
go_get="$(rate GET "$tmp/go.txt")"
go_set="$(rate SET "$tmp/go.txt")"
{
	echo "## C ABI against pure Go ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1))"
	echo
	echo "Command: \`make bench-capi\` (scripts/bench-capi.sh): best of $rounds alternating rounds of ${secs}s per operation, a file database, 1000 keys, 32-byte values, one thread. \`typed\` is redlite_get/redlite_set, \`command\` the generic redlite_conn_command with its reply tree; \`db\` runs on the redlite_db handle (pooled sessions), \`conn\` on a redlite_conn."
	echo
	echo "| operation | calls/s | pure Go calls/s (Session.Do) | C ABI / Go |"
	echo "|---|---:|---:|---:|"
	for name in $(awk '!seen[$1]++ { print $1 }' "$tmp/c.txt"); do
		rate="$(rate "$name" "$tmp/c.txt")"
		case "$name" in get*) base="$go_get" ;; *) base="$go_set" ;; esac
		ratio="$(awk -v a="$rate" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
		echo "| $name | $rate | $base | $ratio |"
	done
} | tee bench/out/capi.md
