package core

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

func TestString2ull(t *testing.T) {
	for in, want := range map[string]uint64{
		"0": 0, "5": 5, "+5": 5, " 7": 7, "\t\n8": 8, "05": 5, "-0": 0,
		"18446744073709551615": math.MaxUint64, "9223372036854775808": 1 << 63,
		"000000000000000000000000001": 1,
		"-18446744073709551615":       1, // strtoull negates modulo 2^64
	} {
		got, ok := string2ull([]byte(in))
		require.True(t, ok, "%q", in)
		require.Equal(t, want, got, "%q", in)
	}
	for _, in := range []string{"", " ", "-1", "-5", "18446744073709551616", "1 ", "1x", "x", "+", "-", "0x10", "1.5"} {
		_, ok := string2ull([]byte(in))
		require.False(t, ok, "%q", in)
	}
}

func TestParseStreamID(t *testing.T) {
	p, ok := parseStreamID([]byte("5"), false, math.MaxUint64, false)
	require.True(t, ok)
	require.Equal(t, streamID{5, math.MaxUint64}, p.id)
	p, ok = parseStreamID([]byte("-"), false, 0, false)
	require.True(t, ok)
	require.Equal(t, minStreamID, p.id)
	p, ok = parseStreamID([]byte("+"), false, 0, false)
	require.True(t, ok)
	require.Equal(t, maxStreamID, p.id)
	_, ok = parseStreamID([]byte("+"), true, 0, false)
	require.False(t, ok)
	p, ok = parseStreamID([]byte("7-*"), true, 0, true)
	require.True(t, ok)
	require.False(t, p.seqGiven)
	require.Equal(t, uint64(7), p.id.ms)
	_, ok = parseStreamID([]byte("7-*"), true, 0, false)
	require.False(t, ok)
	// A C string ends at its first NUL.
	p, ok = parseStreamID([]byte("12\x003"), true, 0, false)
	require.True(t, ok)
	require.Equal(t, streamID{12, 0}, p.id)
	_, ok = parseStreamID([]byte(strings.Repeat("1", 128)), true, 0, false)
	require.False(t, ok)
	_, ok = parseStreamID([]byte("1-2-3"), true, 0, false)
	require.False(t, ok)
}

func TestStreamIDOrderInSQLite(t *testing.T) {
	// The offset storage keeps unsigned order across 2^63.
	ids := []streamID{{0, 0}, {0, 1}, {1, math.MaxUint64}, {1 << 63, 0}, {1<<63 + 1, 5}, {math.MaxUint64, math.MaxUint64}}
	for i := 1; i < len(ids); i++ {
		a, b := ids[i-1], ids[i]
		require.Equal(t, -1, a.cmp(b))
		require.True(t, a.sqlMS() < b.sqlMS() || (a.sqlMS() == b.sqlMS() && a.sqlSeq() < b.sqlSeq()), "%v %v", a, b)
	}
	s := newTestSession(t)
	for _, id := range []string{"9223372036854775808-0", "18446744073709551615-0", "5-9223372036854775809", "5-1"} {
		v := do(s, "XADD", "big", id, "f", "v")
		if id == "5-9223372036854775809" || id == "5-1" {
			expectErr(t, "equal or smaller", v)
			continue
		}
		expectBulk(t, id, v)
	}
	expectBulk(t, "9223372036854775808-0", do(s, "XRANGE", "big", "-", "+").Elems[0].Elems[0])
	r := do(s, "XREVRANGE", "big", "+", "-", "COUNT", "1")
	expectBulk(t, "18446744073709551615-0", r.Elems[0].Elems[0])
	r = do(s, "XRANGE", "big", "9223372036854775809", "+")
	require.Len(t, r.Elems, 1)
}

