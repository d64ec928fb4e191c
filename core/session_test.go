package core

import (
	"fmt"
	"log"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

func init() {
	// Commands that only exist in this package's tests, to prove a bug in
	// a handler cannot take down the process or leave writes behind.
	register(
		&Command{Name: "test-panic-write", Arity: 2, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: "test",
			Run: func(c *Call) resp.Value {
				c.putString(c.Args[1], []byte("half-written"), 0, false)
				panic("boom")
			}},
		&Command{Name: "test-panic-read", Arity: 1, Flags: FlagReadOnly, Group: "test",
			Run: func(c *Call) resp.Value { panic("boom") }},
	)
}

func TestPanicInCommandIsAnErrorAndRollsBack(t *testing.T) {
	logged := 0
	panicLogger = func(string, ...any) { logged++ }
	t.Cleanup(func() { panicLogger = log.Printf })
	s := newTestSession(t)
	expectErr(t, "ERR internal error: boom", do(s, "test-panic-write", "k"))
	expectNil(t, do(s, "GET", "k"))
	expectErr(t, "ERR internal error: boom", do(s, "test-panic-read"))
	expectOK(t, do(s, "SET", "k", "v"))
	expectBulk(t, "v", do(s, "GET", "k"))
	require.Positive(t, logged, "the panic is logged")
}

func TestUnknownCommandAndArity(t *testing.T) {
	s := newTestSession(t)
	expectErr(t, "ERR unknown command 'nope', with args beginning with: 'a' 'b' ", do(s, "nope", "a", "b"))
	expectErr(t, "ERR wrong number of arguments for 'get' command", do(s, "GET"))
	expectErr(t, "ERR wrong number of arguments for 'config|get' command", do(s, "CONFIG", "GET"))
	expectErr(t, "ERR unknown subcommand 'nope'. Try CONFIG HELP.", do(s, "config", "nope"))
}

func TestClosedDatabase(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	require.NoError(t, db.Close())
	expectErr(t, "ERR redlite: database is closed", do(s, "GET", "k"))
	require.ErrorIs(t, db.Close(), ErrClosed)
}

func TestInteractiveTransaction(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	other := db.NewSession()
	defer s.Close()
	defer other.Close()
	require.NoError(t, s.Begin())
	require.ErrorIs(t, s.Begin(), ErrTxActive)
	expectOK(t, do(s, "SET", "a", "1"))
	expectBulk(t, "1", do(s, "GET", "a"))
	expectNil(t, do(other, "GET", "a")) // readers see the last commit
	require.NoError(t, s.Rollback())
	expectNil(t, do(s, "GET", "a"))

	require.NoError(t, s.Begin())
	expectOK(t, do(s, "SET", "a", "2"))
	expectInt(t, 3, do(s, "INCRBY", "a", "1"))
	require.NoError(t, s.Commit())
	expectBulk(t, "3", do(other, "GET", "a"))
	require.ErrorIs(t, s.Commit(), ErrNoTx)
}

func TestMultiExecBasics(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "MULTI"))
	require.Equal(t, "QUEUED", string(do(s, "SET", "a", "1").Str))
	require.Equal(t, "QUEUED", string(do(s, "INCR", "a").Str))
	v := do(s, "EXEC")
	require.Equal(t, resp.Array, v.Kind)
	expectOK(t, v.Elems[0])
	expectInt(t, 2, v.Elems[1])

	expectOK(t, do(s, "MULTI"))
	expectErr(t, "ERR wrong number of arguments", do(s, "GET"))
	expectErr(t, "EXECABORT", do(s, "EXEC"))

	other := s.store.NewSession()
	defer other.Close()
	expectOK(t, do(s, "WATCH", "a"))
	expectOK(t, do(other, "SET", "a", "changed"))
	expectOK(t, do(s, "MULTI"))
	do(s, "SET", "a", "mine")
	require.Equal(t, resp.NilArray, do(s, "EXEC").Kind)
	expectBulk(t, "changed", do(s, "GET", "a"))
}

// CLIENT LIST reads other sessions while they run commands: under -race
// this shows the reads are synchronised.
func TestClientListWhileOthersRun(t *testing.T) {
	db := openTestDB(t)
	done := make(chan struct{})
	for w := 0; w < 3; w++ {
		go func(w int) {
			s := db.NewSession()
			defer s.Close()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				do(s, "CLIENT", "SETNAME", fmt.Sprintf("w%d-%d", w, i))
				do(s, "SELECT", fmt.Sprint(i%16))
				do(s, "MULTI")
				do(s, "SET", "k", "v")
				do(s, "EXEC")
			}
		}(w)
	}
	s := db.NewSession()
	defer s.Close()
	for i := 0; i < 200; i++ {
		v := do(s, "CLIENT", "LIST")
		require.Contains(t, string(v.Str), "cmd=client|list")
	}
	close(done)
}

func TestCommandGetKeysMovable(t *testing.T) {
	s := newTestSession(t)
	expectStrings(t, []string{"a", "b"}, do(s, "COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT"))
	expectStrings(t, []string{"a", "b"}, do(s, "COMMAND", "GETKEYS", "BLMPOP", "0", "2", "a", "b", "LEFT"))
	expectStrings(t, []string{"d", "a", "b"}, do(s, "COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"))
	expectStrings(t, []string{"s1", "s2"}, do(s, "COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"))
	expectStrings(t, []string{"l", "dst"}, do(s, "COMMAND", "GETKEYS", "SORT", "l", "BY", "w_*", "STORE", "dst"))
	expectStrings(t, []string{"a"}, do(s, "COMMAND", "GETKEYS", "SINTERCARD", "1", "a", "LIMIT", "3"))
}
