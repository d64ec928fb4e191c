package core

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// readerStates reports, for each idle reader, whether it keeps a read
// transaction open.
func readerStates(db *DB) []bool {
	held := db.readers.takeAll()
	var open []bool
	for _, c := range held {
		open = append(open, c.warm.open != 0)
	}
	db.readers.putAll(held)
	return open
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}

// A reader keeps its read transaction between commands, and the idle ones
// end it when the checkpointer (or anything else) cools them.
func TestReaderKeepsReadTransaction(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	expectOK(t, do(s, "SET", "k", "v"))
	for i := 0; i < 2*len(db.readers.slots); i++ {
		expectBulk(t, "v", do(s, "GET", "k"))
	}
	// The checkpointer may have cooled them in between: look until one
	// is seen warm.
	warm := false
	for i := 0; i < 100 && !warm; i++ {
		expectBulk(t, "v", do(s, "GET", "k"))
		warm = anyTrue(readerStates(db))
	}
	require.True(t, warm, "no reader kept its read transaction")
	db.coolReaders()
	require.False(t, anyTrue(readerStates(db)))
}

// Every read sees every write acknowledged before it, through this handle,
// another handle on the file, and another process, although readers keep
// their read transactions between commands.
func TestKeptReadTransactionSeesNewCommits(t *testing.T) {
	a, b, path := openPair(t)
	sa, sa2, sb := a.NewSession(), a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sa2.Close()
	defer sb.Close()
	for i := 0; i < 300; i++ {
		v := strconv.Itoa(i)
		w := sa2 // this handle, another session
		if i%2 == 1 {
			w = sb // another handle
		}
		expectOK(t, do(w, "SET", "k", v))
		expectBulk(t, v, do(sa, "GET", "k"))
		expectBulk(t, v, do(sa, "GET", "k"))
		expectInt(t, 1, do(w, "DEL", "k"))
		expectNil(t, do(sa, "GET", "k"))
	}
	if testing.Short() {
		return
	}
	expectOK(t, do(sa, "SET", "counter", "0"))
	for i := 1; i <= 3; i++ {
		expectBulk(t, strconv.Itoa(i-1), do(sa, "GET", "counter"))
		startHelper(t, path, "set-counter")()
		expectBulk(t, strconv.Itoa(i), do(sa, "GET", "counter"))
	}
}

// Readers that keep read transactions do not stop the WAL from being
// folded into the file: SAVE and Close still leave no WAL behind, and the
// background checkpoints still copy every frame while readers idle.
func TestKeptReadTransactionsDoNotPinTheWAL(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	for i := 0; i < 200; i++ {
		expectOK(t, do(s, "SET", "k"+strconv.Itoa(i), "v"))
		expectBulk(t, "v", do(s, "GET", "k"+strconv.Itoa(i)))
	}
	expectOK(t, do(s, "SAVE"))
	st, err := os.Stat(db.Path() + "-wal")
	require.NoError(t, err)
	require.Zero(t, st.Size(), "SAVE left WAL frames behind")

	// Concurrent readers and a writer, then a SAVE while they run.
	stop := readWhile(db, 3, func(r *Session) bool { do(r, "GET", "k1"); return true })
	for i := 0; i < 200; i++ {
		expectOK(t, do(s, "SET", "k1", strconv.Itoa(i)))
	}
	expectOK(t, do(s, "SAVE"))
	stop()
	expectBulk(t, "199", do(s, "GET", "k1"))

	path := db.Path()
	require.NoError(t, db.Close())
	if st, err := os.Stat(path + "-wal"); err == nil {
		require.Zero(t, st.Size(), "Close left WAL frames behind")
	}
}

// The background checkpoint copies every committed frame into the file
// although readers kept read transactions from before the last commits:
// the checkpointer cools idle readers first.
func TestCheckpointerCoolsIdleReaders(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	for i := 0; i < 50; i++ {
		expectOK(t, do(s, "SET", "k"+strconv.Itoa(i), "v"))
		expectBulk(t, "v", do(s, "GET", "k"+strconv.Itoa(i)))
	}
	for i := 0; i < 50; i++ {
		expectOK(t, do(s, "SET", "k"+strconv.Itoa(i), "w"))
	}
	raw, err := openSQLConn(db.dsn())
	require.NoError(t, err)
	defer raw.close()
	// The checkpointer runs within checkpointInterval of the last commits.
	deadline := time.Now().Add(3 * checkpointInterval)
	for {
		r, err := raw.query(`PRAGMA wal_checkpoint(PASSIVE)`)
		require.NoError(t, err)
		require.True(t, r.next())
		log, done := r.int(1), r.int(2)
		require.NoError(t, r.close())
		if log == done {
			return
		}
		require.True(t, time.Now().Before(deadline), "WAL frames never all copied: %d of %d", done, log)
		time.Sleep(checkpointPoll)
	}
}

// Under concurrent writes through another handle, no read returns a value
// older than one whose write was acknowledged before the read began.
func TestKeptReadTransactionNeverStale(t *testing.T) {
	a, b, _ := openPair(t)
	w := b.NewSession()
	defer w.Close()
	expectOK(t, do(w, "SET", "n", "0"))
	var acked atomic.Int64
	errs := make(chan string, 3)
	stop := readWhile(a, 3, func(r *Session) bool {
		floor := acked.Load()
		v := do(r, "GET", "n")
		got, err := strconv.ParseInt(string(v.Str), 10, 64)
		if err != nil || got < floor {
			errs <- fmt.Sprintf("read %q after %d was acknowledged", v.Str, floor)
			return false
		}
		return true
	})
	deadline := time.Now().Add(500 * time.Millisecond)
	for time.Now().Before(deadline) {
		v := do(w, "INCR", "n")
		require.Equal(t, resp.Int, v.Kind)
		acked.Store(v.Int)
	}
	stop()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	require.Greater(t, acked.Load(), int64(10))
}

// readWhile runs read in n goroutines, each on a session of its own, until
// the returned stop is called (which waits for them) or read returns false.
func readWhile(db *DB, n int, read func(*Session) bool) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := db.NewSession()
			defer s.Close()
			for {
				select {
				case <-done:
					return
				default:
				}
				if !read(s) {
					return
				}
			}
		}()
	}
	return func() {
		close(done)
		wg.Wait()
	}
}
