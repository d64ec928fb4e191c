package core

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// inWrite runs fn in a write transaction of s's database, for tests that
// look at or arrange storage directly.
func inWrite(t testing.TB, s *Session, fn func(tx *Tx)) {
	t.Helper()
	var tx Tx
	tx.begin(s.store, s)
	v := s.store.write(&tx, func(tx *Tx) resp.Value { fn(tx); return resp.OK() })
	require.False(t, v.IsError(), "storage: %s", show(v))
}

// hashRowCount counts the stored fields of key, bypassing keys.count.
func hashRowCount(t testing.TB, s *Session, key string) (rowsN int64, count int64, exists bool) {
	inWrite(t, s, func(tx *Tx) {
		k, found := tx.lookup([]byte(key))
		exists = found
		count = k.Count
		rowsN = tx.queryInt(`SELECT count(*) FROM hashes WHERE key_id = ?`, 0, k.ID)
	})
	return
}

// checkCount asserts keys.count matches the stored fields.
func checkCount(t testing.TB, s *Session, key string, want int64) {
	t.Helper()
	n, count, exists := hashRowCount(t, s, key)
	require.Equal(t, want, n, "stored fields of %s", key)
	require.Equal(t, want, count, "keys.count of %s", key)
	require.Equal(t, want > 0, exists, "existence of %s", key)
}

func expectPairs(t testing.TB, want []string, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Map, v.Kind, "reply %s", show(v))
	got := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		got[i] = string(e.Str)
	}
	if want == nil {
		want = []string{}
	}
	require.Equal(t, want, got)
}

func TestHSetHGet(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 1, do(s, "HSET", "h", "f", "v"))
	expectInt(t, 0, do(s, "HSET", "h", "f", "v2"))
	expectInt(t, 2, do(s, "HSET", "h", "a", "1", "b", "2", "f", "v3"))
	expectBulk(t, "v3", do(s, "HGET", "h", "f"))
	expectNil(t, do(s, "HGET", "h", "nope"))
	expectNil(t, do(s, "HGET", "nokey", "f"))
	// A field repeated in one command counts once and keeps the last value.
	expectInt(t, 1, do(s, "HSET", "h", "dup", "1", "dup", "2"))
	expectBulk(t, "2", do(s, "HGET", "h", "dup"))
	expectOK(t, do(s, "HMSET", "h", "m", "x"))
	expectPairs(t, []string{"f", "v3", "a", "1", "b", "2", "dup", "2", "m", "x"}, do(s, "HGETALL", "h"))
	checkCount(t, s, "h", 5)
	expectErr(t, "ERR wrong number of arguments for 'hset' command", do(s, "HSET", "h", "f", "v", "g"))
	expectErr(t, "ERR wrong number of arguments for 'hmset' command", do(s, "HMSET", "h", "f"))
	checkCount(t, s, "h", 5)
}

func TestHashBinaryAndEmpty(t *testing.T) {
	s := newTestSession(t)
	field := string([]byte{0, 0xff, '\r', '\n'})
	val := string([]byte{0, 1, 2, 0x80})
	expectInt(t, 3, do(s, "HSET", "h", field, val, "", "empty-field", "empty-value", ""))
	expectBulk(t, val, do(s, "HGET", "h", field))
	expectBulk(t, "empty-field", do(s, "HGET", "h", ""))
	expectBulk(t, "", do(s, "HGET", "h", "empty-value"))
	expectInt(t, 4, do(s, "HSTRLEN", "h", field))
	expectInt(t, 0, do(s, "HSTRLEN", "h", "empty-value"))
	expectInt(t, 1, do(s, "HEXISTS", "h", ""))
	expectInt(t, 0, do(s, "HEXISTS", "h", string([]byte{0})))
	expectStrings(t, []string{field, "", "empty-value"}, do(s, "HKEYS", "h"))
	expectStrings(t, []string{val, "empty-field", ""}, do(s, "HVALS", "h"))
}

