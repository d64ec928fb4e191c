package core

import (
	"math"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// Hash commands. A hash is a keys row of type TypeHash whose count is its
// number of fields, and one hashes row per field, keyed by (key_id, field)
// with the value beside it (hashes_schema.go). Rows are read in id order
// through the (key_id, id) index: a new field's id is the hash's largest
// plus one, so that is insertion order, the order Redis keeps for the small
// (listpack) hashes most applications have.

func init() {
	const g = "hash"
	register(
		&Command{Name: "hset", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Creates or modifies the value of a field in a hash.", Since: "2.0.0",
			Complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
			Run:        cmdHSet},
		&Command{Name: "hmset", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sets the values of multiple fields.", Since: "2.0.0",
			Complexity: "O(N) where N is the number of fields being set.", Run: cmdHSet},
		&Command{Name: "hsetnx", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sets the value of a field in a hash only when the field doesn't exist.", Since: "2.0.0",
			Complexity: "O(1)", Run: cmdHSetNX},
		&Command{Name: "hget", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the value of a field in a hash.", Since: "2.0.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdHGet},
		&Command{Name: "hmget", Arity: -3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the values of all fields in a hash.", Since: "2.0.0",
			Complexity: "O(N) where N is the number of fields being requested.", Run: cmdHMGet},
		&Command{Name: "hgetall", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns all fields and values in a hash.", Since: "2.0.0",
			Complexity: "O(N) where N is the size of the hash.", Exec: ExecRead, Run: cmdHGetAll},
		&Command{Name: "hkeys", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns all fields in a hash.", Since: "2.0.0",
			Complexity: "O(N) where N is the size of the hash.", Exec: ExecRead, Run: cmdHKeys},
		&Command{Name: "hvals", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns all values in a hash.", Since: "2.0.0",
			Complexity: "O(N) where N is the size of the hash.", Exec: ExecRead, Run: cmdHVals},
		&Command{Name: "hdel", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
			Since:   "2.0.0", Complexity: "O(N) where N is the number of fields to be removed.", Run: cmdHDel},
		&Command{Name: "hexists", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Determines whether a field exists in a hash.", Since: "2.0.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdHExists},
		&Command{Name: "hlen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the number of fields in a hash.", Since: "2.0.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdHLen},
		&Command{Name: "hstrlen", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the length of the value of a field.", Since: "3.2.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdHStrlen},
		&Command{Name: "hincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
			Since:   "2.0.0", Complexity: "O(1)", Run: cmdHIncrBy},
		&Command{Name: "hincrbyfloat", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
			Since:   "2.6.0", Complexity: "O(1)", Run: cmdHIncrByFloat},
		&Command{Name: "hrandfield", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns one or more random fields from a hash.", Since: "6.2.0",
			Complexity: "O(N) where N is the number of fields returned",
			Note: "A count makes redlite read the hash once, so the cost is O(N) in the size of the hash. " +
				"A negative count asking for more than 4194304 fields is refused with 'ERR value is out of range' " +
				"(Redis would try to build the reply and run out of memory).",
			Run: cmdHRandField},
		&Command{Name: "hscan", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Iterates over fields and values of a hash.", Since: "2.8.0",
			Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
			Note:       "The cursor is the storage id of the last field returned: a field present for the whole iteration is returned exactly once.",
			Run:        cmdHScan},
	)
	// HSCAN pages through a hash in id order and HGETALL reads it in id
	// order: without this index both sort the whole hash on every call.
	// (Migration 10 rebuilds the table and this index with it.)
	addMigration(2, `CREATE INDEX hashes_key_id ON hashes(key_id, id);`)
	registerType(TypeHash, &typeOps{
		copyContents: func(tx *Tx, from, to int64) {
			tx.exec(`INSERT INTO hashes(key_id, field, id, value) SELECT ?, field, id, value FROM hashes WHERE key_id = ?`, to, from)
		},
		encoding: hashEncoding,
	})
}

// Redis 7.0's default hash-max-listpack-entries and hash-max-listpack-value:
// a hash within both is a listpack, which changes how HSCAN answers.
const (
	hashListpackEntries = 512
	hashListpackValue   = 64
)

// hashEncoding answers OBJECT ENCODING from the hash's current size. Redis
// never converts a hashtable back to a listpack; redlite reports what the
// contents are now.
func hashEncoding(tx *Tx, k keyInfo) string {
	if k.Count > hashListpackEntries {
		return "hashtable"
	}
	longest := tx.queryInt(`SELECT max(max(length(field)), max(length(value))) FROM hashes WHERE key_id = ?`, 0, k.ID)
	if longest > hashListpackValue {
		return "hashtable"
	}
	return "listpack"
}

// sqlHashField reads one field and the key's type and expiry in a single
// statement, the whole of HGET.
const sqlHashField = `SELECT k.type, k.expire_at, h.value FROM keys k
	LEFT JOIN hashes h ON h.key_id = k.id AND h.field = ?
	WHERE k.db = ? AND k.key = ?`

// hashField reads field of the hash at key. found is whether the field
// exists; wrongType whether the key holds another type.
func (tx *Tx) hashField(key, field []byte) (val []byte, found, wrongType bool) {
	var typ, exp int64
	var null bool
	keyFound := tx.queryRow(sqlHashField, args(field, tx.DB, key), func(r *rows) {
		typ, exp, null = r.int(0), r.int(1), r.isNull(2)
		if !null {
			val = r.bytes(2)
		}
	})
	live := tx.readRow(keyFound, exp)
	if !live {
		return nil, false, false
	}
	if typ != TypeHash {
		return nil, false, true
	}
	return val, !null, false
}

// sqlHashTouch bumps the version of a live hash and returns its id: the
// first statement of HSET, which mostly writes to existing hashes. (Not an
// upsert: INSERT into the AUTOINCREMENT keys table rewrites sqlite_sequence
// even when it resolves to an update.)
const sqlHashTouch = `UPDATE keys SET version = version + 1
	WHERE db = ? AND key = ? AND type = 5 AND (expire_at IS NULL OR expire_at > ?)
	RETURNING id`

// sqlHashCreate creates a hash with its final field count; it inserts
// nothing when the name is taken (by another type, or an expired key).
const sqlHashCreate = `INSERT INTO keys(db, key, type, expire_at, version, count) VALUES(?, ?, 5, NULL, 1, ?)
	ON CONFLICT(db, key) DO NOTHING RETURNING id`

// A new field's id is the hash's largest plus one (a seek at the end of
// the key's range of the (key_id, id) index).
const (
	sqlHashInsert = `INSERT INTO hashes(key_id, field, value, id)
		VALUES(?1, ?2, ?3, coalesce((SELECT max(id) FROM hashes WHERE key_id = ?1), 0) + 1) ON CONFLICT DO NOTHING`
	sqlHashUpsert = `INSERT INTO hashes(key_id, field, value, id)
		VALUES(?1, ?2, ?3, coalesce((SELECT max(id) FROM hashes WHERE key_id = ?1), 0) + 1)
		ON CONFLICT DO UPDATE SET value = excluded.value`
	sqlHashUpdate = `UPDATE hashes SET value = ? WHERE key_id = ? AND field = ?`
	sqlHashDelete = `DELETE FROM hashes WHERE key_id = ? AND field = ?`
	sqlHashAll    = `SELECT field, value FROM hashes WHERE key_id = ? ORDER BY id`
)

// HSET costs two statements to overwrite a field of an existing hash
// (version bump, field update), four to add one (a missed update, the
// insert, the count) and three to create a hash with one field (a missed
// version bump, the key with its count, the field).
func cmdHSet(c *Call) resp.Value {
	if len(c.Args)%2 != 0 {
		return WrongArgs(c.Cmd.Name)
	}
	key := c.Args[1]
	var added, id int64
	if c.queryRow(sqlHashTouch, args(c.DB, key, c.Now), func(r *rows) { id = r.int(0) }) {
		for i := 2; i < len(c.Args); i += 2 {
			if n, _ := c.exec(sqlHashUpdate, c.Args[i+1], id, c.Args[i]); n == 0 {
				c.exec(sqlHashInsert, id, c.Args[i], c.Args[i+1])
				added++
			}
		}
		if added > 0 {
			c.exec(`UPDATE keys SET count = count + ? WHERE id = ?`, added, id)
		}
	} else {
		if c.err != nil {
			return resp.Value{}
		}
		added = distinctFields(c.Args[2:])
		if !c.queryRow(sqlHashCreate, args(c.DB, key, added), func(r *rows) { id = r.int(0) }) {
			// The name is taken by another type, or by an expired key,
			// which lookupWriteType deletes.
			if _, _, wrong := c.lookupWriteType(key, TypeHash); wrong {
				return errWrongType
			}
			id = c.createHash(key, added)
		}
		for i := 2; i < len(c.Args); i += 2 {
			c.exec(sqlHashUpsert, id, c.Args[i], c.Args[i+1])
		}
	}
	c.keyChanged(key)
	c.notify(notifyHash, "hset", key)
	if c.Cmd.Name == "hmset" {
		return resp.OK()
	}
	return resp.IntValue(added)
}

// createHash inserts a new hash key that will hold count fields. The name
// must be free (lookupWrite*: no live key, an expired one deleted).
func (tx *Tx) createHash(key []byte, count int64) int64 {
	_, id := tx.exec(`INSERT INTO keys(db, key, type, expire_at, version, count) VALUES(?, ?, 5, NULL, 1, ?)`, tx.DB, key, count)
	tx.keyChanged(key)
	return id
}

// distinctFields counts the distinct fields of field/value pairs.
func distinctFields(pairs [][]byte) int64 {
	if len(pairs) == 2 {
		return 1
	}
	seen := make(map[string]struct{}, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		seen[string(pairs[i])] = struct{}{}
	}
	return int64(len(seen))
}

func cmdHSetNX(c *Call) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeHash)
	if wrong {
		return errWrongType
	}
	if !found {
		c.exec(sqlHashInsert, c.createHash(key, 1), c.Args[2], c.Args[3])
	} else if n, _ := c.exec(sqlHashInsert, k.ID, c.Args[2], c.Args[3]); n == 0 {
		return resp.IntValue(0)
	} else {
		c.touchKey(k, key, 1)
	}
	c.notify(notifyHash, "hset", key)
	return resp.IntValue(1)
}

