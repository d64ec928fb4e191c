package core

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// listModel is the reference a list is checked against.
type listModel []string

func (m listModel) index(i int64) (int64, bool) {
	n := int64(len(m))
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

func strs(v resp.Value) []string {
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = string(e.Str)
	}
	return out
}

// listPositions reads a list's positions in order, straight from storage.
func listPositions(t *testing.T, s *Session, key string) []int64 {
	t.Helper()
	k, found := lookupForTest(t, s, key)
	if !found {
		return nil
	}
	var out []int64
	require.NoError(t, s.store.w.exclusive(func(c *sqlConn) error {
		r, err := c.query(`SELECT pos FROM lists WHERE key_id = ? ORDER BY pos`, k.ID)
		if err != nil {
			return err
		}
		for r.next() {
			out = append(out, r.int(0))
		}
		return r.close()
	}))
	return out
}

// lookupForTest finds a key's row outside any command, holding the writer.
func lookupForTest(t *testing.T, s *Session, key string) (keyInfo, bool) {
	t.Helper()
	var k keyInfo
	var found bool
	require.NoError(t, s.store.w.exclusive(func(c *sqlConn) error {
		r, err := c.query(sqlLookupKey, int64(s.db), []byte(key))
		if err != nil {
			return err
		}
		if r.next() {
			k, found = scanKeyInfo(r), true
		}
		return r.close()
	}))
	return k, found
}

func checkList(t *testing.T, s *Session, key string, m listModel) {
	t.Helper()
	if len(m) == 0 {
		expectInt(t, 0, do(s, "LLEN", key))
		expectNil(t, do(s, "GET", key)) // the empty list is gone
		return
	}
	expectInt(t, int64(len(m)), do(s, "LLEN", key))
	require.Equal(t, []string(m), strs(do(s, "LRANGE", key, "0", "-1")))
}

