#!/bin/sh
# make stress: the long versions of the reliability tests (REDLITE_STRESS=1),
# every fuzz target for FUZZTIME (default 60s), then a table of what was
# survived, printed and written to bench/RELIABILITY.md with the machine,
# the date and the commands. Logs are in bench/out/stress-*.log.
set -u
cd "$(dirname "$0")/.."
mkdir -p bench/out
report=$(mktemp)
trap 'rm -f "$report"' EXIT
export REDLITE_STRESS=1 REDLITE_STRESS_REPORT="$report"
FUZZTIME=${FUZZTIME:-60s}
status=0

RELIABILITY_CMD="cd core && REDLITE_STRESS=1 REDLITE_PYTHON=\$PWD/../build/pyvenv/bin/python go test -count=1 -timeout 120m -v ./reliability"
SERVER_CMD="cd core && REDLITE_STRESS=1 go test -count=1 -timeout 30m -v -run 'TestHostileInputs|TestLoadThousandConnections|TestRequirePassEveryCommand|TestProtectedModeForReal|TestQueryBufferLimit|TestProtoMaxBulkLenConfigSet|TestOutputBufferLimitNormal|TestOutputBufferSoftLimits|TestStalledSubscriberIsDisconnected|TestProtocolErrorsMatchRedis|TestServerSurvivesBadClients' ./server"
FUZZ_CMD="FUZZTIME=$FUZZTIME ./scripts/fuzz.sh"

echo "== the Python binding's venv (the concurrency test's embedded Python worker)"
./scripts/pyvenv.sh > bench/out/stress-pyvenv.log 2>&1 || { cat bench/out/stress-pyvenv.log; status=1; }
echo "== crash, concurrency and resource tests (long)"
sh -c "$RELIABILITY_CMD" > bench/out/stress-reliability.log 2>&1 || status=1
echo "== hostile input, limits, load and security against the server"
sh -c "$SERVER_CMD" > bench/out/stress-server.log 2>&1 || status=1
echo "== fuzz targets, $FUZZTIME each"
sh -c "$FUZZ_CMD" > bench/out/stress-fuzz.log 2>&1 || status=1
cat bench/out/stress-fuzz.log

sum() { awk -v m="$1" '{ v = $NF; $NF = ""; sub(/ $/, ""); if ($0 == m) s += v } END { print s + 0 }' "$report"; }
fuzzed=$(awk '/^fuzz / { s += $NF } END { print s + 0 }' bench/out/stress-fuzz.log)
crashes=$(cat bench/out/stress-*.log | grep -c -E 'recovered panic|^panic:|fatal error:|DATA RACE|SIGSEGV' || true)
failures=$(cat bench/out/stress-*.log | grep -c -E '^\s*--- FAIL|^FAIL' || true)

table=$(cat <<EOF
| measure | count |
|---|---|
| SIGKILLs survived (embedded writer and server binary, durability full and normal) | $(sum "kills survived") |
| acknowledged writes checked after a kill | $(sum "writes checked") |
| acknowledged writes lost | $(sum "lost writes") |
| known-bad inputs tried (answers compared with redis-server) | $(sum "bad inputs tried") |
| fuzz inputs tried ($FUZZTIME per target) | $fuzzed |
| replies checked under load (1,000 concurrent connections) | $(sum "load replies checked") |
| operations checked across concurrent processes | $(sum "concurrent ops checked") |
| crashes (panics, data races, fatal errors in any log) | $crashes |
| test failures | $failures |
EOF
)
echo
echo "$table"

