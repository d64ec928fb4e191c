#!/bin/sh
# Runs every Go fuzz target of the workspace's modules for FUZZTIME each
# (make test: a few seconds; make fuzz: a minute by default). Targets are
# found by their "func FuzzXxx" lines, so new ones join by themselves.
# Prints "fuzz <dir> <target> execs <n>" per target and stops at the first
# failure (go test saves the failing input under testdata/fuzz: commit it,
# it becomes a regression test).
#
# Go 1.26's fuzz coordinator can fail a run with a duration (-fuzztime 5s)
# at its deadline, printing "context deadline exceeded" with no failing
# input (golang/go#75804, fixed in Go 1.27). A run that fails that way is
# run again with a count of inputs (-fuzztime 2000x), which has no deadline
# to race, and that run decides. A failing input always fails at once.
set -eu
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-60s}
for mod in core capi bindings/go; do
  [ -d "$mod" ] || continue
  for file in $(grep -rl --include='*_test.go' '^func Fuzz' "$mod" | sort); do
    dir=$(dirname "$file")
    pkg=".${dir#"$mod"}"
    for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/p' "$file"); do
      run() { (cd "$mod" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$1" "$pkg" 2>&1); }
      if ! out=$(run "$FUZZTIME"); then
        case "$out" in
        *"Failing input written"*) ;;
        *"context deadline exceeded"*)
          echo "fuzz $dir $target: the fuzz engine's deadline race (golang/go#75804), no failing input: running 2000 inputs instead"
          out=$(run 2000x) || true ;;
        esac
        if ! echo "$out" | grep -q '^ok'; then
          echo "$out"
          echo "FAIL: fuzz $dir $target"
          exit 1
        fi
      fi
      execs=$(echo "$out" | sed -n 's/.*execs: \([0-9]*\).*/\1/p' | tail -1)
      echo "fuzz $dir $target execs ${execs:-0}"
    done
  done
done
