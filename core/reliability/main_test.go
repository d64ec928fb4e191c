// Package reliability_test holds the tests that need processes of their
// own: SIGKILL crash safety, several processes on one file, and resource
// baselines. The test binary re-executes itself as the embedded child
// processes (see TestMain) and builds the redlite server binary once.
package reliability_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// childEnv, when set, makes the test binary run as a child process of the
// named kind instead of running tests.
const childEnv = "REDLITE_RELIABILITY_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
	case "crash":
		os.Exit(crashChild())
	case "concurrent":
		os.Exit(concurrentChild())
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, os.Getenv(childEnv))
		os.Exit(2)
	}
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// childCommand prepares this test binary to run as a child of kind.
func childCommand(kind string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+kind), env...)
	cmd.Stderr = os.Stderr
	return cmd
}

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// serverBinary builds cmd/redlite once per test run: the crash and
// concurrency tests run the real server binary, as users do.
func serverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "redlite-reliability-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "redlite")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/redlite/redlite/core/cmd/redlite").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build cmd/redlite: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

var servingRe = regexp.MustCompile(`serving .* on (127\.0\.0\.1:\d+)`)

// serverProcess is the redlite binary running as its own process.
type serverProcess struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{} // closed when the process has exited
}

// startServer runs the server binary on path with a free loopback port
// and waits until it serves.
func startServer(t *testing.T, path, durability string) *serverProcess {
	t.Helper()
	cmd := exec.Command(serverBinary(t), "--db", path, "--addr", "127.0.0.1:0", "--durability", durability)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &serverProcess{cmd: cmd, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	select {
	case p.addr = <-addrc:
		return p
	case <-p.done:
		t.Fatalf("the server exited before serving")
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not start")
	}
	return nil
}

func (p *serverProcess) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop asks the server to shut down as SIGTERM does and waits.
func (p *serverProcess) stop(t *testing.T) {
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not stop")
	}
}

// doer runs one command: a network client or an embedded session.
type doer interface {
	do(argv ...string) (resp.Value, error)
}

// netClient is a minimal RESP client over one connection.
type netClient struct {
	nc net.Conn
	br *bufio.Reader
}

func dial(addr string) (*netClient, error) {
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &netClient{nc: nc, br: bufio.NewReader(nc)}, nil
}

func (c *netClient) do(argv ...string) (resp.Value, error) {
	bs := make([][]byte, len(argv))
	for i, a := range argv {
		bs[i] = []byte(a)
	}
	_ = c.nc.SetDeadline(time.Now().Add(120 * time.Second))
	if _, err := c.nc.Write(resp.EncodeCommand(bs...)); err != nil {
		return resp.Value{}, err
	}
	_, v, err := resp.ReadReply(c.br)
	return v, err
}

func (c *netClient) close() { _ = c.nc.Close() }

// sessionDoer runs commands on an embedded session.
type sessionDoer struct{ s *core.Session }

func (d sessionDoer) do(argv ...string) (resp.Value, error) {
	bs := make([][]byte, len(argv))
	for i, a := range argv {
		bs[i] = []byte(a)
	}
	return d.s.DoContext(context.Background(), bs), nil
}

// has reports whether this build's command table has every named command:
// the workloads use what exists and name what they leave out.
func has(names ...string) bool {
	for _, n := range names {
		if core.LookupCommand([]byte(n)) == nil {
			return false
		}
	}
	return true
}

// errText renders an error reply, or "" for any other reply.
func errText(v resp.Value) string {
	if v.Kind == resp.Error {
		return string(v.Str)
	}
	return ""
}

func str(v resp.Value) string { return string(v.Str) }
