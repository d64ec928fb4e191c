package server_test

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/internal/stress"
	"github.com/redlite/redlite/core/resp"
)

// both runs the same setup commands on redis-server and redlite.
func both(t *testing.T, addrs []string, argv ...string) {
	t.Helper()
	for _, addr := range addrs {
		raw, _ := dialRaw(t, addr).do(argv...)
		require.Equal(t, "+OK\r\n", string(raw), "%s %q", addr, argv)
	}
}

// answer sends payload and then PING, and reads until the PONG (the
// connection is still open: the PONG is not returned) or until the server
// closes the connection (a reset counts: it closed with input unread).
func answer(t *testing.T, addr string, payload []byte) (string, bool) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	msg := append(append([]byte{}, payload...), "PING\r\n"...)
	go func() { _, _ = nc.Write(msg) }()
	var out []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := nc.Read(buf)
		out = append(out, buf[:n]...)
		if s, open := strings.CutSuffix(string(out), "+PONG\r\n"); open {
			return s, false
		}
		if err != nil {
			var ne net.Error
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "no answer from %s", addr)
			return string(out), true
		}
	}
}

// TestQueryBufferLimit: a client whose pending request outgrows
// client-query-buffer-limit is dropped without a reply, by both servers;
// a request under the limit is served; other clients never notice.
func TestQueryBufferLimit(t *testing.T) {
	addrs := []string{startRedis(t), ""}
	addrs[1], _ = startRedlite(t)
	both(t, addrs, "CONFIG", "SET", "client-query-buffer-limit", "1mb")
	over := cmd("SET", "k", strings.Repeat("x", 2<<20))
	under := cmd("SET", "k", strings.Repeat("x", 900<<10))
	for _, addr := range addrs {
		good := dialRaw(t, addr)
		out, closed := answer(t, addr, over)
		assert.Equal(t, "", out, addr)
		assert.True(t, closed, addr)
		out, closed = answer(t, addr, under)
		assert.Equal(t, "+OK\r\n", out, addr)
		assert.False(t, closed, addr)
		raw, _ := good.do("STRLEN", "k")
		assert.Equal(t, fmt.Sprintf(":%d\r\n", 900<<10), string(raw), addr)
	}
}

// TestProtoMaxBulkLenConfigSet: CONFIG SET proto-max-bulk-len takes effect
// for requests (one byte over is a protocol error) and for the size a
// string may grow to, as in Redis.
func TestProtoMaxBulkLenConfigSet(t *testing.T) {
	addrs := []string{startRedis(t), ""}
	addrs[1], _ = startRedlite(t)
	both(t, addrs, "CONFIG", "SET", "proto-max-bulk-len", "1mb")
	var answers [2][]string
	for i, addr := range addrs {
		for _, payload := range [][]byte{
			cmd("SET", "k", strings.Repeat("x", 1<<20+1)),
			cmd("SET", "k", strings.Repeat("x", 1<<20)),
			cmds([]string{"STRLEN", "k"}, []string{"APPEND", "k", "y"}, []string{"SETRANGE", "k", "1048576", "y"},
				[]string{"SETRANGE", "k", "1048575", "y"}, []string{"SETBIT", "b", "8388608", "1"},
				[]string{"SETBIT", "b", "8388607", "1"}, []string{"STRLEN", "b"}, []string{"CONFIG", "GET", "proto-max-bulk-len"}),
		} {
			out, closed := answer(t, addr, payload)
			answers[i] = append(answers[i], fmt.Sprintf("%q closed=%v", out, closed))
		}
	}
	assert.Equal(t, answers[0], answers[1])
	assert.Contains(t, answers[1][0], "invalid bulk length")
}

