#!/bin/sh
# make profile: CPU profiles of the redlite server under SET and under GET
# load (issue 9), kept in bench/profiles/ with their top lists and a summary
# of where the time goes (bench/profiles/summary.md; bench/PROFILE.md is the
# note that reads it). Loopback only, bounded: redis-benchmark -c 50 with
# PROFILE_N requests (default 200,000) per run, plain and pipelined (-P 16),
# on 100,000 keys loaded before profiling starts.
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/redlite}
N=${PROFILE_N:-200000}
OUT=bench/profiles
mkdir -p "$OUT"
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not found: run make deps" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN not found: run make build" >&2; exit 1; }

work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# start [profile]: the server on the scratch file, with --cpuprofile if given.
start() {
  if [ $# -gt 0 ]; then
    "$BIN" --db "$work/p.db" --addr "127.0.0.1:$port" --cpuprofile "$1" >"$work/log" 2>&1 &
  else
    "$BIN" --db "$work/p.db" --addr "127.0.0.1:$port" >"$work/log" 2>&1 &
  fi
  pid=$!
  i=0
  until redis-cli -p "$port" PING >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$work/log" >&2; exit 1; }
    sleep 0.1
  done
}

# stop: SHUTDOWN, which writes the profile, and wait for the exit.
stop() {
  redis-cli -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

bench() { redis-benchmark -p "$port" -c 50 -n "$N" -r 100000 -t "$1" -P "$2" --csv 2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"'; }

# The keys exist before profiling, so both profiles see the steady state.
start
redis-benchmark -p "$port" -c 50 -n 200000 -r 100000 -t set -P 16 -q >/dev/null 2>&1
stop

rates=""
for t in set get; do
  start "$OUT/server-$t.pprof"
  r1=$(bench "$t" 1)
  r16=$(bench "$t" 16)
  stop
  rates="$rates| $(echo $t | tr a-z A-Z) | $r1 | $r16 |
"
  go tool pprof -top -nodecount=40 "$BIN" "$OUT/server-$t.pprof" >"$OUT/server-$t.top.txt" 2>/dev/null
done

# where: the share of the profile's samples whose innermost Go frame
# matches each group. C code (SQLite, mattn's shims) shows as
# runtime.cgocall; the kernel side of network reads and writes as
# syscall frames.
where() {
  go tool pprof -top -nodecount=100000 "$BIN" "$1" 2>/dev/null | awk '
    $1 ~ /s$/ && $2 ~ /%$/ && NF >= 6 {
      v = $1; sub(/s$/, "", v); if (v ~ /m$/) { sub(/m$/, "", v); v = v / 1000 }
      name = $6; for (i = 7; i <= NF; i++) name = name " " $i
      total += v
      if (name ~ /^runtime\.cgocall/) g = "SQLite and the driver (C, through cgo)"
      else if (name ~ /syscall|epollwait|netpoll/) g = "system calls (network reads and writes, polling)"
      else if (name ~ /core\/resp\.|bufio\./) g = "RESP parsing and encoding"
      else if (name ~ /^runtime\.(gc|scanobject|scanblock|markroot|greyobject|findObject|sweep|bgsweep|bulkBarrier|wbBuf|gcWriteBarrier|tryDeferToSpanScan|(\(\*gcWork\)))|gcDrain|scanObject|spanOf|heapBits|typePointers/) g = "garbage collection"
      else if (name ~ /^runtime\.(mallocgc|newobject|makeslice|growslice|memclr|nextFree|\(\*mcache\)|\(\*mheap\)|\(\*mspan\)|heapSetType|convT|mallocgcSmall|mallocgcTiny|mallocgcLarge|rawbyteslice|rawstring|concatstring|slicebytetostring|deductAssistCredit)/) g = "allocation"
      else if (name ~ /^runtime\.(schedule|findRunnable|park_m|goready|ready|runqget|runqput|stealWork|futex|notesleep|notewakeup|wakep|startm|stopm|mcall|gopark|goexit|execute|usleep|osyield|procyield|lock|unlock|entersyscall|exitsyscall|reentersyscall|casgstatus|resetspinning|checkTimers|nanotime|handoffp|acquirep|releasep|mPark|gosched|retake|sysmon)|^runtime\.(lock2|unlock2|asyncPreempt|preempt)/) g = "scheduler, cgo and syscall transitions"
      else if (name ~ /redlite\/core\/server\./) g = "server connection loop"
      else if (name ~ /redlite\/core\./) g = "engine (Go: dispatch, commands, transactions)"
      else if (name ~ /mattn/) g = "SQLite driver (Go side)"
      else g = "other Go code (runtime, standard library)"
      sum[g] += v
    }
    END {
      for (g in sum) printf "%.1f\t%s\t%.2f\n", 100 * sum[g] / total, g, sum[g]
    }' | sort -rn | awk -F'\t' '{ printf "| %s | %s%% |\n", $2, $1 }'
}

{
  echo "# Server CPU profiles"
  echo
  echo "Written by \`make profile\` (scripts/profile-server.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown),"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
  echo
  echo "\`$BIN --cpuprofile FILE\` on a file with 100,000 keys loaded beforehand; for each profile"
  echo "\`redis-benchmark -c 50 -n $N -r 100000 -t CMD\` plain, then with \`-P 16\`, over loopback. The benchmark"
  echo "client shares the machine, so the rates are only a sign of load; compare ratios with \`make bench\`."
  echo
  echo "| load | requests/s, plain | requests/s, -P 16 |"
  echo "|---|---|---|"
  printf "%s" "$rates"
  for t in set get; do
    echo
    echo "## $(echo $t | tr a-z A-Z): where the time goes"
    echo
    echo "Share of the profile's samples by the innermost Go frame (\`go tool pprof -top\`, flat)."
    echo
    echo "| where | share |"
    echo "|---|---|"
    where "$OUT/server-$t.pprof"
    echo
    echo "Top of \`go tool pprof -top $BIN $OUT/server-$t.pprof\` (full list in server-$t.top.txt):"
    echo
    echo '```'
    sed -n '/flat%/,$p' "$OUT/server-$t.top.txt" | head -16
    echo '```'
  done
} >"$OUT/summary.md"
cat "$OUT/summary.md"
