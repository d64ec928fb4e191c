package core

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// Cross-process signals are tested two ways: with a second DB handle on the
// same file in this process (it shares nothing in memory with the first,
// exactly like another process), and with a real child process: the test
// binary re-executed with xprocHelperEnv set.

const xprocHelperEnv = "REDLITE_XPROC_HELPER"

// TestXProcHelper is the child process' body; it does nothing in a normal run.
func TestXProcHelper(t *testing.T) {
	path := os.Getenv(xprocHelperEnv)
	if path == "" {
		t.Skip("helper process for the cross-process tests")
	}
	db, err := Open(Options{Path: path})
	require.NoError(t, err)
	defer db.Close()
	s := db.NewSession()
	defer s.Close()
	now := strconv.FormatInt(time.Now().UnixNano(), 10)
	switch os.Getenv(xprocHelperEnv + "_DO") {
	case "push":
		expectOK(t, do(s, "SET", "pushed-at", now))
		do(s, "INCR", "q")
	case "publish":
		db.Publish([]byte("xchan"), []byte(now))
	case "set-counter":
		// Read, then write, so a kept read transaction of the parent's
		// would be behind: the parent must see the new value at once.
		v := do(s, "GET", "counter")
		n, _ := strconv.Atoi(string(v.Str))
		expectOK(t, do(s, "SET", "counter", strconv.Itoa(n+1)))
	case "create-delete":
		expectOK(t, do(s, "SET", "watched", now))
		expectInt(t, 1, do(s, "DEL", "watched"))
	}
}