func TestXAddAutoIDsNeverRepeat(t *testing.T) {
	s := newTestSession(t)
	var last streamID
	for i := 0; i < 50; i++ {
		v := do(s, "XADD", "s", "*", "n", strconv.Itoa(i))
		require.Equal(t, resp.Bulk, v.Kind, show(v))
		p, ok := parseStreamID(v.Str, true, 0, false)
		require.True(t, ok)
		require.Equal(t, 1, p.id.cmp(last), "%v after %v", p.id, last)
		last = p.id
	}
	// Deleting the top entry does not free its ID.
	expectInt(t, 1, do(s, "XDEL", "s", last.String()))
	expectErr(t, "ERR The ID specified in XADD is equal or smaller than the target stream top item",
		do(s, "XADD", "s", last.String(), "f", "v"))
	v := do(s, "XADD", "s", "*", "f", "v")
	p, _ := parseStreamID(v.Str, true, 0, false)
	require.Equal(t, 1, p.id.cmp(last))
	// A stream emptied by XTRIM is kept, with its last ID.
	expectInt(t, 50, do(s, "XTRIM", "s", "MAXLEN", "0"))
	expectInt(t, 0, do(s, "XLEN", "s"))
	expectInt(t, 1, do(s, "EXISTS", "s"))
	require.Equal(t, "stream", string(do(s, "TYPE", "s").Str))
	expectErr(t, "equal or smaller", do(s, "XADD", "s", p.id.String(), "f", "v"))
	// ms-* continues the sequence of the last ID's millisecond.
	next := do(s, "XADD", "s", strconv.FormatUint(p.id.ms, 10)+"-*", "f", "v")
	expectBulk(t, strconv.FormatUint(p.id.ms, 10)+"-"+strconv.FormatUint(p.id.seq+1, 10), next)
	require.NoError(t, s.store.Check())
}

func TestXAddArgumentsChangeNothingOnError(t *testing.T) {
	s := newTestSession(t)
	for _, argv := range [][]string{
		{"XADD", "s", "MAXLEN", "x", "*", "f", "v"},
		{"XADD", "s", "*", "f"},
		{"XADD", "s", "0-0", "f", "v"},
		{"XADD", "s", "bad", "f", "v"},
		{"XADD", "s", "MAXLEN", "1", "LIMIT", "5", "*", "f", "v"},
		{"XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v"},
		{"XGROUP", "CREATE", "s", "g", "bad", "MKSTREAM"},
	} {
		require.Equal(t, resp.Error, do(s, argv...).Kind, "%v", argv)
		expectInt(t, 0, do(s, "EXISTS", "s"))
	}
	expectNil(t, do(s, "XADD", "s", "NOMKSTREAM", "*", "f", "v"))
	expectInt(t, 0, do(s, "EXISTS", "s"))
}

func TestXAddBinarySafe(t *testing.T) {
	s := newTestSession(t)
	key, f, v := "k\x00\xff", "f\r\n\x00", string([]byte{0, 1, 2, 0xfe})
	expectBulk(t, "1-1", do(s, "XADD", key, "1-1", f, v, "", ""))
	r := do(s, "XRANGE", key, "-", "+")
	require.Len(t, r.Elems, 1)
	expectStrings(t, []string{f, v, "", ""}, r.Elems[0].Elems[1])
	// Duplicate fields are kept, in order, as Redis does.
	expectBulk(t, "1-2", do(s, "XADD", key, "1-2", "a", "1", "a", "2"))
	expectStrings(t, []string{"a", "1", "a", "2"}, do(s, "XRANGE", key, "1-2", "1-2").Elems[0].Elems[1])
}

func TestXRangeLarge(t *testing.T) {
	s := newTestSession(t)
	const n = 2000
	for i := 1; i <= n; i++ {
		expectBulk(t, fmt.Sprintf("%d-0", i), do(s, "XADD", "s", fmt.Sprintf("%d-0", i), "i", strconv.Itoa(i)))
	}
	expectInt(t, n, do(s, "XLEN", "s"))
	r := do(s, "XRANGE", "s", "(1000", "+", "COUNT", "3")
	require.Len(t, r.Elems, 3)
	expectBulk(t, "1001-0", r.Elems[0].Elems[0])
	// An exclusive end without a sequence stops before <ms>-<max seq>.
	expectBulk(t, "1000-0", do(s, "XREVRANGE", "s", "(1000", "-", "COUNT", "1").Elems[0].Elems[0])
	r = do(s, "XREVRANGE", "s", "(1000-0", "-", "COUNT", "2")
	expectBulk(t, "999-0", r.Elems[0].Elems[0])
	expectBulk(t, "998-0", r.Elems[1].Elems[0])
	require.Len(t, do(s, "XRANGE", "s", "-", "+").Elems, n)
	// Nodes of 100 entries: 20 of them.
	info := infoMap(t, do(s, "XINFO", "STREAM", "s"))
	require.EqualValues(t, 20, info["radix-tree-keys"].Int)
	// Approximate trimming removes whole nodes only.
	expectInt(t, 0, do(s, "XTRIM", "s", "MAXLEN", "~", "1950"))
	expectInt(t, 100, do(s, "XTRIM", "s", "MAXLEN", "~", "1900"))
	expectInt(t, 100, do(s, "XTRIM", "s", "MINID", "~", "250", "LIMIT", "100"))
	expectInt(t, 1800, do(s, "XLEN", "s"))
	expectInt(t, 49, do(s, "XTRIM", "s", "MINID", "250"))
	expectBulk(t, "250-0", do(s, "XRANGE", "s", "-", "+", "COUNT", "1").Elems[0].Elems[0])
	require.NoError(t, s.store.Check())
}

