package core

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

func sortedStrs(v resp.Value) []string {
	out := strs(v)
	sort.Strings(out)
	return out
}

type setModel map[string]bool

func (m setModel) sorted() []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSetOpsAgainstModel builds random sets and checks every set operation
// and its STORE form against maps.
func TestSetOpsAgainstModel(t *testing.T) {
	s := newTestSession(t)
	rng := rand.New(rand.NewPCG(3, 4))
	keys := []string{"a", "b", "c", "d"}
	models := map[string]setModel{}
	for round := 0; round < 40; round++ {
		for _, k := range keys {
			if rng.IntN(5) == 0 {
				continue // sometimes leave a set missing
			}
			do(s, "DEL", k)
			m := setModel{}
			argv := []string{"SADD", k}
			for i := rng.IntN(30) + 1; i > 0; i-- {
				x := strconv.Itoa(rng.IntN(40))
				argv = append(argv, x)
				m[x] = true
			}
			expectInt(t, int64(len(m)), do(s, argv...))
			models[k] = m
		}
		pick := make([]string, rng.IntN(3)+1)
		for i := range pick {
			pick[i] = keys[rng.IntN(len(keys))]
		}
		for _, op := range []string{"SUNION", "SINTER", "SDIFF"} {
			want := expectedSetOp(models, op, pick)
			v := do(s, append([]string{op}, pick...)...)
			require.Equal(t, resp.Set, v.Kind)
			require.Equal(t, want.sorted(), sortedStrs(v), "%s %v", op, pick)
			if op == "SINTER" {
				n := int64(len(want))
				expectInt(t, n, do(s, append([]string{"SINTERCARD", strconv.Itoa(len(pick))}, pick...)...))
				expectInt(t, min(n, 2), do(s, append(append([]string{"SINTERCARD", strconv.Itoa(len(pick))}, pick...), "LIMIT", "2")...))
			}
			// The destination is one of the sources half of the time.
			dst := "dst"
			if rng.IntN(2) == 0 {
				dst = pick[0]
			}
			expectInt(t, int64(len(want)), do(s, append([]string{op + "STORE", dst}, pick...)...))
			require.Equal(t, want.sorted(), sortedStrs(do(s, "SMEMBERS", dst)))
			expectInt(t, int64(len(want)), do(s, "SCARD", dst))
			models[dst] = want
			if len(want) == 0 {
				delete(models, dst)
				expectNil(t, do(s, "GET", dst))
			}
		}
		for _, k := range keys {
			if rng.IntN(3) == 0 {
				do(s, "DEL", k)
				delete(models, k)
			}
		}
	}
	require.NoError(t, s.store.Check())
}

// expectedSetOp computes SUNION, SINTER or SDIFF of keys from the models.
func expectedSetOp(models map[string]setModel, op string, keys []string) setModel {
	out := setModel{}
	switch op {
	case "SUNION":
		for _, k := range keys {
			for x := range models[k] {
				out[x] = true
			}
		}
	case "SINTER":
	outer:
		for x := range models[keys[0]] {
			for _, k := range keys[1:] {
				if !models[k][x] {
					continue outer
				}
			}
			out[x] = true
		}
	case "SDIFF":
	next:
		for x := range models[keys[0]] {
			for _, k := range keys[1:] {
				if models[k][x] {
					continue next
				}
			}
			out[x] = true
		}
	}
	return out
}

