package core

import (
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// newLazySession opens a database whose sweeper effectively never runs, so
// expired keys stay in the table and the read paths must hide them.
func newLazySession(t *testing.T) *Session {
	t.Helper()
	db, err := Open(Options{Path: filepath.Join(t.TempDir(), "test.db"), SweepInterval: time.Hour})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	s := db.NewSession()
	t.Cleanup(s.Close)
	return s
}

// eventLog records keyspace notifications as "db:event:key".
type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) keyspaceEvent(db int, _ uint32, event string, key []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf("%d:%s:%s", db, event, key))
}

func (l *eventLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.events
	l.events = nil
	return out
}

// recordEvents enables every keyspace event class and returns their log.
func recordEvents(t *testing.T, s *Session) *eventLog {
	t.Helper()
	l := &eventLog{}
	s.store.events = l // set before the mask is enabled, which orders it for the sweeper
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "KEA"))
	return l
}

func TestDelExistsTypeTouch(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "MSET", "a", "1", "b", "2", "c", "3"))
	expectInt(t, 3, do(s, "EXISTS", "a", "b", "c", "nope"))
	expectInt(t, 2, do(s, "EXISTS", "a", "a"))
	expectInt(t, 2, do(s, "TOUCH", "a", "a", "nope"))
	require.Equal(t, "string", string(do(s, "TYPE", "a").Str))
	require.Equal(t, resp.Status, do(s, "TYPE", "nope").Kind)
	require.Equal(t, "none", string(do(s, "TYPE", "nope").Str))
	expectInt(t, 1, do(s, "DEL", "a", "a", "nope"))
	expectInt(t, 2, do(s, "UNLINK", "b", "c"))
	expectInt(t, 0, do(s, "DEL", "b"))
	expectInt(t, 0, do(s, "DBSIZE"))
	expectErr(t, "ERR wrong number of arguments for 'del' command", do(s, "DEL"))
	expectErr(t, "ERR wrong number of arguments for 'type' command", do(s, "TYPE", "a", "b"))
}

func TestExpiredKeysAreInvisible(t *testing.T) {
	s := newLazySession(t)
	expectOK(t, do(s, "SET", "gone", "v", "PX", "1"))
	expectOK(t, do(s, "SET", "live", "v"))
	time.Sleep(5 * time.Millisecond)
	// The row is still there: the sweeper does not run in this test.
	expectInt(t, 2, do(s, "DBSIZE"))
	expectInt(t, 0, do(s, "EXISTS", "gone"))
	require.Equal(t, "none", string(do(s, "TYPE", "gone").Str))
	expectInt(t, -2, do(s, "TTL", "gone"))
	expectInt(t, -2, do(s, "PEXPIRETIME", "gone"))
	expectNil(t, do(s, "OBJECT", "ENCODING", "gone"))
	expectStrings(t, []string{"live"}, do(s, "KEYS", "*"))
	expectStrings(t, []string{}, do(s, "KEYS", "gone"))
	expectStrings(t, []string{}, do(s, "KEYS", "go*"))
	cursor, keys := scanOnce(t, s, "0")
	require.Equal(t, "0", cursor)
	require.Equal(t, []string{"live"}, keys)
	for i := 0; i < 20; i++ {
		expectBulk(t, "live", do(s, "RANDOMKEY"))
	}
	expectErr(t, "ERR no such key", do(s, "RENAME", "gone", "x"))
	expectInt(t, 0, do(s, "MOVE", "gone", "1"))
	expectInt(t, 0, do(s, "COPY", "gone", "x"))
	expectInt(t, 0, do(s, "DEL", "gone"))
	expectInt(t, 0, do(s, "PERSIST", "gone"))
	expectInt(t, 0, do(s, "EXPIRE", "gone", "100"))
	// The writes above removed the expired row.
	expectInt(t, 1, do(s, "DBSIZE"))
}

func TestRandomKeyOnlyExpired(t *testing.T) {
	s := newLazySession(t)
	expectNil(t, do(s, "RANDOMKEY"))
	expectOK(t, do(s, "SET", "a", "v", "PX", "1"))
	expectOK(t, do(s, "SET", "b", "v", "PX", "1"))
	time.Sleep(5 * time.Millisecond)
	expectNil(t, do(s, "RANDOMKEY"))
}

func TestRandomKeyCoversKeysAndStaysInDB(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SELECT", "3"))
	for i := 0; i < 50; i++ {
		expectOK(t, do(s, "SET", "other"+strconv.Itoa(i), "v"))
	}
	expectOK(t, do(s, "SELECT", "0"))
	expectNil(t, do(s, "RANDOMKEY"))
	want := map[string]bool{"k1": true, "k2": true, "k3": true, "k4": true}
	for k := range want {
		expectOK(t, do(s, "SET", k, "v"))
	}
	seen := map[string]bool{}
	for i := 0; i < 400 && len(seen) < len(want); i++ {
		v := do(s, "RANDOMKEY")
		require.Equal(t, resp.Bulk, v.Kind)
		require.True(t, want[string(v.Str)], "unexpected key %q", v.Str)
		seen[string(v.Str)] = true
	}
	require.Equal(t, want, seen)
}

