package core

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

func TestZAddFlagsAndReplies(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 3, do(s, "ZADD", "z", "1", "a", "2", "b", "3", "c"))
	expectInt(t, 0, do(s, "ZADD", "z", "5", "a"))
	expectInt(t, 1, do(s, "ZADD", "z", "CH", "6", "a", "2", "b"))
	expectInt(t, 1, do(s, "ZADD", "z", "NX", "100", "a", "4", "d"))
	expectInt(t, 0, do(s, "ZADD", "z", "XX", "7", "d", "1", "e"))
	expectNil(t, do(s, "ZSCORE", "z", "e"))
	expectInt(t, 1, do(s, "ZADD", "z", "GT", "CH", "1", "a", "8", "b"))
	expectInt(t, 2, do(s, "ZADD", "z", "LT", "CH", "0", "a", "9", "b", "0", "f"))
	expectScore(t, "0", do(s, "ZSCORE", "z", "a"))
	expectScore(t, "8", do(s, "ZSCORE", "z", "b"))
	expectScore(t, "1.5", do(s, "ZADD", "z", "INCR", "1.5", "a"))
	expectNil(t, do(s, "ZADD", "z", "INCR", "GT", "-1", "a"))
	expectNil(t, do(s, "ZADD", "z", "INCR", "XX", "1", "nope"))
	expectScore(t, "3", do(s, "ZINCRBY", "z", "1.5", "a"))
	expectInt(t, 5, do(s, "ZCARD", "z"))

	expectErr(t, "ERR XX and NX options at the same time are not compatible", do(s, "ZADD", "z", "NX", "XX", "1", "a"))
	expectErr(t, "ERR GT, LT, and/or NX options at the same time are not compatible", do(s, "ZADD", "z", "GT", "LT", "1", "a"))
	expectErr(t, "ERR INCR option supports a single increment-element pair", do(s, "ZADD", "z", "INCR", "1", "a", "2", "b"))
	expectErr(t, "ERR syntax error", do(s, "ZADD", "z", "1", "a", "2"))
	expectErr(t, "ERR value is not a valid float", do(s, "ZADD", "z", "1", "a", "x", "b"))
	expectErr(t, "ERR wrong number of arguments for 'zadd' command", do(s, "ZADD", "z", "1"))
	// A bad pair changes nothing, even after valid ones.
	expectNil(t, do(s, "ZSCORE", "z", "x"))
	expectInt(t, 5, do(s, "ZCARD", "z"))

	expectOK(t, do(s, "SET", "str", "v"))
	expectErr(t, "WRONGTYPE", do(s, "ZADD", "str", "1", "a"))
	expectErr(t, "WRONGTYPE", do(s, "ZINCRBY", "str", "1", "a"))
	expectBulk(t, "v", do(s, "GET", "str"))
}

func TestZScoreFormattingAndNaN(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 5, do(s, "ZADD", "z", "0.1", "a", "-0", "b", "inf", "c", "-inf", "d", "1e20", "e"))
	expectScore(t, "0.10000000000000001", do(s, "ZSCORE", "z", "a"))
	expectScore(t, "0", do(s, "ZSCORE", "z", "b")) // stored as 0, as a listpack does
	expectScore(t, "inf", do(s, "ZSCORE", "z", "c"))
	expectScore(t, "-inf", do(s, "ZSCORE", "z", "d"))
	expectScore(t, "1e+20", do(s, "ZSCORE", "z", "e"))
	expectErr(t, "ERR resulting score is not a number (NaN)", do(s, "ZINCRBY", "z", "-inf", "c"))
	expectErr(t, "ERR resulting score is not a number (NaN)", do(s, "ZADD", "z", "INCR", "inf", "d"))
	expectScore(t, "inf", do(s, "ZSCORE", "z", "c"))

	// RESP3 gets doubles, and pairs for WITHSCORES.
	s.Proto = 3
	v := do(s, "ZSCORE", "z", "a")
	require.Equal(t, resp.Double, v.Kind)
	require.Equal(t, 0.1, v.Dbl)
	v = do(s, "ZRANGE", "z", "0", "1", "WITHSCORES")
	require.Len(t, v.Elems, 2)
	require.Equal(t, "d", string(v.Elems[0].Elems[0].Str))
	require.True(t, math.IsInf(v.Elems[0].Elems[1].Dbl, -1))
	v = do(s, "ZPOPMIN", "z")
	require.Len(t, v.Elems, 2, "without a count ZPOPMIN is flat in RESP3 too")
	v = do(s, "ZPOPMIN", "z", "1")
	require.Len(t, v.Elems, 1)
	require.Len(t, v.Elems[0].Elems, 2)
}

