package server_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
	"github.com/redlite/redlite/core/server"
)

func init() {
	// go-redis logs dial retries; the shutdown test provokes them on purpose.
	redis.SetLogger(quietLogger{})
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// startRedlite runs a redlite server on a free loopback port for the test.
func startRedlite(t testing.TB, opts ...func(*core.Options, *server.Options)) (addr string, db *core.DB) {
	t.Helper()
	dbOpts := core.Options{Path: filepath.Join(t.TempDir(), "test.db")}
	srvOpts := server.Options{Addr: "127.0.0.1:0"}
	for _, o := range opts {
		o(&dbOpts, &srvOpts)
	}
	db, err := core.Open(dbOpts)
	require.NoError(t, err)
	srv, err := server.New(db, srvOpts)
	require.NoError(t, err)
	la, err := srv.Listen()
	require.NoError(t, err)
	go func() { _ = srv.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		_ = db.Close()
	})
	return la.String(), db
}

// redisServerPath finds redis-server. The differential suite needs it; make
// test installs it. Without it the suite fails, unless REDLITE_SKIP_DIFF=1
// asks to skip it, which is then reported as a skip.
func redisServerPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("REDLITE_SKIP_DIFF") == "1" {
			t.Skip("REDLITE_SKIP_DIFF=1: differential tests against redis-server skipped")
		}
		t.Fatalf("redis-server not found: run `make deps` (or set REDLITE_SKIP_DIFF=1 to skip differential tests)")
	}
	return p
}

// startRedis runs a real redis-server without persistence on a free port.
func startRedis(t testing.TB, extra ...string) string {
	t.Helper()
	bin := redisServerPath(t)
	port := freePort(t)
	dir := t.TempDir()
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no", "--loglevel", "warning"}, extra...)
	cmd := exec.Command(bin, args...)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			_ = c.Close()
			return addr
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("redis-server did not start on %s", addr)
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// rawClient speaks RESP over one connection and returns raw reply bytes.
type rawClient struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

func dialRaw(t testing.TB, addr string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	return &rawClient{t: t, nc: nc, br: bufio.NewReader(nc)}
}

// do sends argv and reads one reply.
func (c *rawClient) do(argv ...string) ([]byte, resp.Value) {
	c.t.Helper()
	bs := make([][]byte, len(argv))
	for i, a := range argv {
		bs[i] = []byte(a)
	}
	return c.doBytes(bs)
}

func (c *rawClient) doBytes(argv [][]byte) ([]byte, resp.Value) {
	c.t.Helper()
	c.send(resp.EncodeCommand(argv...))
	return c.read()
}

func (c *rawClient) send(b []byte) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.nc.Write(b)
	require.NoError(c.t, err)
}

func (c *rawClient) read() ([]byte, resp.Value) {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	raw, v, err := resp.ReadReply(c.br)
	require.NoError(c.t, err, "reading reply")
	return raw, v
}

// readTimeout reads a reply, or reports false if none arrives within d.
func (c *rawClient) readTimeout(d time.Duration) ([]byte, resp.Value, bool) {
	_ = c.nc.SetReadDeadline(time.Now().Add(d))
	raw, v, err := resp.ReadReply(c.br)
	if err != nil {
		return nil, resp.Value{}, false
	}
	return raw, v, true
}

func quote(b []byte) string { return fmt.Sprintf("%q", b) }
