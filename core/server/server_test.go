package server_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/server"
)

// exchange sends raw bytes and returns everything the server answers until
// it closes the connection or stays quiet for a moment.
func exchange(t *testing.T, addr string, payload []byte) []byte {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	_, err = nc.Write(payload)
	require.NoError(t, err)
	var out bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		_ = nc.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := nc.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			return out.Bytes()
		}
	}
}

// TestProtocolErrorsMatchRedis sends malformed requests to both servers: the
// error texts must be identical and the connection closed the same way.
func TestProtocolErrorsMatchRedis(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, _ := startRedlite(t)
	cases := map[string][]byte{
		"bad multibulk count":      []byte("*abc\r\n"),
		"huge multibulk count":     []byte("*99999999999\r\n"),
		"negative bulk length":     []byte("*1\r\n$-5\r\n"),
		"bad bulk length":          []byte("*1\r\n$x\r\n"),
		"bulk over the limit":      []byte("*1\r\n$600000000\r\n"),
		"expected dollar":          []byte("*1\r\n:5\r\n"),
		"unbalanced quotes":        []byte("SET \"a b\r\n"),
		"quote not followed by sp": []byte("SET \"a\"b c\r\n"),
		"empty multibulk":          []byte("*0\r\nPING\r\n"),
		"inline":                   []byte("SET a b\r\nGET a\r\n"),
		"inline with quotes":       []byte("SET 'x y' \"\\x41\\n\"\r\nGET 'x y'\r\n"),
		"blank inline lines":       []byte("\r\n\r\nPING\r\n"),
		"pipeline then error":      []byte("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n"),
		"pipeline reply off":       []byte("SET p1 1\r\nCLIENT REPLY OFF\r\nSET p2 2\r\nCLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nGET p2\r\nCLIENT REPLY SKIP\r\nGET p1\r\nGET p2\r\n"),
		"pipeline multi":           []byte("MULTI\r\nSET m 1\r\nINCR m\r\nEXEC\r\nGET m\r\nMULTI\r\nGET\r\nEXEC\r\n"),
		"pipeline select":          []byte("SELECT 1\r\nSET sel 1\r\nSELECT 0\r\nGET sel\r\nSELECT 1\r\nGET sel\r\n"),
		"pipeline quit":            []byte("SET q 1\r\nQUIT\r\nSET q 2\r\n"),
		"pipeline errors":          []byte("SET e 1\r\nINCR e\r\nLPOPX e\r\nGET e x\r\nAPPEND e 0\r\nGET e\r\n"),
	}
	for name, payload := range cases {
		t.Run(name, func(t *testing.T) {
			want := exchange(t, redisAddr, payload)
			got := exchange(t, liteAddr, payload)
			assert.Equal(t, string(want), string(got))
		})
	}
	// QUIT stopped the pipeline: the SET after it never ran.
	assert.Equal(t, "$1\r\n1\r\n", string(exchange(t, liteAddr, []byte("GET q\r\n"))))
}

func TestTooBigInlineRequest(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, _ := startRedlite(t)
	payload := bytes.Repeat([]byte("a"), 70<<10)
	want := exchange(t, redisAddr, payload)
	got := exchange(t, liteAddr, payload)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, string(got), "too big inline request")
}

func TestServerSurvivesBadClients(t *testing.T) {
	addr, _ := startRedlite(t)
	good := dialRaw(t, addr)
	for _, payload := range []string{"*-1\r\n", "*1\r\n$-1\r\n", "*2\r\n$3\r\nGET\r\n$1", "\x00\xff\xfe", "*1000000\r\n"} {
		_ = exchange(t, addr, []byte(payload))
	}
	raw, _ := good.do("PING")
	assert.Equal(t, "+PONG\r\n", string(raw))
}

func TestPipelining(t *testing.T) {
	addr, _ := startRedlite(t)
	c := dialRaw(t, addr)
	var req bytes.Buffer
	const n = 2000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&req, "*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$1\r\nv\r\n", len(fmt.Sprint(i))+1, i)
		fmt.Fprintf(&req, "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")
	}
	c.send(req.Bytes())
	for i := 0; i < n; i++ {
		raw, _ := c.read()
		require.Equal(t, "+OK\r\n", string(raw))
		raw, _ = c.read()
		require.Equal(t, fmt.Sprintf(":%d\r\n", i+1), string(raw))
	}
	raw, _ := c.do("DBSIZE")
	assert.Equal(t, fmt.Sprintf(":%d\r\n", n+1), string(raw))
}

func TestRedisCLI(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Fatalf("redis-cli not found: run `make deps`")
	}
	addr, _ := startRedlite(t)
	host, port, _ := net.SplitHostPort(addr)
	run := func(args ...string) string {
		out, err := exec.Command(cli, append([]string{"-h", host, "-p", port}, args...)...).CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.TrimSpace(string(out))
	}
	assert.Equal(t, "OK", run("SET", "a", "b"))
	assert.Equal(t, "b", run("GET", "a"))
	assert.Equal(t, "(integer) 1", run("--no-raw", "DBSIZE"))
	assert.Equal(t, "PONG", run("PING"))
	assert.Contains(t, run("INFO", "server"), "redis_version:"+core.RedisVersion)
}

