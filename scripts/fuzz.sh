#!/bin/sh
# Runs every Go fuzz target of the workspace's modules for FUZZTIME each
# (make test: a few seconds; make fuzz: a minute by default). Targets are
# found by their "func FuzzXxx" lines, so new ones join by themselves.
# Prints "fuzz <dir> <target> execs <n>" per target and stops at the first
# failure (go test saves the failing input under testdata/fuzz: commit it,
# it becomes a regression test).
set -eu
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-60s}
for mod in core capi bindings/go; do
  [ -d "$mod" ] || continue
  for file in $(grep -rl --include='*_test.go' '^func Fuzz' "$mod" | sort); do
    dir=$(dirname "$file")
    pkg=".${dir#"$mod"}"
    for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/p' "$file"); do
      if ! out=$(cd "$mod" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1); then
        echo "$out"
        echo "FAIL: fuzz $dir $target"
        exit 1
      fi
      execs=$(echo "$out" | sed -n 's/.*execs: \([0-9]*\).*/\1/p' | tail -1)
      echo "fuzz $dir $target execs ${execs:-0}"
    done
  done
done