func TestExpireOptions(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 0, do(s, "EXPIRE", "nope", "10"))
	expectOK(t, do(s, "SET", "k", "v"))
	expectErr(t, "ERR NX and XX, GT or LT options at the same time are not compatible", do(s, "EXPIRE", "k", "10", "NX", "XX"))
	expectErr(t, "ERR NX and XX, GT or LT options at the same time are not compatible", do(s, "EXPIRE", "k", "10", "nx", "gt"))
	expectErr(t, "ERR NX and XX, GT or LT options at the same time are not compatible", do(s, "EXPIRE", "k", "abc", "NX", "LT"))
	expectErr(t, "ERR GT and LT options at the same time are not compatible", do(s, "EXPIRE", "k", "10", "GT", "LT"))
	expectErr(t, "ERR Unsupported option foo", do(s, "EXPIRE", "k", "10", "NX", "XX", "foo"))
	expectErr(t, "ERR Unsupported option a b", do(s, "EXPIRE", "k", "10", "a\nb"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "EXPIRE", "k", "abc"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "EXPIRE", "k", "1.5"))
	expectInt(t, -1, do(s, "TTL", "k"))

	// No TTL: XX and GT fail, LT and NX succeed.
	expectInt(t, 0, do(s, "EXPIRE", "k", "100", "XX"))
	expectInt(t, 0, do(s, "EXPIRE", "k", "100", "GT"))
	expectInt(t, -1, do(s, "TTL", "k"))
	expectInt(t, 1, do(s, "EXPIRE", "k", "100", "LT"))
	expectInt(t, 100, do(s, "TTL", "k"))
	expectInt(t, 1, do(s, "PERSIST", "k"))
	expectInt(t, 0, do(s, "PERSIST", "k"))
	expectInt(t, 1, do(s, "EXPIRE", "k", "100", "NX"))
	expectInt(t, 0, do(s, "EXPIRE", "k", "200", "NX"))
	expectInt(t, 100, do(s, "TTL", "k"))
	// With a TTL: GT only raises it, LT only lowers it.
	expectInt(t, 0, do(s, "EXPIRE", "k", "50", "GT"))
	expectInt(t, 1, do(s, "EXPIRE", "k", "200", "gt"))
	expectInt(t, 200, do(s, "TTL", "k"))
	expectInt(t, 0, do(s, "EXPIRE", "k", "300", "LT"))
	expectInt(t, 1, do(s, "PEXPIRE", "k", "50000", "XX", "LT"))
	expectInt(t, 50, do(s, "TTL", "k"))
	// A time in the past fails GT against any TTL, and deletes under LT.
	expectInt(t, 0, do(s, "EXPIRE", "k", "-1", "GT"))
	expectInt(t, 1, do(s, "EXISTS", "k"))
	expectInt(t, 1, do(s, "EXPIRE", "k", "-1", "LT"))
	expectInt(t, 0, do(s, "EXISTS", "k"))
}

func TestExpireInThePastDeletes(t *testing.T) {
	s := newTestSession(t)
	ev := recordEvents(t, s)
	for _, cmd := range [][]string{
		{"EXPIRE", "k", "0"}, {"EXPIRE", "k", "-10"}, {"PEXPIRE", "k", "0"},
		{"EXPIREAT", "k", "1"}, {"PEXPIREAT", "k", "0"}, {"PEXPIREAT", "k", "-9223372036854775808"},
	} {
		expectOK(t, do(s, "SET", "k", "v"))
		expectInt(t, 1, do(s, cmd...))
		expectInt(t, 0, do(s, "EXISTS", "k"))
	}
	require.Equal(t, []string{"0:set:k", "0:del:k"}, ev.take()[:2])
}

func TestExpireRangeErrors(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "k", "v"))
	for _, cmd := range [][]string{
		{"EXPIRE", "k", "9223372036854775807"},
		{"EXPIRE", "k", "9223372036854776"},
		{"EXPIRE", "k", "9223372036854775"}, // fits in ms, overflows once now is added
		{"EXPIRE", "k", "-9223372036854776"},
		{"PEXPIRE", "k", "9223372036854775807"},
		{"EXPIREAT", "k", "9223372036854776"},
	} {
		expectErr(t, "ERR invalid expire time in '"+lowerString(cmd[0])+"' command", do(s, cmd...))
	}
	expectInt(t, -1, do(s, "TTL", "k"))
	// The extremes that fit are accepted.
	expectInt(t, 1, do(s, "EXPIREAT", "k", "9223372036854775"))
	expectInt(t, 9223372036854775, do(s, "EXPIRETIME", "k"))
	expectInt(t, 1, do(s, "PEXPIREAT", "k", "9223372036854775807"))
	expectInt(t, 9223372036854775807, do(s, "PEXPIRETIME", "k"))
	expectInt(t, 9223372036854776, do(s, "EXPIRETIME", "k"))
	expectInt(t, 1, do(s, "EXPIRE", "k", "-9223372036854775"))
	expectInt(t, 0, do(s, "EXISTS", "k"))
}

