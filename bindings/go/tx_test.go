package redlite

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTxCommit(t *testing.T) {
	db := openDB(t)
	require.NoError(t, db.Set(ctx, "balance", 100))
	err := db.Tx(ctx, func(tx *Tx) error {
		n, err := tx.DecrBy(ctx, "balance", 30)
		require.NoError(t, err)
		assert.Equal(t, int64(70), n)
		// Reads inside see the transaction's own writes...
		v, err := tx.Get(ctx, "balance")
		require.NoError(t, err)
		assert.Equal(t, "70", v)
		// ...while others still see the last committed state.
		v, err = db.Get(ctx, "balance")
		require.NoError(t, err)
		assert.Equal(t, "100", v)
		_, err = tx.IncrBy(ctx, "savings", 30)
		return err
	})
	require.NoError(t, err)
	v, _ := db.MGet(ctx, "balance", "savings")
	assert.Equal(t, []any{"70", "30"}, v)
}

func TestTxRollbackOnError(t *testing.T) {
	db := openDB(t)
	require.NoError(t, db.Set(ctx, "k", "before"))
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx *Tx) error {
		require.NoError(t, tx.Set(ctx, "k", "during"))
		require.NoError(t, tx.Set(ctx, "other", "x"))
		return boom
	})
	require.ErrorIs(t, err, boom)
	v, _ := db.Get(ctx, "k")
	assert.Equal(t, "before", v)
	_, err = db.Get(ctx, "other")
	require.ErrorIs(t, err, Nil)
}

func TestTxRollbackOnPanic(t *testing.T) {
	db := openDB(t)
	require.NoError(t, db.Set(ctx, "k", "before"))
	assert.PanicsWithValue(t, "kaboom", func() {
		_ = db.Tx(ctx, func(tx *Tx) error {
			require.NoError(t, tx.Set(ctx, "k", "during"))
			panic("kaboom")
		})
	})
	v, err := db.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "before", v)
	// The writer is free again.
	require.NoError(t, db.Set(ctx, "k", "after"))
	require.NoError(t, db.Tx(ctx, func(tx *Tx) error { return tx.Set(ctx, "k", "tx") }))
}

// Blocking commands inside a transaction answer at once, as inside
// MULTI/EXEC; inside Watch (before TxPipelined) they wait as usual.
func TestTxBlockingCommands(t *testing.T) {
	db := openDB(t)
	start := time.Now()
	err := db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.BLPop(ctx, 0, "empty")
		require.ErrorIs(t, err, Nil)
		_, err = tx.RPush(ctx, "q", "a")
		require.NoError(t, err)
		kv, err := tx.BLPop(ctx, 0, "q")
		require.NoError(t, err)
		assert.Equal(t, []string{"q", "a"}, kv)
		return nil
	})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	err = db.Watch(ctx, func(tx *Tx) error {
		dctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		_, err := tx.BLPop(dctx, 0, "empty")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		return nil
	}, "empty")
	require.NoError(t, err)
}

func TestTxCommandErrorsDoNotAbort(t *testing.T) {
	db := openDB(t)
	err := db.Tx(ctx, func(tx *Tx) error {
		require.NoError(t, tx.Set(ctx, "s", "text"))
		_, err := tx.Incr(ctx, "s")
		requireCode(t, err, "ERR", "not an integer")
		return tx.Set(ctx, "t", "kept")
	})
	require.NoError(t, err)
	v, _ := db.MGet(ctx, "s", "t")
	assert.Equal(t, []any{"text", "kept"}, v)
}

func TestTxDone(t *testing.T) {
	db := openDB(t)
	var saved *Tx
	require.NoError(t, db.Tx(ctx, func(tx *Tx) error { saved = tx; return nil }))
	_, err := saved.Get(ctx, "k")
	require.ErrorIs(t, err, ErrTxDone)
	require.ErrorIs(t, saved.TxPipelined(ctx, func(*Tx) error { return nil }), ErrTxDone)
	cctx, cancel := context.WithCancel(ctx)
	err = db.Tx(ctx, func(tx *Tx) error {
		require.ErrorContains(t, tx.TxPipelined(ctx, func(*Tx) error { return nil }), "belongs in DB.Watch")
		cancel()
		return tx.Set(cctx, "k", "v")
	})
	require.ErrorIs(t, err, context.Canceled)
}

// TestTxIsolation: a transaction's writes appear all at once to readers,
// and writers from other goroutines wait for it.
func TestTxIsolation(t *testing.T) {
	db := openDB(t)
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- db.Tx(ctx, func(tx *Tx) error {
			require.NoError(t, tx.Set(ctx, "a", 1))
			close(inside)
			<-release
			return tx.Set(ctx, "b", 1)
		})
	}()
	<-inside
	written := make(chan error)
	go func() { written <- db.Set(ctx, "a", 2) }()
	select {
	case err := <-written:
		t.Fatalf("a write got through an open transaction: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	v, err := db.MGet(ctx, "a", "b")
	require.NoError(t, err)
	assert.Equal(t, []any{nil, nil}, v)
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, <-written)
	v, _ = db.MGet(ctx, "a", "b")
	assert.Equal(t, []any{"2", "1"}, v)
}