// TestListAgainstModel runs random list commands and compares every reply
// and the whole list with a slice.
func TestListAgainstModel(t *testing.T) {
	s := newTestSession(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var m listModel
	val := func() string { return strconv.Itoa(rng.IntN(20)) }
	for step := 0; step < 3000; step++ {
		n := int64(len(m))
		idx := func() int64 { return rng.Int64N(2*n+5) - n - 2 }
		switch op := rng.IntN(13); op {
		case 0, 1:
			a, b := val(), val()
			expectInt(t, n+2, do(s, "LPUSH", "l", a, b))
			m = append(listModel{b, a}, m...)
		case 2, 3:
			a, b := val(), val()
			expectInt(t, n+2, do(s, "RPUSH", "l", a, b))
			m = append(m, a, b)
		case 4:
			cnt := rng.Int64N(3)
			v := do(s, "LPOP", "l", strconv.FormatInt(cnt, 10))
			if n == 0 {
				require.Equal(t, resp.NilArray, v.Kind)
				break
			}
			take := min(cnt, n)
			require.Equal(t, []string(m[:take]), strs(v))
			m = m[take:]
		case 5:
			v := do(s, "RPOP", "l")
			if n == 0 {
				expectNil(t, v)
				break
			}
			expectBulk(t, m[n-1], v)
			m = m[:n-1]
		case 6:
			i := idx()
			v := do(s, "LINDEX", "l", strconv.FormatInt(i, 10))
			if j, ok := m.index(i); ok {
				expectBulk(t, m[j], v)
			} else {
				expectNil(t, v)
			}
		case 7:
			i, x := idx(), val()
			v := do(s, "LSET", "l", strconv.FormatInt(i, 10), x)
			j, ok := m.index(i)
			switch {
			case n == 0:
				expectErr(t, "ERR no such key", v)
			case !ok:
				expectErr(t, "ERR index out of range", v)
			default:
				expectOK(t, v)
				m[j] = x
			}
		case 8:
			pivot, x := val(), val()
			before := rng.IntN(2) == 0
			where := "AFTER"
			if before {
				where = "BEFORE"
			}
			v := do(s, "LINSERT", "l", where, pivot, x)
			at := -1
			for i, e := range m {
				if e == pivot {
					at = i
					break
				}
			}
			switch {
			case n == 0:
				expectInt(t, 0, v)
			case at < 0:
				expectInt(t, -1, v)
			default:
				if !before {
					at++
				}
				m = append(m[:at], append(listModel{x}, m[at:]...)...)
				expectInt(t, n+1, v)
			}
		case 9:
			cnt, x := rng.Int64N(5)-2, val()
			v := do(s, "LREM", "l", strconv.FormatInt(cnt, 10), x)
			var removed int64
			var out listModel
			if cnt >= 0 {
				for _, e := range m {
					if e == x && (cnt == 0 || removed < cnt) {
						removed++
						continue
					}
					out = append(out, e)
				}
			} else {
				for i := len(m) - 1; i >= 0; i-- {
					if m[i] == x && removed < -cnt {
						removed++
						continue
					}
					out = append(listModel{m[i]}, out...)
				}
			}
			expectInt(t, removed, v)
			m = out
		case 10:
			if rng.IntN(4) != 0 { // trimming is drastic: rarely
				break
			}
			start, stop := rng.Int64N(4), -1-rng.Int64N(4)
			expectOK(t, do(s, "LTRIM", "l", strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10)))
			a, b, ok := normRange(start, stop, n)
			if ok {
				m = append(listModel(nil), m[a:b+1]...)
			} else {
				m = nil
			}
		case 11:
			start, stop := idx(), idx()
			a, b, ok := normRange(start, stop, n)
			want := []string{}
			if ok {
				want = m[a : b+1]
			}
			require.Equal(t, want, strs(do(s, "LRANGE", "l", strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10))))
		case 12:
			x := val()
			rank := rng.Int64N(5) - 2
			if rank == 0 {
				rank = 1
			}
			maxlen := rng.Int64N(n + 2)
			v := do(s, "LPOS", "l", x, "RANK", strconv.FormatInt(rank, 10), "COUNT", "0", "MAXLEN", strconv.FormatInt(maxlen, 10))
			want := []resp.Value{}
			skip := max(rank, -rank) - 1
			for k := int64(0); k < n && (maxlen == 0 || k < maxlen); k++ {
				i := k
				if rank < 0 {
					i = n - 1 - k
				}
				if m[i] == x {
					if skip > 0 {
						skip--
						continue
					}
					want = append(want, resp.IntValue(i))
				}
			}
			require.Equal(t, resp.ArrayValue(want), v, "LPOS %s RANK %d MAXLEN %d on %v", x, rank, maxlen, m)
		}
		if step%100 == 0 {
			checkList(t, s, "l", m)
		}
		if step%300 == 0 {
			compactList(t, s, "l")
		}
	}
	checkList(t, s, "l", m)
	require.NoError(t, s.store.Check())
}

// compactList renumbers a list 1, 2, 3...: no midpoint is left, so every
// LINSERT between two elements has to make room.
func compactList(t *testing.T, s *Session, key string) {
	t.Helper()
	k, found := lookupForTest(t, s, key)
	if !found {
		return
	}
	require.NoError(t, s.store.w.exclusive(func(c *sqlConn) error {
		for _, q := range []string{
			`INSERT INTO lists(key_id, pos, value) SELECT -key_id, row_number() OVER (ORDER BY pos), value FROM lists WHERE key_id = ?1`,
			`DELETE FROM lists WHERE key_id = ?1`,
			`UPDATE lists SET key_id = ?1 WHERE key_id = -?1`,
		} {
			if _, _, err := c.exec(q, k.ID); err != nil {
				return err
			}
		}
		return nil
	}))
}

