package core

import (
	"math"
	"strconv"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// Sorted set ranges: by rank, by score and by member (lexicographic), and
// the commands that read or remove them.

// lexNote says how lexicographic ranges are read.
const lexNote = "Members are compared as bytes whatever their scores; Redis' result is unspecified when the scores differ. " +
	"When every member has the same score (what lexicographic ranges are meant for) the range is found with an index seek; otherwise every member is read, O(N)."

func init() {
	const g = "sorted-set"
	rangeNote := "A rank range starting far from both ends of a large sorted set costs O(log(N)+S+M) where S is the distance to the nearer end: the index is walked, not jumped."
	register(
		&Command{Name: "zrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns members in a sorted set within a range of indexes.", Since: "1.2.0",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
			Note:       rangeNote + " BYLEX: " + lexNote,
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 2, kind: zrangeAuto}) }},
		&Command{Name: "zrangestore", Arity: -5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Group: g,
			Summary: "Stores a range of members from sorted set in a key.", Since: "6.2.0",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
			Note:       rangeNote,
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 3, kind: zrangeAuto, store: true}) }},
		&Command{Name: "zrevrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns members in a sorted set within a range of indexes in reverse order.", Since: "1.2.0",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
			Note:       rangeNote,
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 2, kind: zrangeRank, rev: true}) }},
		&Command{Name: "zrangebyscore", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns members in a sorted set within a range of scores.", Since: "1.0.5",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 2, kind: zrangeScore}) }},
		&Command{Name: "zrevrangebyscore", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns members in a sorted set within a range of scores in reverse order.", Since: "2.2.0",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 2, kind: zrangeScore, rev: true}) }},
		&Command{Name: "zrangebylex", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns members in a sorted set within a lexicographical range.", Since: "2.8.9",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
			Note:       lexNote,
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 2, kind: zrangeLex}) }},
		&Command{Name: "zrevrangebylex", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns members in a sorted set within a lexicographical range in reverse order.", Since: "2.8.9",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
			Note:       lexNote,
			Run:        func(c *Call) resp.Value { return zrangeCommand(c, zrangeSpec{args: 2, kind: zrangeLex, rev: true}) }},
		&Command{Name: "zremrangebyrank", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.",
			Since:   "2.0.0", Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
			Note: rangeNote, Run: cmdZRemRangeByRank},
		&Command{Name: "zremrangebyscore", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.",
			Since:   "1.2.0", Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
			Run: cmdZRemRangeByScore},
		&Command{Name: "zremrangebylex", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.",
			Since:   "2.8.9", Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
			Note: lexNote,
			Run:  cmdZRemRangeByLex},
	)
}

// scoreRange is a parsed score interval: min and max with `(` exclusion.
type scoreRange struct {
	min, max     float64
	minEx, maxEx bool
}

// parseScoreBound reads one end of a score range as Redis' strtod-based
// parser does: an optional "(" for exclusion, leading spaces allowed, an
// empty number meaning 0, overflow giving ±inf, NaN and trailing bytes
// refused.
func parseScoreBound(b []byte) (f float64, ex bool, ok bool) {
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	i := 0
	for i < len(b) && isSpaceByte(b[i]) {
		i++
	}
	s := string(b[i:])
	if s == "" {
		return 0, ex, true
	}
	if strings.ContainsRune(s, '_') {
		return 0, false, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		ne, isNum := err.(*strconv.NumError)
		switch {
		case isNum && ne.Err == strconv.ErrRange:
			// strtod saturates to ±inf or 0; the range parser accepts both.
		default:
			h, hok := parseHexInt(s)
			if !hok {
				return 0, false, false
			}
			f = h
		}
	}
	if math.IsNaN(f) {
		return 0, false, false
	}
	return f, ex, true
}

