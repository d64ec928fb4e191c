package core

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// TESTBPOP key timeout [min] is a blocking command for these tests,
// independent of the list and sorted set families: the key holds a count
// (a string written with INCRBY); a pop takes one unit, answers the count it
// found and deletes the key at zero. With min, a count below min is left
// alone, like a key a waiter cannot use (another type, a stream entry
// already read).
func init() {
	register(&Command{Name: "testbpop", Arity: -3, Flags: FlagWrite | FlagBlocking, FirstKey: 1, LastKey: 1, Step: 1,
		Exec: ExecCustom, Group: "list", Summary: "test only", Since: "0", Complexity: "O(1)",
		Run: func(c *Call) resp.Value {
			timeout, errv, ok := ParseTimeout(c.Args[2])
			if !ok {
				return errv
			}
			key := c.Args[1]
			min := int64(1)
			if len(c.Args) > 3 {
				min, _ = strconv.ParseInt(string(c.Args[3]), 10, 64)
			}
			return c.block([][]byte{key}, timeout, func(tx *Tx) (resp.Value, bool) {
				val, found, wrong := tx.getString(key)
				if !found || wrong {
					return resp.Value{}, false
				}
				n, _ := strconv.ParseInt(string(val), 10, 64)
				if n < min {
					return resp.Value{}, false
				}
				k, _ := tx.lookup(key)
				if n <= 1 {
					tx.deleteKey(k.ID, key)
				} else {
					tx.updateString(k.ID, key, []byte(strconv.FormatInt(n-1, 10)))
				}
				return resp.IntValue(n), true
			}, resp.NilArrayValue())
		}})
}

// blockAsync runs TESTBPOP in a goroutine and returns its reply channel.
func blockAsync(s *Session, key, timeout string, extra ...string) <-chan resp.Value {
	ch := make(chan resp.Value, 1)
	go func() { ch <- do(s, append([]string{"TESTBPOP", key, timeout}, extra...)...) }()
	return ch
}

// waitBlocked waits until n sessions are blocked on key.
func waitBlocked(t testing.TB, db *DB, key string, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		db.waiters.mu.Lock()
		defer db.waiters.mu.Unlock()
		return len(db.waiters.byKey[waitKey{0, key}]) == n
	}, 5*time.Second, time.Millisecond)
}

func recvReply(t testing.TB, ch <-chan resp.Value) resp.Value {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("blocked command did not return within 5s")
		return resp.Value{}
	}
}

func TestBlockServedImmediately(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 2, do(s, "INCRBY", "k", "2"))
	expectInt(t, 2, do(s, "TESTBPOP", "k", "0"))
	expectInt(t, 1, do(s, "TESTBPOP", "k", "0"))
	require.Equal(t, resp.NilArray, do(s, "TESTBPOP", "k", "0.01").Kind)
	expectErr(t, "ERR timeout is negative", do(s, "TESTBPOP", "k", "-1"))
	expectErr(t, "ERR timeout is not a float", do(s, "TESTBPOP", "k", "x"))
}

// Waiters are served in arrival order, each in its own transaction, as long
// as the key has something left.
func TestBlockFirstComeFirstServed(t *testing.T) {
	db := openTestDB(t)
	const n = 5
	var replies []<-chan resp.Value
	for i := 0; i < n; i++ {
		s := db.NewSession()
		defer s.Close()
		replies = append(replies, blockAsync(s, "q", "0"))
		waitBlocked(t, db, "q", i+1)
	}
	p := db.NewSession()
	defer p.Close()
	// Three units: the three oldest waiters get them, in order.
	expectInt(t, 3, do(p, "INCRBY", "q", "3"))
	expectInt(t, 3, recvReply(t, replies[0]))
	expectInt(t, 2, recvReply(t, replies[1]))
	expectInt(t, 1, recvReply(t, replies[2]))
	waitBlocked(t, db, "q", 2)
	expectInt(t, 1, do(p, "INCR", "q"))
	expectInt(t, 1, recvReply(t, replies[3]))
	expectInt(t, 1, do(p, "INCR", "q"))
	expectInt(t, 1, recvReply(t, replies[4]))
	require.EqualValues(t, 0, db.blockedWaiters.Load())
}

// A waiter that cannot use the key must not stall the waiters behind it:
// the wake-up goes down the line while the key exists.
func TestBlockChainPassesOverWaiterThatFindsNothing(t *testing.T) {
	db := openTestDB(t)
	a, b, c := db.NewSession(), db.NewSession(), db.NewSession()
	defer a.Close()
	defer b.Close()
	defer c.Close()
	ra := blockAsync(a, "q", "0", "5") // needs a count of 5
	waitBlocked(t, db, "q", 1)
	rb := blockAsync(b, "q", "0")
	waitBlocked(t, db, "q", 2)
	rc := blockAsync(c, "q", "0")
	waitBlocked(t, db, "q", 3)
	p := db.NewSession()
	defer p.Close()
	expectInt(t, 1, do(p, "INCR", "q"))
	expectInt(t, 1, recvReply(t, rb))
	expectInt(t, 1, do(p, "INCR", "q"))
	expectInt(t, 1, recvReply(t, rc))
	expectInt(t, 5, do(p, "INCRBY", "q", "5"))
	expectInt(t, 5, recvReply(t, ra))
	expectBulk(t, "4", do(p, "GET", "q"))
}

