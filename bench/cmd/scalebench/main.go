// Command scalebench measures redlite at scale (issue 9's scale and memory
// targets) and writes two markdown sections:
//
//   - scale: load time of a small and a large key set (1M and 10M keys by
//     default, half strings and half hashes) through the server with
//     pipelined clients, GET latency (p50/p99) on each, and the database
//     file's size per key against a real redis-server's RDB of the same data;
//   - memory: the server's RSS on the large database, fresh and after work,
//     before and after opening idle connections.
//
// Every server runs on 127.0.0.1 with its files in a temporary directory
// that is removed at the end; every server started is stopped.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type config struct {
	bin        string
	small      int
	large      int
	smallRuns  int
	order      string
	conns      int
	pipeline   int
	rounds     int
	roundGets  int
	idle       int
	cacheMB    int
	dir        string
	outScale   string
	outMemory  string
	withRedis  bool
	largeIsEnv bool
}

func main() {
	var c config
	flag.StringVar(&c.bin, "redlite", "bin/redlite", "redlite server binary")
	flag.IntVar(&c.small, "small", 1000000, "keys in the small database")
	flag.IntVar(&c.large, "large", envInt("BENCH_SCALE_KEYS", 10000000), "keys in the large database (default $BENCH_SCALE_KEYS or 10,000,000)")
	flag.IntVar(&c.smallRuns, "small-runs", 3, "load the small database this many times (fresh each time); the best run counts")
	flag.StringVar(&c.order, "order", "seq", "load order: seq (keys in order, a bulk import) or random (a fixed permutation)")
	flag.IntVar(&c.conns, "conns", 4, "loading connections")
	flag.IntVar(&c.pipeline, "P", 256, "commands per pipelined round trip while loading")
	flag.IntVar(&c.rounds, "rounds", 10, "GET latency rounds per database (alternating between databases)")
	flag.IntVar(&c.roundGets, "gets", 10000, "GETs per round")
	flag.IntVar(&c.idle, "idle", 1000, "idle connections for the memory measurement")
	flag.IntVar(&c.cacheMB, "cache-mb", 0, "pass --cache-mb to redlite (0: the server's default)")
	flag.StringVar(&c.dir, "dir", "", "parent directory for the databases (default: the system's temporary directory)")
	flag.StringVar(&c.outScale, "out-scale", "", "write the scale section here as well as stdout")
	flag.StringVar(&c.outMemory, "out-memory", "", "write the memory section here as well as stdout")
	flag.BoolVar(&c.withRedis, "redis", true, "load the same data into redis-server for the RDB size and latency yardsticks")
	flag.Parse()
	if c.order != "seq" && c.order != "random" {
		fail(fmt.Errorf("-order must be seq or random"))
	}
	if c.small < 2 || c.large < c.small || c.smallRuns < 1 {
		fail(fmt.Errorf("need 2 <= -small <= -large and -small-runs >= 1"))
	}
	if err := run(&c); err != nil {
		fail(err)
	}
}

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
		if err != nil || n < 2 {
			fail(fmt.Errorf("%s=%q: want a key count", name, v))
		}
		return n
	}
	return def
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "scalebench:", err)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "scalebench: "+format+"\n", args...)
}