func TestZRangeParsing(t *testing.T) {
	for _, tc := range []struct {
		in  string
		f   float64
		ex  bool
		bad bool
	}{
		{in: "1", f: 1}, {in: "(1", f: 1, ex: true}, {in: "", f: 0}, {in: "(", f: 0, ex: true},
		{in: " 2", f: 2}, {in: "( 2", f: 2, ex: true}, {in: "inf", f: math.Inf(1)}, {in: "-inf", f: math.Inf(-1)},
		{in: "+inf", f: math.Inf(1)}, {in: "1e400", f: math.Inf(1)}, {in: "-1e400", f: math.Inf(-1)},
		{in: "1e-400", f: 0}, {in: "0x10", f: 16}, {in: "[1", bad: true}, {in: "((1", bad: true},
		{in: "1 ", bad: true}, {in: "nan", bad: true}, {in: "1_0", bad: true}, {in: "x", bad: true},
	} {
		f, ex, ok := parseScoreBound([]byte(tc.in))
		require.Equal(t, !tc.bad, ok, tc.in)
		if ok {
			require.Equal(t, tc.f, f, tc.in)
			require.Equal(t, tc.ex, ex, tc.in)
		}
	}
	for _, in := range []string{"-", "+", "[", "(", "[abc", "(\x00"} {
		_, ok := parseLexBound([]byte(in))
		require.True(t, ok, in)
	}
	for _, in := range []string{"", "a", "-a", "+a", "{a"} {
		_, ok := parseLexBound([]byte(in))
		require.False(t, ok, in)
	}
}

func TestZRangeFamily(t *testing.T) {
	s := newTestSession(t)
	do(s, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
	expectFlat(t, []string{"a", "b", "c", "d", "e"}, do(s, "ZRANGE", "z", "0", "-1"))
	expectFlat(t, []string{"e", "d"}, do(s, "ZRANGE", "z", "0", "1", "REV"))
	expectFlat(t, []string{"e", "5", "d", "4"}, do(s, "ZREVRANGE", "z", "0", "1", "WITHSCORES"))
	expectFlat(t, []string{"c", "d"}, do(s, "ZRANGE", "z", "(1", "5", "BYSCORE", "LIMIT", "1", "2"))
	expectFlat(t, []string{"d", "c"}, do(s, "ZRANGE", "z", "5", "(1", "BYSCORE", "REV", "LIMIT", "1", "2"))
	expectFlat(t, []string{"b", "c"}, do(s, "ZRANGEBYSCORE", "z", "2", "(4"))
	expectFlat(t, []string{"c", "b"}, do(s, "ZREVRANGEBYSCORE", "z", "(4", "2"))
	expectFlat(t, []string{"b", "c", "d"}, do(s, "ZRANGE", "z", "[b", "[d", "BYLEX"))
	expectFlat(t, []string{"d", "c"}, do(s, "ZREVRANGEBYLEX", "z", "(e", "(b"))
	expectFlat(t, nil, do(s, "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"))
	expectErr(t, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
		do(s, "ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"))
	expectErr(t, "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
		do(s, "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"))
	expectErr(t, "ERR min or max is not a float", do(s, "ZRANGE", "z", "x", "1", "BYSCORE"))
	expectErr(t, "ERR min or max not valid string range item", do(s, "ZRANGE", "z", "a", "b", "BYLEX"))
	expectErr(t, "ERR syntax error", do(s, "ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"))
	expectErr(t, "ERR syntax error", do(s, "ZRANGEBYSCORE", "z", "0", "1", "REV"))

	expectInt(t, 2, do(s, "ZRANGESTORE", "dst", "z", "1", "2"))
	expectFlat(t, []string{"b", "2", "c", "3"}, do(s, "ZRANGE", "dst", "0", "-1", "WITHSCORES"))
	expectInt(t, 0, do(s, "ZRANGESTORE", "dst", "z", "10", "20"))
	expectNil(t, do(s, "GET", "dst"))
	expectErr(t, "ERR syntax error", do(s, "ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES"))

	expectInt(t, 2, do(s, "ZCOUNT", "z", "(1", "3"))
	expectInt(t, 3, do(s, "ZLEXCOUNT", "z", "(a", "[d"))
	expectInt(t, 0, do(s, "ZRANK", "z", "a"))
	expectInt(t, 4, do(s, "ZREVRANK", "z", "a"))
	expectNil(t, do(s, "ZRANK", "z", "nope"))
	expectErr(t, "ERR wrong number of arguments for 'zrank' command", do(s, "ZRANK", "z", "a", "WITHSCORE"))
}

// flat renders a reply's elements as strings, scores formatted as Redis
// does in RESP2.
func flat(v resp.Value) []string {
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		if e.Kind == resp.Double {
			out[i] = resp.FormatDouble(e.Dbl)
		} else {
			out[i] = string(e.Str)
		}
	}
	return out
}