func lowerString(s string) string {
	b := []byte(s)
	lowerASCII(b)
	return string(b)
}

func TestTTLRounding(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, -2, do(s, "TTL", "k"))
	expectInt(t, -2, do(s, "PTTL", "k"))
	expectInt(t, -2, do(s, "EXPIRETIME", "k"))
	expectOK(t, do(s, "SET", "k", "v"))
	expectInt(t, -1, do(s, "TTL", "k"))
	expectInt(t, -1, do(s, "PTTL", "k"))
	expectInt(t, -1, do(s, "EXPIRETIME", "k"))
	expectInt(t, -1, do(s, "PEXPIRETIME", "k"))
	for ms, sec := range map[string]int64{"1999999999499": 1999999999, "1999999999500": 2000000000, "1999999999001": 1999999999} {
		expectInt(t, 1, do(s, "PEXPIREAT", "k", ms))
		expectInt(t, sec, do(s, "EXPIRETIME", "k"))
	}
	expectInt(t, 1, do(s, "PEXPIRE", "k", "10400"))
	expectInt(t, 10, do(s, "TTL", "k"))
	pttl := do(s, "PTTL", "k").Int
	require.True(t, pttl > 9000 && pttl <= 10400, "pttl %d", pttl)
	expectInt(t, 1, do(s, "PEXPIRE", "k", "10600"))
	expectInt(t, 11, do(s, "TTL", "k"))
	require.Equal(t, int64(0), roundSeconds(499))
	require.Equal(t, int64(1), roundSeconds(500))
	require.Equal(t, int64(9223372036854776), roundSeconds(9223372036854775807))
}

func TestKeysPatterns(t *testing.T) {
	s := newTestSession(t)
	for _, k := range []string{"user:1", "user:2", "user:10", "users", "u", "a*b", "a\\b", "", "\xff\xff", "\xff\x00", "x\xff"} {
		expectOK(t, do(s, "SET", k, "v"))
	}
	expectOK(t, do(s, "SELECT", "1"))
	expectOK(t, do(s, "SET", "user:3", "other db"))
	expectOK(t, do(s, "SELECT", "0"))
	expectStrings(t, []string{"user:1", "user:10", "user:2"}, do(s, "KEYS", "user:*"))
	expectStrings(t, []string{"user:1", "user:2"}, do(s, "KEYS", "user:?"))
	expectStrings(t, []string{"user:1", "user:10"}, do(s, "KEYS", "user:1*"))
	expectStrings(t, []string{"user:1"}, do(s, "KEYS", "user:1"))
	expectStrings(t, []string{}, do(s, "KEYS", "user:3"))
	expectStrings(t, []string{"user:1", "user:10", "user:2", "users"}, do(s, "KEYS", "user*"))
	expectStrings(t, []string{"a*b"}, do(s, "KEYS", "a\\*b"))
	expectStrings(t, []string{"a*b", "a\\b"}, do(s, "KEYS", "a?b"))
	expectStrings(t, []string{""}, do(s, "KEYS", ""))
	expectStrings(t, []string{"\xff\x00", "\xff\xff"}, do(s, "KEYS", "\xff*"))
	expectStrings(t, []string{"\xff\xff"}, do(s, "KEYS", "\xff\xff*"))
	expectStrings(t, []string{"x\xff"}, do(s, "KEYS", "x*"))
	expectStrings(t, []string{"user:2"}, do(s, "KEYS", "user[:s][^1]*"))
	expectStrings(t, []string{"user:1", "user:10", "user:2", "users"}, do(s, "KEYS", "user[:s]*"))
	all := do(s, "KEYS", "*")
	require.Len(t, all.Elems, 11)
}

// scanOnce runs one SCAN call and returns the next cursor and the keys.
func scanOnce(t *testing.T, s *Session, argv ...string) (string, []string) {
	t.Helper()
	v := do(s, append([]string{"SCAN"}, argv...)...)
	require.Equal(t, resp.Array, v.Kind, "reply %s", show(v))
	require.Len(t, v.Elems, 2)
	keys := []string{}
	for _, e := range v.Elems[1].Elems {
		keys = append(keys, string(e.Str))
	}
	return string(v.Elems[0].Str), keys
}