func cmdHGet(c *Call) resp.Value { return valueReply(c.hashField(c.Args[1], c.Args[2])) }

func cmdHMGet(c *Call) resp.Value {
	k, found, wrong := c.lookupType(c.Args[1], TypeHash)
	if wrong {
		return errWrongType
	}
	out := make([]resp.Value, len(c.Args)-2)
	for i, field := range c.Args[2:] {
		out[i] = resp.NilValue()
		if found {
			c.queryRow(`SELECT value FROM hashes WHERE key_id = ? AND field = ?`, args(k.ID, field),
				func(r *rows) { out[i] = resp.BulkValue(r.bytes(0)) })
		}
	}
	return resp.ArrayValue(out)
}

// hashAll reads the whole hash: fields, values or both, flat, in order.
func (tx *Tx) hashAll(id int64, fields, values bool) []resp.Value {
	var out []resp.Value
	tx.query(sqlHashAll, args(id), func(r *rows) bool {
		if fields {
			out = append(out, resp.BulkValue(r.bytes(0)))
		}
		if values {
			out = append(out, resp.BulkValue(r.bytes(1)))
		}
		return true
	})
	if out == nil {
		out = []resp.Value{}
	}
	return out
}

// sqlHashDump reads the key's type and expiry and all its fields in one
// statement, the whole of HGETALL, HKEYS and HVALS.
const sqlHashDump = `SELECT k.type, k.expire_at, h.field, h.value FROM keys k
	LEFT JOIN hashes h ON h.key_id = k.id
	WHERE k.db = ? AND k.key = ? ORDER BY h.id`