func expectFlat(t testing.TB, want []string, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Array, v.Kind, "reply %s", show(v))
	if want == nil {
		want = []string{}
	}
	require.Equal(t, want, flat(v))
}

func expectScore(t testing.TB, want string, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Double, v.Kind, "reply %s", show(v))
	require.Equal(t, want, resp.FormatDouble(v.Dbl))
}

// zmodel is a sorted set kept in Go to check the SQL against.
type zmodel map[string]float64

func (m zmodel) sorted() []zmember {
	out := make([]zmember, 0, len(m))
	for k, v := range m {
		out = append(out, zmember{member: []byte(k), score: v})
	}
	sortZ(out)
	return out
}

func membersOf(items []zmember) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it.member)
	}
	return out
}

// TestZSetAgainstModel runs random operations against redlite and a Go
// model and compares every read, ranks from both ends included.
func TestZSetAgainstModel(t *testing.T) {
	s := newTestSession(t)
	rng := rand.New(rand.NewSource(7))
	m := zmodel{}
	member := func() string { return fmt.Sprintf("m%03d", rng.Intn(400)) }
	score := func() float64 { return float64(rng.Intn(60)) / 4 }
	for step := 0; step < 3000; step++ {
		switch op := rng.Intn(10); op {
		case 0, 1, 2:
			mem, sc := member(), score()
			_, had := m[mem]
			v := do(s, "ZADD", "z", strconv.FormatFloat(sc, 'g', -1, 64), mem)
			expectInt(t, map[bool]int64{true: 0, false: 1}[had], v)
			m[mem] = sc
		case 3:
			mem := member()
			_, had := m[mem]
			expectInt(t, map[bool]int64{true: 1, false: 0}[had], do(s, "ZREM", "z", mem))
			delete(m, mem)
		case 4:
			mem, inc := member(), score()-5
			m[mem] += inc
			expectScore(t, resp.FormatDouble(m[mem]), do(s, "ZINCRBY", "z", strconv.FormatFloat(inc, 'g', -1, 64), mem))
		case 5:
			all := m.sorted()
			n := int64(len(all))
			start, stop := rng.Int63n(n+20)-10, rng.Int63n(n+20)-10
			want := []string{}
			if lo, hi, ok := normRange(start, stop, n); ok {
				want = membersOf(all[lo : hi+1])
			}
			v := do(s, "ZRANGE", "z", strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10))
			require.Equal(t, want, flat(v), "ZRANGE %d %d of %d", start, stop, n)
			rev := []string{}
			if lo, hi, ok := normRange(start, stop, n); ok {
				for i := n - 1 - lo; i >= n-1-hi; i-- {
					rev = append(rev, string(all[i].member))
				}
			}
			v = do(s, "ZREVRANGE", "z", strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10))
			require.Equal(t, rev, flat(v), "ZREVRANGE %d %d of %d", start, stop, n)
		case 6:
			lo, hi := score(), score()
			want := []string{}
			for _, it := range m.sorted() {
				if it.score > lo && it.score <= hi {
					want = append(want, string(it.member))
				}
			}
			args := []string{"(" + strconv.FormatFloat(lo, 'g', -1, 64), strconv.FormatFloat(hi, 'g', -1, 64)}
			require.Equal(t, want, flat(do(s, "ZRANGEBYSCORE", "z", args[0], args[1])))
			expectInt(t, int64(len(want)), do(s, "ZCOUNT", "z", args[0], args[1]))
			off := rng.Intn(5)
			lim := want[min(off, len(want)):]
			lim = lim[:min(3, len(lim))]
			require.Equal(t, lim, flat(do(s, "ZRANGE", "z", args[0], args[1], "BYSCORE", "LIMIT", strconv.Itoa(off), "3")))
		case 7:
			mem := member()
			all := m.sorted()
			idx := sort.Search(len(all), func(i int) bool { return !zless(all[i], zmember{[]byte(mem), m[mem]}) })
			if _, ok := m[mem]; !ok {
				expectNil(t, do(s, "ZRANK", "z", mem))
				continue
			}
			expectInt(t, int64(idx), do(s, "ZRANK", "z", mem))
			expectInt(t, int64(len(all)-1-idx), do(s, "ZREVRANK", "z", mem))
		case 8:
			a, b := member(), member()
			if a > b {
				a, b = b, a
			}
			want := []string{}
			for _, k := range sortedKeys(m) {
				if k >= a && k < b {
					want = append(want, k)
				}
			}
			require.Equal(t, want, flat(do(s, "ZRANGEBYLEX", "z", "["+a, "("+b)))
			expectInt(t, int64(len(want)), do(s, "ZLEXCOUNT", "z", "["+a, "("+b))
		case 9:
			if rng.Intn(20) != 0 {
				continue
			}
			// Occasionally remove a rank range to exercise both ends.
			all := m.sorted()
			n := int64(len(all))
			if n == 0 {
				continue
			}
			start := rng.Int63n(n)
			stop := start + rng.Int63n(5)
			_, hi, _ := normRange(start, stop, n)
			for _, it := range all[start : hi+1] {
				delete(m, string(it.member))
			}
			expectInt(t, hi-start+1, do(s, "ZREMRANGEBYRANK", "z", strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10)))
		}
		expectInt(t, int64(len(m)), do(s, "ZCARD", "z"))
	}
	all := m.sorted()
	v := do(s, "ZRANGE", "z", "0", "-1", "WITHSCORES")
	for i, it := range all {
		require.Equal(t, string(it.member), string(v.Elems[2*i].Str))
		require.Equal(t, resp.FormatDouble(it.score), resp.FormatDouble(v.Elems[2*i+1].Dbl))
	}
	require.NoError(t, s.store.Check())
}

