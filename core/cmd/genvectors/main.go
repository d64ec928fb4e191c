// Command genvectors records the shared test vectors (`make vectors`): it
// runs every differential script of tests/diff against a real redis-server
// 7.0.15, a fresh server per script, and writes tests/vectors/<script>.json
// with every step of the script and the reply redis-server gave, as a typed
// tree (core/internal/vectors, tests/vectors/README.md). The C, Python and
// Node bindings replay these files through their generic command paths.
//
//	go run ./cmd/genvectors [-redis-server PATH] [-only NAME.txt] [ROOT]
//
// ROOT is the checkout (default ".."), so `cd core && go run
// ./cmd/genvectors` writes ../tests/vectors from ../tests/diff.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redlite/redlite/core/internal/diffscript"
	"github.com/redlite/redlite/core/internal/vectors"
	"github.com/redlite/redlite/core/resp"
)

// The version the vectors must come from: the one redlite follows.
const wantVersion = "7.0.15"

// How long a reply may take (a blocking command with a timeout waits that
// long before answering).
const replyTimeout = 30 * time.Second

func main() {
	serverPath := flag.String("redis-server", "redis-server", "the redis-server binary")
	only := flag.String("only", "", "regenerate this script only (a file name in tests/diff)")
	flag.Parse()
	root := ".."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	if err := run(root, *serverPath, *only); err != nil {
		fmt.Fprintln(os.Stderr, "genvectors:", err)
		os.Exit(1)
	}
}

func run(root, serverPath, only string) error {
	version, err := serverVersion(serverPath)
	if err != nil {
		return err
	}
	if version != wantVersion {
		return fmt.Errorf("%s is redis-server %s; the vectors are recorded from %s", serverPath, version, wantVersion)
	}
	diffDir := filepath.Join(root, "tests", "diff")
	outDir := filepath.Join(root, "tests", "vectors")
	files, err := diffscript.Files(diffDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	want := map[string]bool{}
	total := 0
	for _, file := range files {
		name := filepath.Base(file)
		out := strings.TrimSuffix(name, ".txt") + ".json"
		want[out] = true
		if only != "" && only != name {
			continue
		}
		f, n, err := record(serverPath, file)
		if err != nil {
			return err
		}
		f.Redis = version
		if err := vectors.Write(filepath.Join(outDir, out), f); err != nil {
			return err
		}
		fmt.Printf("%-32s %5d steps, %5d replies\n", out, len(f.Steps), n)
		total += n
	}
	if only == "" {
		// Vectors of scripts that no longer exist go.
		old, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
		for _, p := range old {
			if !want[filepath.Base(p)] {
				fmt.Println("removing", p)
				if err := os.Remove(p); err != nil {
					return err
				}
			}
		}
		fmt.Printf("%d replies recorded from redis-server %s\n", total, version)
	}
	return nil
}

var versionRE = regexp.MustCompile(`\bv=([0-9.]+)`)

func serverVersion(path string) (string, error) {
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %v (is redis-server installed? scripts/deps.sh installs it)", path, err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("cannot read the version in %q", out)
	}
	return string(m[1]), nil
}

// record runs one script against a fresh redis-server and returns its
// vectors and how many replies they hold.
func record(serverPath, file string) (*vectors.File, int, error) {
	name := filepath.Base(file)
	lines, err := diffscript.ParseFile(file)
	if err != nil {
		return nil, 0, err
	}
	steps, err := vectors.Skeleton(lines)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v", name, err)
	}
	srv, err := startServer(serverPath)
	if err != nil {
		return nil, 0, err
	}
	defer srv.stop()
	conns := map[string]*conn{}
	defer func() {
		for _, c := range conns {
			_ = c.nc.Close()
		}
	}()
	get := func(n string) (*conn, error) {
		if c, ok := conns[n]; ok {
			return c, nil
		}
		c, err := dial(srv.addr)
		if err != nil {
			return nil, err
		}
		conns[n] = c
		return c, nil
	}
	text := map[int]string{}
	for _, l := range lines {
		text[l.No] = l.Text
	}
	replies := 0
	for i := range steps {
		s := &steps[i]
		where := fmt.Sprintf("%s:%d: %s", name, s.Line, text[s.Line])
		if s.Op == vectors.OpSleep {
			time.Sleep(time.Duration(s.Ms) * time.Millisecond)
			continue
		}
		c, err := get(s.Conn)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", where, err)
		}
		var r vectors.Reply
		switch s.Op {
		case vectors.OpSend:
			if err := srv.sendAndWait(c, argvOf(s)); err != nil {
				return nil, 0, fmt.Errorf("%s: %v", where, err)
			}
			continue
		case vectors.OpRecv:
			r, err = c.read()
		case vectors.OpCommand:
			r, err = c.do(argvOf(s))
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", where, err)
		}
		if s.Op == vectors.OpCommand {
			c.track(argvOf(s), r)
		}
		if c.proto == 3 {
			s.Resp = 3
		}
		switch s.Compare {
		case vectors.CompareNone:
			continue
		case vectors.CompareType:
			sh := vectors.ShapeOf(r)
			s.Shape = &sh
		case vectors.CompareSort, vectors.CompareSortPairs:
			cr := vectors.Canonical(r, s.Compare == vectors.CompareSortPairs)
			s.Reply = &cr
		default:
			s.Reply = &r
		}
		replies++
	}
	return &vectors.File{Script: name, Requires: diffscript.Requires(lines), Steps: steps}, replies, nil
}