{
  echo "# Reliability results"
  echo
  echo "Written by \`make stress\` ($(date -u '+%Y-%m-%d %H:%M UTC')), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr), $(go version | cut -d' ' -f3)."
  echo
  echo "$table"
  echo
  echo "Fuzz inputs per target (\`fuzz <package> <target> execs <n>\`):"
  echo
  echo '```'
  grep '^fuzz ' bench/out/stress-fuzz.log
  echo '```'
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "$RELIABILITY_CMD"
  echo "$SERVER_CMD"
  echo "$FUZZ_CMD"
  echo '```'
  echo
  cat <<'EOF'
`make test` runs the short version of every one of these (a few kills per
mode, 1,000 connections with fewer rounds, a few seconds per fuzz target).

## What the measures mean

- **SIGKILLs survived**: `core/reliability/crash_test.go`. A writer is killed
  with SIGKILL at a random moment (for the embedded writer, possibly while it
  opens the file) and the file is reopened. The embedded writer is a process
  with four sessions sharing group commits; the server is the `redlite`
  binary with four clients. They cycle through SET, INCR, HSET, LPUSH (XADD
  once streams are in the command table), MULTI/EXEC transfers between
  accounts, and a SAVE (WAL checkpoint) every 50 operations. After every
  kill: `PRAGMA integrity_check` is ok and `DB.Check` finds key counts,
  element counts and orphans consistent; every acknowledged write is
  present; each structure holds at most the one write that was in flight;
  the account balances replay exactly from the transfer log, so no
  transaction was ever half-applied.
- **Durability**: both `durability=full` and `normal` lose nothing on a
  *process* kill. In WAL mode a commit is in the operating system's page
  cache before COMMIT returns; `synchronous=NORMAL` only skips the fsync, so
  what it may lose is the last commits on power loss or an OS crash, which
  this harness does not simulate.
- **Known-bad inputs**: `core/server/hostile_test.go`. Huge, negative and
  overflowing lengths, truncated frames, nested arrays, NUL bytes, invalid
  UTF-8, NaN and infinite numbers, integer edges, 1 MB keys and fields; each
  answer is compared byte for byte with redis-server 7.0 while another client
  is served throughout.
- **Fuzz inputs**: every `go test -fuzz` target: the RESP reader (whole
  against one-byte reads), the inline splitter, number parsing, glob
  matching, and `FuzzSessionDo`, which runs random command lines (seeded
  from the differential scripts) through `Session.Do` on a fresh database
  and then checks the file with `DB.Check`, and `FuzzCommand` (capi), which
  calls the C ABI's `redlite_command` and `redlite_conn_command` as a C
  program does with hostile argc/argv (NULL argv, reply and arguments,
  empty and NUL-byte arguments, lengths past `REDLITE_MAX_ARG_LEN`, argc of
  0 or below, bogus, mismatched and closed handles, blocking commands
  interrupted or ended by closing): every status must be one the header
  documents for that input and every reply a well-formed tree in one
  allocation. `make test-c` replays its inputs under AddressSanitizer,
  where LeakSanitizer finds no leak.
- **Load**: 1,000 connections open at once on loopback, each running rounds
  of string, hash and counter commands; every reply is checked.
- **Concurrent processes**: embedded Go processes, an embedded Python
  process (`bindings/python/tests/concurrent_worker.py` through the installed
  binding) and the server binary with clients, started together on a file
  none of them created, run INCR, LPUSH/RPOP, BRPOP against LPUSH, MULTI/EXEC
  transfers and WATCH compare-and-set, with a SAVE now and then: every
  process ran its whole workload, the INCR replies are exactly 1..total,
  every pushed element is popped once or still queued, balances match the
  transfers and sum to zero, the WATCH counter matches the successful EXECs,
  and no process saw an error (no "database is locked").
- **Resources** (in the logs): descriptors, goroutines, Go heap and resident
  memory return to their baseline after 10,000 connect/disconnect cycles
  (plain, QUIT, half-sent request, blocked in BLPOP, subscribed) and after
  10,000 embedded open/close cycles.

## Where redlite differs on purpose

- Output buffers: redlite writes replies to the socket as each pipeline
  batch (up to 256 commands) completes and waits for a slow reader, so its
  buffered output stays bounded without a limit; the `normal` hard limit
  drops a client whose pending replies exceed it, as Redis does, but
  Redis, which buffers without waiting, may reach the limit with fewer
  pipelined replies.
EOF
} > bench/RELIABILITY.md
echo "wrote bench/RELIABILITY.md"
exit $status
