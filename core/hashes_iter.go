package core

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// HRANDFIELD and HSCAN: the hash commands that walk a hash rather than
// address fields.

// hrandMaxRepeats bounds a negative HRANDFIELD count: the reply is built in
// memory, and Redis itself runs out of memory on a huge one.
const hrandMaxRepeats = 1 << 22

func cmdHRandField(c *Call) resp.Value {
	key := c.Args[1]
	if len(c.Args) == 2 {
		return hrandOne(c, key)
	}
	count, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	if count == math.MinInt64 {
		return resp.Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	}
	if len(c.Args) > 4 || (len(c.Args) == 4 && !eqFold(c.Args[3], "WITHVALUES")) {
		return errSyntax
	}
	withValues := len(c.Args) == 4
	// Redis refuses counts whose reply length (two per pair) would overflow.
	if withValues && (count > math.MaxInt64/2 || count < -math.MaxInt64/2) {
		return resp.Err("ERR value is out of range")
	}
	k, found, wrong := c.lookupType(key, TypeHash)
	if wrong {
		return errWrongType
	}
	if !found || count == 0 {
		return resp.ArrayValue([]resp.Value{})
	}
	var picks []int64 // positions in id order, in reply order
	switch {
	case count >= k.Count:
		// The whole hash, in its own order, as Redis does.
		return hrandReply(c, c.hashAll(k.ID, true, withValues), withValues)
	case count > 0:
		picks = samplePositions(k.Count, count)
	default:
		if -count > hrandMaxRepeats {
			return resp.Err("ERR value is out of range")
		}
		picks = make([]int64, -count)
		for i := range picks {
			picks[i] = rand.Int64N(k.Count)
		}
	}
	return hrandReply(c, c.hashPositions(k.ID, picks, withValues), withValues)
}

// hrandOne is HRANDFIELD without a count: one field, or nil.
func hrandOne(c *Call, key []byte) resp.Value {
	k, found, wrong := c.lookupType(key, TypeHash)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.NilValue()
	}
	reply := resp.NilValue()
	c.queryRow(`SELECT field FROM hashes WHERE key_id = ? ORDER BY id LIMIT 1 OFFSET ?`,
		args(k.ID, rand.Int64N(k.Count)), func(r *rows) { reply = resp.BulkValue(r.bytes(0)) })
	return reply
}

// samplePositions picks n distinct positions out of size (n < size), in
// random order. Floyd's algorithm draws exactly n numbers.
func samplePositions(size, n int64) []int64 {
	chosen := make(map[int64]struct{}, n)
	out := make([]int64, 0, n)
	for j := size - n; j < size; j++ {
		p := rand.Int64N(j + 1)
		if _, dup := chosen[p]; dup {
			p = j
		}
		chosen[p] = struct{}{}
		out = append(out, p)
	}
	rand.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// hashPositions reads the fields at the given positions (0 = first in id
// order; repeats allowed) in one pass over the hash, and returns them flat
// in the order of picks: field, or field and value.
func (tx *Tx) hashPositions(id int64, picks []int64, withValues bool) []resp.Value {
	order := make([]int, len(picks)) // indexes into picks, by position
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(picks[a], picks[b]) })
	width := 1
	if withValues {
		width = 2
	}
	out := make([]resp.Value, len(picks)*width)
	next, pos := 0, int64(0)
	tx.query(sqlHashAll, args(id), func(r *rows) bool {
		if picks[order[next]] == pos {
			field, value := resp.BulkValue(r.bytes(0)), resp.BulkValue(r.bytes(1))
			for next < len(order) && picks[order[next]] == pos {
				slot := order[next] * width
				out[slot] = field
				if withValues {
					out[slot+1] = value
				}
				next++
			}
		}
		pos++
		return next < len(order)
	})
	return out
}

// hrandReply shapes HRANDFIELD's reply: with values, RESP3 clients get one
// [field, value] array per pair, RESP2 clients a flat array.
func hrandReply(c *Call, flat []resp.Value, withValues bool) resp.Value {
	if !withValues || c.S.Proto < 3 {
		return resp.ArrayValue(flat)
	}
	pairs := make([]resp.Value, len(flat)/2)
	for i := range pairs {
		pairs[i] = resp.ArrayValue(flat[2*i : 2*i+2 : 2*i+2])
	}
	return resp.ArrayValue(pairs)
}

func cmdHScan(c *Call) resp.Value {
	k, cursor, o, reply, done := scanStart(c, TypeHash)
	if done {
		return reply
	}
	out := []resp.Value{}
	add := func(row hashRow) {
		if o.pattern == nil || GlobMatch(o.pattern, row.field, false) {
			out = append(out, resp.BulkValue(row.field), resp.BulkValue(row.value))
		}
	}
	var page []hashRow // the rows after the cursor, in id order
	if k.Count <= hashListpackEntries {
		// Redis answers a listpack hash in one reply whatever the cursor and
		// COUNT say. A hash this small is read whole to see whether it is one.
		all, listpack := c.hashRows(k.ID, 0, k.Count)
		if listpack {
			for _, row := range all {
				add(row)
			}
			return scanReply(0, out)
		}
		for i, row := range all {
			if uint64(row.id) > cursor {
				page = all[i:]
				break
			}
		}
	} else if cursor <= math.MaxInt64 {
		// One row more than COUNT tells whether the iteration goes on.
		page, _ = c.hashRows(k.ID, int64(cursor), min(o.count, math.MaxInt64-1)+1)
	}
	next := int64(0)
	for i, row := range page {
		if int64(i) == o.count {
			next = page[i-1].id
			break
		}
		add(row)
	}
	return scanReply(next, out)
}

// hashRow is one field of a hash with its storage id (the HSCAN cursor).
type hashRow struct {
	id           int64
	field, value []byte
}

// hashRows reads up to limit fields with ids after id, in id order, and
// reports whether they all fit a listpack's value size.
func (tx *Tx) hashRows(key int64, after int64, limit int64) (out []hashRow, small bool) {
	small = true
	tx.query(`SELECT id, field, value FROM hashes WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?`,
		args(key, after, limit), func(r *rows) bool {
			row := hashRow{r.int(0), r.bytes(1), r.bytes(2)}
			if len(row.field) > hashListpackValue || len(row.value) > hashListpackValue {
				small = false
			}
			out = append(out, row)
			return true
		})
	return out, small
}

// scanReply is the [cursor, elements] reply of the SCAN family.
func scanReply(cursor int64, elems []resp.Value) resp.Value {
	return resp.ArrayValue([]resp.Value{
		resp.BulkString(strconv.FormatInt(cursor, 10)),
		resp.ArrayValue(elems),
	})
}