func TestListPushPopPositions(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 1, do(s, "RPUSH", "l", "a"))
	expectInt(t, 3, do(s, "RPUSH", "l", "b", "c"))
	expectInt(t, 4, do(s, "LPUSH", "l", "z"))
	// Sparse positions, a step apart, with the first element at 0.
	require.Equal(t, []int64{-listStep, 0, listStep, 2 * listStep}, listPositions(t, s, "l"))
	expectBulk(t, "z", do(s, "LPOP", "l"))
	expectBulk(t, "c", do(s, "RPOP", "l"))
	require.Equal(t, []int64{0, listStep}, listPositions(t, s, "l"))
	require.Equal(t, []string{"a", "b"}, strs(do(s, "LRANGE", "l", "0", "-1")))
}

// TestLInsertRenumbersANeighbourhood inserts 1500 elements at one place of a
// 1000-element list: every midpoint there is used up many times over, and
// the respacing must stay local: elements far away keep their positions.
func TestLInsertRenumbersANeighbourhood(t *testing.T) {
	s := newTestSession(t)
	var m listModel
	args := []string{"RPUSH", "big"}
	for i := 0; i < 1000; i++ {
		args = append(args, "e"+strconv.Itoa(i))
		m = append(m, "e"+strconv.Itoa(i))
	}
	expectInt(t, 1000, do(s, args...))
	before := listPositions(t, s, "big")
	for i := 0; i < 1500; i++ {
		x := "n" + strconv.Itoa(i)
		expectInt(t, int64(1001+i), do(s, "LINSERT", "big", "BEFORE", "e500", x))
		// Each new element goes right before e500, after the previous one.
		m = append(m[:500+i], append(listModel{x}, m[500+i:]...)...)
	}
	checkList(t, s, "big", m)
	after := listPositions(t, s, "big")
	// The first 300 and the last 300 original elements never moved.
	require.Equal(t, before[:300], after[:300])
	require.Equal(t, before[700:], after[len(after)-300:])
	// And inserts the other way round, after one element.
	for i := 0; i < 200; i++ {
		x := "a" + strconv.Itoa(i)
		expectInt(t, int64(2501+i), do(s, "LINSERT", "big", "AFTER", "e100", x))
		m = append(m[:101], append(listModel{x}, m[101:]...)...)
	}
	checkList(t, s, "big", m)
	expectBulk(t, "e999", do(s, "LINDEX", "big", "-1"))
	expectBulk(t, "a199", do(s, "LINDEX", "big", "101"))
	expectBulk(t, "n1499", do(s, "LINDEX", "big", "-501"))
	expectBulk(t, "e500", do(s, "LINDEX", "big", "-500"))
	require.Equal(t, []string(m[len(m)-10:]), strs(do(s, "LRANGE", "big", "-10", "-1")))
	expectInt(t, 101+200+399+1499, do(s, "LPOS", "big", "n1499"))
	require.NoError(t, s.store.Check())
}

// TestLInsertAtTheEnds pushes through LINSERT before the head and after the
// tail.
func TestLInsertAtTheEnds(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "a")
	for i := 0; i < 50; i++ {
		do(s, "LINSERT", "l", "BEFORE", "a", "x")
		do(s, "LINSERT", "l", "AFTER", "a", "y")
	}
	v := strs(do(s, "LRANGE", "l", "0", "-1"))
	require.Len(t, v, 101)
	for i, e := range v {
		want := "x"
		switch {
		case i == 50:
			want = "a"
		case i > 50:
			want = "y"
		}
		require.Equal(t, want, e, "index %d", i)
	}
	require.NoError(t, s.store.Check())
}

// TestListRecentre moves a list's positions to the edge of the allowed
// range, where the next push must recentre the whole list first.
func TestListRecentre(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "a", "b", "c")
	k, _ := lookupForTest(t, s, "l")
	shift := listPosLimit - 3*listStep
	require.NoError(t, s.store.w.exclusive(func(c *sqlConn) error {
		_, _, err := c.exec(`UPDATE lists SET pos = pos + ? WHERE key_id = ?`, shift, k.ID)
		return err
	}))
	pos := listPositions(t, s, "l")
	require.Greater(t, pos[2], listPosLimit-listStep*2)
	expectInt(t, 5, do(s, "RPUSH", "l", "d", "e"))
	pos = listPositions(t, s, "l")
	require.Less(t, pos[4], listPosLimit/2)
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, strs(do(s, "LRANGE", "l", "0", "-1")))
	expectInt(t, 6, do(s, "LPUSH", "l", "z"))
	expectInt(t, 7, do(s, "LINSERT", "l", "AFTER", "c", "c2"))
	require.Equal(t, []string{"z", "a", "b", "c", "c2", "d", "e"}, strs(do(s, "LRANGE", "l", "0", "-1")))
	require.NoError(t, s.store.Check())
}