// TestOutputBufferLimitNormal: with client-output-buffer-limit "normal
// 1mb 0 0" a reply bigger than 1 MB (one big value, or a pipeline of
// replies) gets the client dropped by both servers; smaller ones pass.
func TestOutputBufferLimitNormal(t *testing.T) {
	addrs := []string{startRedis(t), ""}
	addrs[1], _ = startRedlite(t)
	for _, addr := range addrs {
		c := dialRaw(t, addr)
		for _, argv := range [][]string{{"SET", "big", strings.Repeat("b", 2<<20)}, {"SET", "mid", strings.Repeat("m", 32<<10)},
			{"SET", "small", strings.Repeat("s", 512<<10)}} {
			raw, _ := c.do(argv...)
			require.Equal(t, "+OK\r\n", string(raw))
		}
	}
	both(t, addrs, "CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0")
	var pipeline [][]string
	for i := 0; i < 64; i++ {
		pipeline = append(pipeline, []string{"GET", "mid"})
	}
	for _, addr := range addrs {
		out, closed := answer(t, addr, cmd("GET", "big"))
		assert.Equal(t, "", out, addr)
		assert.True(t, closed, addr)
		out, closed = answer(t, addr, cmds(pipeline...))
		assert.True(t, closed, "%s: 64 x 32 KB of pipelined replies", addr)
		assert.Less(t, len(out), 1<<20, addr)
		out, closed = answer(t, addr, cmd("GET", "small"))
		assert.Equal(t, 512<<10+len("$524288\r\n\r\n"), len(out), addr)
		assert.False(t, closed, addr)
	}
}

// raiseFDLimit lifts the soft open-files limit to the hard one, so both
// ends of n connections fit.
func raiseFDLimit(t *testing.T, n uint64) {
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	if lim.Cur >= n {
		return
	}
	if lim.Max < n {
		t.Fatalf("the open-files hard limit %d is below the %d this test needs", lim.Max, n)
	}
	old := lim.Cur
	lim.Cur = lim.Max
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim))
	t.Cleanup(func() {
		lim.Cur = old
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	})
}

// TestLoadThousandConnections opens 1,000 connections at once (loopback),
// then has every one run rounds of string, hash and counter commands
// concurrently: no connection is refused, every reply is exactly the
// expected one, and the shared counter ends at the number of increments.
func TestLoadThousandConnections(t *testing.T) {
	const conns = 1000
	rounds := stress.Pick(5, 50)
	raiseFDLimit(t, 2*conns+256)
	addr, db := startRedlite(t)
	deadline := time.Now().Add(3 * time.Minute)

	clients := make([]net.Conn, conns)
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for w := 0; w < 20; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < conns; i += 20 {
				nc, err := net.DialTimeout("tcp", addr, 30*time.Second)
				if err != nil {
					errs <- err
					return
				}
				_ = nc.SetDeadline(deadline)
				clients[i] = nc
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		for _, nc := range clients {
			_ = nc.Close()
		}
	})
	// Every connection is open at the same time.
	probe := dialRaw(t, addr)
	require.Eventually(t, func() bool {
		raw, _ := probe.do("INFO", "clients")
		return strings.Contains(string(raw), fmt.Sprintf("connected_clients:%d\r\n", conns+1))
	}, 30*time.Second, 50*time.Millisecond)

	start := make(chan struct{})
	failures := make(chan string, conns)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			nc := clients[i]
			br := bufio.NewReader(nc)
			<-start
			for r := 0; r < rounds; r++ {
				key, val := fmt.Sprintf("load:%d", i), fmt.Sprintf("v%d-%d", i, r)
				for _, step := range []struct {
					argv []string
					want string
				}{
					{[]string{"SET", key, val}, "+OK\r\n"},
					{[]string{"GET", key}, fmt.Sprintf("$%d\r\n%s\r\n", len(val), val)},
					{[]string{"HSET", "loadh:" + key, "f", val}, []string{":1\r\n", ":0\r\n"}[min(r, 1)]},
					{[]string{"HINCRBY", "loadh:" + key, "n", "2"}, fmt.Sprintf(":%d\r\n", 2*(r+1))},
					{[]string{"INCR", "load:total"}, ""},
				} {
					bs := make([][]byte, len(step.argv))
					for k, a := range step.argv {
						bs[k] = []byte(a)
					}
					if _, err := nc.Write(resp.EncodeCommand(bs...)); err != nil {
						failures <- fmt.Sprintf("conn %d: write: %v", i, err)
						return
					}
					raw, v, err := resp.ReadReply(br)
					if err != nil {
						failures <- fmt.Sprintf("conn %d: read: %v", i, err)
						return
					}
					if (step.want != "" && string(raw) != step.want) || v.Kind == resp.Error {
						failures <- fmt.Sprintf("conn %d %q: got %q want %q", i, step.argv, raw, step.want)
						return
					}
				}
			}
		}(i)
	}
	began := time.Now()
	close(start)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	raw, _ := probe.do("GET", "load:total")
	total := conns * rounds
	assert.Equal(t, fmt.Sprintf("$%d\r\n%d\r\n", len(fmt.Sprint(total)), total), string(raw))
	require.NoError(t, db.Check())
	t.Logf("%d connections x %d rounds: %d replies checked in %v", conns, rounds, conns*rounds*5, time.Since(began))
	require.NoError(t, stress.Report("load replies checked", int64(conns*rounds*5)))
}