func TestRenameAndRenameNX(t *testing.T) {
	s := newTestSession(t)
	ev := recordEvents(t, s)
	expectErr(t, "ERR no such key", do(s, "RENAME", "a", "b"))
	expectErr(t, "ERR no such key", do(s, "RENAMENX", "a", "b"))
	expectOK(t, do(s, "SET", "a", "1", "EX", "100"))
	expectOK(t, do(s, "RENAME", "a", "a"))
	expectInt(t, 0, do(s, "RENAMENX", "a", "a"))
	ev.take()
	expectOK(t, do(s, "RENAME", "a", "b"))
	require.Equal(t, []string{"0:rename_from:a", "0:rename_to:b"}, ev.take())
	expectInt(t, 0, do(s, "EXISTS", "a"))
	expectBulk(t, "1", do(s, "GET", "b"))
	expectInt(t, 100, do(s, "TTL", "b")) // the expiry moves with the key
	expectOK(t, do(s, "SET", "c", "2"))
	expectInt(t, 0, do(s, "RENAMENX", "b", "c"))
	expectBulk(t, "2", do(s, "GET", "c"))
	expectOK(t, do(s, "RENAME", "b", "c"))
	expectBulk(t, "1", do(s, "GET", "c"))
	expectInt(t, 100, do(s, "TTL", "c"))
	expectInt(t, 1, do(s, "DBSIZE"))
	expectInt(t, 1, do(s, "RENAMENX", "c", "d"))
	expectStrings(t, []string{"d"}, do(s, "KEYS", "*"))
	// Binary names.
	bin := "k\x00\xff\r\n"
	expectOK(t, do(s, "RENAME", "d", bin))
	expectBulk(t, "1", do(s, "GET", bin))
	expectStrings(t, []string{bin}, do(s, "KEYS", "k\x00*"))
	expectErr(t, "ERR wrong number of arguments for 'rename' command", do(s, "RENAME", "x"))
}

func TestMoveAcrossDatabases(t *testing.T) {
	s := newTestSession(t)
	ev := recordEvents(t, s)
	expectOK(t, do(s, "SET", "k", "v", "EX", "100"))
	expectErr(t, "ERR source and destination objects are the same", do(s, "MOVE", "k", "0"))
	expectErr(t, "ERR source and destination objects are the same", do(s, "MOVE", "nope", "0"))
	expectErr(t, "ERR DB index is out of range", do(s, "MOVE", "k", "16"))
	expectErr(t, "ERR DB index is out of range", do(s, "MOVE", "k", "-1"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "MOVE", "k", "x"))
	expectErr(t, "ERR value is out of range, value must between -2147483648 and 2147483647", do(s, "MOVE", "k", "2147483648"))
	expectInt(t, 0, do(s, "MOVE", "nope", "1"))
	ev.take()
	expectInt(t, 1, do(s, "MOVE", "k", "1"))
	require.Equal(t, []string{"0:move_from:k", "1:move_to:k"}, ev.take())
	expectInt(t, 0, do(s, "EXISTS", "k"))
	expectInt(t, 0, do(s, "DBSIZE"))
	expectOK(t, do(s, "SET", "k", "db0"))
	expectOK(t, do(s, "SELECT", "1"))
	expectBulk(t, "v", do(s, "GET", "k"))
	expectInt(t, 100, do(s, "TTL", "k"))
	expectInt(t, 1, do(s, "DBSIZE"))
	// The destination holds the key: nothing moves.
	expectInt(t, 0, do(s, "MOVE", "k", "0"))
	expectBulk(t, "v", do(s, "GET", "k"))
	expectOK(t, do(s, "SELECT", "0"))
	expectBulk(t, "db0", do(s, "GET", "k"))
}

func TestMoveOntoExpiredKey(t *testing.T) {
	s := newLazySession(t)
	expectOK(t, do(s, "SELECT", "1"))
	expectOK(t, do(s, "SET", "k", "old", "PX", "1"))
	expectOK(t, do(s, "SELECT", "0"))
	expectOK(t, do(s, "SET", "k", "new"))
	time.Sleep(5 * time.Millisecond)
	expectInt(t, 1, do(s, "MOVE", "k", "1"))
	expectOK(t, do(s, "SELECT", "1"))
	expectBulk(t, "new", do(s, "GET", "k"))
	expectInt(t, -1, do(s, "TTL", "k"))
}

func TestCopy(t *testing.T) {
	s := newTestSession(t)
	ev := recordEvents(t, s)
	expectOK(t, do(s, "SET", "src", "value", "EX", "100"))
	expectErr(t, "ERR source and destination objects are the same", do(s, "COPY", "src", "src"))
	expectErr(t, "ERR source and destination objects are the same", do(s, "COPY", "src", "src", "DB", "0"))
	expectErr(t, "ERR syntax error", do(s, "COPY", "src", "dst", "DB"))
	expectErr(t, "ERR syntax error", do(s, "COPY", "src", "dst", "BOGUS"))
	expectErr(t, "ERR syntax error", do(s, "COPY", "src", "dst", "BOGUS", "DB", "x"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "COPY", "src", "dst", "DB", "x", "BOGUS"))
	expectErr(t, "ERR DB index is out of range", do(s, "COPY", "src", "dst", "DB", "16"))
	expectErr(t, "ERR value is out of range, value must between -2147483648 and 2147483647", do(s, "COPY", "src", "dst", "DB", "4294967296"))
	expectInt(t, 0, do(s, "COPY", "nope", "dst"))
	expectInt(t, 0, do(s, "EXISTS", "dst"))
	ev.take()
	expectInt(t, 1, do(s, "COPY", "src", "dst"))
	require.Equal(t, []string{"0:copy_to:dst"}, ev.take())
	expectBulk(t, "value", do(s, "GET", "dst"))
	expectInt(t, 100, do(s, "TTL", "dst"))
	expectOK(t, do(s, "SET", "src", "changed"))
	expectBulk(t, "value", do(s, "GET", "dst")) // a copy, not a link
	expectInt(t, 0, do(s, "COPY", "src", "dst"))
	expectBulk(t, "value", do(s, "GET", "dst"))
	expectInt(t, 1, do(s, "COPY", "src", "dst", "REPLACE"))
	expectBulk(t, "changed", do(s, "GET", "dst"))
	expectInt(t, -1, do(s, "TTL", "dst"))
	// Across databases, same name allowed.
	ev.take()
	expectInt(t, 1, do(s, "COPY", "src", "src", "DB", "2"))
	require.Equal(t, []string{"2:copy_to:src"}, ev.take())
	expectInt(t, 0, do(s, "COPY", "src", "src", "DB", "2"))
	expectInt(t, 1, do(s, "COPY", "src", "src", "replace", "db", "2", "REPLACE"))
	expectOK(t, do(s, "SELECT", "2"))
	expectBulk(t, "changed", do(s, "GET", "src"))
	expectInt(t, 1, do(s, "DBSIZE"))
	expectInt(t, 1, do(s, "COPY", "src", "back", "DB", "0"))
	expectOK(t, do(s, "SELECT", "0"))
	expectBulk(t, "changed", do(s, "GET", "back"))
	expectInt(t, 3, do(s, "DBSIZE"))
	// Binary names and values.
	expectOK(t, do(s, "SET", "b\x00in", "\x00\xff"))
	expectInt(t, 1, do(s, "COPY", "b\x00in", "b\x00in2"))
	expectBulk(t, "\x00\xff", do(s, "GET", "b\x00in2"))
}