func TestHashWrongType(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "s", "v"))
	for _, argv := range [][]string{
		{"HSET", "s", "f", "v"}, {"HMSET", "s", "f", "v"}, {"HSETNX", "s", "f", "v"}, {"HGET", "s", "f"},
		{"HMGET", "s", "f"}, {"HGETALL", "s"}, {"HKEYS", "s"}, {"HVALS", "s"}, {"HDEL", "s", "f"},
		{"HEXISTS", "s", "f"}, {"HLEN", "s"}, {"HSTRLEN", "s", "f"}, {"HINCRBY", "s", "f", "1"},
		{"HINCRBYFLOAT", "s", "f", "1"}, {"HRANDFIELD", "s"}, {"HRANDFIELD", "s", "2"}, {"HSCAN", "s", "0"},
	} {
		expectErr(t, "WRONGTYPE", do(s, argv...))
	}
	expectBulk(t, "v", do(s, "GET", "s"))
	// Argument errors come first where Redis checks them first.
	expectErr(t, "ERR value is not an integer", do(s, "HINCRBY", "s", "f", "x"))
	expectErr(t, "ERR value is not a valid float", do(s, "HINCRBYFLOAT", "s", "f", "x"))
	expectErr(t, "ERR value is NaN or Infinity", do(s, "HINCRBYFLOAT", "s", "f", "inf"))
	expectErr(t, "ERR invalid cursor", do(s, "HSCAN", "s", "x"))
	expectErr(t, "ERR syntax error", do(s, "HRANDFIELD", "s", "1", "x"))
}

func TestHashDisappearsWhenEmpty(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 3, do(s, "HSET", "h", "a", "1", "b", "2", "c", "3"))
	expectInt(t, 2, do(s, "HDEL", "h", "a", "a", "b", "zz"))
	checkCount(t, s, "h", 1)
	expectInt(t, 0, do(s, "HDEL", "h", "a"))
	expectInt(t, 1, do(s, "HDEL", "h", "c"))
	checkCount(t, s, "h", 0)
	expectNil(t, do(s, "GET", "h")) // no WRONGTYPE: the key is gone
	expectInt(t, 0, do(s, "HLEN", "h"))
	expectInt(t, 0, do(s, "HDEL", "h", "c"))
	// The name is free for any type.
	expectOK(t, do(s, "SET", "h", "v"))
}

func TestHSetNX(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 1, do(s, "HSETNX", "h", "f", "v"))
	expectInt(t, 0, do(s, "HSETNX", "h", "f", "other"))
	expectBulk(t, "v", do(s, "HGET", "h", "f"))
	expectInt(t, 1, do(s, "HSETNX", "h", "g", "w"))
	checkCount(t, s, "h", 2)
}

func TestHMGet(t *testing.T) {
	s := newTestSession(t)
	do(s, "HSET", "h", "a", "1", "b", "")
	v := do(s, "HMGET", "h", "a", "zz", "b", "a")
	require.Equal(t, resp.Array, v.Kind)
	require.Len(t, v.Elems, 4)
	require.Equal(t, "1", string(v.Elems[0].Str))
	require.Equal(t, resp.Nil, v.Elems[1].Kind)
	require.Equal(t, resp.Bulk, v.Elems[2].Kind)
	require.Equal(t, "", string(v.Elems[2].Str))
	require.Equal(t, "1", string(v.Elems[3].Str))
	v = do(s, "HMGET", "nokey", "a", "b")
	require.Len(t, v.Elems, 2)
	require.Equal(t, resp.Nil, v.Elems[0].Kind)
}

func TestHIncrBy(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 5, do(s, "HINCRBY", "h", "n", "5"))
	expectInt(t, -5, do(s, "HINCRBY", "h", "n", "-10"))
	expectBulk(t, "-5", do(s, "HGET", "h", "n"))
	checkCount(t, s, "h", 1)
	do(s, "HSET", "h", "max", "9223372036854775807", "txt", "abc", "sp", " 1", "min", "-9223372036854775808")
	expectErr(t, "ERR increment or decrement would overflow", do(s, "HINCRBY", "h", "max", "1"))
	expectErr(t, "ERR increment or decrement would overflow", do(s, "HINCRBY", "h", "min", "-1"))
	expectInt(t, 9223372036854775806, do(s, "HINCRBY", "h", "max", "-1"))
	expectErr(t, "ERR hash value is not an integer", do(s, "HINCRBY", "h", "txt", "1"))
	expectErr(t, "ERR hash value is not an integer", do(s, "HINCRBY", "h", "sp", "1"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "HINCRBY", "h", "n", "1.0"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "HINCRBY", "h", "n", "9223372036854775808"))
	expectBulk(t, "abc", do(s, "HGET", "h", "txt"))
	checkCount(t, s, "h", 5)
	// A failed increment on a new key creates nothing.
	expectErr(t, "ERR value is not an integer", do(s, "HINCRBY", "new", "f", "x"))
	checkCount(t, s, "new", 0)
}

