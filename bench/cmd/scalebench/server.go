package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redlite/redlite/bench/internal/proc"
)

// server is a started server with the memory readings scalebench takes.
type server struct{ *proc.Server }

// start runs bin with args ("PORT": a free port) and waits until it accepts
// connections (a large file can take a moment).
func start(name, bin string, args ...string) (*server, error) {
	s, err := proc.Config{Ready: 60 * time.Second, Shutdown: 120 * time.Second, Stderr: os.Stderr}.Start(name, bin, args...)
	if err != nil {
		return nil, err
	}
	return &server{s}, nil
}

// rss reads the server's resident set from /proc: total, anonymous
// (heaps: Go's and SQLite's page caches) and file-backed, in bytes.
func (s *server) rss() (total, anon, file int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Pid()))
	if err != nil {
		return 0, 0, 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			total = kb << 10
		case "RssAnon:":
			anon = kb << 10
		case "RssFile:":
			file = kb << 10
		}
	}
	return total, anon, file, nil
}