func TestSetBasics(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 3, do(s, "SADD", "s", "a", "b", "c"))
	expectInt(t, 1, do(s, "SADD", "s", "c", "d", "d"))
	expectInt(t, 4, do(s, "SCARD", "s"))
	expectInt(t, 1, do(s, "SISMEMBER", "s", "a"))
	expectInt(t, 0, do(s, "SISMEMBER", "s", "z"))
	require.Equal(t, resp.ArrayValue([]resp.Value{resp.IntValue(1), resp.IntValue(0), resp.IntValue(1)}),
		do(s, "SMISMEMBER", "s", "a", "z", "d"))
	expectInt(t, 2, do(s, "SREM", "s", "a", "b", "z"))
	require.Equal(t, []string{"c", "d"}, sortedStrs(do(s, "SMEMBERS", "s")))
	expectInt(t, 2, do(s, "SREM", "s", "c", "d"))
	expectNil(t, do(s, "GET", "s")) // the empty set is gone
	expectInt(t, 0, do(s, "SCARD", "s"))
	// Binary members.
	expectInt(t, 3, do(s, "SADD", "b", "\x00", "", "\xff\x00"))
	expectInt(t, 1, do(s, "SISMEMBER", "b", ""))
	expectInt(t, 0, do(s, "SISMEMBER", "b", "\x00\x00"))
	expectOK(t, do(s, "SET", "str", "v"))
	for _, argv := range [][]string{{"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SMEMBERS", "str"},
		{"SISMEMBER", "str", "a"}, {"SMISMEMBER", "str", "a"}, {"SCARD", "str"}, {"SPOP", "str"},
		{"SRANDMEMBER", "str"}, {"SMOVE", "str", "b", "a"}, {"SINTER", "nos", "str"}, {"SUNION", "str"},
		{"SDIFF", "nos", "str"}, {"SINTERSTORE", "d", "str"}, {"SINTERCARD", "2", "nos", "str"}, {"SSCAN", "str", "0"}} {
		expectErr(t, "WRONGTYPE", do(s, argv...))
	}
	expectErr(t, "ERR value is out of range, must be positive", do(s, "SPOP", "b", "-1"))
	expectErr(t, "ERR numkeys should be greater than 0", do(s, "SINTERCARD", "0", "b"))
	expectErr(t, "ERR Number of keys can't be greater than number of args", do(s, "SINTERCARD", "3", "b"))
	expectErr(t, "ERR LIMIT can't be negative", do(s, "SINTERCARD", "1", "b", "LIMIT", "-1"))
	expectErr(t, "ERR invalid cursor", do(s, "SSCAN", "b", "x"))
	// *STORE overwrites any type, with no TTL left.
	expectOK(t, do(s, "SET", "str", "v", "EX", "100"))
	expectInt(t, 3, do(s, "SUNIONSTORE", "str", "b"))
	expectInt(t, -1, do(s, "TTL", "str"))
	require.Equal(t, "set", string(do(s, "TYPE", "str").Str))
	require.NoError(t, s.store.Check())
}

func TestSMove(t *testing.T) {
	s := newTestSession(t)
	do(s, "SADD", "a", "x", "y")
	do(s, "SADD", "b", "y")
	expectInt(t, 1, do(s, "SMOVE", "a", "b", "x"))
	expectInt(t, 0, do(s, "SMOVE", "a", "b", "x"))
	expectInt(t, 1, do(s, "SMOVE", "a", "b", "y")) // already there: removed from a only
	expectNil(t, do(s, "GET", "a"))
	require.Equal(t, []string{"x", "y"}, sortedStrs(do(s, "SMEMBERS", "b")))
	expectInt(t, 1, do(s, "SMOVE", "b", "b", "x"))
	expectInt(t, 0, do(s, "SMOVE", "b", "b", "z"))
	expectInt(t, 1, do(s, "SMOVE", "b", "c", "x"))
	require.Equal(t, []string{"x"}, sortedStrs(do(s, "SMEMBERS", "c")))
	require.NoError(t, s.store.Check())
}

func TestSPopAndSRandMember(t *testing.T) {
	s := newTestSession(t)
	do(s, "SADD", "s", "a", "b", "c", "d", "e")
	v := do(s, "SPOP", "s", "2")
	require.Equal(t, resp.Set, v.Kind)
	require.Len(t, v.Elems, 2)
	require.NotEqual(t, string(v.Elems[0].Str), string(v.Elems[1].Str))
	for _, e := range v.Elems {
		expectInt(t, 0, do(s, "SISMEMBER", "s", string(e.Str)))
	}
	expectInt(t, 3, do(s, "SCARD", "s"))
	m := do(s, "SPOP", "s")
	require.Equal(t, resp.Bulk, m.Kind)
	expectInt(t, 0, do(s, "SISMEMBER", "s", string(m.Str)))
	require.Len(t, do(s, "SPOP", "s", "10").Elems, 2)
	expectNil(t, do(s, "GET", "s"))
	expectNil(t, do(s, "SPOP", "s"))
	require.Equal(t, resp.Set, do(s, "SPOP", "s", "1").Kind)

	do(s, "SADD", "r", "a", "b", "c")
	require.Len(t, do(s, "SRANDMEMBER", "r", "-10").Elems, 10)
	require.Equal(t, []string{"a", "b", "c"}, sortedStrs(do(s, "SRANDMEMBER", "r", "10")))
	two := strs(do(s, "SRANDMEMBER", "r", "2"))
	require.Len(t, two, 2)
	require.NotEqual(t, two[0], two[1])
	expectInt(t, 3, do(s, "SCARD", "r"))
	expectErr(t, "ERR value is out of range", do(s, "SRANDMEMBER", "r", "-9223372036854775808"))
	expectErr(t, "ERR value is out of range", do(s, "SRANDMEMBER", "r", "-100000000"))
}