// TestListPushAtTheBoundary: a push that lands exactly on ±listPosLimit
// needs no recentring, the next one at that end does, on either side.
// (Finding the end and inserting in one INSERT ... SELECT was tried and is
// slower: SQLite copies the selected row through a temporary table when an
// INSERT reads its own table.)
func TestListPushAtTheBoundary(t *testing.T) {
	s := newTestSession(t)
	shiftList := func(key string, by int64) {
		t.Helper()
		k, _ := lookupForTest(t, s, key)
		require.NoError(t, s.store.w.exclusive(func(c *sqlConn) error {
			_, _, err := c.exec(`UPDATE lists SET pos = pos + ? WHERE key_id = ?`, by, k.ID)
			return err
		}))
	}
	do(s, "RPUSH", "r", "a", "b", "c") // positions 0, 1, 2 steps
	shiftList("r", listPosLimit-3*listStep)
	expectInt(t, 4, do(s, "RPUSH", "r", "d"))
	pos := listPositions(t, s, "r")
	require.Equal(t, listPosLimit, pos[3], "the push fits exactly: no recentring")
	expectInt(t, 5, do(s, "RPUSH", "r", "e"))
	pos = listPositions(t, s, "r")
	require.Less(t, pos[4], listPosLimit/2, "the next push recentres")
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, strs(do(s, "LRANGE", "r", "0", "-1")))

	do(s, "RPUSH", "l", "a", "b", "c")
	shiftList("l", -listPosLimit+listStep)
	expectInt(t, 4, do(s, "LPUSH", "l", "z"))
	pos = listPositions(t, s, "l")
	require.Equal(t, -listPosLimit, pos[0], "the push fits exactly: no recentring")
	expectInt(t, 6, do(s, "LPUSH", "l", "y", "x"))
	pos = listPositions(t, s, "l")
	require.Greater(t, pos[0], -listPosLimit/2, "the next push recentres")
	require.Equal(t, []string{"x", "y", "z", "a", "b", "c"}, strs(do(s, "LRANGE", "l", "0", "-1")))
	require.NoError(t, s.store.Check())
}

func TestLPosLargeList(t *testing.T) {
	s := newTestSession(t)
	args := []string{"RPUSH", "l"}
	for i := 0; i < 2000; i++ {
		args = append(args, strconv.Itoa(i%100))
	}
	do(s, args...)
	expectInt(t, 7, do(s, "LPOS", "l", "7"))
	expectInt(t, 1907, do(s, "LPOS", "l", "7", "RANK", "-1"))
	expectInt(t, 1807, do(s, "LPOS", "l", "7", "RANK", "-2"))
	expectNil(t, do(s, "LPOS", "l", "7", "RANK", "21"))
	require.Equal(t, resp.ArrayValue([]resp.Value{resp.IntValue(7), resp.IntValue(107), resp.IntValue(207)}),
		do(s, "LPOS", "l", "7", "COUNT", "0", "MAXLEN", "300"))
	require.Equal(t, resp.ArrayValue([]resp.Value{resp.IntValue(1907), resp.IntValue(1807)}),
		do(s, "LPOS", "l", "7", "COUNT", "0", "MAXLEN", "200", "RANK", "-1"))
	expectNil(t, do(s, "LPOS", "l", "99", "MAXLEN", "99"))
	expectInt(t, 99, do(s, "LPOS", "l", "99", "MAXLEN", "100"))
	require.Len(t, do(s, "LPOS", "l", "5", "COUNT", "0").Elems, 20)
	require.Len(t, do(s, "LPOS", "l", "5", "COUNT", "5", "RANK", "3").Elems, 5)
	require.Equal(t, []string{"98", "99"}, strs(do(s, "LRANGE", "l", "-2", "-1")))
	require.Equal(t, []string{"0", "1"}, strs(do(s, "LRANGE", "l", "-2000", "-1999")))
	expectBulk(t, "50", do(s, "LINDEX", "l", "-1950"))
}