func zless(a, b zmember) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return bytes.Compare(a.member, b.member) < 0
}

func sortedKeys(m zmodel) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestZSetEmptiedKeysDisappear(t *testing.T) {
	s := newTestSession(t)
	for _, tc := range [][]string{
		{"ZREM", "z", "a", "b"},
		{"ZREMRANGEBYRANK", "z", "0", "-1"},
		{"ZREMRANGEBYSCORE", "z", "-inf", "+inf"},
		{"ZREMRANGEBYLEX", "z", "-", "+"},
		{"ZPOPMIN", "z", "5"},
		{"ZPOPMAX", "z", "2"},
		{"ZMPOP", "1", "z", "MIN", "COUNT", "9"},
	} {
		do(s, "ZADD", "z", "0", "a", "0", "b")
		require.False(t, do(s, tc...).IsError())
		expectNil(t, do(s, "GET", "z")) // gone: GET of a zset would be WRONGTYPE
		expectOK(t, do(s, "SET", "z", "v", "NX"))
		do(s, "GETDEL", "z")
	}
	require.NoError(t, s.store.Check())
}

func TestZSetWatchSeesWrites(t *testing.T) {
	db := openTestDB(t)
	s1, s2 := db.NewSession(), db.NewSession()
	defer s1.Close()
	defer s2.Close()
	do(s1, "ZADD", "z", "1", "a")
	for _, write := range [][]string{
		{"ZADD", "z", "2", "a"}, {"ZINCRBY", "z", "1", "a"}, {"ZADD", "z", "1", "b"}, {"ZREM", "z", "b"},
		{"ZPOPMIN", "z"}, {"ZUNIONSTORE", "z", "1", "z"},
	} {
		do(s1, "ZADD", "z", "1", "a")
		expectOK(t, do(s1, "WATCH", "z"))
		expectOK(t, do(s1, "MULTI"))
		do(s1, "ZCARD", "z")
		require.False(t, do(s2, write...).IsError())
		v := do(s1, "EXEC")
		require.Equal(t, resp.NilArray, v.Kind, "%v must break WATCH", write)
	}
	// A write that changes nothing keeps the version.
	do(s1, "ZADD", "z", "1", "a")
	expectOK(t, do(s1, "WATCH", "z"))
	expectOK(t, do(s1, "MULTI"))
	do(s1, "ZCARD", "z")
	expectInt(t, 0, do(s2, "ZADD", "z", "1", "a"))
	expectInt(t, 0, do(s2, "ZREM", "z", "nope"))
	v := do(s1, "EXEC")
	require.Equal(t, resp.Array, v.Kind)
}

// zWrite runs fn in a write transaction of s's database.
func zWrite(s *Session, fn func(tx *Tx) resp.Value) resp.Value {
	tx := &Tx{}
	tx.begin(s.store, s)
	return s.store.write(tx, fn)
}

