// Command sessionbench measures the Go-native call the bindings and the C
// ABI are compared with: core.Session.Do on one session of a file database,
// for GET, SET, HSET and LPUSH (the operations of the Python binding's
// benchmark, with the same keys and values; -ops picks some). It prints one
// line per operation, "name ops/s", the best of -rounds rounds of -secs
// seconds each.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redlite/redlite/core"
)

const nkeys = 1000

// benchOp is an operation: its name and its argv for a key.
type benchOp struct {
	name string
	argv func(k []byte) [][]byte
}

func main() {
	dir := flag.String("dir", "", "directory for the database file (default: a temporary one)")
	secs := flag.Float64("secs", 1, "seconds per round")
	rounds := flag.Int("rounds", 3, "rounds per operation (the best counts)")
	only := flag.String("ops", "GET,SET,HSET,LPUSH", "the operations to measure, comma-separated")
	flag.Parse()
	if *dir == "" {
		d, err := os.MkdirTemp("", "sessionbench")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	db, err := core.Open(core.Options{Path: filepath.Join(*dir, "bench.db")})
	if err != nil {
		fail(err)
	}
	defer db.Close()
	s := db.NewSession()
	defer s.Close()

	keys := make([][]byte, nkeys)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	val := []byte("0123456789abcdef0123456789abcdef")
	field := []byte("field")
	for _, k := range keys {
		do(s, "SET", k, val)
	}
	get, set, hset, lpush := []byte("GET"), []byte("SET"), []byte("HSET"), []byte("LPUSH")
	ops := []benchOp{
		{"GET", func(k []byte) [][]byte { return [][]byte{get, k} }},
		{"SET", func(k []byte) [][]byte { return [][]byte{set, k, val} }},
		{"HSET", func(k []byte) [][]byte { return [][]byte{hset, append([]byte("h"), k...), field, val} }},
		{"LPUSH", func(k []byte) [][]byte { return [][]byte{lpush, append([]byte("l"), k...), val} }},
	}
	want := strings.Split(*only, ",")
	for _, w := range want {
		if !slices.ContainsFunc(ops, func(op benchOp) bool { return op.name == w }) {
			fail(fmt.Errorf("-ops: no operation %q", w))
		}
	}
	for _, op := range ops {
		if !slices.Contains(want, op.name) {
			continue
		}
		best := 0.0
		for range *rounds {
			best = max(best, measure(s, *secs, op.argv, keys))
		}
		fmt.Printf("%s %.0f\n", op.name, best)
	}
}

// measure runs the operation over the keys in batches of 1000 until secs
// have passed and returns calls per second.
func measure(s *core.Session, secs float64, argv func(k []byte) [][]byte, keys [][]byte) float64 {
	n := 0
	start := time.Now()
	for {
		for range 1000 {
			if v := s.Do(argv(keys[n%nkeys])); v.IsError() {
				fail(fmt.Errorf("command failed: %s", v.Str))
			}
			n++
		}
		if el := time.Since(start).Seconds(); el >= secs {
			return float64(n) / el
		}
	}
}

func do(s *core.Session, args ...any) {
	argv := make([][]byte, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case string:
			argv[i] = []byte(a)
		case []byte:
			argv[i] = a
		}
	}
	if v := s.Do(argv); v.IsError() {
		fail(fmt.Errorf("%s", v.Str))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sessionbench:", err)
	os.Exit(1)
}