// watchThen watches key on a fresh session, runs the change on another, and
// reports whether the transaction then commits.
func watchThen(t *testing.T, db *DB, watchDB int, key string, change ...[]string) bool {
	t.Helper()
	w := db.NewSession()
	defer w.Close()
	o := db.NewSession()
	defer o.Close()
	expectOK(t, do(w, "SELECT", strconv.Itoa(watchDB)))
	expectOK(t, do(w, "WATCH", key))
	for _, c := range change {
		r := do(o, c...)
		require.NotEqual(t, resp.Error, r.Kind, "%v: %s", c, show(r))
	}
	expectOK(t, do(w, "MULTI"))
	require.Equal(t, "QUEUED", string(do(w, "PING").Str))
	return do(w, "EXEC").Kind == resp.Array
}

func TestWatchSeesKeyCommands(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	reset := func() {
		expectOK(t, do(s, "FLUSHALL"))
		expectOK(t, do(s, "SET", "k", "v"))
		expectOK(t, do(s, "SET", "ttl", "v", "EX", "100"))
	}
	cases := []struct {
		name    string
		watchDB int
		key     string
		change  [][]string
		commits bool
	}{
		{"expire", 0, "k", [][]string{{"EXPIRE", "k", "100"}}, false},
		{"expire that fails NX", 0, "ttl", [][]string{{"EXPIRE", "ttl", "5", "NX"}}, true},
		{"expire in the past", 0, "k", [][]string{{"PEXPIRE", "k", "-1"}}, false},
		{"persist", 0, "ttl", [][]string{{"PERSIST", "ttl"}}, false},
		{"persist without ttl", 0, "k", [][]string{{"PERSIST", "k"}}, true},
		{"del", 0, "k", [][]string{{"DEL", "k"}}, false},
		{"unlink missing", 0, "k", [][]string{{"UNLINK", "other"}}, true},
		{"rename source", 0, "k", [][]string{{"RENAME", "k", "k2"}}, false},
		{"rename destination new", 0, "k2", [][]string{{"RENAME", "k", "k2"}}, false},
		{"rename destination replaced", 0, "ttl", [][]string{{"RENAME", "k", "ttl"}}, false},
		{"rename there and back", 0, "k", [][]string{{"RENAME", "k", "k2"}, {"RENAME", "k2", "k"}}, false},
		{"rename to itself", 0, "k", [][]string{{"RENAME", "k", "k"}}, true},
		{"renamenx refused", 0, "ttl", [][]string{{"RENAMENX", "k", "ttl"}}, true},
		{"move source", 0, "k", [][]string{{"MOVE", "k", "1"}}, false},
		{"move destination", 1, "k", [][]string{{"MOVE", "k", "1"}}, false},
		{"move there and back", 0, "k", [][]string{{"MOVE", "k", "1"}, {"SELECT", "1"}, {"MOVE", "k", "0"}}, false},
		{"copy destination", 0, "k2", [][]string{{"COPY", "k", "k2"}}, false},
		{"copy replace destination", 0, "ttl", [][]string{{"COPY", "k", "ttl", "REPLACE"}}, false},
		{"copy leaves source", 0, "k", [][]string{{"COPY", "k", "k2"}}, true},
		{"copy other db", 3, "k", [][]string{{"COPY", "k", "k", "DB", "3"}}, false},
		{"touch", 0, "k", [][]string{{"TOUCH", "k"}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reset()
			require.Equal(t, tc.commits, watchThen(t, db, tc.watchDB, tc.key, tc.change...))
		})
	}
}