func TestListErrors(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "str", "v"))
	for _, argv := range [][]string{
		{"LPUSH", "str", "a"}, {"RPUSHX", "str", "a"}, {"LPOP", "str"}, {"LLEN", "str"},
		{"LRANGE", "str", "0", "1"}, {"LINDEX", "str", "0"}, {"LSET", "str", "0", "a"},
		{"LINSERT", "str", "BEFORE", "a", "b"}, {"LREM", "str", "0", "a"}, {"LTRIM", "str", "0", "1"},
		{"LPOS", "str", "a"}, {"LMOVE", "str", "x", "LEFT", "LEFT"}, {"LMPOP", "1", "str", "LEFT"},
		{"BLPOP", "str", "0"}, {"BLMPOP", "0", "1", "str", "LEFT"},
	} {
		expectErr(t, "WRONGTYPE", do(s, argv...))
	}
	expectBulk(t, "v", do(s, "GET", "str"))
	expectErr(t, "ERR value is out of range, must be positive", do(s, "LPOP", "l", "-1"))
	expectErr(t, "ERR RANK can't be zero", do(s, "LPOS", "l", "a", "RANK", "0"))
	expectErr(t, "ERR COUNT can't be negative", do(s, "LPOS", "l", "a", "COUNT", "-1"))
	expectErr(t, "ERR MAXLEN can't be negative", do(s, "LPOS", "l", "a", "MAXLEN", "-1"))
	expectErr(t, "ERR wrong number of arguments for 'lpop' command", do(s, "LPOP", "l", "1", "2"))
	expectErr(t, "ERR numkeys should be greater than 0", do(s, "LMPOP", "0", "l", "LEFT"))
	expectErr(t, "ERR count should be greater than 0", do(s, "LMPOP", "1", "l", "LEFT", "COUNT", "0"))
	expectErr(t, "ERR syntax error", do(s, "LMOVE", "a", "b", "UP", "LEFT"))
	expectErr(t, "ERR timeout is negative", do(s, "BLPOP", "l", "-1"))
	expectErr(t, "ERR timeout is not a float or out of range", do(s, "BLPOP", "l", "x"))
	// A failed command leaves nothing behind.
	do(s, "RPUSH", "l", "a")
	expectErr(t, "WRONGTYPE", do(s, "LMOVE", "l", "str", "LEFT", "LEFT"))
	require.Equal(t, []string{"a"}, strs(do(s, "LRANGE", "l", "0", "-1")))
}

func TestListMoveAndRotate(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "a", "b", "c")
	expectBulk(t, "c", do(s, "RPOPLPUSH", "l", "l"))
	require.Equal(t, []string{"c", "a", "b"}, strs(do(s, "LRANGE", "l", "0", "-1")))
	expectBulk(t, "c", do(s, "LMOVE", "l", "l", "LEFT", "RIGHT"))
	require.Equal(t, []string{"a", "b", "c"}, strs(do(s, "LRANGE", "l", "0", "-1")))
	expectBulk(t, "a", do(s, "LMOVE", "l", "d", "LEFT", "RIGHT"))
	expectBulk(t, "b", do(s, "LMOVE", "l", "d", "LEFT", "LEFT"))
	expectBulk(t, "c", do(s, "LMOVE", "l", "d", "LEFT", "RIGHT"))
	expectNil(t, do(s, "GET", "l"))
	require.Equal(t, []string{"b", "a", "c"}, strs(do(s, "LRANGE", "d", "0", "-1")))
	do(s, "RPUSH", "one", "x")
	expectBulk(t, "x", do(s, "LMOVE", "one", "one", "LEFT", "LEFT"))
	expectInt(t, 1, do(s, "LLEN", "one"))
	require.NoError(t, s.store.Check())
}