func TestGoRedisClient(t *testing.T) {
	addr, _ := startRedlite(t)
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto})
		require.NoError(t, c.Set(ctx, "k", "v", time.Minute).Err())
		v, err := c.Get(ctx, "k").Result()
		require.NoError(t, err)
		assert.Equal(t, "v", v)
		_, err = c.Get(ctx, "missing").Result()
		assert.ErrorIs(t, err, redis.Nil)
		n, err := c.Incr(ctx, "counter").Result()
		require.NoError(t, err)
		assert.Equal(t, int64(proto-1), n)
		pipe := c.Pipeline()
		for i := 0; i < 100; i++ {
			pipe.Set(ctx, fmt.Sprint("p", i), i, 0)
		}
		_, err = pipe.Exec(ctx)
		require.NoError(t, err)
		require.NoError(t, c.Close())
	}
}

func TestPasswordRequired(t *testing.T) {
	addr, _ := startRedlite(t, func(_ *core.Options, o *server.Options) { o.Password = "s3cret" })
	c := dialRaw(t, addr)
	raw, _ := c.do("GET", "a")
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", string(raw))
	raw, _ = c.do("AUTH", "wrong")
	assert.Equal(t, "-WRONGPASS invalid username-password pair or user is disabled.\r\n", string(raw))
	raw, _ = c.do("HELLO", "3")
	assert.Contains(t, string(raw), "NOAUTH HELLO must be called")
	raw, _ = c.do("AUTH", "s3cret")
	assert.Equal(t, "+OK\r\n", string(raw))
	raw, _ = c.do("SET", "a", "1")
	assert.Equal(t, "+OK\r\n", string(raw))

	c2 := dialRaw(t, addr)
	raw, _ = c2.do("HELLO", "3", "AUTH", "default", "s3cret")
	assert.Equal(t, byte('%'), raw[0])
	raw, _ = c2.do("GET", "a")
	assert.Equal(t, "$1\r\n1\r\n", string(raw))

	// Before AUTH, Redis' tighter protocol limits apply.
	got := exchange(t, addr, []byte("*20\r\n"))
	assert.Equal(t, "-ERR Protocol error: unauthenticated multibulk length\r\n", string(got))
}

func TestMaxClients(t *testing.T) {
	addr, db := startRedlite(t)
	require.NoError(t, db.Config.Set("maxclients", "2"))
	a := dialRaw(t, addr)
	b := dialRaw(t, addr)
	a.do("PING")
	b.do("PING")
	got := exchange(t, addr, []byte("PING\r\n"))
	assert.Equal(t, "-ERR max number of clients reached\r\n", string(got))
}

func TestQuitClosesConnection(t *testing.T) {
	addr, _ := startRedlite(t)
	got := exchange(t, addr, []byte("QUIT\r\nPING\r\n"))
	assert.Equal(t, "+OK\r\n", string(got))
}

func TestIdleTimeout(t *testing.T) {
	addr, db := startRedlite(t)
	require.NoError(t, db.Config.Set("timeout", "1"))
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = bufio.NewReader(nc).ReadByte()
	assert.ErrorIs(t, err, io.EOF)
	assert.Less(t, time.Since(start), 4*time.Second)
}

// TestShutdownKeepsAcknowledgedWrites: every write acknowledged before a
// graceful shutdown is in the file when it is opened again.
func TestShutdownKeepsAcknowledgedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := core.Open(core.Options{Path: path})
	require.NoError(t, err)
	srv, err := server.New(db, server.Options{Addr: "127.0.0.1:0"})
	require.NoError(t, err)
	la, err := srv.Listen()
	require.NoError(t, err)
	go func() { _ = srv.Serve() }()

	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: la.String(), PoolSize: 8})
	acked := make(chan int, 10000)
	done := make(chan struct{})
	for w := 0; w < 8; w++ {
		go func(w int) {
			for i := 0; ; i++ {
				if err := c.Set(ctx, fmt.Sprintf("w%d:%d", w, i), "v", 0).Err(); err != nil {
					done <- struct{}{}
					return
				}
				select {
				case acked <- w*1000000 + i:
				default:
				}
			}
		}(w)
	}
	time.Sleep(200 * time.Millisecond)
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Shutdown(sctx))
	require.NoError(t, db.Close())
	for w := 0; w < 8; w++ {
		<-done
	}
	_ = c.Close()
	close(acked)

	db2, err := core.Open(core.Options{Path: path})
	require.NoError(t, err)
	defer db2.Close()
	s := db2.NewSession()
	defer s.Close()
	checked := 0
	for id := range acked {
		key := fmt.Sprintf("w%d:%d", id/1000000, id%1000000)
		v := s.Do([][]byte{[]byte("GET"), []byte(key)})
		require.Equal(t, "v", string(v.Str), "acknowledged %s lost", key)
		checked++
	}
	require.Greater(t, checked, 10)
}
