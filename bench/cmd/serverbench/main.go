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
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
	flag.Parse()
	if err := run(*bin, *n, *clients, *out); err != nil {
		fmt.Fprintln(os.Stderr, "serverbench:", err)
		os.Exit(1)
	}
}

type server struct {
	name string
	port int
	cmd  *exec.Cmd
}

func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// start runs bin with args, "PORT" in an argument replaced by a free port.
func start(name, bin string, args ...string) (*server, error) {
	port := freePort()
	s := &server{name: name, port: port}
	full := make([]string, len(args))
	for i, a := range args {
		full[i] = strings.ReplaceAll(a, "PORT", strconv.Itoa(port))
	}
	s.cmd = exec.Command(bin, full...)
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return s, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("%s did not start", name)
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
}

// benchArgs maps a test name to redis-benchmark arguments.
func benchArgs(test string) []string {
	switch test {
	case "MSET (10 keys)":
		return []string{"-t", "mset"}
	}
	return []string{"-t", strings.ToLower(test)}
}

// measure runs one redis-benchmark test and returns requests per second.
func measure(port, n, c, pipeline int, test string) (float64, string, error) {
	args := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-n", strconv.Itoa(n), "-c", strconv.Itoa(c),
		"-P", strconv.Itoa(pipeline), "-r", "100000", "--csv"}
	args = append(args, benchArgs(test)...)
	cmdline := "redis-benchmark " + strings.Join(args, " ")
	out, err := exec.Command("redis-benchmark", args...).Output()
	if err != nil {
		return 0, cmdline, fmt.Errorf("%s: %w", cmdline, err)
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(recs) < 2 {
		return 0, cmdline, fmt.Errorf("%s: unexpected output %q", cmdline, out)
	}
	rps, err := strconv.ParseFloat(recs[1][1], 64)
	return rps, cmdline, err
}

func run(bin string, n, clients int, outPath string) error {
	dir, err := os.MkdirTemp("", "serverbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lite, err := start("redlite", bin, "--db", filepath.Join(dir, "bench.db"), "--addr", "127.0.0.1:PORT")
	if err != nil {
		return err
	}
	defer lite.stop()
	plain, err := start("redis", "redis-server", "--port", "PORT", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err != nil {
		return err
	}
	defer plain.stop()
	aofDir := filepath.Join(dir, "aof")
	_ = os.Mkdir(aofDir, 0o755)
	aof, err := start("redis-aof", "redis-server", "--port", "PORT", "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
		"--appendfsync", "everysec", "--dir", aofDir)
	if err != nil {
		return err
	}
	defer aof.stop()

	var sb strings.Builder
	fmt.Fprintf(&sb, "### Server: redis-benchmark, %d requests, %d clients, random keys (-r 100000)\n\n", n, clients)
	sb.WriteString("| test | pipeline | redlite ops/s | yardstick | yardstick ops/s | ratio | target | met |\n")
	sb.WriteString("|---|---|---|---|---|---|---|---|\n")
	var cmds []string
	for _, t := range targets {
		yard := plain
		yname := "redis (no persistence)"
		if t.yardstick == "aof" {
			yard, yname = aof, "redis (AOF everysec)"
		}
		lr, lcmd, err := measure(lite.port, n, clients, t.pipeline, t.test)
		if err != nil {
			return err
		}
		yr, ycmd, err := measure(yard.port, n, clients, t.pipeline, t.test)
		if err != nil {
			return err
		}
		cmds = append(cmds, "redlite: "+lcmd, yname+": "+ycmd)
		ratio := lr / yr
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
		fmt.Fprintf(&sb, "| %s | %d | %.0f | %s | %.0f | %.2fx | %s | %s |\n", t.test, t.pipeline, lr, yname, yr, ratio, tgt, met)
		fmt.Fprintf(os.Stderr, "%-16s P=%-2d redlite %8.0f  %s %8.0f  ratio %.2f\n", t.test, t.pipeline, lr, yname, yr, ratio)
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