func TestBlockTimeoutPrecision(t *testing.T) {
	s := newTestSession(t)
	for _, ms := range []int{20, 50, 120} {
		start := time.Now()
		v := do(s, "TESTBPOP", "none", strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64))
		elapsed := time.Since(start)
		require.Equal(t, resp.NilArray, v.Kind)
		require.GreaterOrEqual(t, elapsed, time.Duration(ms)*time.Millisecond)
		// Redis promises the timeout to within its 10 ms clock; allow for a
		// loaded test machine on top.
		require.Less(t, elapsed, time.Duration(ms)*time.Millisecond+200*time.Millisecond)
		t.Logf("timeout %d ms answered after %v", ms, elapsed)
	}
}

func TestClientUnblock(t *testing.T) {
	db := openTestDB(t)
	a, admin := db.NewSession(), db.NewSession()
	defer a.Close()
	defer admin.Close()
	id := strconv.FormatInt(a.ID, 10)
	expectInt(t, 0, do(admin, "CLIENT", "UNBLOCK", id))
	r := blockAsync(a, "k", "0")
	waitBlocked(t, db, "k", 1)
	expectInt(t, 1, do(admin, "CLIENT", "UNBLOCK", id))
	require.Equal(t, resp.NilArray, recvReply(t, r).Kind)
	r = blockAsync(a, "k", "0")
	waitBlocked(t, db, "k", 1)
	expectInt(t, 1, do(admin, "CLIENT", "UNBLOCK", id, "ERROR"))
	expectErr(t, "UNBLOCKED client unblocked via CLIENT UNBLOCK", recvReply(t, r))
	require.EqualValues(t, 0, db.blockedWaiters.Load())
}

// A waiter unblocked while it held a wake-up passes it on.
func TestClientUnblockPassesWakeUpOn(t *testing.T) {
	db := openTestDB(t)
	a, b, admin := db.NewSession(), db.NewSession(), db.NewSession()
	defer a.Close()
	defer b.Close()
	defer admin.Close()
	ra := blockAsync(a, "k", "0")
	waitBlocked(t, db, "k", 1)
	rb := blockAsync(b, "k", "0")
	waitBlocked(t, db, "k", 2)
	expectInt(t, 1, do(admin, "CLIENT", "UNBLOCK", strconv.FormatInt(a.ID, 10)))
	require.Equal(t, resp.NilArray, recvReply(t, ra).Kind)
	expectInt(t, 1, do(admin, "INCR", "k"))
	expectInt(t, 1, recvReply(t, rb))
}

func TestBlockInsideMultiDoesNotBlock(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "MULTI"))
	require.Equal(t, "QUEUED", string(do(s, "TESTBPOP", "k", "0").Str))
	start := time.Now()
	v := do(s, "EXEC")
	require.Less(t, time.Since(start), time.Second)
	require.Len(t, v.Elems, 1)
	require.Equal(t, resp.NilArray, v.Elems[0].Kind)
}

func TestBlockCancelledByContext(t *testing.T) {
	s := newTestSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan resp.Value, 1)
	go func() { ch <- s.DoContext(ctx, [][]byte{[]byte("TESTBPOP"), []byte("k"), []byte("0")}) }()
	waitBlocked(t, s.store, "k", 1)
	cancel()
	require.Equal(t, resp.NilArray, recvReply(t, ch).Kind)
	require.EqualValues(t, 0, s.store.blockedWaiters.Load())
}

func TestCloseWakesBlockedClients(t *testing.T) {
	db, err := Open(Options{Path: t.TempDir() + "/close.db"})
	require.NoError(t, err)
	var chans []<-chan resp.Value
	for i := 0; i < 3; i++ {
		chans = append(chans, blockAsync(db.NewSession(), "k", "0"))
	}
	waitBlocked(t, db, "k", 3)
	done := make(chan error, 1)
	go func() { done <- db.Close() }()
	for _, ch := range chans {
		expectErr(t, "ERR redlite: database is closed", recvReply(t, ch))
	}
	require.NoError(t, <-done)
}

// Many waiters and writers at once: every unit is served exactly once.
func TestBlockConcurrentNoLostWakeUps(t *testing.T) {
	db := openTestDB(t)
	const waiters, units = 20, 200
	var wg sync.WaitGroup
	served := make(chan int64, units)
	for i := 0; i < waiters; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := db.NewSession()
			defer s.Close()
			for {
				v := do(s, "TESTBPOP", "q", "2")
				if v.Kind != resp.Int {
					return // timed out: the work is done
				}
				served <- v.Int
			}
		}()
	}
	p := db.NewSession()
	defer p.Close()
	for i := 0; i < units; i++ {
		do(p, "INCR", "q")
	}
	wg.Wait()
	close(served)
	require.Len(t, served, units)
	expectNil(t, do(p, "GET", "q"))
}

func TestBlockedClientFlag(t *testing.T) {
	db := openTestDB(t)
	a, admin := db.NewSession(), db.NewSession()
	defer a.Close()
	defer admin.Close()
	r := blockAsync(a, "k", "0")
	waitBlocked(t, db, "k", 1)
	require.Contains(t, string(do(admin, "CLIENT", "LIST").Str), "flags=b ")
	require.Contains(t, string(do(admin, "INFO", "clients").Str), "blocked_clients:1\r\n")
	do(admin, "INCR", "k")
	expectInt(t, 1, recvReply(t, r))
	require.NotContains(t, string(do(admin, "CLIENT", "LIST").Str), "flags=b ")
}
