package core

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// Tests of the writer's group commit: requests that queue up while a batch
// runs join its transaction, nothing is acknowledged before it commits, a
// failing request does not fail its neighbours, and an exclusive holder is
// never overtaken.

// queued waits until n requests wait in the writer's queue.
func queued(t *testing.T, w *writer, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.queue) == n
	}, 10*time.Second, time.Millisecond)
}

// holdWriter starts a write that blocks inside the writer until release is
// closed, and returns once it is running.
func holdWriter(t *testing.T, db *DB, release <-chan struct{}) (done <-chan resp.Value) {
	t.Helper()
	started := make(chan struct{})
	var once sync.Once // a failed batch runs each request again on its own
	out := make(chan resp.Value, 1)
	go func() {
		tx := &Tx{store: db}
		out <- db.write(tx, func(tx *Tx) resp.Value {
			tx.exec(`INSERT INTO meta(name, value) VALUES('writer_test_hold', 1)`)
			once.Do(func() { close(started) })
			<-release
			return resp.OK()
		})
	}()
	<-started
	return out
}

// metaWrite is a write request that records name in the meta table.
func metaWrite(db *DB, name string, fail bool) <-chan resp.Value {
	out := make(chan resp.Value, 1)
	go func() {
		tx := &Tx{store: db}
		out <- db.write(tx, func(tx *Tx) resp.Value {
			tx.exec(`INSERT INTO meta(name, value) VALUES(?, 1)`, name)
			if fail {
				tx.fail(errors.New("injected failure"))
			}
			return resp.StatusValue(name)
		})
	}()
	return out
}

func metaExists(t *testing.T, db *DB, name string) bool {
	t.Helper()
	tx := &Tx{store: db}
	v := db.read(tx, func(tx *Tx) resp.Value {
		return resp.IntValue(tx.queryInt(`SELECT count(*) FROM meta WHERE name = ?`, 0, name))
	})
	return v.Int == 1
}

func TestWriterLateRequestsJoinTheRunningBatch(t *testing.T) {
	db := openTestDB(t)
	release := make(chan struct{})
	before := db.w.commits.Load()
	held := holdWriter(t, db, release)
	b := metaWrite(db, "b", false)
	c := metaWrite(db, "c", false)
	queued(t, db.w, 2)
	close(release)
	expectOK(t, <-held)
	require.Equal(t, "b", string((<-b).Str))
	require.Equal(t, "c", string((<-c).Str))
	// The two requests that queued while the first ran shared its commit.
	require.Equal(t, before+1, db.w.commits.Load())
	require.True(t, metaExists(t, db, "b"))
	require.True(t, metaExists(t, db, "c"))
	require.True(t, metaExists(t, db, "writer_test_hold"))
}

func TestWriterFailureInAJoinedRequestSparesTheOthers(t *testing.T) {
	db := openTestDB(t)
	release := make(chan struct{})
	held := holdWriter(t, db, release)
	bad := metaWrite(db, "bad", true)
	good := metaWrite(db, "good", false)
	queued(t, db.w, 2)
	close(release)
	expectOK(t, <-held)
	v := <-bad
	require.True(t, v.IsError())
	require.Contains(t, string(v.Str), "injected failure")
	require.Equal(t, "good", string((<-good).Str))
	require.False(t, metaExists(t, db, "bad"))
	require.True(t, metaExists(t, db, "good"))
	require.True(t, metaExists(t, db, "writer_test_hold"))
}

func TestWriterExclusiveHolderIsNotOvertaken(t *testing.T) {
	db := openTestDB(t)
	release := make(chan struct{})
	held := holdWriter(t, db, release)
	var mu sync.Mutex
	var order []string
	exclusiveDone := make(chan error, 1)
	go func() {
		exclusiveDone <- db.w.exclusive(func(c *sqlConn) error {
			mu.Lock()
			order = append(order, "exclusive")
			mu.Unlock()
			return nil
		})
	}()
	queued(t, db.w, 1)
	late := make(chan resp.Value, 1)
	go func() {
		tx := &Tx{store: db}
		late <- db.write(tx, func(tx *Tx) resp.Value {
			mu.Lock()
			order = append(order, "late")
			mu.Unlock()
			return resp.OK()
		})
	}()
	queued(t, db.w, 2)
	close(release)
	expectOK(t, <-held)
	require.NoError(t, <-exclusiveDone)
	expectOK(t, <-late)
	require.Equal(t, []string{"exclusive", "late"}, order)
}

// Many sessions writing at once: every reply is right and every write is
// committed, whichever batch carried it.
func TestWriterConcurrentSessions(t *testing.T) {
	db := openTestDB(t)
	const workers, each = 8, 150
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s := db.NewSession()
			defer s.Close()
			for i := 1; i <= each; i++ {
				expectOK(t, do(s, "SET", fmt.Sprintf("k:%d:%d", w, i), strconv.Itoa(i)))
				v := do(s, "INCR", "shared")
				require.Equal(t, resp.Int, v.Kind, "reply %s", show(v))
				expectInt(t, int64(i), do(s, "INCR", fmt.Sprintf("own:%d", w)))
			}
		}(w)
	}
	wg.Wait()
	s := newSessionOn(t, db)
	expectBulk(t, strconv.Itoa(workers*each), do(s, "GET", "shared"))
	expectInt(t, workers*each+workers+1, do(s, "DBSIZE"))
	for w := 0; w < workers; w++ {
		expectBulk(t, strconv.Itoa(each), do(s, "GET", fmt.Sprintf("own:%d", w)))
		expectBulk(t, strconv.Itoa(each), do(s, "GET", fmt.Sprintf("k:%d:%d", w, each)))
	}
}

func newSessionOn(t *testing.T, db *DB) *Session {
	t.Helper()
	s := db.NewSession()
	t.Cleanup(s.Close)
	return s
}