// TestOutputBufferSoftLimits: a client whose output stays over the soft
// limit of its class (normal: replies; pubsub: messages) for longer than
// soft-seconds is disconnected by both servers, with no hard limit set; a
// client that takes its output promptly is not, though each reply or burst
// passes the soft limit for a moment.
func TestOutputBufferSoftLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for soft limits to expire")
	}
	addrs := []string{startRedis(t), ""}
	addrs[1], _ = startRedlite(t)
	big := strings.Repeat("b", 1<<20)
	for _, addr := range addrs {
		raw, _ := dialRaw(t, addr).do("SET", "big", big)
		require.Equal(t, "+OK\r\n", string(raw))
	}
	both(t, addrs, "CONFIG", "SET", "client-output-buffer-limit", "normal 0 256kb 1 pubsub 0 256kb 1")
	for _, addr := range addrs {
		raw, _ := dialRaw(t, addr).do("CONFIG", "GET", "client-output-buffer-limit")
		require.Contains(t, string(raw), "normal 0 262144 1 slave 268435456 67108864 60 pubsub 0 262144 1", addr)
	}
	clients := func(addr string) string { return infoField(t, addr, "clients", "connected_clients") }

	for _, addr := range addrs {
		// Prompt: five 1 MB replies back to back, each read at once.
		c := dialRaw(t, addr)
		for i := 0; i < 5; i++ {
			_, v := c.do("GET", "big")
			require.Len(t, v.Str, 1<<20, addr)
		}

		// Stalled: asks for more and reads nothing.
		base := clients(addr)
		stalled := dialRaw(t, addr)
		if tc, ok := stalled.nc.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096) // keep the kernel from absorbing the backlog
		}
		start := time.Now()
		for clients(addr) != base {
			require.Less(t, time.Since(start), 15*time.Second, "%s: a stalled client over the soft limit was never disconnected", addr)
			_, _ = stalled.nc.Write(resp.EncodeCommand([]byte("GET"), []byte("big")))
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("%s: stalled client disconnected after %v", addr, time.Since(start))
		require.Greater(t, time.Since(start), time.Second, addr)
	}

	payload := strings.Repeat("m", 64<<10)
	for _, addr := range addrs {
		pub := dialRaw(t, addr)
		// Prompt: a subscriber reading as fast as messages come keeps its
		// subscription through bursts over the soft limit.
		sub := dialRaw(t, addr)
		sub.do("SUBSCRIBE", "prompt")
		got := make(chan int)
		go func() {
			n := 0
			for n < 200 {
				if _, _, ok := sub.readTimeout(10 * time.Second); !ok {
					break
				}
				n++
			}
			got <- n
		}()
		for i := 0; i < 200; i++ {
			_, v := pub.do("PUBLISH", "prompt", payload)
			require.EqualValues(t, 1, v.Int, "%s: message %d", addr, i)
		}
		require.Equal(t, 200, <-got, addr)

		// Stalled: dropped once over the soft limit for more than a second.
		stalled := dialRaw(t, addr)
		stalled.do("SUBSCRIBE", "stalled")
		if tc, ok := stalled.nc.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		start := time.Now()
		for {
			_, v := pub.do("PUBLISH", "stalled", payload)
			if v.Int == 0 {
				break
			}
			require.Less(t, time.Since(start), 15*time.Second, "%s: a stalled subscriber over the soft limit was never dropped", addr)
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("%s: stalled subscriber dropped after %v", addr, time.Since(start))
		require.Greater(t, time.Since(start), time.Second, addr)
	}
}