func TestHIncrByFloat(t *testing.T) {
	s := newTestSession(t)
	expectBulk(t, "10.5", do(s, "HINCRBYFLOAT", "h", "f", "10.5"))
	expectBulk(t, "10.6", do(s, "HINCRBYFLOAT", "h", "f", "0.1"))
	expectBulk(t, "5.6", do(s, "HINCRBYFLOAT", "h", "f", "-5"))
	expectBulk(t, "5200", do(s, "HINCRBYFLOAT", "h", "e", "5.2e3"))
	do(s, "HSET", "h", "txt", "abc", "inf", "inf", "huge", "1e400")
	expectErr(t, "ERR hash value is not a float", do(s, "HINCRBYFLOAT", "h", "txt", "1"))
	expectErr(t, "ERR increment would produce NaN or Infinity", do(s, "HINCRBYFLOAT", "h", "inf", "1"))
	expectErr(t, "ERR value is NaN or Infinity", do(s, "HINCRBYFLOAT", "h", "f", "-inf"))
	expectErr(t, "ERR value is not a valid float", do(s, "HINCRBYFLOAT", "h", "f", "nan"))
	expectErr(t, "ERR value is not a valid float", do(s, "HINCRBYFLOAT", "h", "f", "1e5000"))
	// Long doubles reach past a double's range, as strtold does in Redis.
	v := do(s, "HINCRBYFLOAT", "h", "huge", "1")
	require.Equal(t, resp.Bulk, v.Kind, show(v))
	require.Len(t, v.Str, 401)
	require.True(t, strings.HasPrefix(string(v.Str), "1000000000000000000028188"))
	expectBulk(t, "0", do(s, "HINCRBYFLOAT", "h", "z", "1e-400"))
	expectBulk(t, "5.6", do(s, "HGET", "h", "f"))
	checkCount(t, s, "h", 6)
}

func TestIncrByFloatBeyondDouble(t *testing.T) {
	// The same parser serves INCRBYFLOAT.
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "k", "1e400"))
	v := do(s, "INCRBYFLOAT", "k", "1")
	require.Equal(t, resp.Bulk, v.Kind, show(v))
	require.Len(t, v.Str, 401)
	expectErr(t, "ERR value is not a valid float", do(s, "INCRBYFLOAT", "k", "1e4933"))
	expectErr(t, "ERR value is not a valid float", do(s, "INCRBYFLOAT", "k", "1e-5000"))
	expectErr(t, "ERR value is not a valid float", do(s, "INCRBYFLOAT", "k", " 1e400"))
	expectErr(t, "ERR value is not a valid float", do(s, "INCRBYFLOAT", "k", "1_0e400"))
}

