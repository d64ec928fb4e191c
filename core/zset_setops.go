package core

import (
	"bytes"
	"math"
	"sort"

	"github.com/redlite/redlite/core/resp"
)

// ZUNION ZINTER ZDIFF, their STORE forms and ZINTERCARD. Inputs may be
// sorted sets or sets (whose members score 1). Scores are combined in Go in
// the order Redis combines them, so float sums round the same way.

func init() {
	const g = "sorted-set"
	register(
		&Command{Name: "zunion", Arity: -3, Flags: FlagReadOnly, Group: g,
			Summary: "Returns the union of multiple sorted sets.", Since: "6.2.0",
			Complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
			Run:        func(c *Call) resp.Value { return zsetOpCommand(c, zopUnion, false) }},
		&Command{Name: "zunionstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Stores the union of multiple sorted sets in a key.", Since: "2.0.0",
			Complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
			Run:        func(c *Call) resp.Value { return zsetOpCommand(c, zopUnion, true) }},
		&Command{Name: "zinter", Arity: -3, Flags: FlagReadOnly, Group: g,
			Summary: "Returns the intersect of multiple sorted sets.", Since: "6.2.0",
			Complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
			Run:        func(c *Call) resp.Value { return zsetOpCommand(c, zopInter, false) }},
		&Command{Name: "zinterstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Stores the intersect of multiple sorted sets in a key.", Since: "2.0.0",
			Complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
			Run:        func(c *Call) resp.Value { return zsetOpCommand(c, zopInter, true) }},
		&Command{Name: "zdiff", Arity: -3, Flags: FlagReadOnly, Group: g,
			Summary: "Returns the difference between multiple sorted sets.", Since: "6.2.0",
			Complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
			Run:        func(c *Call) resp.Value { return zsetOpCommand(c, zopDiff, false) }},
		&Command{Name: "zdiffstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Stores the difference of multiple sorted sets in a key.", Since: "6.2.0",
			Complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
			Run:        func(c *Call) resp.Value { return zsetOpCommand(c, zopDiff, true) }},
		&Command{Name: "zintercard", Arity: -3, Flags: FlagReadOnly, Group: g,
			Summary: "Returns the number of members of the intersect of multiple sorted sets.", Since: "7.0.0",
			Complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
			Run:        cmdZInterCard},
	)
}

type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

var opEvents = [...]string{zopUnion: "zunionstore", zopInter: "zinterstore", zopDiff: "zdiffstore"}

// zsrc is one input of a set operation.
type zsrc struct {
	id     int64
	typ    int64 // TypeZSet, TypeSet, or 0 for a missing key
	count  int64
	weight float64
}

// aggregate combines two weighted scores as AGGREGATE says; a NaN sum
// (inf + -inf) counts as 0, as in Redis.
type aggregate uint8

const (
	aggSum aggregate = iota
	aggMin
	aggMax
)

func (a aggregate) apply(acc, v float64) float64 {
	switch a {
	case aggMin:
		if acc < v {
			return acc
		}
		return v
	case aggMax:
		if acc > v {
			return acc
		}
		return v
	}
	s := acc + v
	if math.IsNaN(s) {
		return 0
	}
	return s
}

