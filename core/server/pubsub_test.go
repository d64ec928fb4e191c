package server_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// infoField reads one INFO field through a fresh raw connection.
func infoField(t testing.TB, addr, section, field string) string {
	t.Helper()
	c := dialRaw(t, addr)
	defer c.nc.Close()
	_, v := c.do("INFO", section)
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok && k == field {
			return val
		}
	}
	t.Fatalf("INFO %s has no %s", section, field)
	return ""
}

// A client that disconnects while blocked is noticed at once: its blocked
// command ends and the session is freed, as Redis frees such a client.
func TestBlockedClientDisconnectIsCleanedUp(t *testing.T) {
	addr, _ := startRedlite(t)
	c := dialRaw(t, addr)
	c.send(resp.EncodeCommand([]byte("BLPOP"), []byte("q"), []byte("0")))
	require.Eventually(t, func() bool { return infoField(t, addr, "clients", "blocked_clients") == "1" },
		5*time.Second, 5*time.Millisecond)
	require.NoError(t, c.nc.Close())
	require.Eventually(t, func() bool {
		return infoField(t, addr, "clients", "blocked_clients") == "0" &&
			infoField(t, addr, "clients", "connected_clients") == "1"
	}, 5*time.Second, 5*time.Millisecond)
	// The push that follows is not lost to the departed client.
	p := dialRaw(t, addr)
	_, v := p.do("LPUSH", "q", "x")
	require.EqualValues(t, 1, v.Int)
	_, v = p.do("LLEN", "q")
	require.EqualValues(t, 1, v.Int)
}

// Commands pipelined behind a blocking one wait for it and are not lost
// while the server watches the socket.
func TestBlockedClientPipelinedCommandsKept(t *testing.T) {
	addr, _ := startRedlite(t)
	c := dialRaw(t, addr)
	c.send([]byte("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n"))
	time.Sleep(50 * time.Millisecond)
	c.send([]byte("*1\r\n$4\r\nPING\r\n"))
	_, _, ok := c.readTimeout(100 * time.Millisecond)
	require.False(t, ok, "BLPOP answered before anything was pushed")
	p := dialRaw(t, addr)
	p.do("RPUSH", "q", "v")
	raw, _ := c.read()
	require.Equal(t, "*2\r\n$1\r\nq\r\n$1\r\nv\r\n", string(raw))
	raw, _ = c.read()
	require.Equal(t, "$5\r\nafter\r\n", string(raw))
	raw, _ = c.read()
	require.Equal(t, "+PONG\r\n", string(raw))
}

// A pipelined multi-channel SUBSCRIBE answers every confirmation before the
// next command's reply.
func TestPipelinedSubscribeOrder(t *testing.T) {
	addr, _ := startRedlite(t)
	c := dialRaw(t, addr)
	c.send([]byte("SUBSCRIBE a b\r\nPING\r\nUNSUBSCRIBE a b\r\nPING\r\n"))
	want := []string{
		"*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n",
		"*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n",
		"*2\r\n$4\r\npong\r\n$0\r\n\r\n",
		"*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n",
		"*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n",
		"+PONG\r\n",
	}
	for _, w := range want {
		raw, _ := c.read()
		require.Equal(t, w, string(raw))
	}
}

// A subscriber that reads slowly gets every message, in order, as long as
// its backlog stays under the pubsub output buffer limit.
func TestSlowSubscriberLosesNothing(t *testing.T) {
	addr, _ := startRedlite(t)
	sub := dialRaw(t, addr)
	sub.do("SUBSCRIBE", "ch")
	pub := dialRaw(t, addr)
	const n = 5000
	payload := strings.Repeat("x", 200)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			pub.send(resp.EncodeCommand([]byte("PUBLISH"), []byte("ch"), []byte(strconv.Itoa(i)+":"+payload)))
		}
	}()
	for i := 0; i < n; i++ {
		if i%500 == 0 {
			time.Sleep(20 * time.Millisecond) // a slow reader
		}
		_, v := sub.read()
		require.Len(t, v.Elems, 3)
		require.Equal(t, strconv.Itoa(i)+":"+payload, string(v.Elems[2].Str))
	}
	<-done
	for i := 0; i < n; i++ {
		_, v := pub.read()
		require.EqualValues(t, 1, v.Int)
	}
}

