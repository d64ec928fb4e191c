package core

import "github.com/redlite/redlite/core/resp"

// Helpers shared by the collection families (hashes, lists, sets, sorted
// sets, streams): the parts of their commands that Redis defines the same
// way for every type.

// cardinality answers HLEN, LLEN, SCARD, ZCARD and XLEN: the element count
// kept in the key's row, 0 for a missing key.
func cardinality(c *Call, typ int64) resp.Value {
	k, found, wrong := c.lookupType(c.Args[1], typ)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.IntValue(0)
	}
	return resp.IntValue(k.Count)
}

// parsePopCount reads the optional COUNT of LPOP, RPOP and SPOP (argv[2]):
// has says whether it was given; a negative or non-numeric count is Redis'
// "must be positive" error.
func parsePopCount(argv [][]byte) (count int64, has bool, errv resp.Value, ok bool) {
	if len(argv) < 3 {
		return 1, false, resp.Value{}, true
	}
	n, valid := ParseInt(argv[2])
	if !valid || n < 0 {
		return 0, true, errPositive, false
	}
	return n, true, resp.Value{}, true
}

// normRange turns Redis' start/stop indexes (negative from the end) into
// 0 <= start <= stop < n for a collection of n elements; ok is false when
// the range is empty.
func normRange(start, stop, n int64) (int64, int64, bool) {
	if start < 0 {
		start += n
	}
	if stop < 0 {
		stop += n
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= n {
		return 0, 0, false
	}
	if stop >= n {
		stop = n - 1
	}
	return start, stop, true
}

// scanStart begins HSCAN, SSCAN and ZSCAN: the cursor (argv[2]), the key of
// type typ (looked up before the options are parsed, as Redis does) and the
// MATCH/COUNT options. When done is true, reply is the whole answer: an
// error, or the empty scan of a missing key.
func scanStart(c *Call, typ int64) (k keyInfo, cursor uint64, o scanOptions, reply resp.Value, done bool) {
	cursor, ok := parseScanCursor(c.Args[2])
	if !ok {
		return k, 0, o, resp.Err("ERR invalid cursor"), true
	}
	k, found, wrong := c.lookupType(c.Args[1], typ)
	switch {
	case wrong:
		return k, 0, o, errWrongType, true
	case !found:
		return k, 0, o, scanReply(0, []resp.Value{}), true
	}
	o, errv, ok := parseScanOptions(c.Args[3:], false)
	if !ok {
		return k, 0, o, errv, true
	}
	return k, cursor, o, resp.Value{}, false
}

// dumpKey reads a whole collection in one statement, q, whose rows join the
// key (argv[1]; first columns its type and expire_at, the same on every row)
// with its elements. each gets the rows of a live key of type typ; a
// missing or expired key gives none. wrong reports a key of another type.
func dumpKey(c *Call, q string, typ int64, each func(r *rows)) (wrong bool) {
	seen, live := false, true
	c.query(q, args(c.DB, c.Args[1]), func(r *rows) bool {
		if !seen {
			seen = true
			if exp := r.int(1); exp != 0 && exp <= c.Now {
				live = false
				return false
			}
			if r.int(0) != typ {
				wrong = true
				return false
			}
		}
		each(r)
		return true
	})
	c.countRead(seen && live)
	return wrong
}