func TestScanBasics(t *testing.T) {
	s := newTestSession(t)
	cursor, keys := scanOnce(t, s, "0")
	require.Equal(t, "0", cursor)
	require.Empty(t, keys)
	for i := 0; i < 25; i++ {
		expectOK(t, do(s, "SET", fmt.Sprintf("key:%02d", i), "v"))
	}
	expectOK(t, do(s, "SET", "other", "v"))
	expectOK(t, do(s, "SELECT", "1"))
	expectOK(t, do(s, "SET", "key:db1", "v"))
	expectOK(t, do(s, "SELECT", "0"))

	// Default COUNT is 10 rows examined per call.
	cursor, keys = scanOnce(t, s, "0")
	require.NotEqual(t, "0", cursor)
	require.Len(t, keys, 10)
	seen := map[string]int{}
	cursor = "0"
	calls := 0
	for {
		cursor, keys = scanOnce(t, s, cursor, "MATCH", "key:*", "COUNT", "4")
		calls++
		for _, k := range keys {
			seen[k]++
		}
		if cursor == "0" {
			break
		}
	}
	require.Len(t, seen, 25)
	require.Equal(t, 7, calls) // 26 rows in db 0, 4 per call
	for k, n := range seen {
		require.Equal(t, 1, n, k)
	}
	_, keys = scanOnce(t, s, "0", "COUNT", "100", "TYPE", "STRING", "MATCH", "oth*")
	require.Equal(t, []string{"other"}, keys)
	_, keys = scanOnce(t, s, "0", "COUNT", "100", "TYPE", "hash")
	require.Empty(t, keys)
	_, keys = scanOnce(t, s, "0", "COUNT", "100", "TYPE", "nosuchtype")
	require.Empty(t, keys)
	// Any spelling of an empty cursor is the start; past the end is the end.
	cursor, keys = scanOnce(t, s, "", "COUNT", "100")
	require.Equal(t, "0", cursor)
	require.Len(t, keys, 26)
	cursor, keys = scanOnce(t, s, "-1")
	require.Equal(t, "0", cursor)
	require.Empty(t, keys)
	cursor, keys = scanOnce(t, s, "18446744073709551615")
	require.Equal(t, "0", cursor)
	require.Empty(t, keys)

	for _, bad := range []string{" 0", "abc", "1.5", "0x10", "18446744073709551616", "+", "-"} {
		expectErr(t, "ERR invalid cursor", do(s, "SCAN", bad))
	}
	expectErr(t, "ERR invalid cursor", do(s, "SCAN", "x", "COUNT", "0"))
	expectErr(t, "ERR syntax error", do(s, "SCAN", "0", "COUNT", "0"))
	expectErr(t, "ERR syntax error", do(s, "SCAN", "0", "COUNT", "-1"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "SCAN", "0", "COUNT", "x"))
	expectErr(t, "ERR value is not an integer or out of range", do(s, "SCAN", "0", "COUNT", "x", "BOGUS"))
	expectErr(t, "ERR syntax error", do(s, "SCAN", "0", "MATCH"))
	expectErr(t, "ERR syntax error", do(s, "SCAN", "0", "TYPE"))
	expectErr(t, "ERR syntax error", do(s, "SCAN", "0", "BOGUS", "x"))
	expectErr(t, "ERR wrong number of arguments for 'scan' command", do(s, "SCAN"))
}

