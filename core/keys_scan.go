package core

import (
	"math/rand/v2"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// Keyspace iteration: KEYS, SCAN, RANDOMKEY.

func init() {
	const g = "generic"
	register(
		&Command{Name: "keys", ACL: "keyspace read slow dangerous", Arity: 2, Flags: FlagReadOnly, Exec: ExecRead, Group: g,
			Summary: "Find all keys matching the given pattern", Since: "1.0.0",
			Complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
			Note:       "A pattern that starts with literal bytes (\"user:*\") reads only the index range of keys with that prefix.",
			Run:        cmdKeys},
		&Command{Name: "scan", Arity: -2, Flags: FlagReadOnly, Exec: ExecRead, Group: g,
			Summary: "Incrementally iterate the keys space", Since: "2.8.0",
			Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
			Note:       "The cursor is the internal id of the last key examined: keys come in creation order, and a key present for the whole iteration is returned exactly once. COUNT bounds the keys examined per call.",
			Run:        cmdScan},
		&Command{Name: "randomkey", Arity: 1, Flags: FlagReadOnly, Group: g,
			Summary: "Return a random key from the keyspace", Since: "1.0.0", Complexity: "O(1)",
			Note: "Picks a random internal id and takes the next live key of the database: keys after gaps left by deleted keys are more likely, and many expired or other-database keys after that point make it slower.",
			Run:  cmdRandomKey},
	)
}

// sqlLive is the condition that keeps expired keys out of a result.
const sqlLive = `(expire_at IS NULL OR expire_at > ?)`

func cmdKeys(c *Call) resp.Value {
	pattern := c.Args[1]
	prefix, exact := globPrefix(pattern)
	if exact {
		// No wildcard: the pattern names one key.
		if _, ok := c.lookup(prefix); ok {
			return resp.ArrayValue([]resp.Value{resp.BulkValue(prefix)})
		}
		return resp.ArrayValue([]resp.Value{})
	}
	q := `SELECT key FROM keys WHERE db = ? AND ` + sqlLive
	a := args(c.DB, c.Now)
	if len(prefix) > 0 {
		// Every match starts with prefix: read only that range of the
		// (db, key) index.
		q += ` AND key >= ?`
		a = append(a, prefix)
		if end := prefixEnd(prefix); end != nil {
			q += ` AND key < ?`
			a = append(a, end)
		}
	}
	all := len(pattern) == 1 && pattern[0] == '*' // no matching, as in Redis (the empty key is listed)
	out := []resp.Value{}
	c.query(q, a, func(r *rows) bool {
		if key := r.bytes(0); all || GlobMatch(pattern, key, false) {
			out = append(out, resp.BulkValue(key))
		}
		return true
	})
	return resp.ArrayValue(out)
}

func cmdScan(c *Call) resp.Value {
	cursor, ok := parseScanCursor(c.Args[1])
	if !ok {
		return resp.Err("ERR invalid cursor")
	}
	o, errv, ok := parseScanOptions(c.Args[2:], true)
	if !ok {
		return errv
	}
	wantType := int64(-1)
	if o.typ != nil {
		wantType = 0 // an unknown type name matches nothing, as in Redis
		for t, name := range typeNames {
			if eqFold(o.typ, name) {
				wantType = t
			}
		}
	}
	out := []resp.Value{}
	next, examined := int64(0), int64(0)
	// Cursors past the last id possible mean the iteration is over.
	if cursor <= 1<<63-1 {
		// NOT INDEXED: walk the rowid from the cursor, never the (db, key)
		// index, which would sort the whole database on every call.
		c.query(`SELECT id, key, type, expire_at FROM keys NOT INDEXED WHERE id > ? AND db = ? ORDER BY id LIMIT ?`,
			args(int64(cursor), c.DB, o.count), func(r *rows) bool {
				examined++
				next = r.int(0)
				if exp := r.int(3); exp != 0 && exp <= c.Now {
					return true
				}
				if wantType >= 0 && r.int(2) != wantType {
					return true
				}
				key := r.bytes(1)
				if o.pattern == nil || GlobMatch(o.pattern, key, false) {
					out = append(out, resp.BulkValue(key))
				}
				return true
			})
	}
	if examined < o.count {
		next = 0
	}
	return resp.ArrayValue([]resp.Value{
		resp.BulkString(strconv.FormatInt(next, 10)),
		resp.ArrayValue(out),
	})
}

func cmdRandomKey(c *Call) resp.Value {
	// Each subquery reads one end of the rowid tree.
	var lo, hi int64
	c.queryRow(`SELECT (SELECT min(id) FROM keys), (SELECT max(id) FROM keys)`, nil, func(r *rows) {
		lo, hi = r.int(0), r.int(1)
	})
	if hi == 0 {
		return resp.NilValue()
	}
	probe := lo + rand.Int64N(hi-lo+1)
	var key []byte
	found := false
	pick := func(q string) {
		found = c.queryRow(q, args(probe, c.DB, c.Now), func(r *rows) { key = r.bytes(0) })
	}
	pick(`SELECT key FROM keys NOT INDEXED WHERE id >= ? AND db = ? AND ` + sqlLive + ` ORDER BY id LIMIT 1`)
	if !found {
		// Wrap around to the ids below the probe.
		pick(`SELECT key FROM keys NOT INDEXED WHERE id < ? AND db = ? AND ` + sqlLive + ` ORDER BY id LIMIT 1`)
	}
	if !found {
		return resp.NilValue()
	}
	return resp.BulkValue(key)
}
