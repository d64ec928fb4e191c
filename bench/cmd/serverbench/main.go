// Command serverbench measures the redlite server against real redis-server
// instances in one run with redis-benchmark, and prints a markdown table of
// ratios with the yardstick beside each figure.
//
// Yardsticks, as issue 9 defines them: reads (GET, INCR, HGET-style) against
// redis-server without persistence; writes against redis-server with
// appendonly yes / appendfsync everysec, the durability closest to redlite's
// default (synchronous=NORMAL in WAL).
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redlite/redlite/bench/internal/proc"
)

type target struct {
	test      string
	yardstick string // "plain" or "aof"
	pipeline  int
	min       float64 // the ratio issue 9 asks for
}

var targets = []target{
	{"SET", "aof", 1, 0.6},
	{"GET", "plain", 1, 0.8},
	{"INCR", "plain", 1, 0.8},
	{"HSET", "aof", 1, 0.6},
	{"LPUSH", "aof", 1, 0.6},
	{"SADD", "aof", 1, 0.6},
	{"ZADD", "aof", 1, 0.6},
	{"MSET (10 keys)", "aof", 1, 0},
	{"SET", "aof", 16, 0.3},
	{"GET", "plain", 16, 0.5},
}

func main() {
	bin := flag.String("redlite", "bin/redlite", "redlite server binary")
	n := flag.Int("n", 200000, "requests per test")
	clients := flag.Int("c", 50, "parallel connections")
	out := flag.String("out", "", "write the markdown section here as well as stdout")
	rounds := flag.Int("rounds", 3, "measure each test this many times, alternating the servers; the median ratio counts")
	flag.Parse()
	if err := run(*bin, *n, *clients, *rounds, *out); err != nil {
		fmt.Fprintln(os.Stderr, "serverbench:", err)
		os.Exit(1)
	}
}

// serverConfig: servers start in seconds here (an empty file).
var serverConfig = proc.Config{Ready: 10 * time.Second, Shutdown: 10 * time.Second}

// benchArgs maps a test name to redis-benchmark arguments.
func benchArgs(test string) []string {
	switch test {
	case "MSET (10 keys)":
		return []string{"-t", "mset"}
	}
	return []string{"-t", strings.ToLower(test)}
}

// measure runs one redis-benchmark test against s and returns requests per
// second and the server's CPU time per request in µs.
func measure(s *proc.Server, n, c, pipeline int, test string) (rps, cpuUS float64, cmdline string, err error) {
	args := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.Port), "-n", strconv.Itoa(n), "-c", strconv.Itoa(c),
		"-P", strconv.Itoa(pipeline), "-r", "100000", "--csv"}
	args = append(args, benchArgs(test)...)
	cmdline = "redis-benchmark " + strings.Join(args, " ")
	before := cpuTicks(s)
	out, err := exec.Command("redis-benchmark", args...).Output()
	if err != nil {
		return 0, 0, cmdline, fmt.Errorf("%s: %w", cmdline, err)
	}
	cpuUS = float64(cpuTicks(s)-before) * 1e6 / clockTicks / float64(n)
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(recs) < 2 {
		return 0, 0, cmdline, fmt.Errorf("%s: unexpected output %q", cmdline, out)
	}
	rps, err = strconv.ParseFloat(recs[1][1], 64)
	return rps, cpuUS, cmdline, err
}

// clockTicks is Linux's USER_HZ, the unit of /proc/PID/stat's CPU times.
const clockTicks = 100

// cpuTicks is the CPU time (user + system, every thread) the server process
// has used, from /proc; 0 where /proc is missing.
func cpuTicks(s *proc.Server) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.Pid()))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) in ")".
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return utime + stime
}

// median of xs (sorted in place).
func median(xs []float64) float64 {
	sort.Float64s(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func run(bin string, n, clients, rounds int, outPath string) error {
	rounds = max(rounds, 1)
	dir, err := os.MkdirTemp("", "serverbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lite, err := serverConfig.Start("redlite", bin, "--db", filepath.Join(dir, "bench.db"), "--addr", "127.0.0.1:PORT")
	if err != nil {
		return err
	}
	defer lite.Stop()
	plain, err := serverConfig.Start("redis", "redis-server", "--port", "PORT", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err != nil {
		return err
	}
	defer plain.Stop()
	aofDir := filepath.Join(dir, "aof")
	_ = os.Mkdir(aofDir, 0o755)
	aof, err := serverConfig.Start("redis-aof", "redis-server", "--port", "PORT", "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
		"--appendfsync", "everysec", "--dir", aofDir)
	if err != nil {
		return err
	}
	defer aof.Stop()

	var sb strings.Builder
	fmt.Fprintf(&sb, "### Server: redis-benchmark, %d requests, %d clients, random keys (-r 100000)\n\n", n, clients)
	fmt.Fprintf(&sb, "Each test runs %d times, redlite and its yardstick back to back each time; the table has the median of each\n", rounds)
	sb.WriteString("column and the median of the rounds' ratios. CPU µs/req is the server process' CPU time (all threads, from /proc)\n")
	sb.WriteString("per request: the benchmark client shares the cores, so throughput also depends on what else runs, CPU time much less.\n\n")
	sb.WriteString("| test | pipeline | redlite ops/s | redlite CPU µs/req | yardstick | yardstick ops/s | yardstick CPU µs/req | ratio | target | met |\n")
	sb.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	var cmds []string
	for _, t := range targets {
		yard := plain
		yname := "redis (no persistence)"
		if t.yardstick == "aof" {
			yard, yname = aof, "redis (AOF everysec)"
		}
		var lrs, lcs, yrs, ycs, ratios []float64
		var lcmd, ycmd string
		for r := 0; r < rounds; r++ {
			lr, lc, cmd, err := measure(lite, n, clients, t.pipeline, t.test)
			if err != nil {
				return err
			}
			lcmd = cmd
			yr, yc, cmd, err := measure(yard, n, clients, t.pipeline, t.test)
			if err != nil {
				return err
			}
			ycmd = cmd
			lrs, lcs, yrs, ycs = append(lrs, lr), append(lcs, lc), append(yrs, yr), append(ycs, yc)
			ratios = append(ratios, lr/yr)
		}
		cmds = append(cmds, "redlite: "+lcmd, yname+": "+ycmd)
		ratio := median(ratios)
		met := "-"
		if t.min > 0 {
			met = "no"
			if ratio >= t.min {
				met = "yes"
			}
		}
		tgt := "-"
		if t.min > 0 {
			tgt = fmt.Sprintf("≥ %.1fx", t.min)
		}
		fmt.Fprintf(&sb, "| %s | %d | %.0f | %.2f | %s | %.0f | %.2f | %.2fx | %s | %s |\n", t.test, t.pipeline,
			median(lrs), median(lcs), yname, median(yrs), median(ycs), ratio, tgt, met)
		fmt.Fprintf(os.Stderr, "%-16s P=%-2d redlite %8.0f (%.2f µs CPU)  %s %8.0f (%.2f µs CPU)  ratio %.2f\n", t.test, t.pipeline,
			median(lrs), median(lcs), yname, median(yrs), median(ycs), ratio)
	}
	sb.WriteString("\nCommands (ports are chosen at run time):\n\n```\n")
	for _, c := range cmds {
		sb.WriteString(c + "\n")
	}
	sb.WriteString("```\n")
	fmt.Print(sb.String())
	if outPath != "" {
		return os.WriteFile(outPath, []byte(sb.String()), 0o644)
	}
	return nil
}