// A subscriber that does not read at all passes the pubsub hard limit and
// is disconnected, as Redis does; PUBLISH never waits for it.
func TestStalledSubscriberIsDisconnected(t *testing.T) {
	addr, _ := startRedlite(t)
	admin := dialRaw(t, addr)
	_, v := admin.do("CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 128kb 60")
	require.Equal(t, "OK", string(v.Str))
	sub := dialRaw(t, addr)
	sub.do("SUBSCRIBE", "ch")
	if tc, ok := sub.nc.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4096) // keep the kernel from absorbing the backlog
	}
	big := strings.Repeat("y", 64<<10)
	start := time.Now()
	published := 0
	for time.Since(start) < 10*time.Second {
		_, v := admin.do("PUBLISH", "ch", big)
		published++
		if v.Int == 0 {
			break // the subscriber was dropped
		}
	}
	require.Less(t, time.Since(start), 10*time.Second, "a stalled subscriber was never disconnected")
	t.Logf("disconnected after %d messages of 64 KiB, in %v", published, time.Since(start))
	// The dropped subscriber stops counting once its connection is torn
	// down, which happens just after the PUBLISH that overflowed it (Redis
	// also frees such a client asynchronously).
	require.Eventually(t, func() bool {
		_, v := admin.do("PUBSUB", "NUMSUB", "ch")
		return v.Elems[1].Int == 0
	}, 5*time.Second, 5*time.Millisecond)
	// The server closed the connection: only the admin's (and the one
	// infoField opens) remain.
	require.Eventually(t, func() bool { return infoField(t, addr, "clients", "connected_clients") == "2" },
		5*time.Second, 5*time.Millisecond)
}

// go-redis' PubSub over RESP3 (pushes) and RESP2: PSUBSCRIBE patterns see
// messages published by another client, through a real client library.
func TestGoRedisPubSub(t *testing.T) {
	addr, _ := startRedlite(t)
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		t.Run("RESP"+strconv.Itoa(proto), func(t *testing.T) {
			rc := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto})
			defer rc.Close()
			ps := rc.PSubscribe(ctx, "news.*")
			defer ps.Close()
			_, err := ps.Receive(ctx)
			require.NoError(t, err)
			ch := ps.Channel()
			for i := 0; i < 3; i++ {
				n, err := rc.Publish(ctx, fmt.Sprintf("news.%d", i), "m"+strconv.Itoa(i)).Result()
				require.NoError(t, err)
				require.EqualValues(t, 1, n)
			}
			for i := 0; i < 3; i++ {
				select {
				case m := <-ch:
					require.Equal(t, "news.*", m.Pattern)
					require.Equal(t, fmt.Sprintf("news.%d", i), m.Channel)
					require.Equal(t, "m"+strconv.Itoa(i), m.Payload)
				case <-time.After(5 * time.Second):
					t.Fatal("message not delivered")
				}
			}
		})
	}
}

// A message published while the subscriber's connection is idle is pushed
// at once (no command from the subscriber needed).
func TestPushToIdleConnectionIsPrompt(t *testing.T) {
	addr, _ := startRedlite(t)
	sub := dialRaw(t, addr)
	sub.do("SUBSCRIBE", "ch")
	pub := dialRaw(t, addr)
	for i := 0; i < 20; i++ {
		start := time.Now()
		pub.do("PUBLISH", "ch", "m")
		_, v := sub.read()
		require.Equal(t, "message", string(v.Elems[0].Str))
		require.Less(t, time.Since(start), time.Second)
	}
}
