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
		Note: "The cursor is a row id. A sorted set small enough for Redis' listpack encoding is returned whole with cursor 0, as Redis does. " +
			"A larger one is walked in row order, which also passes the rows of other keys: a call reads at most max(1024, 10*COUNT) rows and may return fewer than COUNT members (even none) before the cursor returns to 0.",
		Run: cmdZScan})
}

// parseScanCursor reads a SCAN cursor as Redis' strtoul does: decimal, an
// optional sign (a negative value wraps), no spaces, no overflow.
func parseScanCursor(b []byte) (uint64, bool) {
	s := string(b)
	if s == "" || isSpaceByte(s[0]) {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || s == "" || s[0] == '+' || s[0] == '-' {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// scanOpts are the MATCH and COUNT options shared by the *SCAN commands.
type scanOpts struct {
	match []byte
	count int64
}

func parseScanOpts(argv [][]byte) (scanOpts, resp.Value, bool) {
	o := scanOpts{count: 10}
	for i := 0; i < len(argv); i += 2 {
		if i+1 >= len(argv) {
			return o, errSyntax, false
		}
		switch {
		case eqFold(argv[i], "COUNT"):
			n, ok := ParseInt(argv[i+1])
			if !ok {
				return o, errNotInt, false
			}
			if n < 1 {
				return o, errSyntax, false
			}
			o.count = n
		case eqFold(argv[i], "MATCH"):
			o.match = argv[i+1]
			if len(o.match) == 1 && o.match[0] == '*' {
				o.match = nil
			}
		default:
			return o, errSyntax, false
		}
	}
	return o, resp.Value{}, true
}

func cmdZScan(c *Call) resp.Value {
	cursor, ok := parseScanCursor(c.Args[2])
	if !ok {
		return resp.Err("ERR invalid cursor")
	}
	o, errv, ok := parseScanOpts(c.Args[3:])
	if !ok {
		return errv
	}
	k, found, wrong := c.lookupZSet(c.Args[1])
	if wrong {
		return errWrongType
	}
	var items []zmember
	next := uint64(0)
	format := resp.FormatDouble
	switch {
	case !found:
	case zsetEncoding(c.Tx, k) == "listpack":
		items = c.zsetScan(`SELECT member, score FROM zsets WHERE key_id = ? ORDER BY score, member`, args(k.ID), k.Count)
		format = formatListpackScore
	case cursor < math.MaxInt64:
		items, next = c.zsetScanRows(k.ID, int64(cursor), o.count)
	}
	out := make([]resp.Value, 0, 2*len(items))
	for _, it := range items {
		if o.match != nil && !GlobMatch(o.match, it.member, false) {
			continue
		}
		out = append(out, resp.BulkValue(it.member), resp.BulkString(format(it.score)))
	}
	return resp.ArrayValue([]resp.Value{resp.BulkString(strconv.FormatUint(next, 10)), resp.ArrayValue(out)})
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

// zsetScanRows reads the members of sorted set id with row ids above after,
// in row order: up to count of them, reading at most a bounded window of
// rows. It returns the cursor to continue from, 0 at the end of the table.
func (tx *Tx) zsetScanRows(id, after, count int64) ([]zmember, uint64) {
	window := int64(1 << 20)
	if count < window/10 {
		window = max(count*10, 1024)
	}
	var items []zmember
	var last, seen int64
	done := false
	tx.query(`SELECT id, key_id = ?, CASE WHEN key_id = ? THEN member END, score FROM zsets WHERE id > ? ORDER BY id LIMIT ?`,
		args(id, id, after, window), func(r *rows) bool {
			last = r.int(0)
			seen++
			if r.int(1) != 0 {
				items = append(items, zmember{member: r.bytes(2), score: r.float(3)})
				if int64(len(items)) >= count {
					done = true
					return false
				}
			}
			return true
		})
	if !done && seen < window {
		return items, 0 // the end of the table
	}
	return items, uint64(last)
}
