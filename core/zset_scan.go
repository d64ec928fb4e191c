package core

import (
	"math"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

func init() {
	register(&Command{Name: "zscan", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: "sorted-set",
		Summary: "Iterates over members and scores of a sorted set.", Since: "2.8.0",
		Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
		Note:       "The cursor is a member hash: members come in hash order, a member present for the whole iteration is returned exactly once. A sorted set small enough for Redis' listpack encoding is returned whole, in order, with cursor 0, as Redis does.",
		Run:        cmdZScan})
}

func cmdZScan(c *Call) resp.Value {
	k, cursor, o, reply, done := scanStart(c, TypeZSet)
	if done {
		return reply
	}
	var items []zmember
	var next int64
	format := resp.FormatDouble
	switch {
	case zsetEncoding(c.Tx, k) == "listpack":
		// Redis answers a listpack in one reply, in order, whatever the
		// cursor and COUNT say.
		items = c.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ? ORDER BY score, member`, args(k.ID), k.Count)
		format = formatListpackScore
	default:
		var rs []hrow
		rs, next = zsetRows.page(c.Tx, k.ID, cursor, o.count)
		items = hrowZMembers(rs)
	}
	out := make([]resp.Value, 0, 2*len(items))
	for _, it := range items {
		if o.pattern != nil && !GlobMatch(o.pattern, it.member, false) {
			continue
		}
		out = append(out, resp.BulkValue(it.member), resp.BulkString(format(it.score)))
	}
	return scanReply(next, out)
}

// formatListpackScore renders a score as a listpack holds it, which is
// what ZSCAN returns for small sorted sets: integral values within
// ±(2^63-1)/2 as integers, others as doubles (%.17g).
func formatListpackScore(f float64) string {
	if f >= -(math.MaxInt64/2) && f <= math.MaxInt64/2 && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return resp.FormatDouble(f)
}
