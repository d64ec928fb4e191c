package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// A key that had already expired (but was not yet removed) when WATCH ran:
// its removal, by the sweeper or by a command that finds it expired, is no
// change, as in Redis 7.0; writing it afterwards is. A key that expires
// after WATCH is a change.
func TestWatchKeyExpiredAtWatch(t *testing.T) {
	s := newTestSession(t)
	other := s.store.NewSession()
	defer other.Close()
	exec := func() resp.Value {
		t.Helper()
		expectOK(t, do(s, "MULTI"))
		do(s, "SET", "mine", "1")
		return do(s, "EXEC")
	}

	expectOK(t, do(s, "SET", "k", "v", "PX", "1"))
	time.Sleep(5 * time.Millisecond)
	expectOK(t, do(s, "WATCH", "k"))
	expectInt(t, 0, do(other, "PERSIST", "k")) // finds it expired: removes it
	require.Len(t, exec().Elems, 1)

	expectOK(t, do(s, "SET", "k", "v", "PX", "1"))
	time.Sleep(5 * time.Millisecond)
	expectOK(t, do(s, "WATCH", "k"))
	expectOK(t, do(other, "SET", "k", "new")) // removes it, then writes it
	require.Equal(t, resp.NilArray, exec().Kind)

	expectOK(t, do(s, "SET", "k", "v", "PX", "1"))
	time.Sleep(5 * time.Millisecond)
	expectOK(t, do(s, "WATCH", "k"))
	expectInt(t, 0, do(other, "PERSIST", "k"))
	do(other, "SET", "k", "again")
	require.Equal(t, resp.NilArray, exec().Kind)

	expectOK(t, do(s, "SET", "k", "v", "PX", "30"))
	expectOK(t, do(s, "WATCH", "k"))
	time.Sleep(40 * time.Millisecond)
	require.Equal(t, resp.NilArray, exec().Kind, "expired after WATCH")
}