func hashDump(c *Call, fields, values bool) resp.Value {
	out := []resp.Value{}
	wrong := dumpKey(c, sqlHashDump, TypeHash, func(r *rows) {
		if fields {
			out = append(out, resp.BulkValue(r.bytes(2)))
		}
		if values {
			out = append(out, resp.BulkValue(r.bytes(3)))
		}
	})
	if wrong {
		return errWrongType
	}
	if fields && values {
		return resp.MapValue(out)
	}
	return resp.ArrayValue(out)
}

func cmdHGetAll(c *Call) resp.Value { return hashDump(c, true, true) }
func cmdHKeys(c *Call) resp.Value   { return hashDump(c, true, false) }
func cmdHVals(c *Call) resp.Value   { return hashDump(c, false, true) }

func cmdHDel(c *Call) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeHash)
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	var deleted int64
	for _, field := range c.Args[2:] {
		n, _ := c.exec(sqlHashDelete, k.ID, field)
		deleted += n
	}
	if deleted > 0 {
		alive := c.touchKey(k, key, -deleted)
		c.notify(notifyHash, "hdel", key)
		if !alive {
			c.notify(notifyGeneric, "del", key)
		}
	}
	return resp.IntValue(deleted)
}

func cmdHExists(c *Call) resp.Value {
	_, found, wrong := c.hashField(c.Args[1], c.Args[2])
	if wrong {
		return errWrongType
	}
	return resp.BoolInt(found)
}