func TestHashReplacesExpiredKeys(t *testing.T) {
	s := newTestSession(t)
	// An expired string gives way to a hash.
	expectOK(t, do(s, "SET", "k", "v", "PX", "20"))
	expectErr(t, "WRONGTYPE", do(s, "HSET", "k", "f", "v"))
	time.Sleep(30 * time.Millisecond)
	expectInt(t, 1, do(s, "HSET", "k", "f", "v"))
	checkCount(t, s, "k", 1)
	// An expired hash reads as missing, and writes start a new one.
	for _, write := range [][]string{
		{"HSET", "h", "new", "1"}, {"HSETNX", "h", "new", "1"}, {"HINCRBY", "h", "new", "1"}, {"HINCRBYFLOAT", "h", "new", "1"},
	} {
		do(s, "HSET", "h", "old1", "x", "old2", "y")
		inWrite(t, s, func(tx *Tx) {
			k, _ := tx.lookup([]byte("h"))
			tx.setExpire(k.ID, tx.Now-1)
		})
		expectNil(t, do(s, "HGET", "h", "old1"))
		expectInt(t, 0, do(s, "HLEN", "h"))
		expectInt(t, 0, do(s, "HEXISTS", "h", "old1"))
		expectNil(t, do(s, "HRANDFIELD", "h"))
		expectPairs(t, nil, do(s, "HGETALL", "h"))
		require.False(t, do(s, write...).IsError())
		expectPairs(t, []string{"new", "1"}, do(s, "HGETALL", "h"))
		checkCount(t, s, "h", 1)
		inWrite(t, s, func(tx *Tx) {
			k, _ := tx.lookup([]byte("h"))
			require.Zero(t, k.Expire, "%s left a TTL", write[0])
		})
		do(s, "HDEL", "h", "new")
	}
}

func TestHashWritesKeepTTL(t *testing.T) {
	s := newTestSession(t)
	do(s, "HSET", "h", "a", "1")
	var expire int64
	inWrite(t, s, func(tx *Tx) {
		k, _ := tx.lookup([]byte("h"))
		expire = tx.Now + 100000
		tx.setExpire(k.ID, expire)
	})
	do(s, "HSET", "h", "b", "2")
	do(s, "HSETNX", "h", "c", "3")
	do(s, "HINCRBY", "h", "a", "1")
	do(s, "HINCRBYFLOAT", "h", "a", "1")
	do(s, "HDEL", "h", "b")
	inWrite(t, s, func(tx *Tx) {
		k, _ := tx.lookup([]byte("h"))
		require.Equal(t, expire, k.Expire)
	})
}

// watchAborts reports whether write, run by another client after WATCH,
// makes EXEC abort.
func watchAborts(t *testing.T, s, other *Session, write ...string) bool {
	t.Helper()
	expectOK(t, do(s, "WATCH", "h"))
	do(other, write...)
	expectOK(t, do(s, "MULTI"))
	do(s, "HLEN", "h")
	v := do(s, "EXEC")
	return v.Kind == resp.NilArray
}

func TestHashWritesSignalWatchers(t *testing.T) {
	s := newTestSession(t)
	other := s.store.NewSession()
	defer other.Close()
	do(s, "HSET", "h", "f", "v")
	require.True(t, watchAborts(t, s, other, "HSET", "h", "f", "v"))
	require.True(t, watchAborts(t, s, other, "HSET", "h", "g", "v"))
	require.True(t, watchAborts(t, s, other, "HMSET", "h", "g", "w"))
	require.True(t, watchAborts(t, s, other, "HSETNX", "h", "n", "v"))
	require.True(t, watchAborts(t, s, other, "HINCRBY", "h", "i", "1"))
	require.True(t, watchAborts(t, s, other, "HINCRBYFLOAT", "h", "i", "1"))
	require.True(t, watchAborts(t, s, other, "HDEL", "h", "n"))
	// Commands that change nothing leave watchers alone, as in Redis.
	require.False(t, watchAborts(t, s, other, "HSETNX", "h", "f", "other"))
	require.False(t, watchAborts(t, s, other, "HDEL", "h", "absent"))
	require.False(t, watchAborts(t, s, other, "HGET", "h", "f"))
	require.False(t, watchAborts(t, s, other, "HINCRBY", "h", "f", "1")) // fails: not an integer
}

func TestHashInMulti(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "MULTI"))
	for _, argv := range [][]string{{"HSET", "h", "a", "1"}, {"HINCRBY", "h", "a", "2"}, {"HGETALL", "h"}, {"HDEL", "h", "a"}} {
		require.Equal(t, "QUEUED", string(do(s, argv...).Str))
	}
	v := do(s, "EXEC")
	require.Equal(t, resp.Array, v.Kind, show(v))
	require.Equal(t, int64(1), v.Elems[0].Int)
	require.Equal(t, int64(3), v.Elems[1].Int)
	expectPairs(t, []string{"a", "3"}, v.Elems[2])
	checkCount(t, s, "h", 0)
}

