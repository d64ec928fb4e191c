package core

import (
	"math"
	"math/rand"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

func TestSortScoreParsing(t *testing.T) {
	for in, want := range map[string]float64{
		"1": 1, " 2": 2, "": 0, "0x10": 16, "-inf": math.Inf(-1), "+3": 3, ".5": 0.5, "5.": 5, "1e3": 1000,
	} {
		f, ok := parseSortScore([]byte(in))
		require.True(t, ok, in)
		require.Equal(t, want, f, in)
	}
	for _, in := range []string{"1 ", "x", "nan", "1e400", "-1e400", "1e-400", "1_0", "0x"} {
		_, ok := parseSortScore([]byte(in))
		require.False(t, ok, in)
	}
}

func TestSortBasics(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "3", "1", "2", "10")
	expectStrings(t, []string{"1", "2", "3", "10"}, do(s, "SORT", "l"))
	expectStrings(t, []string{"10", "3", "2", "1"}, do(s, "SORT", "l", "DESC"))
	expectStrings(t, []string{"1", "10", "2", "3"}, do(s, "SORT", "l", "ALPHA"))
	expectStrings(t, []string{"2", "3"}, do(s, "SORT", "l", "LIMIT", "1", "2"))
	expectStrings(t, []string{"3", "1", "2", "10"}, do(s, "SORT", "l", "BY", "nosort"))
	expectStrings(t, []string{"10", "2"}, do(s, "SORT", "l", "BY", "nosort", "DESC", "LIMIT", "0", "2"))
	do(s, "MSET", "w_1", "4", "w_2", "3", "w_3", "2", "w_10", "1")
	expectStrings(t, []string{"10", "3", "2", "1"}, do(s, "SORT", "l", "BY", "w_*"))
	do(s, "HSET", "h_3", "name", "three")
	v := do(s, "SORT", "l", "GET", "#", "GET", "h_*->name")
	require.Len(t, v.Elems, 8)
	require.Equal(t, "three", string(v.Elems[5].Str))
	require.Equal(t, resp.Nil, v.Elems[1].Kind)

	// Numbers out of a double's range are refused (Redis sees ERANGE).
	do(s, "RPUSH", "big", "1", "1e400")
	expectErr(t, "ERR One or more scores can't be converted into double", do(s, "SORT", "big"))
	do(s, "RPUSH", "tiny", "1e-400")
	expectErr(t, "ERR One or more scores can't be converted into double", do(s, "SORT", "tiny"))
	expectStrings(t, []string{"1", "1e400"}, do(s, "SORT", "big", "ALPHA"))
	// and refusing changes nothing, even with STORE.
	expectErr(t, "ERR One or more scores", do(s, "SORT", "big", "STORE", "l"))
	expectInt(t, 4, do(s, "LLEN", "l"))

	expectErr(t, "ERR syntax error", do(s, "SORT_RO", "l", "STORE", "x"))
	expectOK(t, do(s, "SET", "str", "v"))
	expectErr(t, "WRONGTYPE", do(s, "SORT", "str"))
	expectStrings(t, nil, do(s, "SORT", "nokey"))
}