func TestParseScanCursor(t *testing.T) {
	for in, want := range map[string]uint64{"": 0, "0": 0, "00": 0, "+7": 7, "-0": 0, "-1": 1<<64 - 1,
		"18446744073709551615": 1<<64 - 1, "-18446744073709551615": 1, "42": 42} {
		got, ok := parseScanCursor([]byte(in))
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{" 1", "\t1", "1 ", "+", "-", "--1", "1a", "18446744073709551616", "99999999999999999999"} {
		_, ok := parseScanCursor([]byte(in))
		require.False(t, ok, in)
	}
}

// TestScanUnderConcurrentWrites iterates while another session inserts and
// deletes keys: no key is ever returned twice, and every key present for
// the whole iteration is returned.
func TestScanUnderConcurrentWrites(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	const stable = 300
	for i := 0; i < stable; i++ {
		expectOK(t, do(s, "SET", fmt.Sprintf("stable:%d", i), "v"))
	}
	for i := 0; i < 100; i++ {
		expectOK(t, do(s, "SET", fmt.Sprintf("doomed:%d", i), "v"))
	}
	// Another session writes one round between every two SCAN calls:
	// new keys, deleted keys, and keys deleted and re-created after the
	// scan may have passed them.
	w := db.NewSession()
	defer w.Close()
	round := func(i int) {
		expectOK(t, do(w, "SET", fmt.Sprintf("new:%d", i), "v"))
		if i < 100 {
			expectInt(t, 1, do(w, "DEL", fmt.Sprintf("doomed:%d", i)))
		}
		if i%10 == 0 {
			do(w, "DEL", fmt.Sprintf("new:%d", i/2))
			expectOK(t, do(w, "SET", fmt.Sprintf("new:%d", i/2), "again"))
		}
	}
	seen := map[string]int{}
	cursor := "0"
	calls := 0
	for ; calls < 10000; calls++ {
		var keys []string
		cursor, keys = scanOnce(t, s, cursor, "COUNT", "3")
		for _, k := range keys {
			seen[k]++
		}
		if cursor == "0" {
			break
		}
		round(calls)
	}
	// The scan examines 3 ids per call and the writer adds 1.2 per round, so
	// the scan catches up with the keys created during it.
	require.Greater(t, calls, 150)
	require.Equal(t, "0", cursor, "iteration did not finish")
	for i := 0; i < stable; i++ {
		require.Equal(t, 1, seen[fmt.Sprintf("stable:%d", i)], "stable:%d", i)
	}
	// Keys created during the scan have ids above the cursor: each is
	// returned once, or at most twice when re-created after being returned.
	for i := 0; i < calls; i++ {
		k := fmt.Sprintf("new:%d", i)
		if i%5 == 0 {
			require.Contains(t, []int{1, 2}, seen[k], k)
		} else {
			require.Equal(t, 1, seen[k], k)
		}
	}
	for k, n := range seen {
		require.LessOrEqual(t, n, 2, k)
		if k[:4] != "new:" {
			require.Equal(t, 1, n, k)
		}
	}
}

func TestObject(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "int", "12345"))
	expectOK(t, do(s, "SET", "small", "7"))
	expectOK(t, do(s, "SET", "neg", "-1"))
	expectOK(t, do(s, "SET", "str", "hello"))
	expectOK(t, do(s, "SET", "long", string(make([]byte, 45))))
	expectBulk(t, "int", do(s, "OBJECT", "ENCODING", "int"))
	expectBulk(t, "embstr", do(s, "OBJECT", "encoding", "str"))
	expectBulk(t, "raw", do(s, "OBJECT", "ENCODING", "long"))
	for _, sub := range []string{"ENCODING", "REFCOUNT", "IDLETIME", "FREQ"} {
		expectNil(t, do(s, "OBJECT", sub, "nope"))
	}
	expectInt(t, 2147483647, do(s, "OBJECT", "REFCOUNT", "small"))
	expectInt(t, 1, do(s, "OBJECT", "REFCOUNT", "int"))
	expectInt(t, 1, do(s, "OBJECT", "REFCOUNT", "neg"))
	expectInt(t, 1, do(s, "OBJECT", "REFCOUNT", "str"))
	expectInt(t, 0, do(s, "OBJECT", "IDLETIME", "str"))
	lfuErr := "ERR An LFU maxmemory policy is not selected, access frequency not tracked."
	expectErr(t, lfuErr, do(s, "OBJECT", "FREQ", "str"))

	expectOK(t, do(s, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"))
	expectInt(t, 0, do(s, "OBJECT", "FREQ", "str"))
	expectErr(t, "ERR An LFU maxmemory policy is selected, idle time not tracked.", do(s, "OBJECT", "IDLETIME", "str"))
	expectInt(t, 2147483647, do(s, "OBJECT", "REFCOUNT", "small")) // no maxmemory limit: still shared
	expectOK(t, do(s, "CONFIG", "SET", "maxmemory", "100mb"))
	expectInt(t, 1, do(s, "OBJECT", "REFCOUNT", "small"))
	expectOK(t, do(s, "CONFIG", "SET", "maxmemory-policy", "volatile-ttl"))
	expectInt(t, 2147483647, do(s, "OBJECT", "REFCOUNT", "small"))
	expectErr(t, lfuErr, do(s, "OBJECT", "FREQ", "str"))

	help := do(s, "OBJECT", "HELP")
	require.Equal(t, resp.Array, help.Kind)
	require.Equal(t, "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", string(help.Elems[0].Str))
	require.Equal(t, "    Prints this help.", string(help.Elems[len(help.Elems)-1].Str))
	require.Len(t, help.Elems, 15)

	expectErr(t, "ERR wrong number of arguments for 'object' command", do(s, "OBJECT"))
	expectErr(t, "ERR wrong number of arguments for 'object|encoding' command", do(s, "OBJECT", "ENCODING"))
	expectErr(t, "ERR wrong number of arguments for 'object|help' command", do(s, "OBJECT", "HELP", "x"))
	expectErr(t, "ERR unknown subcommand 'foo'. Try OBJECT HELP.", do(s, "OBJECT", "foo"))
}

func TestObjectEncodingDefaults(t *testing.T) {
	// A type whose family has not registered an encoding gets Redis' name
	// for a small value of that type.
	for typ, name := range typeNames {
		require.NotEmpty(t, defaultEncodings[typ], name)
	}
}

func TestKeyEvents(t *testing.T) {
	s := newTestSession(t)
	ev := recordEvents(t, s)
	expectOK(t, do(s, "SET", "k", "v"))
	expectInt(t, 1, do(s, "EXPIRE", "k", "100"))
	expectInt(t, 0, do(s, "EXPIRE", "k", "100", "NX"))
	expectInt(t, 1, do(s, "PERSIST", "k"))
	expectInt(t, 0, do(s, "PERSIST", "k"))
	expectInt(t, 1, do(s, "DEL", "k", "nope"))
	expectOK(t, do(s, "SET", "u", "v"))
	expectInt(t, 1, do(s, "UNLINK", "u"))
	require.Equal(t, []string{"0:set:k", "0:expire:k", "0:persist:k", "0:del:k", "0:set:u", "0:del:u"}, ev.take())
	// A failed command sends nothing.
	expectErr(t, "ERR", do(s, "RENAME", "nope", "x"))
	expectInt(t, 0, do(s, "MOVE", "nope", "1"))
	expectInt(t, 0, do(s, "COPY", "nope", "x"))
	require.Empty(t, ev.take())
}

func TestKeyCommandsInMulti(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "a", "1"))
	expectOK(t, do(s, "MULTI"))
	for _, c := range [][]string{{"RENAME", "a", "b"}, {"MOVE", "b", "2"}, {"EXISTS", "b"}, {"COPY", "nope", "x"}, {"SELECT", "2"}, {"GET", "b"}} {
		require.Equal(t, "QUEUED", string(do(s, c...).Str))
	}
	r := do(s, "EXEC")
	require.Equal(t, resp.Array, r.Kind, show(r))
	expectOK(t, r.Elems[0])
	expectInt(t, 1, r.Elems[1])
	expectInt(t, 0, r.Elems[2])
	expectInt(t, 0, r.Elems[3])
	expectBulk(t, "1", r.Elems[5])
}