func TestConcurrentHIncrByIsExact(t *testing.T) {
	db := openTestDB(t)
	const workers, each = 6, 100
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s := db.NewSession()
			defer s.Close()
			for i := 0; i < each; i++ {
				do(s, "HINCRBY", "h", "total", "1")
				do(s, "HSET", "h", fmt.Sprintf("w%d-%d", w, i), "x")
			}
		}(w)
	}
	wg.Wait()
	s := db.NewSession()
	defer s.Close()
	expectBulk(t, strconv.Itoa(workers*each), do(s, "HGET", "h", "total"))
	checkCount(t, s, "h", workers*each+1)
}

func TestHRandField(t *testing.T) {
	s := newTestSession(t)
	expectNil(t, do(s, "HRANDFIELD", "h"))
	expectStrings(t, nil, do(s, "HRANDFIELD", "h", "5"))
	fields := map[string]string{}
	argv := []string{"HSET", "h"}
	for i := 0; i < 20; i++ {
		f := fmt.Sprintf("f%02d", i)
		fields[f] = fmt.Sprintf("v%d", i)
		argv = append(argv, f, fields[f])
	}
	do(s, argv...)
	for i := 0; i < 20; i++ {
		v := do(s, "HRANDFIELD", "h")
		require.Contains(t, fields, string(v.Str))
	}
	expectStrings(t, nil, do(s, "HRANDFIELD", "h", "0"))
	// Positive counts: distinct fields, all of them once count >= size.
	for _, n := range []int{1, 5, 19, 20, 25} {
		v := do(s, "HRANDFIELD", "h", strconv.Itoa(n), "WITHVALUES")
		require.Len(t, v.Elems, 2*min(n, 20))
		seen := map[string]bool{}
		for i := 0; i < len(v.Elems); i += 2 {
			f := string(v.Elems[i].Str)
			require.False(t, seen[f], "duplicate %s", f)
			seen[f] = true
			require.Equal(t, fields[f], string(v.Elems[i+1].Str))
		}
	}
	// Negative counts repeat fields; over many draws every field shows up.
	v := do(s, "HRANDFIELD", "h", "-2000")
	require.Len(t, v.Elems, 2000)
	counts := map[string]int{}
	for _, e := range v.Elems {
		require.Contains(t, fields, string(e.Str))
		counts[string(e.Str)]++
	}
	require.Len(t, counts, 20)
	v = do(s, "HRANDFIELD", "h", "-3", "WITHVALUES")
	require.Len(t, v.Elems, 6)
	for i := 0; i < 6; i += 2 {
		require.Equal(t, fields[string(v.Elems[i].Str)], string(v.Elems[i+1].Str))
	}
	// Distinct picks are spread over the hash, not always its start.
	firsts := map[string]bool{}
	for i := 0; i < 50; i++ {
		firsts[string(do(s, "HRANDFIELD", "h", "3").Elems[0].Str)] = true
	}
	require.Greater(t, len(firsts), 5)
	expectErr(t, "ERR value is out of range", do(s, "HRANDFIELD", "h", "-5000000"))
	expectErr(t, "ERR value is out of range, value must between", do(s, "HRANDFIELD", "h", "-9223372036854775808"))
	expectErr(t, "ERR value is out of range", do(s, "HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"))
	expectErr(t, "ERR syntax error", do(s, "HRANDFIELD", "h", "1", "WITHVALUE"))
}

func TestHRandFieldRESP3(t *testing.T) {
	s := newTestSession(t)
	do(s, "HSET", "h", "a", "1", "b", "2")
	s.Proto = 3
	v := do(s, "HRANDFIELD", "h", "5", "WITHVALUES")
	require.Equal(t, resp.Array, v.Kind)
	require.Len(t, v.Elems, 2)
	require.Equal(t, "a", string(v.Elems[0].Elems[0].Str))
	require.Equal(t, "1", string(v.Elems[0].Elems[1].Str))
	require.Equal(t, "b", string(v.Elems[1].Elems[0].Str))
	v = do(s, "HRANDFIELD", "h", "-3", "WITHVALUES")
	require.Len(t, v.Elems, 3)
	for _, pair := range v.Elems {
		require.Equal(t, resp.Array, pair.Kind)
		require.Len(t, pair.Elems, 2)
	}
	expectStrings(t, []string{"a", "b"}, do(s, "HRANDFIELD", "h", "2"))
	require.Equal(t, "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", string(resp.Append(nil, do(s, "HGETALL", "h"), 3)))
}

