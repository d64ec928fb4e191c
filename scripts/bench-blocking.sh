#!/bin/sh
# Issue 4's promise, measured (part of make bench): 50 idle blocked clients
# cost less than 10% of GET/SET throughput. Runs the GET/SET mix with 0 and
# with 50 clients blocked on keys nobody writes, embedded (core, Session.Do)
# and over the network (core/server, one client's round trips). go test runs
# the two sub-benchmarks alternately COUNT times, so both see the same
# machine; the median of each is compared. Prints a markdown section to
# bench/out/blocking.md (or the file given as $1).
set -eu
cd "$(dirname "$0")/.."
out=${1:-bench/out/blocking.md}
mkdir -p "$(dirname "$out")"
BENCHTIME=${BENCH_BLOCKING_TIME:-1s}
COUNT=${BENCH_BLOCKING_COUNT:-5}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
(cd core && go test -run '^$' -bench 'GetSetIdleBlocked' -benchtime "$BENCHTIME" -count "$COUNT" . ./server) >"$raw"
{
  echo "## Idle blocked clients (issue 4)"
  echo
  echo "\`cd core && go test -run '^\$' -bench GetSetIdleBlocked -benchtime $BENCHTIME -count $COUNT . ./server\`: a GET/SET mix"
  echo "(alternating, 1,000 keys) with no blocked client and with 50 clients blocked on keys nobody writes"
  echo "(embedded: TESTBPOP sessions through Session.Do; server: BLPOP connections, one client's round trips)."
  echo "The two cases alternate $COUNT times; the median ns/op of each is compared. Target: the 50 blocked"
  echo "clients cost less than 10% of throughput."
  echo
  awk '
    /^BenchmarkGetSetIdleBlocked|^BenchmarkServerGetSetIdleBlocked/ && / ns\/op/ {
      name = $1; sub(/-[0-9]+$/, "", name)
      split(name, p, "/"); bench = p[1]; n = p[2]; sub(/^blocked=/, "", n)
      for (i = 2; i <= NF; i++) if ($(i) == "ns/op") v = $(i - 1) + 0
      k = bench SUBSEP n; cnt[k]++; val[k, cnt[k]] = v
      if (!(bench in seen)) { seen[bench] = 1; order[nb++] = bench }
    }
    function median(k,    m, i, j, t, a) {
      m = cnt[k]
      for (i = 1; i <= m; i++) a[i] = val[k, i]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      if (m % 2) return a[(m + 1) / 2]
      return (a[m / 2] + a[m / 2 + 1]) / 2
    }
    END {
      print "| path | ns/op, 0 blocked | ns/op, 50 blocked | throughput cost | target | met |"
      print "|---|---|---|---|---|---|"
      for (j = 0; j < nb; j++) {
        b = order[j]
        if (!((b SUBSEP "0") in cnt) || !((b SUBSEP "50") in cnt)) continue
        a = median(b SUBSEP "0"); c = median(b SUBSEP "50")
        cost = 1 - a / c # throughput is 1/ns: with blocked clients it is a/c of the plain one
        path = (b ~ /Server/) ? "server (network round trips)" : "embedded (Session.Do)"
        printf "| %s | %.0f | %.0f | %.1f%% | < 10%% | %s |\n", path, a, c, 100 * cost, (cost < 0.10) ? "yes" : "no"
      }
    }' "$raw"
} >"$out"
cat "$out"