func TestWatch(t *testing.T) {
	db := openDB(t)
	require.NoError(t, db.Set(ctx, "counter", 10))
	err := db.Watch(ctx, func(tx *Tx) error {
		v, err := tx.Get(ctx, "counter")
		require.NoError(t, err)
		assert.Equal(t, "10", v)
		return tx.TxPipelined(ctx, func(pipe *Tx) error {
			n, err := pipe.IncrBy(ctx, "counter", 5)
			assert.Equal(t, int64(15), n)
			return err
		})
	}, "counter")
	require.NoError(t, err)
	v, _ := db.Get(ctx, "counter")
	assert.Equal(t, "15", v)
}

func TestWatchConflict(t *testing.T) {
	db := openDB(t)
	require.NoError(t, db.Set(ctx, "k", "a"))
	ran := false
	err := db.Watch(ctx, func(tx *Tx) error {
		// Another writer changes the key after WATCH.
		require.NoError(t, db.Set(ctx, "k", "b"))
		err := tx.TxPipelined(ctx, func(pipe *Tx) error {
			ran = true
			return pipe.Set(ctx, "k", "c")
		})
		require.ErrorContains(t, tx.TxPipelined(ctx, func(*Tx) error { return nil }), "already ran")
		// The Tx still runs commands after the watches are spent.
		v, gerr := tx.Get(ctx, "k")
		require.NoError(t, gerr)
		assert.Equal(t, "b", v)
		return err
	}, "k", "other")
	require.ErrorIs(t, err, TxFailedErr)
	assert.False(t, ran)
	v, _ := db.Get(ctx, "k")
	assert.Equal(t, "b", v)

	// A key created after WATCH counts as changed too.
	err = db.Watch(ctx, func(tx *Tx) error {
		require.NoError(t, db.Set(ctx, "new", "x"))
		return tx.TxPipelined(ctx, func(pipe *Tx) error { return nil })
	}, "new")
	require.ErrorIs(t, err, TxFailedErr)
}

func TestWatchErrorsAndPanics(t *testing.T) {
	db := openDB(t)
	require.ErrorContains(t, db.Watch(ctx, func(*Tx) error { return nil }), "at least one key")
	boom := errors.New("boom")
	// fn's error comes back; nothing written.
	err := db.Watch(ctx, func(tx *Tx) error {
		return tx.TxPipelined(ctx, func(pipe *Tx) error {
			require.NoError(t, pipe.Set(ctx, "k", "v"))
			return boom
		})
	}, "k")
	require.ErrorIs(t, err, boom)
	_, err = db.Get(ctx, "k")
	require.ErrorIs(t, err, Nil)
	// A panic inside TxPipelined rolls back and leaves the DB usable.
	assert.PanicsWithValue(t, "kaboom", func() {
		_ = db.Watch(ctx, func(tx *Tx) error {
			return tx.TxPipelined(ctx, func(pipe *Tx) error {
				require.NoError(t, pipe.Set(ctx, "k", "v"))
				panic("kaboom")
			})
		}, "k")
	})
	_, err = db.Get(ctx, "k")
	require.ErrorIs(t, err, Nil)
	require.NoError(t, db.Set(ctx, "k", "after"))
	// The Watch function may skip TxPipelined: the watches end with it and
	// the session is back in the pool, unwatched.
	require.NoError(t, db.Watch(ctx, func(tx *Tx) error { return nil }, "k"))
	var saved *Tx
	require.NoError(t, db.Watch(ctx, func(tx *Tx) error { saved = tx; return nil }, "k"))
	_, err = saved.Get(ctx, "k")
	require.ErrorIs(t, err, ErrTxDone)
}

// TestWatchRetryLoop is the go-redis optimistic increment: concurrent
// goroutines retry on TxFailedErr and no increment is lost.
func TestWatchRetryLoop(t *testing.T) {
	db := openDB(t)
	const workers, each = 4, 10
	incr := func() error {
		for {
			err := db.Watch(ctx, func(tx *Tx) error {
				v, err := tx.Get(ctx, "n")
				if err != nil && err != Nil {
					return err
				}
				n, _ := strconv.Atoi(v)
				return tx.TxPipelined(ctx, func(pipe *Tx) error {
					return pipe.Set(ctx, "n", n+1)
				})
			}, "n")
			if err != TxFailedErr {
				return err
			}
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				assert.NoError(t, incr())
			}
		}()
	}
	wg.Wait()
	v, err := db.Get(ctx, "n")
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(workers*each), v)
}