// hscanAll iterates HSCAN to the end and returns every field seen, with
// how many times, and the number of calls.
func hscanAll(t *testing.T, s *Session, key string, count int, between func(call int)) (map[string]int, int) {
	t.Helper()
	seen := map[string]int{}
	cursor, calls := "0", 0
	for {
		v := do(s, "HSCAN", key, cursor, "COUNT", strconv.Itoa(count))
		require.Equal(t, resp.Array, v.Kind, show(v))
		cursor = string(v.Elems[0].Str)
		for i := 0; i < len(v.Elems[1].Elems); i += 2 {
			seen[string(v.Elems[1].Elems[i].Str)]++
		}
		calls++
		require.Less(t, calls, 10000, "HSCAN never ended")
		if cursor == "0" {
			return seen, calls
		}
		if between != nil {
			between(calls)
		}
	}
}

func TestHScanSmallHashIsOneReply(t *testing.T) {
	s := newTestSession(t)
	do(s, "HSET", "h", "a", "1", "b", "2", "c", "3")
	for _, cursor := range []string{"0", "7", "18446744073709551615", "-1", ""} {
		v := do(s, "HSCAN", "h", cursor, "COUNT", "1")
		require.Equal(t, "0", string(v.Elems[0].Str))
		expectStrings(t, []string{"a", "1", "b", "2", "c", "3"}, v.Elems[1])
	}
	v := do(s, "HSCAN", "h", "0", "MATCH", "[ab]")
	expectStrings(t, []string{"a", "1", "b", "2"}, v.Elems[1])
	expectErr(t, "ERR syntax error", do(s, "HSCAN", "h", "0", "COUNT", "0"))
	expectErr(t, "ERR syntax error", do(s, "HSCAN", "h", "0", "TYPE", "hash"))
	expectErr(t, "ERR invalid cursor", do(s, "HSCAN", "h", "18446744073709551616"))
	// A missing key answers before the options are looked at.
	v = do(s, "HSCAN", "nokey", "0", "COUNT", "0")
	require.Equal(t, "0", string(v.Elems[0].Str))
	require.Empty(t, v.Elems[1].Elems)
}

func TestHScanPagesLargeHashes(t *testing.T) {
	s := newTestSession(t)
	argv := []string{"HSET", "h"}
	for i := 0; i < 1000; i++ {
		argv = append(argv, fmt.Sprintf("f%d", i), "v")
	}
	do(s, argv...)
	seen, calls := hscanAll(t, s, "h", 10, nil)
	require.Len(t, seen, 1000)
	for f, n := range seen {
		require.Equal(t, 1, n, "field %s returned %d times", f, n)
	}
	require.Equal(t, 100, calls) // exactly COUNT per call, no empty last page
	// MATCH filters what COUNT examined.
	v := do(s, "HSCAN", "h", "0", "COUNT", "10", "MATCH", "f1*")
	require.NotEqual(t, "0", string(v.Elems[0].Str))
	expectStrings(t, []string{"f1", "v"}, v.Elems[1]) // f0..f9 examined: only f1 matches
}

func TestHScanSurvivesConcurrentWrites(t *testing.T) {
	s := newTestSession(t)
	other := s.store.NewSession()
	defer other.Close()
	argv := []string{"HSET", "h"}
	for i := 0; i < 600; i++ {
		argv = append(argv, fmt.Sprintf("f%d", i), "v")
	}
	do(s, argv...)
	// Between calls another client deletes fields and adds new ones; the
	// fields present throughout must come back exactly once.
	seen, _ := hscanAll(t, s, "h", 7, func(call int) {
		do(other, "HDEL", "h", fmt.Sprintf("f%d", 599-call))
		do(other, "HSET", "h", fmt.Sprintf("new%d", call), "v", fmt.Sprintf("f%d", call), "updated")
	})
	for i := 0; i < 500; i++ {
		require.Equal(t, 1, seen[fmt.Sprintf("f%d", i)], "f%d", i)
	}
}

