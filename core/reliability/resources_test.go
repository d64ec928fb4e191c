package reliability_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/internal/stress"
	"github.com/redlite/redlite/core/server"
)

// Resource safety: after thousands of connections, or of opened and
// closed embedded databases, the process holds no more file descriptors
// and goroutines than before, and its Go heap and resident memory (which
// includes SQLite's C allocations) are back near where they started.

// usage is a snapshot of what the process holds.
type usage struct {
	fds, goroutines int
	heap, rss       uint64
}

func (u usage) String() string {
	return fmt.Sprintf("%d fds, %d goroutines, heap %.1f MB, rss %.1f MB", u.fds, u.goroutines,
		float64(u.heap)/(1<<20), float64(u.rss)/(1<<20))
}

func measure(t *testing.T) usage {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	statm, err := os.ReadFile("/proc/self/statm")
	require.NoError(t, err)
	f := strings.Fields(string(statm))
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return usage{fds: len(ents), goroutines: runtime.NumGoroutine(), heap: ms.HeapAlloc, rss: pages * uint64(os.Getpagesize())}
}

// settle waits until descriptors and goroutines are back at the baseline
// (closing is asynchronous on the server side), then checks memory.
func settle(t *testing.T, base usage, what string) usage {
	var now usage
	deadline := time.Now().Add(30 * time.Second)
	for {
		now = measure(t)
		if now.fds <= base.fds && now.goroutines <= base.goroutines || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%s: before %v; after %v", what, base, now)
	require.LessOrEqual(t, now.fds, base.fds, "file descriptors leaked")
	require.LessOrEqual(t, now.goroutines, base.goroutines, "goroutines leaked")
	require.Less(t, now.heap, base.heap+8<<20, "the Go heap grew")
	require.Less(t, now.rss, base.rss+48<<20, "resident memory grew")
	return now
}

// TestResourcesConnectDisconnect connects to the server and disconnects
// again and again, in several ways: after a command, after QUIT, in the
// middle of a request, while blocked in BLPOP, while subscribed.
func TestResourcesConnectDisconnect(t *testing.T) {
	cycles := stress.Pick(1000, 10000)
	db, err := core.Open(core.Options{Path: filepath.Join(t.TempDir(), "res.db")})
	require.NoError(t, err)
	srv, err := server.New(db, server.Options{Addr: "127.0.0.1:0"})
	require.NoError(t, err)
	la, err := srv.Listen()
	require.NoError(t, err)
	go func() { _ = srv.Serve() }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		_ = db.Close()
	}()
	addr := la.String()

	variants := []string{"PING\r\n", "QUIT\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc", "SET k v\r\nGET k\r\n"}
	if has("blpop") {
		variants = append(variants, "BLPOP nothing 0\r\n")
	}
	if has("subscribe") {
		variants = append(variants, "SUBSCRIBE ch\r\n")
	}
	cycle := func(i int) {
		nc, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		payload := variants[i%len(variants)]
		_, err = nc.Write([]byte(payload))
		require.NoError(t, err)
		if strings.HasSuffix(payload, "\r\n") && !strings.HasPrefix(payload, "BLPOP") {
			_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = bufio.NewReader(nc).ReadByte()
			require.NoError(t, err, "no reply to %q", payload)
		}
		require.NoError(t, nc.Close())
	}
	for i := 0; i < 100; i++ {
		cycle(i)
	}
	base := settle(t, measure(t), "warm-up")
	for i := 0; i < cycles; i++ {
		cycle(i)
	}
	settle(t, base, fmt.Sprintf("%d connect/disconnect cycles (%d kinds)", cycles, len(variants)))
}

// TestResourcesOpenClose opens an embedded database, writes, reads and
// closes it, again and again.
func TestResourcesOpenClose(t *testing.T) {
	cycles := stress.Pick(300, 10000)
	path := filepath.Join(t.TempDir(), "oc.db")
	cycle := func(i int) {
		db, err := core.Open(core.Options{Path: path})
		require.NoError(t, err)
		s := db.NewSession()
		v := s.Do([][]byte{[]byte("INCR"), []byte("opened")})
		require.Equal(t, int64(i+1), v.Int)
		v = s.Do([][]byte{[]byte("HSET"), []byte("h"), []byte(strconv.Itoa(i % 100)), []byte("x")})
		require.False(t, v.IsError())
		s.Close()
		require.NoError(t, db.Close())
	}
	for i := 0; i < 50; i++ {
		cycle(i)
	}
	base := settle(t, measure(t), "warm-up")
	for i := 50; i < 50+cycles; i++ {
		cycle(i)
	}
	settle(t, base, fmt.Sprintf("%d open/close cycles", cycles))
}