// sampleDraws draws members of key one at a time with the sampler SPOP,
// SRANDMEMBER and ZRANDMEMBER use, and counts them. byBucket reports
// whether the sampler drew by h range (rather than by position).
func sampleDraws(t *testing.T, s *Session, table *hashedTable, key string, draws int) (counts map[string]int, byBucket bool) {
	t.Helper()
	k, found := lookupForTest(t, s, key)
	require.True(t, found)
	counts = map[string]int{}
	s.tx.begin(s.store, s)
	v := s.store.read(&s.tx, func(tx *Tx) resp.Value {
		sm := table.sampler(tx, k)
		byBucket = sm.buckets > 0
		for i := 0; i < draws; i++ {
			counts[string(sm.draw().member)]++
		}
		return resp.OK()
	})
	expectOK(t, v)
	return counts, byBucket
}

// TestRandomMembersAreUniform draws from sets and sorted sets small enough
// to be drawn by position and large enough to be drawn by h range, their
// rows interleaved with another key's, and checks every member comes up
// about as often as the others: each within 6 standard deviations, and the
// chi-square statistic over all of them within 6 of its standard
// deviations. (Drawing the member after a random h, each member would come
// up in proportion to the gap before its hash, and both checks fail.)
func TestRandomMembersAreUniform(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []struct {
		cmd, key string
		table    *hashedTable
		n        int
		byBucket bool
	}{
		{"SADD", "small", setRows, 100, false},
		{"SADD", "large", setRows, 300, true},
		{"ZADD", "zlarge", zsetRows, 300, true},
	} {
		for i := 0; i < c.n; i++ {
			m := "m" + strconv.Itoa(i)
			if c.cmd == "ZADD" {
				do(s, "ZADD", c.key, strconv.Itoa(i%7), m)
				do(s, "ZADD", "zfiller", "1", m+"x", "2", m+"y")
			} else {
				do(s, "SADD", c.key, m)
				do(s, "SADD", "filler", m+"x", m+"y")
			}
		}
		const perMember = 100
		draws := c.n * perMember
		counts, byBucket := sampleDraws(t, s, c.table, c.key, draws)
		require.Equal(t, c.byBucket, byBucket, c.key)
		require.Len(t, counts, c.n, c.key)
		chi2 := 0.0
		for m, got := range counts {
			// 6 standard deviations is about ±60.
			require.InDelta(t, perMember, got, 60, "%s: %s drawn %d times", c.key, m, got)
			d := float64(got - perMember)
			chi2 += d * d / perMember
		}
		df := float64(c.n - 1)
		require.Less(t, chi2, df+6*math.Sqrt(2*df), "%s: chi-square %.0f over %d members", c.key, chi2, c.n)
	}
	for _, key := range []string{"small", "large"} {
		picked := strs(do(s, "SRANDMEMBER", key, "20"))
		require.Len(t, picked, 20)
		seen := map[string]bool{}
		for _, m := range picked {
			require.False(t, seen[m], "duplicate %s", m)
			seen[m] = true
		}
		require.Len(t, strs(do(s, "SRANDMEMBER", key, "-500")), 500)
	}
	// SPOP of a small share of a large set removes exactly those members.
	popped := strs(do(s, "SPOP", "filler", "30"))
	require.Len(t, popped, 30)
	for _, m := range popped {
		expectInt(t, 0, do(s, "SISMEMBER", "filler", m))
	}
	const fillers = 2 * 300 // the two sets share their members
	expectInt(t, fillers-30, do(s, "SCARD", "filler"))
	for i := 0; i < 50; i++ {
		m := do(s, "SPOP", "filler")
		expectInt(t, 0, do(s, "SISMEMBER", "filler", string(m.Str)))
	}
	expectInt(t, fillers-80, do(s, "SCARD", "filler"))
	// Counts drawing one by one from a large collection.
	require.Len(t, strs(do(s, "SRANDMEMBER", "filler", "-1000")), 1000)
	require.Len(t, do(s, "ZRANDMEMBER", "zfiller", "-1000").Elems, 1000)
	picked := do(s, "ZRANDMEMBER", "zfiller", "20", "WITHSCORES").Elems
	require.Len(t, picked, 40)
	seen := map[string]bool{}
	for i := 0; i < len(picked); i += 2 {
		m := string(picked[i].Str)
		require.False(t, seen[m], "duplicate %s", m)
		seen[m] = true
		want := "1"
		if strings.HasSuffix(m, "y") {
			want = "2"
		}
		require.Equal(t, want, resp.FormatDouble(picked[i+1].Dbl), m)
	}
	require.NoError(t, s.store.Check())
}