func TestListExpiredKeyIsGone(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "a", "b")
	expectInt(t, 1, do(s, "PEXPIRE", "l", "20"))
	time.Sleep(30 * time.Millisecond)
	expectInt(t, 0, do(s, "LLEN", "l"))
	expectNil(t, do(s, "LINDEX", "l", "0"))
	expectInt(t, 0, do(s, "LPUSHX", "l", "x"))
	expectInt(t, 1, do(s, "RPUSH", "l", "c"))
	require.Equal(t, []string{"c"}, strs(do(s, "LRANGE", "l", "0", "-1")))
	expectInt(t, -1, do(s, "TTL", "l"))
}

func TestListCopyAndEncoding(t *testing.T) {
	s := newTestSession(t)
	do(s, "RPUSH", "l", "a", "b", "c")
	expectInt(t, 1, do(s, "COPY", "l", "l2"))
	do(s, "RPUSH", "l", "d")
	require.Equal(t, []string{"a", "b", "c"}, strs(do(s, "LRANGE", "l2", "0", "-1")))
	expectInt(t, 3, do(s, "LLEN", "l2"))
	expectBulk(t, "quicklist", do(s, "OBJECT", "ENCODING", "l"))
	require.NoError(t, s.store.Check())
}

func TestListEvents(t *testing.T) {
	s := newTestSession(t)
	rec := recordEvents(t, s)
	for _, c := range []struct {
		argv []string
		want []string
	}{
		{[]string{"RPUSH", "l", "a", "b", "c"}, []string{"0:rpush:l"}},
		{[]string{"LPUSH", "l", "z"}, []string{"0:lpush:l"}},
		{[]string{"LPUSHX", "nol", "z"}, nil},
		{[]string{"LINSERT", "l", "BEFORE", "a", "x"}, []string{"0:linsert:l"}},
		{[]string{"LSET", "l", "0", "y"}, []string{"0:lset:l"}},
		{[]string{"LREM", "l", "0", "x"}, []string{"0:lrem:l"}},
		{[]string{"LREM", "l", "0", "nothere"}, nil},
		{[]string{"LTRIM", "l", "0", "-1"}, []string{"0:ltrim:l"}},
		{[]string{"LMOVE", "l", "m", "LEFT", "RIGHT"}, []string{"0:rpush:m", "0:lpop:l"}},
		{[]string{"RPOPLPUSH", "l", "l"}, []string{"0:lpush:l", "0:rpop:l"}},
		{[]string{"LPOP", "l"}, []string{"0:lpop:l"}},
		{[]string{"RPOP", "l", "5"}, []string{"0:rpop:l", "0:del:l"}},
		{[]string{"LTRIM", "m", "1", "0"}, []string{"0:ltrim:m", "0:del:m"}},
		{[]string{"RPUSH", "n", "a"}, []string{"0:rpush:n"}},
		{[]string{"LMPOP", "1", "n", "RIGHT"}, []string{"0:rpop:n", "0:del:n"}},
		{[]string{"RPUSH", "n", "a"}, []string{"0:rpush:n"}},
		{[]string{"BLPOP", "n", "0"}, []string{"0:lpop:n", "0:del:n"}},
	} {
		do(s, c.argv...)
		require.Equal(t, c.want, rec.take(), "%v", c.argv)
	}
}

// blockingDo runs a command in its own goroutine and hands back the reply.
func blockingDo(s *Session, argv ...string) <-chan resp.Value {
	ch := make(chan resp.Value, 1)
	go func() { ch <- do(s, argv...) }()
	return ch
}