func parseScoreRange(minArg, maxArg []byte) (scoreRange, resp.Value, bool) {
	var r scoreRange
	var ok1, ok2 bool
	r.min, r.minEx, ok1 = parseScoreBound(minArg)
	r.max, r.maxEx, ok2 = parseScoreBound(maxArg)
	if !ok1 || !ok2 {
		return r, errMinMaxNum, false
	}
	return r, resp.Value{}, true
}

// where is the SQL condition on score; its parameters are r.min, r.max.
func (r scoreRange) where() string {
	lo, hi := "score >= ?", "score <= ?"
	if r.minEx {
		lo = "score > ?"
	}
	if r.maxEx {
		hi = "score < ?"
	}
	return lo + " AND " + hi
}

// lexBound is one end of a lexicographic range: "-" (inf < 0), "+"
// (inf > 0), or "[member" / "(member".
type lexBound struct {
	inf int
	val []byte
	ex  bool
}

func parseLexBound(b []byte) (lexBound, bool) {
	if len(b) == 0 {
		return lexBound{}, false
	}
	switch b[0] {
	case '-', '+':
		if len(b) != 1 {
			return lexBound{}, false
		}
		if b[0] == '-' {
			return lexBound{inf: -1}, true
		}
		return lexBound{inf: 1}, true
	case '[':
		return lexBound{val: b[1:]}, true
	case '(':
		return lexBound{val: b[1:], ex: true}, true
	}
	return lexBound{}, false
}

type lexRange struct{ min, max lexBound }

func parseLexRange(minArg, maxArg []byte) (lexRange, bool) {
	lo, ok1 := parseLexBound(minArg)
	hi, ok2 := parseLexBound(maxArg)
	return lexRange{lo, hi}, ok1 && ok2
}

// where is the SQL condition selecting sorted set id's members in the
// range, and its parameters.
func (r lexRange) where(id int64) (string, []any) {
	q := "key_id = ?"
	a := []any{id}
	switch {
	case r.min.inf < 0:
	case r.min.inf > 0:
		q += " AND 0"
	case r.min.ex:
		q += " AND member > ?"
		a = append(a, r.min.val)
	default:
		q += " AND member >= ?"
		a = append(a, r.min.val)
	}
	switch {
	case r.max.inf > 0:
	case r.max.inf < 0:
		q += " AND 0"
	case r.max.ex:
		q += " AND member < ?"
		a = append(a, r.max.val)
	default:
		q += " AND member <= ?"
		a = append(a, r.max.val)
	}
	return q, a
}

// lexWhere is r.where for sorted set id, narrowed to the set's one score
// when all its members share it (what lexicographic ranges are meant for):
// the (key_id, score, member) index then finds the range in one seek.
// Otherwise every member is compared, whatever its score.
func (tx *Tx) lexWhere(id int64, r lexRange) (string, []any) {
	where, a := r.where(id)
	var lo, hi float64
	same := false
	tx.queryRow(`SELECT (SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score LIMIT 1),
		(SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score DESC LIMIT 1)`, args(id), func(r *rows) {
		lo, hi = r.float(0), r.float(1)
		same = !r.isNull(0) && lo == hi
	})
	if same {
		return where + " AND score = ?", append(a, lo)
	}
	return where, a
}

// zsetScan reads rows of (member, score) into a slice.
func (tx *Tx) zsetScan(q string, a []any, hint int64) []zmember {
	if hint > 1024 || hint < 0 {
		hint = 1024
	}
	out := make([]zmember, 0, hint)
	tx.query(q, a, func(r *rows) bool {
		out = append(out, zmember{member: r.bytes(0), score: r.float(1)})
		return true
	})
	return out
}

