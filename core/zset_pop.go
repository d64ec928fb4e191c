package core

import (
	"math"
	"math/rand"

	"github.com/redlite/redlite/core/resp"
)

// Popping and sampling sorted sets: ZPOPMIN ZPOPMAX ZMPOP, their blocking
// forms BZPOPMIN BZPOPMAX BZMPOP, and ZRANDMEMBER.

func init() {
	const g = "sorted-set"
	register(
		&Command{Name: "zpopmin", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
			Since:   "5.0.0", Complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
			Run: func(c *Call) resp.Value { return zpopCommand(c, false) }},
		&Command{Name: "zpopmax", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
			Since:   "5.0.0", Complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
			Run: func(c *Call) resp.Value { return zpopCommand(c, true) }},
		&Command{Name: "zmpop", Arity: -4, Flags: FlagWrite, Group: g,
			Summary: "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.",
			Since:   "7.0.0", Complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
			Run: cmdZMPop},
		&Command{Name: "bzpopmin", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagFast | FlagBlocking, FirstKey: 1, LastKey: -2, Group: g,
			Exec:    ExecCustom,
			Summary: "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
			Since:   "5.0.0", Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
			Run: func(c *Call) resp.Value { return bzpopCommand(c, false) }},
		&Command{Name: "bzpopmax", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagFast | FlagBlocking, FirstKey: 1, LastKey: -2, Group: g,
			Exec:    ExecCustom,
			Summary: "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.",
			Since:   "5.0.0", Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
			Run: func(c *Call) resp.Value { return bzpopCommand(c, true) }},
		&Command{Name: "bzmpop", Arity: -5, Flags: FlagWrite | FlagBlocking, Group: g,
			Exec:    ExecCustom,
			Summary: "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
			Since:   "7.0.0", Complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
			Run: cmdBZMPop},
		&Command{Name: "zrandmember", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns one or more random members from a sorted set.", Since: "6.2.0",
			Complexity: "O(N) where N is the number of members returned",
			Note:       randomDrawNote + " A positive count that is a large share of the set reads the whole set. Negative counts are limited to 16777216 repetitions (Redis has no limit and may run out of memory).",
			Run:        cmdZRandMember},
	)
}