func argvOf(s *vectors.Step) [][]byte {
	out := make([][]byte, len(s.Argv))
	for i, a := range s.Argv {
		out[i] = a
	}
	return out
}

type server struct {
	cmd  *exec.Cmd
	dir  string
	addr string
	info *conn // for INFO clients while a sent command may be blocking
}

func startServer(path string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	dir, err := os.MkdirTemp("", "genvectors")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no", "--loglevel", "warning")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &server{cmd: cmd, dir: dir, addr: "127.0.0.1:" + strconv.Itoa(port)}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", s.addr)
		if err == nil {
			_ = c.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("redis-server did not start on %s", s.addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) stop() {
	if s.info != nil {
		_ = s.info.nc.Close()
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	_ = os.RemoveAll(s.dir)
}

// sendAndWait sends a command without reading its reply, then waits until
// it either answered or is blocked (INFO's blocked_clients grew): the
// scripts' !sleep after a !send gives the same order on a quiet machine,
// this gives it on a loaded one.
func (s *server) sendAndWait(c *conn, argv [][]byte) error {
	if s.info == nil {
		ic, err := dial(s.addr)
		if err != nil {
			return err
		}
		s.info = ic
	}
	before, err := s.blocked()
	if err != nil {
		return err
	}
	if err := c.write(argv); err != nil {
		return err
	}
	deadline := time.Now().Add(replyTimeout)
	for time.Now().Before(deadline) {
		if c.answered() {
			return nil
		}
		n, err := s.blocked()
		if err != nil {
			return err
		}
		if n > before {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("the command neither answered nor blocked within %v", replyTimeout)
}

var blockedRE = regexp.MustCompile(`(?m)^blocked_clients:(\d+)\r?$`)

func (s *server) blocked() (int, error) {
	r, err := s.info.do([][]byte{[]byte("INFO"), []byte("clients")})
	if err != nil {
		return 0, err
	}
	m := blockedRE.FindSubmatch(r.Str)
	if m == nil {
		return 0, fmt.Errorf("no blocked_clients in INFO clients: %q", r.Str)
	}
	return strconv.Atoi(string(m[1]))
}

// conn is one client connection and the protocol it speaks.
type conn struct {
	nc    net.Conn
	br    *bufio.Reader
	proto int
}

func dial(addr string) (*conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &conn{nc: nc, br: bufio.NewReader(nc), proto: 2}, nil
}

func (c *conn) write(argv [][]byte) error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(replyTimeout))
	_, err := c.nc.Write(resp.EncodeCommand(argv...))
	return err
}

func (c *conn) read() (vectors.Reply, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(replyTimeout))
	return vectors.ReadReply(c.br)
}

func (c *conn) do(argv [][]byte) (vectors.Reply, error) {
	if err := c.write(argv); err != nil {
		return vectors.Reply{}, err
	}
	return c.read()
}

// answered reports whether a reply (or its first byte) has arrived.
func (c *conn) answered() bool {
	if c.br.Buffered() > 0 {
		return true
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(time.Millisecond))
	_, err := c.br.Peek(1)
	return err == nil
}

// track follows the protocol of the connection: a successful HELLO sets
// it, RESET goes back to RESP2.
func (c *conn) track(argv [][]byte, r vectors.Reply) {
	switch {
	case bytes.EqualFold(argv[0], []byte("hello")) && (r.Kind == vectors.KindMap || r.Kind == vectors.KindArray):
		if len(argv) > 1 {
			if p, err := strconv.Atoi(string(argv[1])); err == nil {
				c.proto = p
			}
		}
	case bytes.EqualFold(argv[0], []byte("reset")) && r.Kind == vectors.KindStatus:
		c.proto = 2
	}
}