// zsetRangeByRank returns the elements of ranks start..stop (normalized) of
// sorted set k, in ascending order or, with rev, counting ranks from the
// highest score and returned in descending order. The index is walked from
// the nearer end.
func (tx *Tx) zsetRangeByRank(k keyInfo, start, stop int64, rev bool) []zmember {
	lo, hi := start, stop // ascending ranks
	if rev {
		lo, hi = k.Count-1-stop, k.Count-1-start
	}
	n := hi - lo + 1
	var items []zmember
	fromTop := lo > k.Count-1-hi
	if fromTop {
		items = tx.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ? ORDER BY score DESC, member DESC LIMIT ? OFFSET ?`,
			args(k.ID, n, k.Count-1-hi), n)
	} else {
		items = tx.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ? ORDER BY score, member LIMIT ? OFFSET ?`,
			args(k.ID, n, lo), n)
	}
	if fromTop != rev {
		reverseZ(items)
	}
	return items
}

func reverseZ(items []zmember) {
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
}

// zsetRangeByScore returns elements in r, ascending or descending, after
// skipping offset of them, at most count (negative: all).
func (tx *Tx) zsetRangeByScore(id int64, r scoreRange, rev bool, offset, count int64) []zmember {
	order := "score, member"
	if rev {
		order = "score DESC, member DESC"
	}
	return tx.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ? AND `+r.where()+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		args(id, r.min, r.max, count, offset), count)
}

// zsetRangeByLex is zsetRangeByScore for a lexicographic range.
func (tx *Tx) zsetRangeByLex(id int64, r lexRange, rev bool, offset, count int64) []zmember {
	order := "member"
	if rev {
		order = "member DESC"
	}
	where, a := tx.lexWhere(id, r)
	return tx.zsetScan(`SELECT member, score FROM zsets WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(a, count, offset), count)
}

type zrangeKind uint8

const (
	zrangeAuto zrangeKind = iota // ZRANGE: rank unless BYSCORE or BYLEX
	zrangeRank
	zrangeScore
	zrangeLex
)

// zrangeSpec describes one of the ZRANGE family: where its key is (after
// the destination for ZRANGESTORE), its fixed kind and direction.
type zrangeSpec struct {
	args  int // index of the min argument minus one: 2 for ZRANGE key, 3 for ZRANGESTORE dst src
	kind  zrangeKind
	rev   bool
	store bool
}

var (
	errLimitNeedsBy    = resp.Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
	errWithScoresBylex = resp.Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
)

// zrangeCommand implements ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE,
// ZREVRANGEBYSCORE, ZRANGEBYLEX and ZREVRANGEBYLEX, with Redis' order of
// checks: options, then LIMIT and WITHSCORES compatibility, then the range,
// then the key.
func zrangeCommand(c *Call, sp zrangeSpec) resp.Value {
	keyIdx := sp.args - 1
	minArg, maxArg := c.Args[sp.args], c.Args[sp.args+1]
	kind, rev := sp.kind, sp.rev
	withScores, limited := false, false
	offset, count := int64(0), int64(-1)
	for i := sp.args + 2; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case !sp.store && eqFold(a, "WITHSCORES"):
			withScores = true
		case eqFold(a, "LIMIT") && i+2 < len(c.Args):
			var errv resp.Value
			var ok bool
			if offset, errv, ok = c.argInt(i + 1); !ok {
				return errv
			}
			if count, errv, ok = c.argInt(i + 2); !ok {
				return errv
			}
			limited = true
			i += 2
		case sp.kind == zrangeAuto && kind == zrangeAuto && eqFold(a, "BYSCORE"):
			kind = zrangeScore
		case sp.kind == zrangeAuto && kind == zrangeAuto && eqFold(a, "BYLEX"):
			kind = zrangeLex
		case sp.kind == zrangeAuto && !rev && eqFold(a, "REV"):
			rev = true
		default:
			return errSyntax
		}
	}
	if kind == zrangeAuto {
		kind = zrangeRank
	}
	if limited && kind == zrangeRank {
		return errLimitNeedsBy
	}
	if withScores && kind == zrangeLex {
		return errWithScoresBylex
	}
	if rev && kind != zrangeRank {
		minArg, maxArg = maxArg, minArg
	}
	var start, stop int64
	var sr scoreRange
	var lr lexRange
	switch kind {
	case zrangeRank:
		var errv resp.Value
		var ok bool
		if start, errv, ok = c.argInt(sp.args); !ok {
			return errv
		}
		if stop, errv, ok = c.argInt(sp.args + 1); !ok {
			return errv
		}
	case zrangeScore:
		var errv resp.Value
		var ok bool
		if sr, errv, ok = parseScoreRange(minArg, maxArg); !ok {
			return errv
		}
	case zrangeLex:
		var ok bool
		if lr, ok = parseLexRange(minArg, maxArg); !ok {
			return errMinMaxLex
		}
	}
	var k keyInfo
	var found, wrong bool
	if sp.store {
		k, found, wrong = c.lookupWriteType(c.Args[keyIdx], TypeZSet)
	} else {
		k, found, wrong = c.lookupZSet(c.Args[keyIdx])
	}
	if wrong {
		return errWrongType
	}
	var items []zmember
	switch {
	case !found:
	case kind == zrangeRank:
		if lo, hi, ok := normRange(start, stop, k.Count); ok {
			items = c.zsetRangeByRank(k, lo, hi, rev)
		}
	case offset < 0:
		// Redis answers an empty range for a negative offset.
	case kind == zrangeScore:
		items = c.zsetRangeByScore(k.ID, sr, rev, offset, count)
	default:
		items = c.zsetRangeByLex(k.ID, lr, rev, offset, count)
	}
	if sp.store {
		return resp.IntValue(c.zsetStore(c.Args[1], items, "zrangestore"))
	}
	return zsetReply(items, withScores, c.S.Proto)
}

