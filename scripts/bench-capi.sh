#!/bin/sh
# make bench-capi: GET and SET calls/s through the C ABI (libredlite.so, from
# C) against the same operations in pure Go (core.Session.Do), on the same
# kind of database (a file in a temporary directory), one after the other on
# this machine. Prints a table with the ratios and writes it to
# bench/out/capi.md. BENCH_SECONDS sets the time per measurement (default 2).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
secs="${BENCH_SECONDS:-2}"
out="$root/build/bench"
mkdir -p "$out" bench/out
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tags="$(tr -s ' \n' ',' < scripts/buildtags | sed 's/,$//')"

${CC:-gcc} -O2 -Wall -Wextra -Werror -Iinclude bench/capi/bench_capi.c -o "$out/bench_capi" \
	-Lbuild/lib -lredlite -Wl,-rpath,"$root/build/lib"
(cd capi && go build -tags "$tags" -o "$out/purego" ./bench/purego)

"$out/purego" "$tmp/go.db" "$secs" > "$tmp/go.txt"
"$out/bench_capi" "$tmp/c.db" "$secs" > "$tmp/c.txt"

rate() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
go_get="$(rate get "$tmp/go.txt")"
go_set="$(rate set "$tmp/go.txt")"
{
	echo "## C ABI against pure Go ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1))"
	echo
	echo "Command: \`make bench-capi\` (scripts/bench-capi.sh, ${secs}s per line, file database, 1000 keys, 32-byte values, one thread)."
	echo
	echo "| operation | calls/s | pure Go calls/s (Session.Do) | C ABI / Go |"
	echo "|---|---:|---:|---:|"
	while read -r name rate; do
		case "$name" in get*) base="$go_get" ;; *) base="$go_set" ;; esac
		ratio="$(awk -v a="$rate" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
		echo "| $name | $rate | $base | $ratio |"
	done < "$tmp/c.txt"
} | tee bench/out/capi.md
