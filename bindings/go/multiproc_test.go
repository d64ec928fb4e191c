package redlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two Opens of one file share nothing in memory, as two processes would:
// what one writes, the other reads; its pushes wake the other's blocked
// pops, its publishes reach the other's subscribers, its writes break the
// other's watches.
func TestTwoHandlesOnOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(path)
	require.NoError(t, err)
	defer a.Close()
	b, err := Open(path)
	require.NoError(t, err)
	defer b.Close()

	require.NoError(t, a.Set(ctx, "k", "from a"))
	v, err := b.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "from a", v)

	popped := make(chan []string, 1)
	go func() {
		kv, err := a.BLPop(ctx, 10*time.Second, "q")
		assert.NoError(t, err)
		popped <- kv
	}()
	time.Sleep(50 * time.Millisecond)
	_, err = b.RPush(ctx, "q", "job")
	require.NoError(t, err)
	select {
	case kv := <-popped:
		assert.Equal(t, []string{"q", "job"}, kv)
	case <-time.After(15 * time.Second):
		t.Fatal("a push through one handle did not wake a pop on the other")
	}

	sub, err := a.Subscribe(ctx, "events")
	require.NoError(t, err)
	defer sub.Close()
	require.Eventually(t, func() bool {
		_, err := b.Publish(ctx, "events", "hello")
		require.NoError(t, err)
		select {
		case m := <-sub.Channel():
			return m.Payload == "hello"
		case <-time.After(200 * time.Millisecond):
			return false
		}
	}, 15*time.Second, 10*time.Millisecond, "a publish on one handle did not reach the other's subscriber")

	err = a.Watch(ctx, func(tx *Tx) error {
		require.NoError(t, b.Set(ctx, "k", "from b"))
		return tx.TxPipelined(ctx, func(pipe *Tx) error { return pipe.Set(ctx, "k", "from a again") })
	}, "k")
	require.ErrorIs(t, err, TxFailedErr)
	v, _ = a.Get(ctx, "k")
	assert.Equal(t, "from b", v)

	// A transaction on one handle is all or nothing for the other.
	require.NoError(t, a.Tx(ctx, func(tx *Tx) error {
		require.NoError(t, tx.Set(ctx, "x", 1))
		vals, err := b.MGet(ctx, "x", "y")
		require.NoError(t, err)
		assert.Equal(t, []any{nil, nil}, vals)
		return tx.Set(ctx, "y", 2)
	}))
	vals, err := b.MGet(ctx, "x", "y")
	require.NoError(t, err)
	assert.Equal(t, []any{"1", "2"}, vals)
}