// infoMap turns an XINFO reply into a map.
func infoMap(t *testing.T, v resp.Value) map[string]resp.Value {
	t.Helper()
	require.Contains(t, []resp.Kind{resp.Map, resp.Array}, v.Kind, show(v))
	m := map[string]resp.Value{}
	for i := 0; i+1 < len(v.Elems); i += 2 {
		m[string(v.Elems[i].Str)] = v.Elems[i+1]
	}
	return m
}

func TestXReadPlusReadsTheLastEntry(t *testing.T) {
	s := newTestSession(t)
	expectNil(t, nilToNil(do(s, "XREAD", "STREAMS", "s", "+")))
	do(s, "XADD", "s", "1-1", "a", "1")
	do(s, "XADD", "s", "2-1", "b", "2")
	r := do(s, "XREAD", "STREAMS", "s", "+")
	require.Len(t, r.Elems, 1)
	require.Len(t, r.Elems[0].Elems[1].Elems, 1)
	expectBulk(t, "2-1", r.Elems[0].Elems[1].Elems[0].Elems[0])
	// The last entry deleted: + is the one before it.
	do(s, "XDEL", "s", "2-1")
	r = do(s, "XREAD", "STREAMS", "s", "+")
	expectBulk(t, "1-1", r.Elems[0].Elems[1].Elems[0].Elems[0])
	expectOK(t, do(s, "XGROUP", "CREATE", "s", "g", "0"))
	// XREADGROUP keeps Redis 7.0's answer.
	expectErr(t, "ERR Invalid stream ID", do(s, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "+"))
}

// nilToNil maps a null array to a null bulk, for expectNil.
func nilToNil(v resp.Value) resp.Value {
	if v.Kind == resp.NilArray {
		return resp.NilValue()
	}
	return v
}

func TestXReadRESP3IsAMap(t *testing.T) {
	s := newTestSession(t)
	do(s, "HELLO", "3")
	do(s, "XADD", "a", "1-1", "f", "v")
	do(s, "XADD", "b", "1-1", "f", "v")
	r := do(s, "XREAD", "STREAMS", "a", "b", "0", "0")
	require.Equal(t, resp.Map, r.Kind)
	require.Len(t, r.Elems, 4)
	expectBulk(t, "a", r.Elems[0])
	expectBulk(t, "b", r.Elems[2])
}

func TestXReadBlockServedByXAdd(t *testing.T) {
	db := openTestDB(t)
	reader, writer := db.NewSession(), db.NewSession()
	defer reader.Close()
	defer writer.Close()
	do(writer, "XADD", "s", "1-1", "old", "1")
	got := make(chan resp.Value, 1)
	go func() { got <- do(reader, "XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$") }()
	waitSessionBlocked(t, reader)
	do(writer, "XADD", "s", "2-1", "new", "1")
	select {
	case v := <-got:
		require.Len(t, v.Elems, 1, show(v))
		expectBulk(t, "s", v.Elems[0].Elems[0])
		entries := v.Elems[0].Elems[1].Elems
		require.Len(t, entries, 1)
		expectBulk(t, "2-1", entries[0].Elems[0])
	case <-time.After(10 * time.Second):
		t.Fatal("XREAD BLOCK was not served")
	}
}

