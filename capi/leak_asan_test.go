//go:build asan

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Built with go test -asan (scripts/test-c.sh), FuzzCommand's checks run
// under AddressSanitizer: a read past an argument (each is a block of its
// exact length), a write past a reply, a use after free in the C shim, the
// bundled SQLite or the Go side's reads of C memory stop the test. This
// file adds the leak check.

const leakControlEnv = "REDLITE_LEAK_CONTROL"

// TestCommandNoLeak replays FuzzCommand's seeds and asks LeakSanitizer for
// unreachable C memory: every reply freed with redlite_reply_free, and
// every failed call, must leave none. A control process replays them
// without freeing the replies, and LeakSanitizer must see those.
func TestCommandNoLeak(t *testing.T) {
	seeds := commandSeeds(t)
	if os.Getenv(leakControlEnv) != "" {
		for _, s := range seeds {
			if err := fuzzCommandOnce(s.modes, s.script, false); err != nil {
				t.Fatal(err)
			}
		}
		if lsanLeaks() {
			os.Stdout.WriteString("control: leaks found\n")
		}
		return
	}
	for _, s := range seeds {
		if err := fuzzCommandOnce(s.modes, s.script, true); err != nil {
			t.Fatal(err)
		}
	}
	if lsanLeaks() {
		t.Fatalf("LeakSanitizer found leaks after %d inputs: see its report above", len(seeds))
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestCommandNoLeak$", "-test.count=1")
	cmd.Env = append(os.Environ(), leakControlEnv+"=1")
	out, _ := cmd.CombinedOutput() // its exit-time leak check fails it: expected
	if !strings.Contains(string(out), "control: leaks found") || !strings.Contains(string(out), "Direct leak of") {
		t.Fatalf("LeakSanitizer did not see the replies the control kept:\n%s", out)
	}
	t.Logf("%d inputs: no leak; the control's kept replies were found", len(seeds))
}
