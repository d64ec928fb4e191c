package core

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// Key-miss events: which keys send them, in what order among the command's
// other events, and nothing while 'm' is off. tests/diff/keymiss.txt compares
// every command with Redis.
func TestKeyMissEvents(t *testing.T) {
	s := newTestSession(t)
	l := recordEvents(t, s)
	expectOK(t, do(s, "SET", "str", "v"))
	do(s, "SADD", "set", "a")
	l.take()

	// Off (A does not include m).
	do(s, "GET", "nope")
	require.Empty(t, l.take())

	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "Em"))
	do(s, "GET", "nope")
	do(s, "MGET", "str", "a", "b")
	do(s, "EXISTS", "a", "a")
	require.Equal(t, []string{"0:keymiss:nope", "0:keymiss:a", "0:keymiss:b", "0:keymiss:a", "0:keymiss:a"}, l.take())

	// Writes send none, except the few that read first: the key-miss event
	// comes before the command's own.
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "KEAm"))
	do(s, "INCR", "n")
	do(s, "DEL", "nope")
	require.Equal(t, []string{"0:incrby:n"}, l.take())
	do(s, "GETSET", "g", "v")
	require.Equal(t, []string{"0:keymiss:g", "0:set:g"}, l.take())
	do(s, "SUNIONSTORE", "dst", "m1", "set")
	require.Equal(t, []string{"0:keymiss:m1", "0:sunionstore:dst"}, l.take())

	// Refused for its arguments: none. Stopped at a key of another type:
	// the keys before it only.
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "Em"))
	expectErr(t, "ERR value is not an integer", do(s, "GETRANGE", "nope", "a", "b"))
	expectErr(t, "WRONGTYPE", do(s, "SUNION", "m1", "str", "m2"))
	require.Equal(t, []string{"0:keymiss:m1"}, l.take())
	expectErr(t, "ERR no such key", do(s, "XINFO", "STREAM", "nope"))
	require.Equal(t, []string{"0:keymiss:nope"}, l.take())

	// An expired key is a miss; OBJECT never sends one.
	expectOK(t, do(s, "SET", "exp", "v", "PX", "1"))
	time.Sleep(5 * time.Millisecond)
	do(s, "GET", "exp")
	do(s, "OBJECT", "ENCODING", "nope")
	require.Equal(t, []string{"0:keymiss:exp"}, l.take())

	// XREAD looks each stream up twice, in two passes, before it blocks.
	r := make(chan struct{})
	go func() {
		defer close(r)
		s2 := s.store.NewSession()
		defer s2.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		s2.DoContext(ctx, [][]byte{[]byte("XREAD"), []byte("BLOCK"), []byte("0"), []byte("STREAMS"), []byte("s1"), []byte("s2"), []byte("$"), []byte("$")})
	}()
	<-r
	require.Equal(t, []string{"0:keymiss:s1", "0:keymiss:s2", "0:keymiss:s1", "0:keymiss:s2"}, l.take())

	// Inside MULTI they come with EXEC, in order.
	expectOK(t, do(s, "MULTI"))
	do(s, "GET", "q1")
	do(s, "SET", "q1", "v")
	do(s, "GET", "q1")
	do(s, "GET", "q2")
	do(s, "EXEC")
	require.Equal(t, []string{"0:keymiss:q1", "0:keymiss:q2"}, l.take())
}

// Pipelined commands (DoPipeline, as the server runs them) send the same
// events as commands sent one by one.
func TestKeyMissEventsPipelined(t *testing.T) {
	s := newTestSession(t)
	l := recordEvents(t, s)
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "Em"))
	var argvs [][][]byte
	for _, k := range []string{"p1", "p2", "p3"} {
		argvs = append(argvs, [][]byte{[]byte("GET"), []byte(k)})
	}
	argvs = append(argvs, [][]byte{[]byte("SET"), []byte("p2"), []byte("v")}, [][]byte{[]byte("GET"), []byte("p2")},
		[][]byte{[]byte("GETSET"), []byte("p4"), []byte("v")}, [][]byte{[]byte("HGET"), []byte("h"), []byte("f")})
	n := 0
	s.DoPipeline(argvs, func(resp.Value) { n++ })
	require.Equal(t, len(argvs), n)
	require.Equal(t, []string{"0:keymiss:p1", "0:keymiss:p2", "0:keymiss:p3", "0:keymiss:p4", "0:keymiss:h"}, l.take())
}