// TestSScanIteratesOnce walks a 1000-member set with a small COUNT while
// members are added and removed: members present throughout come exactly
// once.
func TestSScanIteratesOnce(t *testing.T) {
	s := newTestSession(t)
	argv := []string{"SADD", "s"}
	for i := 0; i < 1000; i++ {
		argv = append(argv, "m"+strconv.Itoa(i))
	}
	do(s, argv...)
	seen := map[string]int{}
	cursor := "0"
	for calls := 0; ; calls++ {
		require.Less(t, calls, 1000)
		v := do(s, "SSCAN", "s", cursor, "COUNT", "7")
		for _, m := range strs(v.Elems[1]) {
			seen[m]++
		}
		if calls == 10 {
			do(s, "SADD", "s", "new1", "new2")
			do(s, "SREM", "s", "m999")
		}
		cursor = string(v.Elems[0].Str)
		if cursor == "0" {
			break
		}
	}
	for i := 0; i < 999; i++ {
		require.Equal(t, 1, seen["m"+strconv.Itoa(i)], "m%d", i)
	}
	// Members added during the iteration come at most once (once when
	// their hash is past the cursor).
	require.LessOrEqual(t, seen["new1"], 1)
	require.LessOrEqual(t, seen["new2"], 1)
	// MATCH filters what COUNT read.
	v := do(s, "SSCAN", "s", "0", "COUNT", "2000", "MATCH", "m99*")
	require.Equal(t, []string{"m99", "m990", "m991", "m992", "m993", "m994", "m995", "m996", "m997", "m998"}, sortedStrs(v.Elems[1]))
	expectBulk(t, "0", v.Elems[0])
	// An intset comes whole and in numeric order.
	do(s, "SADD", "ints", "10", "-2", "3")
	v = do(s, "SSCAN", "ints", "0", "COUNT", "1")
	require.Equal(t, []string{"-2", "3", "10"}, strs(v.Elems[1]))
	expectBulk(t, "0", v.Elems[0])
}

func TestSetEncoding(t *testing.T) {
	s := newTestSession(t)
	do(s, "SADD", "s", "1", "2", "-3")
	expectBulk(t, "intset", do(s, "OBJECT", "ENCODING", "s"))
	do(s, "SADD", "s", "x")
	expectBulk(t, "hashtable", do(s, "OBJECT", "ENCODING", "s"))
	do(s, "SADD", "n", "01") // not a canonical integer
	expectBulk(t, "hashtable", do(s, "OBJECT", "ENCODING", "n"))
	argv := []string{"SADD", "big"}
	for i := 0; i < 513; i++ {
		argv = append(argv, strconv.Itoa(i))
	}
	do(s, argv[:len(argv)-1]...)
	expectBulk(t, "intset", do(s, "OBJECT", "ENCODING", "big"))
	do(s, argv...)
	expectBulk(t, "hashtable", do(s, "OBJECT", "ENCODING", "big"))
	expectInt(t, 1, do(s, "COPY", "s", "s2"))
	require.Equal(t, []string{"-3", "1", "2", "x"}, sortedStrs(do(s, "SMEMBERS", "s2")))
	expectInt(t, 4, do(s, "SCARD", "s2"))
	require.NoError(t, s.store.Check())
}

func TestSetEvents(t *testing.T) {
	s := newTestSession(t)
	rec := recordEvents(t, s)
	for _, c := range []struct {
		argv []string
		want []string
	}{
		{[]string{"SADD", "s", "a", "b", "c"}, []string{"0:sadd:s"}},
		{[]string{"SADD", "s", "a"}, nil},
		{[]string{"SREM", "s", "a"}, []string{"0:srem:s"}},
		{[]string{"SREM", "s", "zz"}, nil},
		{[]string{"SMOVE", "s", "t", "b"}, []string{"0:srem:s", "0:sadd:t"}},
		{[]string{"SPOP", "s"}, []string{"0:spop:s", "0:del:s"}},
		{[]string{"SADD", "u", "1", "2"}, []string{"0:sadd:u"}},
		{[]string{"SPOP", "u", "5"}, []string{"0:spop:u", "0:del:u"}},
		{[]string{"SINTERSTORE", "d", "t", "t"}, []string{"0:sinterstore:d"}},
		{[]string{"SUNIONSTORE", "d", "t"}, []string{"0:sunionstore:d"}},
		{[]string{"SDIFFSTORE", "d", "t", "t"}, []string{"0:del:d"}},
		{[]string{"SDIFFSTORE", "d", "t", "t"}, nil},
	} {
		do(s, c.argv...)
		require.Equal(t, c.want, rec.take(), "%v", c.argv)
	}
}

func TestSetExpiredKeyIsGone(t *testing.T) {
	s := newTestSession(t)
	do(s, "SADD", "s", "a")
	expectInt(t, 1, do(s, "PEXPIRE", "s", "20"))
	time.Sleep(30 * time.Millisecond)
	expectInt(t, 0, do(s, "SCARD", "s"))
	expectInt(t, 0, do(s, "SISMEMBER", "s", "a"))
	require.Empty(t, do(s, "SMEMBERS", "s").Elems)
	expectInt(t, 1, do(s, "SADD", "s", "b"))
	require.Equal(t, []string{"b"}, sortedStrs(do(s, "SMEMBERS", "s")))
}
