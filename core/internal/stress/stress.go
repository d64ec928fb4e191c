// Package stress sizes the reliability tests: short runs in `make test`,
// long ones in `make stress` (REDLITE_STRESS=1), and collects the counts
// the stress table reports (kills survived, writes checked, ...) in the
// file REDLITE_STRESS_REPORT names, one "metric value" line per report,
// which scripts/stress.sh adds up across packages.
package stress

import (
	"fmt"
	"os"
	"sync"
)

// Long reports whether the long (stress) versions should run.
func Long() bool { return os.Getenv("REDLITE_STRESS") == "1" }

// Pick returns long under `make stress` and short otherwise.
func Pick(short, long int) int {
	if Long() {
		return long
	}
	return short
}

var mu sync.Mutex

// Report adds n to a metric of the stress table. Without
// REDLITE_STRESS_REPORT it does nothing; a failure to write is returned so
// the test can fail rather than print a wrong table.
func Report(metric string, n int64) error {
	path := os.Getenv("REDLITE_STRESS_REPORT")
	if path == "" {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "%s %d\n", metric, n); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