// zsetPop removes and returns up to count elements with the lowest (or,
// with max, highest) scores from sorted set k, sending the zpopmin/zpopmax
// event and "del" when the set empties.
func (tx *Tx) zsetPop(k keyInfo, key []byte, max bool, count int64) []zmember {
	order := "score, member"
	event := "zpopmin"
	if max {
		order = "score DESC, member DESC"
		event = "zpopmax"
	}
	items := tx.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ? ORDER BY `+order+` LIMIT ?`,
		args(k.ID, count), count)
	if len(items) == 0 {
		return nil
	}
	tx.exec(`DELETE FROM zsets WHERE key_id = ?1 AND (h, member) IN (SELECT h, member FROM zsets WHERE key_id = ?1 ORDER BY `+order+` LIMIT ?2)`, k.ID, count)
	tx.zsetRemoved(k, key, int64(len(items)), event)
	return items
}

func zpopCommand(c *Call, max bool) resp.Value {
	if len(c.Args) > 3 {
		return errSyntax
	}
	count := int64(1)
	if len(c.Args) == 3 {
		n, ok := ParseInt(c.Args[2])
		if !ok || n < 0 {
			return errZPositive
		}
		count = n
	}
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeZSet)
	if wrong {
		return errWrongType
	}
	if !found || count == 0 {
		return resp.ArrayValue(nil)
	}
	items := c.zsetPop(k, key, max, count)
	if len(c.Args) == 2 {
		// Without a count the reply is flat in RESP3 too.
		return zsetReply(items, true, 2)
	}
	return zsetReply(items, true, c.S.Proto)
}

// zmpopArgs is the parsed tail of ZMPOP / BZMPOP: keys, MIN|MAX, COUNT.
type zmpopArgs struct {
	keys  [][]byte
	max   bool
	count int64
}

// parseZMPop reads "numkeys key [key ...] MIN|MAX [COUNT count]" from
// c.Args[at:].
func parseZMPop(c *Call, at int) (zmpopArgs, resp.Value, bool) {
	var p zmpopArgs
	n, ok := ParseInt(c.Args[at])
	if !ok || n <= 0 {
		return p, errNumKeysPos, false
	}
	rest := c.Args[at+1:]
	if n >= int64(len(rest)) {
		return p, errSyntax, false
	}
	p.keys = rest[:n]
	rest = rest[n:]
	switch {
	case eqFold(rest[0], "MIN"):
	case eqFold(rest[0], "MAX"):
		p.max = true
	default:
		return p, errSyntax, false
	}
	p.count = 1
	rest = rest[1:]
	if len(rest) > 0 {
		if len(rest) != 2 || !eqFold(rest[0], "COUNT") {
			return p, errSyntax, false
		}
		cnt, ok := ParseInt(rest[1])
		if !ok || cnt <= 0 {
			return p, errCountPos, false
		}
		p.count = cnt
	}
	return p, resp.Value{}, true
}

// zmpopTry pops from the first non-empty key. served is false when every
// key is empty. With skipWrongType a key of another type counts as empty
// (a blocked client keeps waiting, as in Redis).
func zmpopTry(tx *Tx, p zmpopArgs, skipWrongType bool) (v resp.Value, served bool) {
	for _, key := range p.keys {
		k, found, wrong := tx.lookupWriteType(key, TypeZSet)
		if wrong {
			if skipWrongType {
				continue
			}
			return errWrongType, true
		}
		if !found {
			continue
		}
		items := tx.zsetPop(k, key, p.max, p.count)
		return resp.ArrayValue([]resp.Value{resp.BulkValue(key), zsetPairs(items)}), true
	}
	return resp.Value{}, false
}

func cmdZMPop(c *Call) resp.Value {
	p, errv, ok := parseZMPop(c, 1)
	if !ok {
		return errv
	}
	v, served := zmpopTry(c.Tx, p, false)
	if !served {
		return resp.NilArrayValue()
	}
	return v
}

func cmdBZMPop(c *Call) resp.Value {
	timeout, errv, ok := ParseTimeout(c.Args[1])
	if !ok {
		return errv
	}
	p, errv, ok := parseZMPop(c, 2)
	if !ok {
		return errv
	}
	first := true
	return c.block(p.keys, timeout, func(tx *Tx) (resp.Value, bool) {
		v, served := zmpopTry(tx, p, !first)
		first = false
		return v, served
	}, resp.NilArrayValue())
}

func bzpopCommand(c *Call, max bool) resp.Value {
	last := len(c.Args) - 1
	timeout, errv, ok := ParseTimeout(c.Args[last])
	if !ok {
		return errv
	}
	p := zmpopArgs{keys: c.Args[1:last], max: max, count: 1}
	first := true
	return c.block(p.keys, timeout, func(tx *Tx) (resp.Value, bool) {
		v, served := zmpopTry(tx, p, !first)
		first = false
		if !served || v.IsError() {
			return v, served
		}
		// BZPOPMIN answers [key, member, score], not ZMPOP's nesting.
		pair := v.Elems[1].Elems[0]
		return resp.ArrayValue([]resp.Value{v.Elems[0], pair.Elems[0], pair.Elems[1]}), true
	}, resp.NilArrayValue())
}

// zrandMax bounds the repetitions a negative ZRANDMEMBER count may ask
// for, so a request cannot exhaust memory.
const zrandMax = 1 << 24

func cmdZRandMember(c *Call) resp.Value {
	key := c.Args[1]
	if len(c.Args) == 2 {
		k, found, wrong := c.lookupZSet(key)
		if wrong {
			return errWrongType
		}
		if !found {
			return resp.NilValue()
		}
		return resp.BulkValue(zsetRows.sampler(c.Tx, k).draw().member)
	}
	if len(c.Args) > 4 || (len(c.Args) == 4 && !eqFold(c.Args[3], "WITHSCORES")) {
		return errSyntax
	}
	withScores := len(c.Args) == 4
	count, ok := ParseInt(c.Args[2])
	switch {
	case !ok:
		return errNotInt
	case count == math.MinInt64:
		return resp.Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	case withScores && count < -math.MaxInt64/2:
		return resp.Err("ERR value is out of range")
	case count < -zrandMax:
		return resp.Err("ERR value is out of range")
	}
	k, found, wrong := c.lookupZSet(key)
	if wrong {
		return errWrongType
	}
	if !found || count == 0 {
		return resp.ArrayValue(nil)
	}
	var items []zmember
	switch {
	case count >= k.Count:
		items = c.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ?`, args(k.ID), k.Count)
		rand.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	case count > 0:
		items = hrowZMembers(zsetRows.sampler(c.Tx, k).distinct(count))
	default:
		items = hrowZMembers(zsetRows.sampler(c.Tx, k).withRepeats(-count))
	}
	return zsetReply(items, withScores, c.S.Proto)
}

func hrowZMembers(rs []hrow) []zmember {
	out := make([]zmember, len(rs))
	for i, r := range rs {
		out[i] = zmember{member: r.member, score: r.score}
	}
	return out
}