// waitSessionBlocked waits until the session is blocked in a command.
func waitSessionBlocked(t *testing.T, s *Session) {
	t.Helper()
	require.Eventually(t, func() bool { return s.blocked.Load() != nil }, 10*time.Second, time.Millisecond)
}

func TestBlockingPopWokenByPush(t *testing.T) {
	db := openTestDB(t)
	waiter, pusher := db.NewSession(), db.NewSession()
	t.Cleanup(waiter.Close)
	t.Cleanup(pusher.Close)

	ch := blockingDo(waiter, "BLPOP", "q1", "q2", "0")
	waitSessionBlocked(t, waiter)
	expectInt(t, 2, do(pusher, "RPUSH", "q2", "a", "b"))
	require.Equal(t, []string{"q2", "a"}, strs(recvReply(t, ch)))
	require.Equal(t, []string{"b"}, strs(do(pusher, "LRANGE", "q2", "0", "-1")))

	ch = blockingDo(waiter, "BRPOP", "q3", "5")
	waitSessionBlocked(t, waiter)
	do(pusher, "LPUSH", "q3", "x", "y")
	require.Equal(t, []string{"q3", "x"}, strs(recvReply(t, ch)))

	ch = blockingDo(waiter, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
	waitSessionBlocked(t, waiter)
	do(pusher, "RPUSH", "src", "m")
	expectBulk(t, "m", recvReply(t, ch))
	require.Equal(t, []string{"m"}, strs(do(pusher, "LRANGE", "dst", "0", "-1")))
	expectNil(t, do(pusher, "GET", "src"))

	ch = blockingDo(waiter, "BRPOPLPUSH", "src", "dst", "0")
	waitSessionBlocked(t, waiter)
	do(pusher, "RPUSH", "src", "n")
	expectBulk(t, "n", recvReply(t, ch))
	require.Equal(t, []string{"n", "m"}, strs(do(pusher, "LRANGE", "dst", "0", "-1")))

	ch = blockingDo(waiter, "BLMPOP", "0", "2", "e1", "e2", "LEFT", "COUNT", "2")
	waitSessionBlocked(t, waiter)
	do(pusher, "RPUSH", "e2", "a", "b", "c")
	v := recvReply(t, ch)
	require.Len(t, v.Elems, 2)
	expectBulk(t, "e2", v.Elems[0])
	require.Equal(t, []string{"a", "b"}, strs(v.Elems[1]))

	// A key that becomes a string does not serve or fail the waiter.
	ch = blockingDo(waiter, "BLPOP", "w", "0.3")
	waitSessionBlocked(t, waiter)
	expectOK(t, do(pusher, "SET", "w", "v"))
	require.Equal(t, resp.NilArray, recvReply(t, ch).Kind)

	// A destination of the wrong type fails BLMOVE and keeps the element.
	expectOK(t, do(pusher, "SET", "bad", "v"))
	ch = blockingDo(waiter, "BLMOVE", "s2", "bad", "LEFT", "LEFT", "0")
	waitSessionBlocked(t, waiter)
	do(pusher, "RPUSH", "s2", "keep")
	expectErr(t, "WRONGTYPE", recvReply(t, ch))
	require.Equal(t, []string{"keep"}, strs(do(pusher, "LRANGE", "s2", "0", "-1")))
	require.NoError(t, db.Check())
}

func TestBlockingPopTimeouts(t *testing.T) {
	s := newTestSession(t)
	for _, argv := range [][]string{
		{"BLPOP", "none", "0.1"},
		{"BRPOP", "none", "other", "0.1"},
		{"BLMOVE", "none", "dst", "LEFT", "LEFT", "0.1"},
		{"BRPOPLPUSH", "none", "dst", "0.1"},
		{"BLMPOP", "0.1", "1", "none", "LEFT"},
	} {
		start := time.Now()
		v := do(s, argv...)
		elapsed := time.Since(start)
		require.Equal(t, resp.NilArray, v.Kind, "%v", argv)
		require.GreaterOrEqual(t, elapsed, 100*time.Millisecond, "%v", argv)
		require.Less(t, elapsed, 5*time.Second, "%v", argv)
	}
	// Inside MULTI nothing waits: BLMOVE and BRPOPLPUSH answer a null
	// bulk string there, the others a null array.
	expectOK(t, do(s, "MULTI"))
	for _, argv := range [][]string{{"BLPOP", "none", "0"}, {"BLMOVE", "none", "d", "LEFT", "LEFT", "0"},
		{"BRPOPLPUSH", "none", "d", "0"}, {"BLMPOP", "0", "1", "none", "LEFT"}} {
		require.Equal(t, "QUEUED", string(do(s, argv...).Str))
	}
	v := do(s, "EXEC")
	require.Equal(t, []resp.Kind{resp.NilArray, resp.Nil, resp.Nil, resp.NilArray},
		[]resp.Kind{v.Elems[0].Kind, v.Elems[1].Kind, v.Elems[2].Kind, v.Elems[3].Kind})
}

// TestBlockingPopManyWaiters serves eight blocked sessions with eight pushes.
func TestBlockingPopManyWaiters(t *testing.T) {
	db := openTestDB(t)
	const waiters = 8
	sessions := make([]*Session, waiters)
	chans := make([]<-chan resp.Value, waiters)
	for i := range sessions {
		sessions[i] = db.NewSession()
		t.Cleanup(sessions[i].Close)
		chans[i] = blockingDo(sessions[i], "BLPOP", "jobs", "0")
		waitSessionBlocked(t, sessions[i])
	}
	pusher := db.NewSession()
	t.Cleanup(pusher.Close)
	for i := 0; i < waiters; i++ {
		do(pusher, "RPUSH", "jobs", fmt.Sprintf("job%d", i))
	}
	got := map[string]bool{}
	for _, ch := range chans {
		v := recvReply(t, ch)
		require.Len(t, v.Elems, 2)
		got[string(v.Elems[1].Str)] = true
	}
	require.Len(t, got, waiters) // every job served exactly once
	expectNil(t, do(pusher, "GET", "jobs"))
}

// TestBlockingPopFirstComeFirstServed: two sessions blocked on one list are
// served in the order they blocked, whichever end they pop from.
func TestBlockingPopFirstComeFirstServed(t *testing.T) {
	db := openTestDB(t)
	first, second, pusher := db.NewSession(), db.NewSession(), db.NewSession()
	for _, s := range []*Session{first, second, pusher} {
		t.Cleanup(s.Close)
	}
	for round := 0; round < 5; round++ {
		ch1 := blockingDo(first, "BLPOP", "fifo", "0")
		waitBlocked(t, db, "fifo", 1)
		ch2 := blockingDo(second, "BRPOP", "other", "fifo", "0")
		waitBlocked(t, db, "fifo", 2)
		expectInt(t, 1, do(pusher, "RPUSH", "fifo", "a"+strconv.Itoa(round)))
		require.Equal(t, []string{"fifo", "a" + strconv.Itoa(round)}, strs(recvReply(t, ch1)))
		expectInt(t, 1, do(pusher, "RPUSH", "fifo", "b"+strconv.Itoa(round)))
		require.Equal(t, []string{"fifo", "b" + strconv.Itoa(round)}, strs(recvReply(t, ch2)))
	}
	// Two elements in one push serve both, in order.
	ch1 := blockingDo(first, "BLMOVE", "fifo", "dst", "LEFT", "RIGHT", "0")
	waitBlocked(t, db, "fifo", 1)
	ch2 := blockingDo(second, "BLPOP", "fifo", "0")
	waitBlocked(t, db, "fifo", 2)
	expectInt(t, 2, do(pusher, "RPUSH", "fifo", "x", "y"))
	expectBulk(t, "x", recvReply(t, ch1))
	require.Equal(t, []string{"fifo", "y"}, strs(recvReply(t, ch2)))
	require.Equal(t, []string{"x"}, strs(do(pusher, "LRANGE", "dst", "0", "-1")))
}