func TestXReadBlockTimeoutAndCancel(t *testing.T) {
	s := newTestSession(t)
	start := time.Now()
	v := do(s, "XREAD", "BLOCK", "30", "STREAMS", "s", "$")
	require.Equal(t, resp.NilArray, v.Kind, show(v))
	require.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	v = s.DoContext(ctx, [][]byte{[]byte("XREAD"), []byte("BLOCK"), []byte("0"), []byte("STREAMS"), []byte("s"), []byte("$")})
	require.Equal(t, resp.NilArray, v.Kind, show(v))
	// CLIENT UNBLOCK ... ERROR ends the wait with an error.
	db := s.store
	other := db.NewSession()
	defer other.Close()
	done := make(chan resp.Value, 1)
	go func() { done <- do(s, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">") }()
	// No group yet: the error comes at once.
	expectErr(t, "NOGROUP", <-done)
	do(other, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	go func() { done <- do(s, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">") }()
	waitSessionBlocked(t, s)
	expectInt(t, 1, do(other, "CLIENT", "UNBLOCK", strconv.FormatInt(s.ID, 10), "ERROR"))
	expectErr(t, "UNBLOCKED client unblocked via CLIENT UNBLOCK", <-done)
}

func TestXReadGroupBlockServesOneConsumerPerEntry(t *testing.T) {
	db := openTestDB(t)
	w := db.NewSession()
	defer w.Close()
	expectOK(t, do(w, "XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"))
	const workers = 4
	got := make(chan resp.Value, workers)
	sessions := make([]*Session, workers)
	for i := range sessions {
		sessions[i] = db.NewSession()
		defer sessions[i].Close()
		s, name := sessions[i], fmt.Sprintf("w%d", i)
		go func() { got <- do(s, "XREADGROUP", "GROUP", "workers", name, "BLOCK", "0", "STREAMS", "jobs", ">") }()
		waitSessionBlocked(t, s)
	}
	// One entry at a time: each wakes the consumer that waited longest.
	seen := map[string]bool{}
	for i := 1; i <= workers; i++ {
		do(w, "XADD", "jobs", fmt.Sprintf("%d-0", i), "job", strconv.Itoa(i))
		select {
		case v := <-got:
			entries := v.Elems[0].Elems[1].Elems
			require.Len(t, entries, 1, show(v))
			id := string(entries[0].Elems[0].Str)
			require.False(t, seen[id], "entry %s delivered twice", id)
			seen[id] = true
		case <-time.After(10 * time.Second):
			t.Fatal("a blocked consumer was not served")
		}
	}
	r := do(w, "XPENDING", "jobs", "workers")
	expectInt(t, workers, r.Elems[0])
	require.Len(t, r.Elems[3].Elems, workers)
}

func TestXReadGroupBlockInMultiDoesNotBlock(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"))
	expectOK(t, do(s, "MULTI"))
	do(s, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
	do(s, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
	r := do(s, "EXEC")
	require.Len(t, r.Elems, 2)
	require.Equal(t, resp.NilArray, r.Elems[0].Kind)
	require.Equal(t, resp.NilArray, r.Elems[1].Kind)
}

func TestConsumerGroupLifecycle(t *testing.T) {
	s := newTestSession(t)
	for i := 1; i <= 5; i++ {
		do(s, "XADD", "s", fmt.Sprintf("%d-0", i), "n", strconv.Itoa(i))
	}
	expectOK(t, do(s, "XGROUP", "CREATE", "s", "g", "0"))
	expectErr(t, "BUSYGROUP Consumer Group name already exists", do(s, "XGROUP", "CREATE", "s", "g", "0"))
	r := do(s, "XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">")
	require.Len(t, r.Elems[0].Elems[1].Elems, 3)
	r = do(s, "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">")
	require.Len(t, r.Elems[0].Elems[1].Elems, 2)
	expectInt(t, 2, do(s, "XACK", "s", "g", "1-0", "2-0", "2-0"))
	sum := do(s, "XPENDING", "s", "g")
	expectInt(t, 3, sum.Elems[0])
	expectBulk(t, "3-0", sum.Elems[1])
	expectBulk(t, "5-0", sum.Elems[2])
	expectStrings(t, []string{"alice", "1"}, sum.Elems[3].Elems[0])
	expectStrings(t, []string{"bob", "2"}, sum.Elems[3].Elems[1])
	// History: alice sees her pending entry again, with one more delivery.
	r = do(s, "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0")
	require.Len(t, r.Elems[0].Elems[1].Elems, 1)
	ext := do(s, "XPENDING", "s", "g", "-", "+", "10", "alice")
	require.Len(t, ext.Elems, 1)
	expectInt(t, 2, ext.Elems[0].Elems[3])
	// Claims: bob's 4-0 goes to carol; delivery count grows.
	r = do(s, "XCLAIM", "s", "g", "carol", "0", "4-0")
	require.Len(t, r.Elems, 1)
	ext = do(s, "XPENDING", "s", "g", "4-0", "4-0", "1")
	expectBulk(t, "carol", ext.Elems[0].Elems[1])
	expectInt(t, 2, ext.Elems[0].Elems[3])
	// XAUTOCLAIM drops entries deleted meanwhile and reports them.
	expectInt(t, 1, do(s, "XDEL", "s", "5-0"))
	r = do(s, "XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "10")
	expectBulk(t, "0-0", r.Elems[0])
	require.Len(t, r.Elems[1].Elems, 2)
	expectStrings(t, []string{"5-0"}, r.Elems[2])
	expectInt(t, 2, do(s, "XPENDING", "s", "g").Elems[0])
	// Deleting a consumer drops its pending entries.
	expectInt(t, 2, do(s, "XGROUP", "DELCONSUMER", "s", "g", "dave"))
	expectInt(t, 0, do(s, "XPENDING", "s", "g").Elems[0])
	expectInt(t, 1, do(s, "XGROUP", "DESTROY", "s", "g"))
	expectErr(t, "NOGROUP", do(s, "XPENDING", "s", "g"))
	require.NoError(t, s.store.Check())
}

func TestXAutoClaimCursor(t *testing.T) {
	s := newTestSession(t)
	for i := 1; i <= 10; i++ {
		do(s, "XADD", "s", fmt.Sprintf("%d-0", i), "n", strconv.Itoa(i))
	}
	do(s, "XGROUP", "CREATE", "s", "g", "0")
	do(s, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
	cursor := "0"
	var claimed []string
	for rounds := 0; rounds < 10; rounds++ {
		r := do(s, "XAUTOCLAIM", "s", "g", "b", "0", cursor, "COUNT", "3", "JUSTID")
		for _, e := range r.Elems[1].Elems {
			claimed = append(claimed, string(e.Str))
		}
		cursor = string(r.Elems[0].Str)
		if cursor == "0-0" {
			break
		}
	}
	require.Equal(t, "0-0", cursor)
	require.Len(t, claimed, 10)
	require.Equal(t, "1-0", claimed[0])
	require.Equal(t, "10-0", claimed[9])
}

func TestStreamDeleteLeavesNothing(t *testing.T) {
	s := newTestSession(t)
	do(s, "XADD", "s", "1-1", "f", "v")
	do(s, "XGROUP", "CREATE", "s", "g", "0")
	do(s, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
	expectInt(t, 1, do(s, "DEL", "s"))
	for _, table := range []string{"streams", "stream_entries", "stream_nodes", "stream_groups", "stream_consumers", "stream_pel"} {
		var n int64
		s.store.read(&s.tx, func(tx *Tx) resp.Value {
			n = tx.queryInt(`SELECT count(*) FROM `+table, -1)
			return resp.Value{}
		})
		require.Zero(t, n, table)
	}
	// Overwriting a stream with another type cleans up too.
	do(s, "XADD", "s", "1-1", "f", "v")
	expectOK(t, do(s, "SET", "s", "x"))
	require.NoError(t, s.store.Check())
}

func TestStreamCopyAndEncoding(t *testing.T) {
	s := newTestSession(t)
	for i := 1; i <= 150; i++ {
		do(s, "XADD", "s", fmt.Sprintf("%d-0", i), "n", strconv.Itoa(i))
	}
	do(s, "XDEL", "s", "7-0")
	do(s, "XGROUP", "CREATE", "s", "g", "0")
	do(s, "XREADGROUP", "GROUP", "g", "c", "COUNT", "5", "STREAMS", "s", ">")
	expectInt(t, 1, do(s, "COPY", "s", "s2"))
	require.Equal(t, show(do(s, "XINFO", "STREAM", "s", "FULL", "COUNT", "0")),
		show(do(s, "XINFO", "STREAM", "s2", "FULL", "COUNT", "0")))
	expectBulk(t, "stream", do(s, "OBJECT", "ENCODING", "s2"))
	// The copy lives its own life.
	do(s, "XADD", "s2", "200-0", "f", "v")
	expectInt(t, 149, do(s, "XLEN", "s"))
	expectInt(t, 150, do(s, "XLEN", "s2"))
	require.NoError(t, s.store.Check())
}

func TestStreamWatch(t *testing.T) {
	db := openTestDB(t)
	a, b := db.NewSession(), db.NewSession()
	defer a.Close()
	defer b.Close()
	do(a, "XADD", "s", "1-1", "f", "v")
	expectOK(t, do(a, "WATCH", "s"))
	do(b, "XADD", "s", "2-1", "f", "v")
	expectOK(t, do(a, "MULTI"))
	do(a, "XLEN", "s")
	require.Equal(t, resp.NilArray, do(a, "EXEC").Kind)
	// Group changes are not key changes, as in Redis.
	expectOK(t, do(a, "WATCH", "s"))
	expectOK(t, do(b, "XGROUP", "CREATE", "s", "g", "0"))
	do(b, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
	expectOK(t, do(a, "MULTI"))
	do(a, "XLEN", "s")
	require.Len(t, do(a, "EXEC").Elems, 1)
}

func TestStreamNotifications(t *testing.T) {
	s := newTestSession(t)
	log := recordEvents(t, s)
	do(s, "XADD", "s", "MAXLEN", "0", "1-1", "f", "v")
	do(s, "XGROUP", "CREATE", "s", "g", "0")
	do(s, "XGROUP", "CREATECONSUMER", "s", "g", "c")
	do(s, "XDEL", "s", "1-1") // already trimmed: no event
	require.Equal(t, []string{"0:xadd:s", "0:xtrim:s", "0:xgroup-create:s", "0:xgroup-createconsumer:s"}, log.take())
}

func TestXInfoStreamNodes(t *testing.T) {
	s := newTestSession(t)
	expectErr(t, "ERR no such key", do(s, "XINFO", "STREAM", "missing"))
	do(s, "XADD", "s", "1-1", "f", "v")
	do(s, "XDEL", "s", "1-1")
	info := infoMap(t, do(s, "XINFO", "STREAM", "s"))
	require.EqualValues(t, 0, info["radix-tree-keys"].Int)
	require.EqualValues(t, 1, info["radix-tree-nodes"].Int)
	expectBulk(t, "0-0", info["recorded-first-entry-id"])
	expectBulk(t, "1-1", info["max-deleted-entry-id"])
	for i := 1; i <= 300; i++ {
		do(s, "XADD", "s", fmt.Sprintf("%d-5", i), "f", "v")
	}
	info = infoMap(t, do(s, "XINFO", "STREAM", "s"))
	require.EqualValues(t, 3, info["radix-tree-keys"].Int)
	require.EqualValues(t, 8, info["radix-tree-nodes"].Int)
}

func TestRaxCount(t *testing.T) {
	key := func(ms, seq uint64) [16]byte {
		var k [16]byte
		for i := 0; i < 8; i++ {
			k[7-i] = byte(ms >> (8 * i))
			k[15-i] = byte(seq >> (8 * i))
		}
		return k
	}
	require.EqualValues(t, 2, raxCount([][16]byte{key(1, 1)}, 0))
	// Shared 7-byte prefix, a branch, and a compressed tail and a leaf for each.
	require.EqualValues(t, 6, raxCount([][16]byte{key(1, 1), key(2, 1)}, 0))
	// Keys differing in the first byte: no shared prefix.
	require.EqualValues(t, 5, raxCount([][16]byte{key(1, 1), key(1<<63, 1)}, 0))
	// Keys differing in the last byte: the branch leads straight to the leaves.
	require.EqualValues(t, 4, raxCount([][16]byte{key(1, 1), key(1, 2)}, 0))
}

// An XADD through another handle on the same file (another process, as far
// as the database knows) serves XREAD BLOCK and XREADGROUP BLOCK.
func TestCrossHandleXReadBlock(t *testing.T) {
	a, b, _ := openPair(t)
	sa, sb := a.NewSession(), b.NewSession()
	defer sa.Close()
	defer sb.Close()
	got := make(chan resp.Value, 1)
	go func() { got <- do(sa, "XREAD", "BLOCK", "0", "STREAMS", "s", "$") }()
	waitBlocked(t, a, "s", 1)
	expectBulk(t, "1-1", do(sb, "XADD", "s", "1-1", "f", "v"))
	select {
	case v := <-got:
		expectBulk(t, "1-1", v.Elems[0].Elems[1].Elems[0].Elems[0])
	case <-time.After(10 * time.Second):
		t.Fatal("XREAD BLOCK not served across handles")
	}
	expectOK(t, do(sb, "XGROUP", "CREATE", "s", "g", "$"))
	go func() { got <- do(sa, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">") }()
	waitBlocked(t, a, "s", 1)
	expectBulk(t, "2-1", do(sb, "XADD", "s", "2-1", "f", "v"))
	select {
	case v := <-got:
		expectBulk(t, "2-1", v.Elems[0].Elems[1].Elems[0].Elems[0])
	case <-time.After(10 * time.Second):
		t.Fatal("XREADGROUP BLOCK not served across handles")
	}
	expectInt(t, 1, do(sb, "XPENDING", "s", "g").Elems[0])
}