func TestEmptyKeyAndPatterns(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "", "empty"))
	expectOK(t, do(s, "SET", "a", "v"))
	// Redis lists the empty key for * (no matching) but no other pattern
	// matches it, not even "**".
	expectStrings(t, []string{"", "a"}, do(s, "KEYS", "*"))
	expectStrings(t, []string{"a"}, do(s, "KEYS", "**"))
	expectStrings(t, []string{""}, do(s, "KEYS", ""))
	_, keys := scanOnce(t, s, "0", "MATCH", "*")
	require.ElementsMatch(t, []string{"", "a"}, keys)
	_, keys = scanOnce(t, s, "0", "MATCH", "**")
	require.Equal(t, []string{"a"}, keys)
	require.False(t, GlobMatch([]byte("*"), nil, false))
	require.True(t, GlobMatch(nil, nil, false))
}

// TestKeyCommandsOnHashes checks that contents follow a collection key
// through RENAME and MOVE (same id) and are duplicated by COPY.
func TestKeyCommandsOnHashes(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 2, do(s, "HSET", "h", "f1", "v1", "f2", "v2"))
	require.Equal(t, "hash", string(do(s, "TYPE", "h").Str))
	expectInt(t, 1, do(s, "EXPIRE", "h", "100"))
	expectOK(t, do(s, "RENAME", "h", "h2"))
	expectBulk(t, "v1", do(s, "HGET", "h2", "f1"))
	expectInt(t, 2, do(s, "HLEN", "h2"))
	expectInt(t, 100, do(s, "TTL", "h2"))
	expectInt(t, 1, do(s, "MOVE", "h2", "4"))
	expectInt(t, 0, do(s, "HLEN", "h2"))
	expectOK(t, do(s, "SELECT", "4"))
	expectInt(t, 2, do(s, "HLEN", "h2"))
	expectInt(t, 1, do(s, "COPY", "h2", "h3", "DB", "0"))
	expectInt(t, 0, do(s, "COPY", "h2", "h3", "DB", "0"))
	expectOK(t, do(s, "SELECT", "0"))
	expectBulk(t, "v2", do(s, "HGET", "h3", "f2"))
	expectInt(t, 100, do(s, "TTL", "h3"))
	// The copy is independent of its source.
	expectInt(t, 1, do(s, "HSET", "h3", "f3", "v3"))
	expectInt(t, 1, do(s, "HDEL", "h3", "f1"))
	expectOK(t, do(s, "SELECT", "4"))
	expectInt(t, 2, do(s, "HLEN", "h2"))
	expectBulk(t, "v1", do(s, "HGET", "h2", "f1"))
	// RENAME over a hash and COPY REPLACE over a string drop the old contents.
	expectOK(t, do(s, "SET", "str", "x"))
	expectInt(t, 1, do(s, "COPY", "h2", "str", "REPLACE"))
	require.Equal(t, "hash", string(do(s, "TYPE", "str").Str))
	expectInt(t, 2, do(s, "HLEN", "str"))
	expectOK(t, do(s, "SET", "plain", "y"))
	expectOK(t, do(s, "RENAME", "plain", "str"))
	require.Equal(t, "string", string(do(s, "TYPE", "str").Str))
	expectBulk(t, "y", do(s, "GET", "str"))
	// No field rows are left behind by any of this.
	expectInt(t, 2, do(s, "DEL", "h2", "str"))
	expectOK(t, do(s, "SELECT", "0"))
	expectInt(t, 1, do(s, "DEL", "h3"))
	inWrite(t, s, func(tx *Tx) { require.Zero(t, tx.queryInt(`SELECT count(*) FROM hashes`, -1)) })
	_, keys := scanOnce(t, s, "0", "TYPE", "hash", "COUNT", "100")
	require.Empty(t, keys)
}
