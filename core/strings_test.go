package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

func TestGetSet(t *testing.T) {
	s := newTestSession(t)
	expectNil(t, do(s, "GET", "k"))
	expectOK(t, do(s, "SET", "k", "v"))
	expectBulk(t, "v", do(s, "GET", "k"))
	expectOK(t, do(s, "SET", "k", ""))
	expectBulk(t, "", do(s, "GET", "k"))
	expectBulk(t, "", do(s, "SET", "k", "x", "GET"))
	expectNil(t, do(s, "SET", "k", "y", "NX"))
	expectOK(t, do(s, "SET", "k", "y", "XX"))
	expectNil(t, do(s, "SET", "absent", "y", "XX"))
	expectErr(t, "ERR syntax error", do(s, "SET", "k", "v", "NX", "XX"))
	expectErr(t, "ERR invalid expire time in 'set' command", do(s, "SET", "k", "v", "EX", "0"))
	expectErr(t, "ERR value is not an integer", do(s, "SET", "k", "v", "EX", "x"))
}

func TestSetBinarySafe(t *testing.T) {
	s := newTestSession(t)
	key := string([]byte{0, 1, 0xff})
	val := string([]byte{0, 0, 0x80, '\r', '\n'})
	expectOK(t, do(s, "SET", key, val))
	expectBulk(t, val, do(s, "GET", key))
	expectInt(t, 5, do(s, "STRLEN", key))
}

func TestExpiryHidesValueBeforeSweep(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "k", "v", "PX", "30"))
	expectBulk(t, "v", do(s, "GET", "k"))
	time.Sleep(40 * time.Millisecond)
	expectNil(t, do(s, "GET", "k"))
	expectInt(t, 0, do(s, "STRLEN", "k"))
	// The value can be set again, without the old TTL.
	expectOK(t, do(s, "SET", "k", "v2", "KEEPTTL"))
	expectBulk(t, "v2", do(s, "GET", "k"))
}

func TestSweeperDeletesExpiredKeys(t *testing.T) {
	s := newTestSession(t)
	for i := 0; i < 500; i++ {
		expectOK(t, do(s, "SET", "k"+string(rune('a'+i%26))+string(rune(i)), "v", "PX", "1"))
	}
	require.Eventually(t, func() bool {
		v := do(s, "DBSIZE")
		return v.Int == 0
	}, 5*time.Second, 20*time.Millisecond)
	require.EqualValues(t, 500, s.store.stats.expiredKeys.Load())
}

func TestIncrFamily(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 1, do(s, "INCR", "n"))
	expectInt(t, 11, do(s, "INCRBY", "n", "10"))
	expectInt(t, 10, do(s, "DECR", "n"))
	expectInt(t, 0, do(s, "DECRBY", "n", "10"))
	expectOK(t, do(s, "SET", "n", "9223372036854775807"))
	expectErr(t, "ERR increment or decrement would overflow", do(s, "INCR", "n"))
	expectBulk(t, "9223372036854775807", do(s, "GET", "n"))
	expectOK(t, do(s, "SET", "f", "10.50"))
	expectBulk(t, "10.6", do(s, "INCRBYFLOAT", "f", "0.1"))
	expectBulk(t, "5.6", do(s, "INCRBYFLOAT", "f", "-5"))
}

func TestConcurrentIncrIsExact(t *testing.T) {
	db := openTestDB(t)
	const workers, each = 8, 200
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			s := db.NewSession()
			defer s.Close()
			for i := 0; i < each; i++ {
				do(s, "INCR", "counter")
			}
		}()
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	s := db.NewSession()
	defer s.Close()
	expectBulk(t, "1600", do(s, "GET", "counter"))
}