// weighted multiplies a score by its input's weight; NaN (0 * inf) counts
// as 0, as in Redis.
func weighted(score, w float64) float64 {
	v := score * w
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// lookupZSrc resolves an input key: a sorted set, a set, or missing.
func (tx *Tx) lookupZSrc(key []byte) (zsrc, bool) {
	k, found := tx.lookup(key)
	if !found {
		return zsrc{weight: 1}, true
	}
	if k.Type != TypeZSet && k.Type != TypeSet {
		return zsrc{}, false
	}
	return zsrc{id: k.ID, typ: k.Type, count: k.Count, weight: 1}, true
}

// members reads every element of an input.
func (tx *Tx) zsrcMembers(s zsrc) []zmember {
	switch s.typ {
	case TypeZSet:
		return tx.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ?`, args(s.id), s.count)
	case TypeSet:
		out := make([]zmember, 0, s.count)
		tx.query(`SELECT member FROM sets WHERE key_id = ?`, args(s.id), func(r *rows) bool {
			out = append(out, zmember{member: r.bytes(0), score: 1})
			return true
		})
		return out
	}
	return nil
}

// zsrcScore looks one member up in an input.
func (tx *Tx) zsrcScore(s zsrc, member []byte) (float64, bool) {
	switch s.typ {
	case TypeZSet:
		return tx.zsetScore(s.id, member)
	case TypeSet:
		return 1, tx.setHas(s.id, member)
	}
	return 0, false
}

// zsrcIndex answers membership tests on an input: a map when the input is
// small next to the number of probes, index lookups otherwise.
type zsrcIndex struct {
	tx  *Tx
	src zsrc
	m   map[string]float64
}

func (tx *Tx) newZsrcIndex(s zsrc, probes int64) *zsrcIndex {
	ix := &zsrcIndex{tx: tx, src: s}
	if s.count <= 4*probes {
		items := tx.zsrcMembers(s)
		ix.m = make(map[string]float64, len(items))
		for _, it := range items {
			ix.m[string(it.member)] = it.score
		}
	}
	return ix
}

func (ix *zsrcIndex) score(member []byte) (float64, bool) {
	if ix.m != nil {
		s, ok := ix.m[string(member)]
		return s, ok
	}
	return ix.tx.zsrcScore(ix.src, member)
}

// zopArgs is a parsed set operation.
type zopArgs struct {
	srcs       []zsrc
	agg        aggregate
	withScores bool
}

// parseZOp reads "numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE a]
// [WITHSCORES]" from c.Args[at:] and resolves the keys. WEIGHTS and
// AGGREGATE are not ZDIFF's; WITHSCORES is not the STORE forms'.
func parseZOp(c *Call, at int, op zsetOp, store bool) (zopArgs, resp.Value, bool) {
	var p zopArgs
	n, ok := ParseInt(c.Args[at])
	if !ok {
		return p, errNotInt, false
	}
	if n < 1 {
		return p, resp.Err("ERR at least 1 input key is needed for '" + c.Cmd.Name + "' command"), false
	}
	if n > int64(len(c.Args)-at-1) {
		return p, errSyntax, false
	}
	keys := c.Args[at+1 : at+1+int(n)]
	weights := make([]float64, n)
	for i := range weights {
		weights[i] = 1
	}
	for i := at + 1 + int(n); i < len(c.Args); i++ {
		a := c.Args[i]
		left := len(c.Args) - i - 1
		switch {
		case op != zopDiff && eqFold(a, "WEIGHTS") && int64(left) >= n:
			for j := range weights {
				w, ok := ParseFloat(c.Args[i+1+j])
				if !ok {
					return p, resp.Err("ERR weight value is not a float"), false
				}
				weights[j] = w
			}
			i += int(n)
		case op != zopDiff && eqFold(a, "AGGREGATE") && left >= 1:
			switch b := c.Args[i+1]; {
			case eqFold(b, "SUM"):
				p.agg = aggSum
			case eqFold(b, "MIN"):
				p.agg = aggMin
			case eqFold(b, "MAX"):
				p.agg = aggMax
			default:
				return p, errSyntax, false
			}
			i++
		case !store && eqFold(a, "WITHSCORES"):
			p.withScores = true
		default:
			return p, errSyntax, false
		}
	}
	p.srcs = make([]zsrc, n)
	for i, key := range keys {
		s, ok := c.lookupZSrc(key)
		if !ok {
			return p, errWrongType, false
		}
		s.weight = weights[i]
		p.srcs[i] = s
	}
	return p, resp.Value{}, true
}

func zsetOpCommand(c *Call, op zsetOp, store bool) resp.Value {
	at := 1
	if store {
		at = 2
	}
	p, errv, ok := parseZOp(c, at, op, store)
	if !ok {
		return errv
	}
	var items []zmember
	switch op {
	case zopUnion:
		items = c.zsetUnion(p)
	case zopInter:
		items = c.zsetInter(p, 0)
	case zopDiff:
		items = c.zsetDiff(p)
	}
	if store {
		return resp.IntValue(c.zsetStore(c.Args[1], items, opEvents[op]))
	}
	return zsetReply(items, p.withScores, c.S.Proto)
}

// sortZ orders elements as a sorted set: by score, then member bytes.
func sortZ(items []zmember) {
	sort.Slice(items, func(i, j int) bool {
		if items[i].score != items[j].score {
			return items[i].score < items[j].score
		}
		return bytes.Compare(items[i].member, items[j].member) < 0
	})
}

// zsetUnion combines the inputs from the smallest to the largest, as Redis
// 7.0 does, so each member's scores are aggregated in that order.
func (tx *Tx) zsetUnion(p zopArgs) []zmember {
	srcs := append([]zsrc(nil), p.srcs...)
	sort.SliceStable(srcs, func(i, j int) bool { return srcs[i].count < srcs[j].count })
	acc := map[string]int{}
	var out []zmember
	for _, s := range srcs {
		for _, it := range tx.zsrcMembers(s) {
			v := weighted(it.score, s.weight)
			if i, ok := acc[string(it.member)]; ok {
				out[i].score = p.agg.apply(out[i].score, v)
				continue
			}
			acc[string(it.member)] = len(out)
			out = append(out, zmember{member: it.member, score: v})
		}
	}
	sortZ(out)
	return out
}

// zsetInter walks the smallest input and probes the others from the
// smallest up, as Redis does. limit > 0 stops after that many matches.
func (tx *Tx) zsetInter(p zopArgs, limit int64) []zmember {
	srcs := append([]zsrc(nil), p.srcs...)
	sort.SliceStable(srcs, func(i, j int) bool { return srcs[i].count < srcs[j].count })
	if srcs[0].count == 0 {
		return nil
	}
	others := make([]*zsrcIndex, len(srcs)-1)
	for i, s := range srcs[1:] {
		others[i] = tx.newZsrcIndex(s, srcs[0].count)
	}
	var out []zmember
outer:
	for _, it := range tx.zsrcMembers(srcs[0]) {
		score := weighted(it.score, srcs[0].weight)
		for i, ix := range others {
			v, ok := ix.score(it.member)
			if !ok {
				continue outer
			}
			score = p.agg.apply(score, weighted(v, srcs[i+1].weight))
		}
		out = append(out, zmember{member: it.member, score: score})
		if limit > 0 && int64(len(out)) >= limit {
			break
		}
	}
	sortZ(out)
	return out
}

// zsetDiff keeps the members of the first input found in no other, with
// their scores in the first.
func (tx *Tx) zsetDiff(p zopArgs) []zmember {
	first := p.srcs[0]
	if first.count == 0 {
		return nil
	}
	others := make([]*zsrcIndex, 0, len(p.srcs)-1)
	for _, s := range p.srcs[1:] {
		if s.count > 0 {
			others = append(others, tx.newZsrcIndex(s, first.count))
		}
	}
	var out []zmember
outer:
	for _, it := range tx.zsrcMembers(first) {
		for _, ix := range others {
			if _, ok := ix.score(it.member); ok {
				continue outer
			}
		}
		out = append(out, it)
	}
	sortZ(out)
	return out
}

func cmdZInterCard(c *Call) resp.Value {
	n, ok := ParseInt(c.Args[1])
	switch {
	case !ok:
		return errNotInt
	case n < 1:
		return resp.Err("ERR at least 1 input key is needed for 'zintercard' command")
	}
	if n > int64(len(c.Args)-2) {
		return errSyntax
	}
	keys := c.Args[2 : 2+n]
	var limit int64
	rest := c.Args[2+n:]
	for i := 0; i < len(rest); i++ {
		if eqFold(rest[i], "LIMIT") && i+1 < len(rest) {
			l, ok := ParseInt(rest[i+1])
			if !ok || l < 0 {
				return resp.Err("ERR LIMIT can't be negative")
			}
			limit = l
			i++
			continue
		}
		return errSyntax
	}
	p := zopArgs{srcs: make([]zsrc, n)}
	for i, key := range keys {
		s, ok := c.lookupZSrc(key)
		if !ok {
			return errWrongType
		}
		p.srcs[i] = s
	}
	return resp.IntValue(int64(len(c.zsetInter(p, limit))))
}