func openPair(t *testing.T) (a, b *DB, path string) {
	path = filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(Options{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	b, err = Open(Options{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return a, b, path
}

// startHelper starts the child process; the returned function waits for it
// to exit. The reply is measured before the child exits (a race-enabled
// binary lingers a second at exit).
func startHelper(t *testing.T, path, action string) (wait func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestXProcHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), xprocHelperEnv+"="+path, xprocHelperEnv+"_DO="+action)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	return func() {
		t.Helper()
		require.NoError(t, cmd.Wait(), "helper process: %s", out.String())
	}
}

// A write through another handle wakes a blocked pop within the 50 ms the
// design promises (pollMax is 20 ms).
func TestCrossHandleWakesBlockedPop(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	for i := 0; i < 5; i++ {
		r := blockAsync(sa, "q", "0")
		waitBlocked(t, a, "q", 1)
		// Let the poller back off to its slowest interval first.
		time.Sleep(3 * pollMax)
		start := time.Now()
		expectInt(t, 1, do(sb, "INCR", "q"))
		expectInt(t, 1, recvReply(t, r))
		lat := time.Since(start)
		t.Logf("cross-handle wake-up latency: %v", lat)
		require.Less(t, lat, 250*time.Millisecond) // 50 ms by design; slack for a loaded machine
	}
}

func TestCrossProcessWakesBlockedPop(t *testing.T) {
	path, db, s := sharedFileSession(t)
	r := blockAsync(s, "q", "10")
	waitBlocked(t, db, "q", 1)
	wait := startHelper(t, path, "push")
	defer wait()
	v := recvReply(t, r)
	woke := time.Now()
	expectInt(t, 1, v)
	at, err := strconv.ParseInt(string(do(s, "GET", "pushed-at").Str), 10, 64)
	require.NoError(t, err)
	lat := woke.Sub(time.Unix(0, at))
	t.Logf("cross-process wake-up latency (child's write to parent's reply): %v", lat)
	require.Less(t, lat, 500*time.Millisecond)
}

func TestCrossProcessPublish(t *testing.T) {
	path, _, s := sharedFileSession(t)
	expectPush(t, []string{"subscribe", "xchan", "1"}, do(s, "SUBSCRIBE", "xchan"))
	wait := startHelper(t, path, "publish")
	defer wait()
	v := nextMsg(t, s)
	lat := time.Since(time.Unix(0, mustInt(t, string(v.Elems[2].Str))))
	require.Equal(t, "message", string(v.Elems[0].Str))
	require.Equal(t, "xchan", string(v.Elems[1].Str))
	t.Logf("cross-process PUBLISH latency: %v", lat)
	require.Less(t, lat, 500*time.Millisecond)
}

func mustInt(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	require.NoError(t, err)
	return n
}

func TestCrossHandlePublishAndPatterns(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	// No listener anywhere: nothing is written to the file.
	require.EqualValues(t, 0, b.Publish([]byte("c"), []byte("lost")))
	expectPush(t, []string{"psubscribe", "c*", "1"}, do(sa, "PSUBSCRIBE", "c*"))
	expectPush(t, []string{"ssubscribe", "s", "1"}, do(sa, "SSUBSCRIBE", "s"))
	// The publisher counts its own process' subscribers only.
	expectInt(t, 0, do(sb, "PUBLISH", "chan", "m1"))
	expectInt(t, 0, do(sb, "SPUBLISH", "s", "m2"))
	expectInt(t, 0, do(sb, "PUBLISH", "other", "m3"))
	expectPush(t, []string{"pmessage", "c*", "chan", "m1"}, nextMsg(t, sa))
	expectPush(t, []string{"smessage", "s", "m2"}, nextMsg(t, sa))
	_, ok, err := sa.NextMessage(3 * pollMax)
	require.NoError(t, err)
	require.False(t, ok)
	// A subscriber in the publishing process gets the message once.
	sb2 := b.NewSession()
	defer sb2.Close()
	expectPush(t, []string{"subscribe", "chan", "1"}, do(sb2, "SUBSCRIBE", "chan"))
	expectInt(t, 1, do(sb, "PUBLISH", "chan", "m4"))
	expectPush(t, []string{"message", "chan", "m4"}, nextMsg(t, sb2))
	expectPush(t, []string{"pmessage", "c*", "chan", "m4"}, nextMsg(t, sa))
	_, ok, _ = sb2.NextMessage(3 * pollMax)
	require.False(t, ok)
}

func TestCrossHandleKeyspaceNotifications(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	expectOK(t, do(sb, "CONFIG", "SET", "notify-keyspace-events", "E$"))
	expectPush(t, []string{"subscribe", "__keyevent@0__:set", "1"}, do(sa, "SUBSCRIBE", "__keyevent@0__:set"))
	expectOK(t, do(sb, "SET", "k", "v"))
	expectPush(t, []string{"message", "__keyevent@0__:set", "k"}, nextMsg(t, sa))
}

// A WATCHed key changed through another handle (another process) aborts
// EXEC, and so does delete-and-recreate to the same value.
func TestCrossHandleWatch(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	expectOK(t, do(sa, "SET", "w", "1"))
	expectOK(t, do(sa, "WATCH", "w"))
	expectOK(t, do(sb, "SET", "w", "1"))
	expectOK(t, do(sa, "MULTI"))
	do(sa, "SET", "w", "2")
	require.Equal(t, resp.NilArray, do(sa, "EXEC").Kind)
	expectBulk(t, "1", do(sb, "GET", "w"))

	expectOK(t, do(sa, "WATCH", "w"))
	expectOK(t, do(sb, "MULTI"))
	do(sb, "GETDEL", "w")
	do(sb, "SET", "w", "1")
	require.Len(t, do(sb, "EXEC").Elems, 2)
	expectOK(t, do(sa, "MULTI"))
	do(sa, "SET", "w", "3")
	require.Equal(t, resp.NilArray, do(sa, "EXEC").Kind)

	// Untouched: EXEC runs, and the other handle sees all of it at once.
	expectOK(t, do(sa, "WATCH", "w"))
	expectOK(t, do(sa, "MULTI"))
	do(sa, "SET", "w", "4")
	do(sa, "SET", "x", "4")
	require.Len(t, do(sa, "EXEC").Elems, 2)
	expectBulk(t, "4", do(sb, "GET", "w"))
	expectBulk(t, "4", do(sb, "GET", "x"))
}

// Close removes this process' rows from the shared tables.
func TestCrossProcessRowsCleanedUp(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sb.Close()
	do(sa, "SUBSCRIBE", "c")
	r := blockAsync(a.NewSession(), "q", "0")
	waitBlocked(t, a, "q", 1)
	count := func(table string) int64 {
		v := sb.store.read(&Tx{store: b}, func(tx *Tx) resp.Value {
			return resp.IntValue(tx.queryInt(`SELECT count(*) FROM `+table, -1))
		})
		return v.Int
	}
	triggers := func() int64 {
		v := sb.store.read(&Tx{store: b}, func(tx *Tx) resp.Value {
			return resp.IntValue(tx.queryInt(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keys_signal_%'`, -1))
		})
		return v.Int
	}
	require.EqualValues(t, 1, count("pubsub_listeners"))
	// The wait is registered in the file by the blocked command's second
	// try, just after it is registered in memory.
	require.Eventually(t, func() bool { return count("wait_keys") == 1 }, 5*time.Second, time.Millisecond)
	require.EqualValues(t, 2, triggers())
	sa.Close()
	require.NoError(t, a.Close())
	expectErr(t, "closed", recvReply(t, r))
	require.EqualValues(t, 0, count("pubsub_listeners"))
	require.EqualValues(t, 0, count("wait_keys"))
	require.EqualValues(t, 0, triggers(), "nobody waits: writes no longer pay for the triggers")
}

// A process that died leaves rows behind; once their lease ran out the
// next process to look removes them, and the triggers with them.
func TestCrossProcessExpiredRowsPurged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(Options{Path: path})
	require.NoError(t, err)
	sa := a.NewSession()
	past := time.Now().Add(-time.Hour).UnixMilli()
	a.write(&Tx{store: a, Now: time.Now().UnixMilli()}, func(tx *Tx) resp.Value {
		ensureSignalTriggers(tx)
		tx.exec(`INSERT INTO wait_keys(db, key, owner, lease_until) VALUES(0, 'q', 42, ?)`, past)
		tx.exec(`INSERT INTO pubsub_listeners(owner, lease_until) VALUES(42, ?)`, past)
		return resp.OK()
	})
	sa.Close()
	require.NoError(t, a.Close()) // removes its own rows only
	b, err := Open(Options{Path: path})
	require.NoError(t, err)
	defer b.Close()
	count := func(q string) int64 {
		return b.read(&Tx{store: b}, func(tx *Tx) resp.Value {
			return resp.IntValue(tx.queryInt(q, -1))
		}).Int
	}
	require.Eventually(t, func() bool {
		return count(`SELECT count(*) FROM wait_keys`) == 0 && count(`SELECT count(*) FROM pubsub_listeners`) == 0 &&
			count(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keys_signal_%'`) == 0
	}, 5*time.Second, 5*time.Millisecond)
}

// SUBSCRIBE inside EXEC (which holds the writer) registers the process for
// other processes' messages shortly after, without deadlocking with the
// poller's own writes.
func TestCrossHandleSubscribeInsideExec(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	expectOK(t, do(sa, "MULTI"))
	do(sa, "SUBSCRIBE", "late")
	require.Len(t, do(sa, "EXEC").Elems, 1)
	require.Eventually(t, func() bool {
		b.Publish([]byte("late"), []byte("hello"))
		v, ok, err := sa.NextMessage(5 * pollMax)
		return err == nil && ok && string(v.Elems[2].Str) == "hello"
	}, 5*time.Second, time.Millisecond)
}

// WATCH of a key that does not exist: another handle creating it and
// deleting it again before EXEC leaves no row to compare, yet Redis counts
// it as a change. So do renaming or moving it into place and deleting it,
// and creating it with a TTL that runs out before EXEC. Writes to other
// keys, created and deleted alike, do not count.
func TestCrossHandleWatchAbsentKey(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	broken := func(name string, other ...[]string) {
		t.Helper()
		expectOK(t, do(sa, "WATCH", "w"))
		for _, argv := range other {
			if argv[0] == "sleep" {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			do(sb, argv...)
		}
		expectInt(t, 0, do(sb, "EXISTS", "w"))
		expectOK(t, do(sa, "MULTI"))
		do(sa, "SET", "mine", name)
		require.Equal(t, resp.NilArray, do(sa, "EXEC").Kind, name)
		require.Equal(t, resp.Nil, do(sa, "GET", "mine").Kind, name)
	}
	broken("create, delete", []string{"SET", "w", "1"}, []string{"DEL", "w"})
	broken("rename in, delete", []string{"SET", "src", "1"}, []string{"RENAME", "src", "w"}, []string{"DEL", "w"})
	broken("move in, delete", []string{"SELECT", "3"}, []string{"SET", "w", "1"}, []string{"MOVE", "w", "0"},
		[]string{"SELECT", "0"}, []string{"DEL", "w"})
	broken("create with ttl", []string{"SET", "w", "1", "PX", "1"}, []string{"sleep"})
	broken("collection", []string{"RPUSH", "w", "a"}, []string{"LPOP", "w"})

	// Another key created and deleted, in this process or the other: EXEC runs.
	expectOK(t, do(sa, "WATCH", "w", "present"))
	do(sb, "SET", "other", "1")
	do(sb, "DEL", "other")
	do(sa, "SET", "other2", "1")
	do(sa, "DEL", "other2")
	expectOK(t, do(sa, "MULTI"))
	do(sa, "SET", "mine", "ok")
	require.Len(t, do(sa, "EXEC").Elems, 1)
	expectBulk(t, "ok", do(sb, "GET", "mine"))

	// EXEC, UNWATCH, DISCARD and Close leave no rows behind.
	rows := func() int64 {
		return b.read(&Tx{store: b}, func(tx *Tx) resp.Value {
			return resp.IntValue(tx.queryInt(`SELECT count(*) FROM watch_absent`, -1))
		}).Int
	}
	require.EqualValues(t, 0, rows())
	expectOK(t, do(sa, "WATCH", "w", "v"))
	require.EqualValues(t, 2, rows())
	expectOK(t, do(sa, "UNWATCH"))
	require.EqualValues(t, 0, rows())
	expectOK(t, do(sa, "WATCH", "w"))
	expectOK(t, do(sa, "MULTI"))
	expectOK(t, do(sa, "DISCARD"))
	require.EqualValues(t, 0, rows())
	s3 := a.NewSession()
	expectOK(t, do(s3, "WATCH", "w"))
	require.EqualValues(t, 1, rows())
	s3.Close()
	require.EqualValues(t, 0, rows())

	// With no rows left, the purge drops the triggers: key creation stops
	// paying for them.
	triggers := func() int64 {
		return b.read(&Tx{store: b}, func(tx *Tx) resp.Value {
			return resp.IntValue(tx.queryInt(sqlCountWatchTriggers, -1))
		}).Int
	}
	require.EqualValues(t, 2, triggers())
	b.xp.purgeExpired()
	require.EqualValues(t, 0, triggers())
}

// A watch row whose lease ran out is purged (its process died, or the
// client held the WATCH for longer than watchLease): EXEC then fails, as
// nothing vouches for the key any more.
func TestCrossHandleWatchAbsentLeaseExpired(t *testing.T) {
	a, b, _ := openPair(t)
	sa := a.NewSession()
	defer sa.Close()
	expectOK(t, do(sa, "WATCH", "w"))
	b.write(&Tx{store: b, Now: time.Now().UnixMilli()}, func(tx *Tx) resp.Value {
		tx.exec(`UPDATE watch_absent SET lease_until = 1`)
		return resp.OK()
	})
	b.xp.purgeExpired()
	expectOK(t, do(sa, "MULTI"))
	do(sa, "SET", "mine", "1")
	require.Equal(t, resp.NilArray, do(sa, "EXEC").Kind)
}

// The same with a real second process.
func TestCrossProcessWatchAbsentKey(t *testing.T) {
	path, _, s := sharedFileSession(t)
	expectOK(t, do(s, "WATCH", "watched"))
	startHelper(t, path, "create-delete")()
	expectInt(t, 0, do(s, "EXISTS", "watched"))
	expectOK(t, do(s, "MULTI"))
	do(s, "SET", "watched", "mine")
	require.Equal(t, resp.NilArray, do(s, "EXEC").Kind)
	require.Equal(t, resp.Nil, do(s, "GET", "watched").Kind)
}

// sharedFileSession opens a database file that a child process (startHelper)
// opens too, and a session on it; both close when the test ends.
func sharedFileSession(t *testing.T) (string, *DB, *Session) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	db, err := Open(Options{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	s := db.NewSession()
	t.Cleanup(s.Close)
	return path, db, s
}