// TestSortAgainstGo sorts random lists, sets and sorted sets and checks
// every order and LIMIT against sort.SliceStable.
func TestSortAgainstGo(t *testing.T) {
	s := newTestSession(t)
	rng := rand.New(rand.NewSource(3))
	var nums []string
	for i := 0; i < 300; i++ {
		nums = append(nums, strconv.FormatFloat(float64(rng.Intn(2000)-1000)/8, 'g', -1, 64))
	}
	do(s, append([]string{"RPUSH", "l"}, nums...)...)
	uniq := map[string]bool{}
	zargs := []string{"ZADD", "z"}
	for i, n := range nums {
		if !uniq[n] {
			uniq[n] = true
			zargs = append(zargs, strconv.Itoa(i), n)
		}
	}
	do(s, zargs...)
	members := make([]string, 0, len(uniq))
	for m := range uniq {
		members = append(members, m)
	}
	do(s, append([]string{"SADD", "s"}, members...)...)

	numeric := func(in []string, desc bool) []string {
		out := append([]string(nil), in...)
		sort.SliceStable(out, func(i, j int) bool {
			a, _ := strconv.ParseFloat(out[i], 64)
			b, _ := strconv.ParseFloat(out[j], 64)
			if a != b {
				return (a < b) != desc
			}
			return (out[i] < out[j]) != desc && out[i] != out[j]
		})
		return out
	}
	alpha := func(in []string, desc bool) []string {
		out := append([]string(nil), in...)
		sort.SliceStable(out, func(i, j int) bool {
			if desc {
				return out[i] > out[j]
			}
			return out[i] < out[j]
		})
		return out
	}
	for _, key := range []string{"l", "z", "s"} {
		elems := nums
		if key != "l" {
			elems = members
		}
		for _, desc := range []bool{false, true} {
			dir := map[bool]string{false: "ASC", true: "DESC"}[desc]
			expectStrings(t, numeric(elems, desc), do(s, "SORT", key, dir))
			expectStrings(t, alpha(elems, desc), do(s, "SORT", key, dir, "ALPHA"))
			off, cnt := rng.Intn(350), rng.Intn(40)
			want := numeric(elems, desc)
			want = want[min(off, len(want)):]
			want = want[:min(cnt, len(want))]
			expectStrings(t, want, do(s, "SORT_RO", key, dir, "LIMIT", strconv.Itoa(off), strconv.Itoa(cnt)))
		}
	}
	expectInt(t, 300, do(s, "SORT", "l", "STORE", "sorted"))
	expectStrings(t, numeric(nums, false), do(s, "LRANGE", "sorted", "0", "-1"))
	require.NoError(t, s.store.Check())
}

func TestSortStoreNotificationsAndWatch(t *testing.T) {
	db := openTestDB(t)
	s, other := db.NewSession(), db.NewSession()
	defer s.Close()
	defer other.Close()
	rec := &eventRecorder{}
	db.events = rec
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "KEA"))
	do(s, "RPUSH", "l", "2", "1")
	rec.take()
	expectInt(t, 2, do(s, "SORT", "l", "STORE", "dst"))
	require.Equal(t, []string{"sortstore:dst"}, rec.take())
	expectInt(t, 0, do(s, "SORT", "nokey", "STORE", "dst"))
	require.Equal(t, []string{"del:dst"}, rec.take())
	expectInt(t, 0, do(s, "SORT", "nokey", "STORE", "dst"))
	require.Empty(t, rec.take())
	expectStrings(t, []string{"1", "2"}, do(s, "SORT", "l"))
	require.Empty(t, rec.take(), "SORT without STORE writes nothing")

	expectOK(t, do(s, "WATCH", "dst"))
	expectOK(t, do(s, "MULTI"))
	do(s, "SORT", "l", "DESC")
	do(s, "SORT", "l", "DESC", "STORE", "dst2")
	require.False(t, do(other, "SORT", "l", "STORE", "dst").IsError())
	require.Equal(t, resp.NilArray, do(s, "EXEC").Kind)

	// Inside MULTI, SORT and SORT_RO run in the transaction.
	expectOK(t, do(s, "MULTI"))
	do(s, "RPUSH", "m", "b", "a")
	do(s, "SORT", "m", "ALPHA", "STORE", "m2")
	do(s, "SORT_RO", "m2", "BY", "nosort", "DESC")
	v := do(s, "EXEC")
	require.Len(t, v.Elems, 3)
	expectInt(t, 2, v.Elems[1])
	expectStrings(t, []string{"b", "a"}, v.Elems[2])
	require.NoError(t, db.Check())
}

func TestSortIgnoresExpiredWeights(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "1", "2")
	do(s, "SET", "w_1", "10")
	do(s, "SET", "w_2", "5", "PX", "30")
	do(s, "SET", "g_1", "one", "PX", "30")
	expectStrings(t, []string{"2", "1"}, do(s, "SORT", "l", "BY", "w_*"))
	time.Sleep(50 * time.Millisecond)
	expectStrings(t, []string{"2", "1"}, do(s, "SORT", "l", "BY", "w_*"))
	do(s, "SET", "w_2", "50")
	expectStrings(t, []string{"1", "2"}, do(s, "SORT", "l", "BY", "w_*"))
	v := do(s, "SORT", "l", "GET", "g_*")
	require.Equal(t, resp.Nil, v.Elems[0].Kind)
}