// The write paths SET and the read-modify-write commands take: an existing
// string (one UPDATE), a free name (one INSERT), a name held by another
// type or by an expired key (the general path), each leaving the same
// state and counts behind.
func TestStringWritePaths(t *testing.T) {
	s := newTestSession(t)
	expired := func(key string, create ...string) {
		t.Helper()
		do(s, "DEL", key)
		do(s, create...)
		expectInt(t, 1, do(s, "PEXPIRE", key, "1"))
		time.Sleep(5 * time.Millisecond)
	}
	expectOK(t, do(s, "SET", "new", "1"))
	expectOK(t, do(s, "SET", "new", "2", "EX", "100"))
	expectBulk(t, "2", do(s, "GET", "new"))
	expectInt(t, 100, do(s, "TTL", "new"))
	expectOK(t, do(s, "SET", "new", "3"))
	expectInt(t, -1, do(s, "TTL", "new"))

	expectInt(t, 1, do(s, "HSET", "h", "f", "v"))
	expectOK(t, do(s, "SET", "h", "s", "PX", "100000"))
	expectBulk(t, "s", do(s, "GET", "h"))
	require.Equal(t, "string", string(do(s, "TYPE", "h").Str))
	expectInt(t, 1, do(s, "EXISTS", "h"))

	expired("h2", "HSET", "h2", "f", "v")
	expectOK(t, do(s, "SET", "h2", "s"))
	expectBulk(t, "s", do(s, "GET", "h2"))
	expectInt(t, -1, do(s, "TTL", "h2"))

	expired("s2", "SET", "s2", "old")
	expectOK(t, do(s, "SET", "s2", "fresh"))
	expectBulk(t, "fresh", do(s, "GET", "s2"))
	expectInt(t, -1, do(s, "TTL", "s2"))
	expectInt(t, 4, do(s, "DBSIZE"))

	// Read-modify-write commands read the key and its value in one
	// statement: an expired value is gone, another type is refused.
	expired("n", "SET", "n", "41")
	expectInt(t, 1, do(s, "INCR", "n"))
	expectInt(t, -1, do(s, "TTL", "n"))
	expectOK(t, do(s, "SET", "n", "41", "EX", "100"))
	expectInt(t, 42, do(s, "INCR", "n"))
	expectInt(t, 100, do(s, "TTL", "n"))
	expectOK(t, do(s, "SET", "word", "abc"))
	expectErr(t, "ERR value is not an integer", do(s, "INCR", "word"))
	expectInt(t, 1, do(s, "HSET", "hash", "f", "v"))
	expectErr(t, "WRONGTYPE", do(s, "INCRBY", "hash", "1"))
	expectErr(t, "WRONGTYPE", do(s, "INCRBYFLOAT", "hash", "1"))
	expectErr(t, "WRONGTYPE", do(s, "APPEND", "hash", "1"))
	expectErr(t, "WRONGTYPE", do(s, "SETRANGE", "hash", "0", "x"))
	expired("f", "SET", "f", "1.5")
	expectBulk(t, "2", do(s, "INCRBYFLOAT", "f", "2"))
	expired("a", "SET", "a", "old")
	expectInt(t, 3, do(s, "APPEND", "a", "new"))
	expectInt(t, 6, do(s, "APPEND", "a", "new"))
	expectBulk(t, "newnew", do(s, "GET", "a"))
	expectOK(t, do(s, "SET", "empty", ""))
	expectInt(t, 1, do(s, "APPEND", "empty", "x"))
	expired("r", "SET", "r", "old")
	expectInt(t, 3, do(s, "SETRANGE", "r", "1", "ab"))
	expectBulk(t, "\x00ab", do(s, "GET", "r"))
	expectInt(t, 3, do(s, "SETRANGE", "r", "0", ""))
	expectInt(t, 11, do(s, "DBSIZE"))
}

// WATCH sees every kind of write path.
func TestStringWritePathsBreakWatch(t *testing.T) {
	db := openTestDB(t)
	s, other := newSessionOn(t, db), newSessionOn(t, db)
	for _, write := range [][]string{
		{"SET", "k", "created"}, {"SET", "k", "same-type"}, {"INCR", "n"}, {"INCR", "n"},
		{"APPEND", "k", "x"}, {"SETRANGE", "k", "0", "y"}, {"INCRBYFLOAT", "n", "1"},
	} {
		expectOK(t, do(s, "WATCH", write[1]))
		expectOK(t, do(s, "MULTI"))
		do(s, "PING")
		do(other, write...)
		v := do(s, "EXEC")
		require.Equal(t, resp.NilArray, v.Kind, "%v did not break WATCH: %s", write, show(v))
	}
}