func cmdZRemRangeByRank(c *Call) resp.Value {
	start, errv, ok := c.argInt(2)
	if !ok {
		return errv
	}
	stop, errv, ok := c.argInt(3)
	if !ok {
		return errv
	}
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeZSet)
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	lo, hi, ok := normRange(start, stop, k.Count)
	if !ok {
		return resp.IntValue(0)
	}
	n := hi - lo + 1
	var removed int64
	if lo > k.Count-1-hi {
		removed, _ = c.exec(`DELETE FROM zsets WHERE key_id = ?1 AND (h, member) IN (SELECT h, member FROM zsets WHERE key_id = ?1 ORDER BY score DESC, member DESC LIMIT ?2 OFFSET ?3)`,
			k.ID, n, k.Count-1-hi)
	} else {
		removed, _ = c.exec(`DELETE FROM zsets WHERE key_id = ?1 AND (h, member) IN (SELECT h, member FROM zsets WHERE key_id = ?1 ORDER BY score, member LIMIT ?2 OFFSET ?3)`,
			k.ID, n, lo)
	}
	if removed > 0 {
		c.zsetRemoved(k, key, removed, "zremrangebyrank")
	}
	return resp.IntValue(removed)
}

func cmdZRemRangeByScore(c *Call) resp.Value {
	r, errv, ok := parseScoreRange(c.Args[2], c.Args[3])
	if !ok {
		return errv
	}
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeZSet)
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	removed, _ := c.exec(`DELETE FROM zsets WHERE key_id = ? AND `+r.where(), k.ID, r.min, r.max)
	if removed > 0 {
		c.zsetRemoved(k, key, removed, "zremrangebyscore")
	}
	return resp.IntValue(removed)
}

func cmdZRemRangeByLex(c *Call) resp.Value {
	r, ok := parseLexRange(c.Args[2], c.Args[3])
	if !ok {
		return errMinMaxLex
	}
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeZSet)
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	where, a := c.lexWhere(k.ID, r)
	removed, _ := c.exec(`DELETE FROM zsets WHERE `+where, a...)
	if removed > 0 {
		c.zsetRemoved(k, key, removed, "zremrangebylex")
	}
	return resp.IntValue(removed)
}