func cmdHLen(c *Call) resp.Value { return cardinality(c, TypeHash) }

func cmdHStrlen(c *Call) resp.Value {
	val, _, wrong := c.hashField(c.Args[1], c.Args[2])
	if wrong {
		return errWrongType
	}
	return resp.IntValue(int64(len(val)))
}

// sqlHashIncrRead reads the key and the field an increment starts from in
// one statement.
const sqlHashIncrRead = `SELECT k.id, k.type, k.expire_at, k.count, h.value FROM keys k
	LEFT JOIN hashes h ON h.key_id = k.id AND h.field = ?
	WHERE k.db = ? AND k.key = ?`

// hashIncr is the shared read-modify-write of HINCRBY and HINCRBYFLOAT:
// compute turns the current value (nil when the field is absent) into the
// new one or an error reply, before anything is written. Three statements:
// the read, the field write and the key's version and count.
func hashIncr(c *Call, event string, compute func(cur []byte) ([]byte, resp.Value, bool)) resp.Value {
	key, field := c.Args[1], c.Args[2]
	var k keyInfo
	var cur []byte
	found := c.queryRow(sqlHashIncrRead, args(field, c.DB, key), func(r *rows) {
		k = keyInfo{ID: r.int(0), Type: r.int(1), Expire: r.int(2), Count: r.int(3)}
		if !r.isNull(4) {
			cur = r.bytes(4)
		}
	})
	switch {
	case found && k.expired(c.Now):
		c.deleteExpired(k.ID, key)
		found, cur = false, nil
	case found && k.Type != TypeHash:
		return errWrongType
	}
	next, errv, ok := compute(cur)
	if !ok {
		return errv
	}
	switch {
	case !found:
		c.exec(sqlHashInsert, c.createHash(key, 1), field, next)
	case cur != nil:
		c.exec(sqlHashUpdate, next, k.ID, field)
		c.touchKey(k, key, 0)
	default:
		c.exec(sqlHashInsert, k.ID, field, next)
		c.touchKey(k, key, 1)
	}
	c.notify(notifyHash, event, key)
	return resp.Value{Kind: resp.Bulk, Str: next}
}

var errHashNotInt = resp.Err("ERR hash value is not an integer")

func cmdHIncrBy(c *Call) resp.Value {
	incr, errv, ok := c.argInt(3)
	if !ok {
		return errv
	}
	var result int64
	reply := hashIncr(c, "hincrby", func(cur []byte) ([]byte, resp.Value, bool) {
		var n int64
		if cur != nil {
			var ok bool
			if n, ok = ParseInt(cur); !ok {
				return nil, errHashNotInt, false
			}
		}
		if (incr > 0 && n > math.MaxInt64-incr) || (incr < 0 && n < math.MinInt64-incr) {
			return nil, errOverflow, false
		}
		result = n + incr
		return strconv.AppendInt(nil, result, 10), resp.Value{}, true
	})
	if reply.IsError() {
		return reply
	}
	return resp.IntValue(result)
}

func cmdHIncrByFloat(c *Call) resp.Value {
	incr, ok := parseLongDouble(c.Args[3])
	if !ok {
		return errNotFloat
	}
	if incr.IsInf() {
		return resp.Err("ERR value is NaN or Infinity")
	}
	return hashIncr(c, "hincrbyfloat", func(cur []byte) ([]byte, resp.Value, bool) {
		text, errv, ok := incrByFloat(cur, c.Args[3], resp.Err("ERR hash value is not a float"))
		return []byte(text), errv, ok
	})
}