func TestZSetOps(t *testing.T) {
	s := newTestSession(t)
	do(s, "ZADD", "a", "1", "x", "2", "y")
	do(s, "ZADD", "b", "3", "y", "4", "z")
	expectInt(t, 2, do(s, "SADD", "s", "y", "w"))
	expectFlat(t, []string{"x", "1", "z", "4", "y", "5"}, do(s, "ZUNION", "2", "a", "b", "WITHSCORES"))
	expectFlat(t, []string{"w", "1", "x", "1", "z", "4", "y", "6"}, do(s, "ZUNION", "3", "a", "b", "s", "WITHSCORES"))
	expectFlat(t, []string{"y", "2"}, do(s, "ZINTER", "2", "a", "s", "AGGREGATE", "MAX", "WITHSCORES"))
	expectFlat(t, []string{"y", "5.5"}, do(s, "ZINTER", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"))
	expectFlat(t, []string{"x"}, do(s, "ZDIFF", "2", "a", "s"))
	expectInt(t, 1, do(s, "ZINTERCARD", "2", "a", "s"))
	expectInt(t, 3, do(s, "ZUNIONSTORE", "s", "2", "a", "s"))
	expectFlat(t, []string{"w", "1", "x", "1", "y", "3"}, do(s, "ZRANGE", "s", "0", "-1", "WITHSCORES"))
	expectInt(t, 0, do(s, "ZINTERSTORE", "s", "2", "a", "nokey"))
	expectNil(t, do(s, "GET", "s"))
	expectErr(t, "ERR at least 1 input key is needed for 'zunionstore' command", do(s, "ZUNIONSTORE", "d", "0", "a"))
	expectErr(t, "ERR weight value is not a float", do(s, "ZUNION", "1", "a", "WEIGHTS", "x"))
	expectErr(t, "ERR LIMIT can't be negative", do(s, "ZINTERCARD", "1", "a", "LIMIT", "-1"))
	expectOK(t, do(s, "SET", "str", "v"))
	expectErr(t, "WRONGTYPE", do(s, "ZINTER", "2", "nokey", "str"))

	// Large inputs are probed through the index instead of being loaded.
	args := []string{"ZADD", "big"}
	for i := 0; i < 2000; i++ {
		args = append(args, strconv.Itoa(i), fmt.Sprintf("m%d", i))
	}
	do(s, args...)
	do(s, "ZADD", "small", "1", "m5", "1", "m7", "1", "nope")
	expectFlat(t, []string{"m5", "6", "m7", "8"}, do(s, "ZINTER", "2", "small", "big", "WITHSCORES"))
	expectFlat(t, []string{"nope"}, do(s, "ZDIFF", "2", "small", "big"))
	expectInt(t, 1, do(s, "ZINTERCARD", "2", "big", "small", "LIMIT", "1"))
	require.NoError(t, s.store.Check())
}

func TestZScanLargeSetVisitsEveryMember(t *testing.T) {
	s := newTestSession(t)
	const n = 700
	want := map[string]bool{}
	for i := 0; i < n; i++ {
		m := fmt.Sprintf("m%04d", i)
		want[m] = true
		do(s, "ZADD", "z", strconv.Itoa(i), m)
		// Rows of other keys interleave with the set's rows.
		do(s, "ZADD", "other", strconv.Itoa(i), m)
	}
	got := map[string]int{}
	cursor := "0"
	for calls := 0; ; calls++ {
		require.Less(t, calls, 10000)
		v := do(s, "ZSCAN", "z", cursor, "COUNT", "7")
		require.Equal(t, resp.Array, v.Kind, show(v))
		items := v.Elems[1].Elems
		for i := 0; i < len(items); i += 2 {
			got[string(items[i].Str)]++
			n, _ := strconv.Atoi(string(items[i+1].Str)[0:])
			require.Equal(t, string(items[i].Str), fmt.Sprintf("m%04d", n))
		}
		// Members removed during the iteration need not be returned;
		// those present throughout must be.
		if calls == 20 {
			do(s, "ZREM", "z", "m0650")
			delete(want, "m0650")
		}
		cursor = string(v.Elems[0].Str)
		if cursor == "0" {
			break
		}
	}
	for m := range want {
		require.Equal(t, 1, got[m], m)
	}
	// MATCH filters, and a small set is returned whole.
	v := do(s, "ZSCAN", "z", "0", "MATCH", "m000*", "COUNT", "1000")
	require.Len(t, v.Elems[1].Elems, 20)
	do(s, "ZADD", "small", "1", "a", "2", "b")
	v = do(s, "ZSCAN", "small", "99")
	require.Equal(t, "0", string(v.Elems[0].Str))
	expectFlat(t, []string{"a", "1", "b", "2"}, v.Elems[1])
	expectErr(t, "ERR invalid cursor", do(s, "ZSCAN", "z", "x"))
	expectErr(t, "ERR syntax error", do(s, "ZSCAN", "z", "0", "COUNT", "0"))
}

func TestZRandMember(t *testing.T) {
	s := newTestSession(t)
	do(s, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
	scores := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4"}
	for i := 0; i < 20; i++ {
		v := do(s, "ZRANDMEMBER", "z")
		require.Contains(t, scores, string(v.Str))
		v = do(s, "ZRANDMEMBER", "z", "3", "WITHSCORES")
		require.Len(t, v.Elems, 6)
		seen := map[string]bool{}
		for j := 0; j < 6; j += 2 {
			m := string(v.Elems[j].Str)
			require.False(t, seen[m], "distinct members for a positive count")
			seen[m] = true
			require.Equal(t, scores[m], resp.FormatDouble(v.Elems[j+1].Dbl))
		}
		v = do(s, "ZRANDMEMBER", "z", "-10")
		require.Len(t, v.Elems, 10)
		for _, e := range v.Elems {
			require.Contains(t, scores, string(e.Str))
		}
	}
	// Every member turns up in repeated draws.
	seen := map[string]bool{}
	for _, e := range do(s, "ZRANDMEMBER", "z", "-200").Elems {
		seen[string(e.Str)] = true
	}
	require.Len(t, seen, 4)
	require.Len(t, do(s, "ZRANDMEMBER", "z", "100").Elems, 4)
	expectErr(t, "ERR value is out of range", do(s, "ZRANDMEMBER", "z", "-16777217"))
	expectErr(t, "ERR value is out of range, value must between", do(s, "ZRANDMEMBER", "z", "-9223372036854775808"))
}

// eventRecorder collects keyspace notifications.
type eventRecorder struct {
	mu     sync.Mutex
	events []string
}

func (r *eventRecorder) keyspaceEvent(db int, mask uint32, event string, key []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event+":"+string(key))
}

func (r *eventRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

func TestZSetNotifications(t *testing.T) {
	s := newTestSession(t)
	rec := &eventRecorder{}
	s.store.events = rec
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "KEA"))
	for _, tc := range []struct {
		cmd  []string
		want []string
	}{
		{[]string{"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}, []string{"zadd:z"}},
		{[]string{"ZADD", "z", "1", "a"}, nil},
		{[]string{"ZADD", "z", "INCR", "1", "a"}, []string{"zincr:z"}},
		{[]string{"ZINCRBY", "z", "1", "a"}, []string{"zincr:z"}},
		{[]string{"ZREM", "z", "nope"}, nil},
		{[]string{"ZREM", "z", "a"}, []string{"zrem:z"}},
		{[]string{"ZREMRANGEBYSCORE", "z", "2", "2"}, []string{"zremrangebyscore:z"}},
		{[]string{"ZREMRANGEBYLEX", "z", "[c", "[c"}, []string{"zremrangebylex:z"}},
		{[]string{"ZADD", "z", "5", "e", "6", "f"}, []string{"zadd:z"}},
		{[]string{"ZREMRANGEBYRANK", "z", "0", "0"}, []string{"zremrangebyrank:z"}},
		{[]string{"ZPOPMIN", "z"}, []string{"zpopmin:z"}},
		{[]string{"ZMPOP", "1", "z", "MAX"}, []string{"zpopmax:z", "del:z"}},
		{[]string{"ZADD", "a", "1", "x"}, []string{"zadd:a"}},
		{[]string{"ZUNIONSTORE", "u", "1", "a"}, []string{"zunionstore:u"}},
		{[]string{"ZINTERSTORE", "u", "1", "a"}, []string{"zinterstore:u"}},
		{[]string{"ZDIFFSTORE", "u", "2", "a", "a"}, []string{"del:u"}},
		{[]string{"ZDIFFSTORE", "u", "2", "a", "a"}, nil},
		{[]string{"ZRANGESTORE", "u", "a", "0", "-1"}, []string{"zrangestore:u"}},
		{[]string{"ZPOPMAX", "a"}, []string{"zpopmax:a", "del:a"}},
	} {
		require.False(t, do(s, tc.cmd...).IsError(), "%v", tc.cmd)
		require.Equal(t, tc.want, rec.take(), "%v", tc.cmd)
	}
}

func TestZSetCopyAndEncoding(t *testing.T) {
	s := newTestSession(t)
	do(s, "ZADD", "z", "1", "a", "2", "b")
	ops := typeRegistry[TypeZSet]
	require.NotNil(t, ops)
	v := zWrite(s, func(tx *Tx) resp.Value {
		k, _ := tx.lookup([]byte("z"))
		if got := ops.encoding(tx, k); got != "listpack" {
			return resp.Err("encoding " + got)
		}
		dst := tx.createKey([]byte("copy"), TypeZSet, 0, nil)
		ops.copyContents(tx, k.ID, dst)
		tx.exec(`UPDATE keys SET count = ? WHERE id = ?`, k.Count, dst)
		return resp.OK()
	})
	expectOK(t, v)
	expectFlat(t, []string{"a", "1", "b", "2"}, do(s, "ZRANGE", "copy", "0", "-1", "WITHSCORES"))
	do(s, "ZADD", "long", "1", string(bytes.Repeat([]byte("x"), 65)))
	args := []string{"ZADD", "many"}
	for i := 0; i < 129; i++ {
		args = append(args, "1", strconv.Itoa(i))
	}
	do(s, args...)
	for key, want := range map[string]string{"long": "skiplist", "many": "skiplist", "copy": "listpack"} {
		v := zWrite(s, func(tx *Tx) resp.Value {
			k, _ := tx.lookup([]byte(key))
			return resp.BulkString(ops.encoding(tx, k))
		})
		expectBulk(t, want, v)
	}
}

func TestZSetExpiredKeyIsInvisible(t *testing.T) {
	s := newTestSession(t)
	do(s, "ZADD", "z", "1", "a")
	v := zWrite(s, func(tx *Tx) resp.Value {
		k, _ := tx.lookup([]byte("z"))
		tx.setExpire(k.ID, tx.Now+30)
		return resp.OK()
	})
	expectOK(t, v)
	expectScore(t, "1", do(s, "ZSCORE", "z", "a"))
	time.Sleep(50 * time.Millisecond)
	expectNil(t, do(s, "ZSCORE", "z", "a"))
	expectInt(t, 0, do(s, "ZCARD", "z"))
	expectFlat(t, nil, do(s, "ZRANGE", "z", "0", "-1"))
	expectInt(t, 1, do(s, "ZADD", "z", "2", "b"))
	expectFlat(t, []string{"b"}, do(s, "ZRANGE", "z", "0", "-1"))
}

func TestZSetBinaryMembers(t *testing.T) {
	s := newTestSession(t)
	members := []string{"", "\x00", "a\x00b", "a", "\xff\xfe", "b"}
	for _, m := range members {
		expectInt(t, 1, do(s, "ZADD", "z", "0", m))
	}
	sorted := append([]string(nil), members...)
	sort.Strings(sorted)
	expectFlat(t, sorted, do(s, "ZRANGE", "z", "0", "-1"))
	expectFlat(t, []string{"a", "a\x00b"}, do(s, "ZRANGEBYLEX", "z", "[a", "(b"))
	expectInt(t, 1, do(s, "ZREM", "z", "a\x00b"))
	expectNil(t, do(s, "ZSCORE", "z", "a\x00b"))
	expectScore(t, "0", do(s, "ZSCORE", "z", ""))
}

func TestBZPopServedByAnotherSession(t *testing.T) {
	db := openTestDB(t)
	s1, s2 := db.NewSession(), db.NewSession()
	defer s1.Close()
	defer s2.Close()
	done := make(chan resp.Value, 1)
	go func() { done <- do(s1, "BZPOPMIN", "q", "other", "5") }()
	require.Eventually(t, func() bool { return db.blockedWaiters.Load() == 1 }, 5*time.Second, time.Millisecond)
	expectInt(t, 2, do(s2, "ZADD", "q", "2", "b", "1", "a"))
	select {
	case v := <-done:
		expectFlat(t, []string{"q", "a", "1"}, v)
	case <-time.After(5 * time.Second):
		t.Fatal("BZPOPMIN was not served")
	}
	expectFlat(t, []string{"b"}, do(s2, "ZRANGE", "q", "0", "-1"))

	go func() { done <- do(s1, "BZMPOP", "5", "1", "q2", "MAX", "COUNT", "2") }()
	require.Eventually(t, func() bool { return db.blockedWaiters.Load() == 1 }, 5*time.Second, time.Millisecond)
	do(s2, "ZADD", "q2", "1", "x", "2", "y", "3", "z")
	v := <-done
	require.Equal(t, "q2", string(v.Elems[0].Str))
	require.Len(t, v.Elems[1].Elems, 2)
	require.Equal(t, "z", string(v.Elems[1].Elems[0].Elems[0].Str))

	// Timeouts answer a null array.
	start := time.Now()
	v = do(s1, "BZPOPMAX", "nokey", "0.05")
	require.Equal(t, resp.NilArray, v.Kind)
	require.GreaterOrEqual(t, time.Since(start), 45*time.Millisecond)

	// An embedded caller can cancel the wait.
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(30 * time.Millisecond); cancel() }()
	v = s1.DoContext(ctx, [][]byte{[]byte("BZPOPMIN"), []byte("nokey"), []byte("0")})
	require.Equal(t, resp.NilArray, v.Kind)

	// Inside MULTI nothing blocks.
	expectOK(t, do(s1, "MULTI"))
	do(s1, "BZPOPMIN", "nokey", "0")
	do(s1, "BZMPOP", "0", "1", "nokey", "MIN")
	v = do(s1, "EXEC")
	require.Len(t, v.Elems, 2)
	require.Equal(t, resp.NilArray, v.Elems[0].Kind)
	require.Equal(t, resp.NilArray, v.Elems[1].Kind)

	expectErr(t, "ERR numkeys should be greater than 0", do(s1, "BZMPOP", "0", "0", "k", "MIN"))
	expectErr(t, "ERR timeout is negative", do(s1, "BZPOPMIN", "k", "-1"))
}

// TestZSetMigrationKeepsData builds a file at schema version 5 (zsets as a
// rowid table) and opens it: migrations 7 and 9 must keep every member and
// score, hash every member (Check verifies h), and keep the delete trigger.
func TestZSetMigrationKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v5.db")
	c, err := openSQLConn("file:" + path)
	require.NoError(t, err)
	require.NoError(t, c.execScript(`CREATE TABLE meta(name TEXT PRIMARY KEY, value) WITHOUT ROWID`))
	for v := 1; v <= 5; v++ {
		require.NoError(t, c.execScript(migrations[v]), "migration %d", v)
	}
	require.NoError(t, c.execScript(`INSERT INTO meta VALUES('schema_version', 5);
		INSERT INTO keys(db, key, type, version, count) VALUES(0, CAST('z' AS BLOB), 4, 1, 3), (0, CAST('gone' AS BLOB), 4, 1, 1);
		INSERT INTO zsets(id, key_id, member, score) VALUES(7, 1, CAST('b' AS BLOB), 2), (3, 1, CAST('a' AS BLOB), 1),
			(9, 1, CAST('c' AS BLOB), 0.5), (11, 2, CAST('x' AS BLOB), 1);`))
	require.NoError(t, c.close())

	db, err := Open(Options{Path: path})
	require.NoError(t, err)
	defer db.Close()
	s := db.NewSession()
	defer s.Close()
	expectFlat(t, []string{"c", "0.5", "a", "1", "b", "2"}, do(s, "ZRANGE", "z", "0", "-1", "WITHSCORES"))
	expectScore(t, "2", do(s, "ZSCORE", "z", "b"))
	require.NoError(t, db.Check())
	expectInt(t, 1, do(s, "ZADD", "z", "4", "d"))
	expectInt(t, 1, do(s, "DEL", "gone"))
	require.NoError(t, db.Check())
}

// TestLexRangesOneScoreAndMixed: lexicographic ranges give the same answers
// whether every member shares one score (read through the score index) or
// not (every member compared as bytes).
func TestLexRangesOneScoreAndMixed(t *testing.T) {
	s := newTestSession(t)
	for _, score := range []string{"0", "7"} {
		do(s, "DEL", "z")
		expectInt(t, 6, do(s, "ZADD", "z", score, "a", score, "b", score, "c", score, "d", score, "e", score, "\xff"))
		for _, mixed := range []bool{false, true} {
			if mixed {
				expectInt(t, 0, do(s, "ZADD", "z", "-1", "c"))
			}
			expectFlat(t, []string{"b", "c", "d"}, do(s, "ZRANGEBYLEX", "z", "[b", "[d"))
			expectFlat(t, []string{"\xff", "e", "d"}, do(s, "ZREVRANGEBYLEX", "z", "+", "(c", "LIMIT", "0", "3"))
			expectInt(t, 2, do(s, "ZLEXCOUNT", "z", "(a", "(d"))
			expectInt(t, 0, do(s, "ZLEXCOUNT", "z", "(d", "(a"))
		}
		expectInt(t, 2, do(s, "ZREMRANGEBYLEX", "z", "[e", "+"))
		expectInt(t, 4, do(s, "ZCARD", "z"))
	}
	require.NoError(t, s.store.Check())
}
