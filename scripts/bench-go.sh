#!/bin/sh
# The Go binding's embedded benchmark (part of make bench): ns/op of typed
# calls against raw mattn/go-sqlite3 on a plain key-value table with the same
# pragmas, as ratios. Writes run on one goroutine (each its own committed
# transaction); reads run in parallel, so -cpu 1,2 shows how they scale.
# Prints a markdown section to bench/out/go.md (or the file given as $1).
set -eu
cd "$(dirname "$0")/.."
out=${1:-bench/out/go.md}
mkdir -p "$(dirname "$out")"
BENCHTIME=${BENCH_GO_TIME:-1s}
COUNT=${BENCH_GO_COUNT:-3}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
(cd bindings/go && go test -v -run '^$' -bench . -cpu 1,2 -benchtime "$BENCHTIME" -count "$COUNT" .) >"$raw"
{
  echo "## Go binding, embedded (bindings/go)"
  echo
  echo "\`cd bindings/go && go test -run '^\$' -bench . -cpu 1,2 -benchtime $BENCHTIME -count $COUNT\` (best of $COUNT): typed calls on one DB"
  echo "against raw mattn/go-sqlite3 (database/sql, prepared statements) on \`CREATE TABLE kv(key BLOB PRIMARY KEY, value BLOB)\`"
  echo "with the same pragmas (WAL, synchronous=NORMAL). Writes: one goroutine, each call its own committed transaction,"
  echo "compared with the raw upsert. Reads: parallel goroutines (-cpu), compared with the raw select."
  echo
  awk '
    /^Benchmark/ && / ns\/op/ {
      name = $1; cpu = 1
      if (match(name, /-[0-9]+$/)) { cpu = substr(name, RSTART + 1); name = substr(name, 1, RSTART - 1) }
      sub(/^Benchmark/, "", name)
      for (i = 2; i <= NF; i++)
        if ($(i) == "ns/op" && (!((name, cpu) in ns) || $(i - 1) + 0 < ns[name, cpu])) ns[name, cpu] = $(i - 1) + 0
      if (!(name in seen)) { seen[name] = 1; order[n++] = name }
      cpus[cpu] = 1
    }
    /needs .* not implemented/ && !($0 in skipseen) { skipseen[$0] = 1; sub(/^[ \t]*[a-z_]+\.go:[0-9]+: /, ""); skipped = skipped "\n- " $0 }
    END {
      print "| operation | -cpu | redlite ns/op | raw ns/op | ratio |"
      print "|---|---|---|---|---|"
      for (j = 0; j < n; j++) {
        name = order[j]
        if (name ~ /^Raw/) continue
        base = (name == "Get" || name == "DoGet") ? "RawGet" : "RawSet"
        for (cpu = 1; cpu <= 2; cpu++) {
          if (!((name, cpu) in ns) || !((base, cpu) in ns)) continue
          printf "| %s (vs %s) | %d | %.0f | %.0f | %.2fx |\n", name, base, cpu, ns[name, cpu], ns[base, cpu], ns[name, cpu] / ns[base, cpu]
        }
      }
      if ((("Get", 1) in ns) && (("Get", 2) in ns))
        printf "\nRead scaling, 1 -> 2 goroutines: redlite Get %.2fx, raw select %.2fx (ns/op falls as throughput rises).\n", ns["Get", 1] / ns["Get", 2], ns["RawGet", 1] / ns["RawGet", 2]
      if (skipped != "") print "\nSkipped:" skipped
    }' "$raw"
} >"$out"
cat "$out"