func TestHScanSmallHashWithLongValuesPages(t *testing.T) {
	s := newTestSession(t)
	long := strings.Repeat("x", 65)
	do(s, "HSET", "h", "a", "1", "b", long, "c", "3")
	v := do(s, "HSCAN", "h", "0", "COUNT", "1")
	require.NotEqual(t, "0", string(v.Elems[0].Str))
	expectStrings(t, []string{"a", "1"}, v.Elems[1])
	seen, calls := hscanAll(t, s, "h", 1, nil)
	require.Equal(t, map[string]int{"a": 1, "b": 1, "c": 1}, seen)
	require.Equal(t, 3, calls)
}

func TestHashEncodingAndCopy(t *testing.T) {
	s := newTestSession(t)
	ops := typeRegistry[TypeHash]
	require.NotNil(t, ops)
	encoding := func(key string) (enc string) {
		inWrite(t, s, func(tx *Tx) {
			k, _ := tx.lookup([]byte(key))
			enc = ops.encoding(tx, k)
		})
		return enc
	}
	do(s, "HSET", "small", "f", strings.Repeat("x", 64))
	require.Equal(t, "listpack", encoding("small"))
	do(s, "HSET", "small", strings.Repeat("y", 65), "v")
	require.Equal(t, "hashtable", encoding("small"))
	argv := []string{"HSET", "big"}
	for i := 0; i < 512; i++ {
		argv = append(argv, strconv.Itoa(i), "v")
	}
	do(s, argv...)
	require.Equal(t, "listpack", encoding("big"))
	do(s, "HSET", "big", "one-more", "v")
	require.Equal(t, "hashtable", encoding("big"))

	do(s, "HSET", "src", "z", "1", "y", "2", "x", "3")
	inWrite(t, s, func(tx *Tx) {
		k, _ := tx.lookup([]byte("src"))
		id := tx.createKey([]byte("dst"), TypeHash, 0, nil)
		ops.copyContents(tx, k.ID, id)
		tx.touchKey(keyInfo{ID: id, Type: TypeHash}, []byte("dst"), k.Count)
	})
	expectPairs(t, []string{"z", "1", "y", "2", "x", "3"}, do(s, "HGETALL", "dst"))
	do(s, "HSET", "dst", "z", "changed")
	expectBulk(t, "1", do(s, "HGET", "src", "z"))
	checkCount(t, s, "dst", 3)
}

func TestHashArity(t *testing.T) {
	s := newTestSession(t)
	for _, argv := range [][]string{
		{"HSET", "h"}, {"HSET", "h", "f"}, {"HSETNX", "h", "f"}, {"HGET", "h"}, {"HMGET", "h"}, {"HGETALL"},
		{"HKEYS", "h", "x"}, {"HVALS"}, {"HDEL", "h"}, {"HEXISTS", "h"}, {"HLEN"}, {"HSTRLEN", "h"},
		{"HINCRBY", "h", "f"}, {"HINCRBYFLOAT", "h", "f", "1", "2"}, {"HRANDFIELD"}, {"HSCAN", "h"},
	} {
		expectErr(t, "ERR wrong number of arguments for '"+strings.ToLower(argv[0])+"' command", do(s, argv...))
	}
}

func TestHashFieldOrderIsInsertionOrder(t *testing.T) {
	s := newTestSession(t)
	fields := []string{"zeta", "alpha", "mid", "beta"}
	for _, f := range fields {
		do(s, "HSET", "h", f, "v")
	}
	do(s, "HSET", "h", "alpha", "again") // an update keeps the field's place
	do(s, "HDEL", "h", "mid")
	do(s, "HSET", "h", "mid", "back") // a re-added field goes last
	expectStrings(t, []string{"zeta", "alpha", "beta", "mid"}, do(s, "HKEYS", "h"))
	got := do(s, "HKEYS", "h")
	names := make([]string, len(got.Elems))
	for i, e := range got.Elems {
		names[i] = string(e.Str)
	}
	require.False(t, sort.StringsAreSorted(names))
}
