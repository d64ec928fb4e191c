package core

import (
	"math"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// String commands. A string's value lives in its keys row, so reading or
// writing one touches a single table.

func init() {
	const g = "string"
	register(
		&Command{Name: "get", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the string value of a key.", Since: "1.0.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdGet},
		&Command{Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
			Since:   "1.0.0", Complexity: "O(1)", Run: cmdSet},
		&Command{Name: "setnx", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Set the string value of a key only when the key doesn't exist.", Since: "1.0.0", Complexity: "O(1)", Run: cmdSetNX},
		&Command{Name: "setex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
			Since:   "2.0.0", Complexity: "O(1)", Run: cmdSetEX},
		&Command{Name: "psetex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
			Since:   "2.6.0", Complexity: "O(1)", Run: cmdPSetEX},
		&Command{Name: "getset", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the previous string value of a key after setting it to a new value.", Since: "1.0.0",
			Complexity: "O(1)", Run: cmdGetSet},
		&Command{Name: "getex", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the string value of a key after setting its expiration time.", Since: "6.2.0",
			Complexity: "O(1)", Run: cmdGetEX},
		&Command{Name: "getdel", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the string value of a key after deleting the key.", Since: "6.2.0", Complexity: "O(1)", Run: cmdGetDel},
		&Command{Name: "mget", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Atomically returns the string values of one or more keys.", Since: "1.0.0",
			Complexity: "O(N) where N is the number of keys to retrieve.", Run: cmdMGet},
		&Command{Name: "mset", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 2, Group: g,
			Summary: "Atomically creates or modifies the string values of one or more keys.", Since: "1.0.1",
			Complexity: "O(N) where N is the number of keys to set.", Run: cmdMSet},
		&Command{Name: "msetnx", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 2, Group: g,
			Summary: "Atomically modifies the string values of one or more keys only when all keys don't exist.",
			Since:   "1.0.1", Complexity: "O(N) where N is the number of keys to set.", Run: cmdMSetNX},
		&Command{Name: "incr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
			Since:   "1.0.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return incrBy(c, 1) }},
		&Command{Name: "decr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
			Since:   "1.0.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return incrBy(c, -1) }},
		&Command{Name: "incrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
			Since:   "1.0.0", Complexity: "O(1)", Run: cmdIncrBy},
		&Command{Name: "decrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
			Since:   "1.0.0", Complexity: "O(1)", Run: cmdDecrBy},
		&Command{Name: "incrbyfloat", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
			Since:   "2.6.0", Complexity: "O(1)", Run: cmdIncrByFloat},
		&Command{Name: "append", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Appends a string to the value of a key. Creates the key if it doesn't exist.", Since: "2.0.0",
			Complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
			Run:        cmdAppend},
		&Command{Name: "strlen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the length of a string value.", Since: "2.2.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdStrlen},
		&Command{Name: "getrange", Arity: 4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns a substring of the string stored at a key.", Since: "2.4.0",
			Complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
			Exec:       ExecRead, Run: cmdGetRange},
		&Command{Name: "substr", Arity: 4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns a substring from a string value.", Since: "1.0.0",
			Complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
			Exec:       ExecRead, Run: cmdGetRange},
		&Command{Name: "setrange", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
			Since:   "2.2.0", Complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
			Run: cmdSetRange},
		&Command{Name: "lcs", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 2, Group: g,
			Summary: "Finds the longest common substring.", Since: "7.0.0",
			Complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively", Run: cmdLCS},
	)
}

const sqlGetString = `SELECT type, expire_at, value FROM keys WHERE db = ? AND key = ?`

// getString reads a string key: its value, whether it exists and whether it
// holds another type.
func (tx *Tx) getString(key []byte) (val []byte, found, wrongType bool) {
	var row [1]stringRow
	tx.readStrings([][]byte{key}, row[:])
	return tx.stringResult(&row[0])
}

// getStrings is getString for several keys at once (MGET): one call into
// SQLite for all of them.
func (tx *Tx) getStrings(keys [][]byte) []stringRow {
	rows := make([]stringRow, len(keys))
	tx.readStrings(keys, rows)
	return rows
}

// readStrings reads the rows of keys; a storage error is recorded on tx and
// leaves the rows not found.
func (tx *Tx) readStrings(keys [][]byte, rows []stringRow) {
	if tx.err != nil {
		return
	}
	p, err := tx.c.lookup()
	if err == nil {
		err = p.get(tx.DB, keys, rows)
	}
	if err != nil {
		tx.fail(err)
		clear(rows)
	}
}

// stringResult says what a key's row means for a string read: expired keys
// do not exist, and a read of another type is WRONGTYPE.
func (tx *Tx) stringResult(r *stringRow) (val []byte, found, wrongType bool) {
	if !tx.readRow(r.found, r.expire) {
		return nil, false, false
	}
	if r.typ != TypeString {
		return nil, true, true
	}
	if r.val == nil {
		return []byte{}, true, false
	}
	return r.val, true, false
}

const sqlLookupString = `SELECT id, type, expire_at, version, count, value FROM keys WHERE db = ? AND key = ?`

// lookupWriteString is lookupWriteType for a string with its value, read
// in the same statement: read-modify-write commands (INCR, APPEND...) run
// one statement before their write instead of two.
func (tx *Tx) lookupWriteString(key []byte) (k keyInfo, val []byte, found, wrongType bool) {
	found = tx.queryRow(sqlLookupString, args(tx.DB, key), func(r *rows) {
		k, val = scanKeyInfo(r), r.bytes(5)
	})
	if !found {
		return keyInfo{}, nil, false, false
	}
	if k.expired(tx.Now) {
		tx.deleteExpired(k.ID, key)
		return keyInfo{}, nil, false, false
	}
	if k.Type != TypeString {
		return k, nil, true, true
	}
	if val == nil {
		val = []byte{}
	}
	return k, val, true, false
}

// putString stores value at key as a string whatever the key held before.
// expire is an absolute unix ms time (0 = none); keepTTL keeps the expiry of
// an existing key instead.
func (tx *Tx) putString(key, value []byte, expire int64, keepTTL bool) {
	if !keepTTL {
		// One statement for the common case, overwriting a string. Not an
		// upsert: an INSERT on an AUTOINCREMENT table rewrites
		// sqlite_sequence even when it resolves to an update, which doubles
		// the pages every commit writes.
		n, _ := tx.exec(`UPDATE keys SET value = ?, expire_at = ?, version = version + 1 WHERE db = ? AND key = ? AND type = 1`,
			value, nullInt{expire, expire != 0}, tx.DB, key)
		if n > 0 || tx.err != nil {
			tx.keyChanged(key)
			return
		}
		// No string by that name: most often a new key, created in one
		// more statement. A name held by another type falls through.
		if tx.tryCreateKey(key, TypeString, expire, value) || tx.err != nil {
			return
		}
	}
	k, found := tx.lookupWrite(key)
	switch {
	case found && k.Type == TypeString:
		if keepTTL {
			tx.exec(`UPDATE keys SET value = ?, version = version + 1 WHERE id = ?`, value, k.ID)
		} else {
			tx.exec(`UPDATE keys SET value = ?, expire_at = ?, version = version + 1 WHERE id = ?`,
				value, nullInt{expire, expire != 0}, k.ID)
		}
		tx.keyChanged(key)
	case found:
		tx.deleteKey(k.ID, key)
		if keepTTL {
			expire = k.Expire
		}
		tx.replaceKey(key, TypeString, expire, value)
	default:
		tx.createKey(key, TypeString, expire, value)
	}
}

// updateString replaces an existing string's value, keeping its expiry.
func (tx *Tx) updateString(id int64, key, value []byte) {
	tx.exec(`UPDATE keys SET value = ?, version = version + 1 WHERE id = ?`, value, id)
	tx.keyChanged(key)
}

func cmdGet(c *Call) resp.Value {
	var row [1]stringRow
	c.readStrings(c.Args[1:2], row[:])
	return c.getReply(&row[0])
}

// expireArg is a parsed EX/PX/EXAT/PXAT option.
type expireArg struct {
	set     bool
	unitSec bool // EX / EXAT
	abs     bool // EXAT / PXAT
	raw     []byte
}

// isExpireOption reports whether a is EX, PX, EXAT or PXAT.
func isExpireOption(a []byte) bool {
	return eqFold(a, "EX") || eqFold(a, "PX") || eqFold(a, "EXAT") || eqFold(a, "PXAT")
}

// newExpireArg records the option a (see isExpireOption) and its value.
func newExpireArg(a, value []byte) expireArg {
	return expireArg{set: true, unitSec: eqFold(a, "EX") || eqFold(a, "EXAT"),
		abs: eqFold(a, "EXAT") || eqFold(a, "PXAT"), raw: value}
}

// absolute is resolve for an option that may be absent (0, no expiry).
func (e expireArg) absolute(now int64, cmdName string) (int64, resp.Value, bool) {
	if !e.set {
		return 0, resp.Value{}, true
	}
	return e.resolve(now, cmdName)
}

// resolve turns the option into an absolute unix ms time, validating it the
// way Redis does (getExpireMillisecondsOrReply).
func (e expireArg) resolve(now int64, cmdName string) (int64, resp.Value, bool) {
	n, ok := ParseInt(e.raw)
	if !ok {
		return 0, errNotInt, false
	}
	bad := resp.Err("ERR invalid expire time in '" + cmdName + "' command")
	if n <= 0 || (e.unitSec && n > math.MaxInt64/1000) {
		return 0, bad, false
	}
	if e.unitSec {
		n *= 1000
	}
	if !e.abs {
		if n > math.MaxInt64-now {
			return 0, bad, false
		}
		n += now
	}
	return n, resp.Value{}, true
}

func cmdSet(c *Call) resp.Value {
	var nx, xx, get, keepTTL bool
	var exp expireArg
	for i := 3; i < len(c.Args); i++ {
		a := c.Args[i]
		hasNext := i+1 < len(c.Args)
		switch {
		case eqFold(a, "NX") && !xx:
			nx = true
		case eqFold(a, "XX") && !nx:
			xx = true
		case eqFold(a, "GET"):
			get = true
		case eqFold(a, "KEEPTTL") && !exp.set:
			keepTTL = true
		case isExpireOption(a) && !exp.set && !keepTTL && hasNext:
			exp = newExpireArg(a, c.Args[i+1])
			i++
		default:
			return errSyntax
		}
	}
	expire, errv, ok := exp.absolute(c.Now, "set")
	if !ok {
		return errv
	}
	key, val := c.Args[1], c.Args[2]
	if !nx && !xx && !get {
		c.putString(key, val, expire, keepTTL)
		c.notifySet(key, exp.set)
		return resp.OK()
	}
	old, found, wrong := c.getString(key)
	if wrong && get {
		return errWrongType
	}
	if (nx && found) || (xx && !found) {
		if get {
			return bulkOrNil(old, found)
		}
		return resp.NilValue()
	}
	c.putString(key, val, expire, keepTTL)
	c.notifySet(key, exp.set)
	if get {
		return bulkOrNil(old, found)
	}
	return resp.OK()
}

func (tx *Tx) notifySet(key []byte, withExpire bool) {
	tx.notify(notifyString, "set", key)
	if withExpire {
		tx.notify(notifyGeneric, "expire", key)
	}
}

func bulkOrNil(v []byte, found bool) resp.Value {
	if !found {
		return resp.NilValue()
	}
	return resp.BulkValue(v)
}

func cmdSetNX(c *Call) resp.Value {
	if _, found := c.lookup(c.Args[1]); found {
		return resp.IntValue(0)
	}
	c.putString(c.Args[1], c.Args[2], 0, false)
	c.notifySet(c.Args[1], false)
	return resp.IntValue(1)
}

func setWithExpire(c *Call, unitSec bool) resp.Value {
	expire, errv, ok := expireArg{set: true, unitSec: unitSec, raw: c.Args[2]}.resolve(c.Now, c.Cmd.Name)
	if !ok {
		return errv
	}
	c.putString(c.Args[1], c.Args[3], expire, false)
	c.notifySet(c.Args[1], true)
	return resp.OK()
}

func cmdSetEX(c *Call) resp.Value  { return setWithExpire(c, true) }
func cmdPSetEX(c *Call) resp.Value { return setWithExpire(c, false) }

func cmdGetSet(c *Call) resp.Value {
	old, found, wrong := c.getString(c.Args[1])
	if wrong {
		return errWrongType
	}
	c.putString(c.Args[1], c.Args[2], 0, false)
	c.notifySet(c.Args[1], false)
	return bulkOrNil(old, found)
}

func cmdGetEX(c *Call) resp.Value {
	var exp expireArg
	persist := false
	for i := 2; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case isExpireOption(a) && !exp.set && !persist && i+1 < len(c.Args):
			exp = newExpireArg(a, c.Args[i+1])
			i++
		case eqFold(a, "PERSIST") && !exp.set:
			persist = true
		default:
			return errSyntax
		}
	}
	key := c.Args[1]
	val, found, wrong := c.getString(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.NilValue()
	}
	// Redis validates the expiry only for a string key that exists.
	expire, errv, ok := exp.absolute(c.Now, "getex")
	if !ok {
		return errv
	}
	k, _ := c.lookup(key)
	switch {
	case exp.set && expire <= c.Now:
		c.deleteKey(k.ID, key)
		c.notify(notifyGeneric, "del", key)
	case exp.set:
		c.setExpire(k.ID, expire)
		c.notify(notifyGeneric, "expire", key)
	case persist && k.Expire != 0:
		c.setExpire(k.ID, 0)
		c.notify(notifyGeneric, "persist", key)
	}
	return resp.BulkValue(val)
}

func cmdGetDel(c *Call) resp.Value {
	key := c.Args[1]
	val, found, wrong := c.getString(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.NilValue()
	}
	k, _ := c.lookup(key)
	c.deleteKey(k.ID, key)
	c.notify(notifyGeneric, "del", key)
	return resp.BulkValue(val)
}

func cmdMGet(c *Call) resp.Value {
	rows := c.getStrings(c.Args[1:])
	out := make([]resp.Value, len(rows))
	for i := range rows {
		val, found, wrong := c.stringResult(&rows[i])
		if found && !wrong {
			out[i] = resp.BulkValue(val)
		} else {
			out[i] = resp.NilValue()
		}
	}
	return resp.ArrayValue(out)
}

func cmdMSet(c *Call) resp.Value {
	if len(c.Args)%2 != 1 {
		return WrongArgs(c.Cmd.Name)
	}
	for i := 1; i < len(c.Args); i += 2 {
		c.putString(c.Args[i], c.Args[i+1], 0, false)
		c.notifySet(c.Args[i], false)
	}
	return resp.OK()
}

func cmdMSetNX(c *Call) resp.Value {
	if len(c.Args)%2 != 1 {
		return WrongArgs(c.Cmd.Name)
	}
	for i := 1; i < len(c.Args); i += 2 {
		if _, found := c.lookup(c.Args[i]); found {
			return resp.IntValue(0)
		}
	}
	for i := 1; i < len(c.Args); i += 2 {
		c.putString(c.Args[i], c.Args[i+1], 0, false)
		c.notifySet(c.Args[i], false)
	}
	return resp.IntValue(1)
}

func cmdIncrBy(c *Call) resp.Value {
	n, errv, ok := c.argInt(2)
	if !ok {
		return errv
	}
	return incrBy(c, n)
}

func cmdDecrBy(c *Call) resp.Value {
	n, errv, ok := c.argInt(2)
	if !ok {
		return errv
	}
	if n == math.MinInt64 {
		return resp.Err("ERR decrement would overflow")
	}
	return incrBy(c, -n)
}

func incrBy(c *Call, delta int64) resp.Value {
	key := c.Args[1]
	k, val, found, wrong := c.lookupWriteString(key)
	if wrong {
		return errWrongType
	}
	var cur int64
	if found {
		var ok bool
		if cur, ok = ParseInt(val); !ok {
			return errNotInt
		}
		if (delta > 0 && cur > math.MaxInt64-delta) || (delta < 0 && cur < math.MinInt64-delta) {
			return errOverflow
		}
	}
	cur += delta
	text := strconv.AppendInt(nil, cur, 10)
	if found {
		c.updateString(k.ID, key, text)
	} else {
		c.createKey(key, TypeString, 0, text)
	}
	c.notify(notifyString, "incrby", key)
	return resp.IntValue(cur)
}

func cmdIncrByFloat(c *Call) resp.Value {
	key := c.Args[1]
	k, cur, found, wrong := c.lookupWriteString(key)
	if wrong {
		return errWrongType
	}
	text, errv, ok := incrByFloat(cur, c.Args[2], errNotFloat)
	if !ok {
		return errv
	}
	if found {
		c.updateString(k.ID, key, []byte(text))
	} else {
		c.createKey(key, TypeString, 0, []byte(text))
	}
	c.notify(notifyString, "incrbyfloat", key)
	return resp.BulkString(text)
}

var errStringTooBig = resp.Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)")

func cmdAppend(c *Call) resp.Value {
	key := c.Args[1]
	k, cur, found, wrong := c.lookupWriteString(key)
	if wrong {
		return errWrongType
	}
	if !found {
		c.createKey(key, TypeString, 0, c.Args[2])
		c.notify(notifyString, "append", key)
		return resp.IntValue(int64(len(c.Args[2])))
	}
	if int64(len(cur))+int64(len(c.Args[2])) > c.store.Config.MaxBulk() {
		return errStringTooBig
	}
	nv := append(cur, c.Args[2]...)
	c.updateString(k.ID, key, nv)
	c.notify(notifyString, "append", key)
	return resp.IntValue(int64(len(nv)))
}

func cmdStrlen(c *Call) resp.Value {
	var typ, exp, n int64
	found := c.queryRow(`SELECT type, expire_at, length(CAST(value AS BLOB)) FROM keys WHERE db = ? AND key = ?`,
		args(c.DB, c.Args[1]), func(r *rows) { typ, exp, n = r.int(0), r.int(1), r.int(2) })
	live := c.readRow(found, exp)
	if !live {
		return resp.IntValue(0)
	}
	if typ != TypeString {
		return errWrongType
	}
	return resp.IntValue(n)
}

func cmdGetRange(c *Call) resp.Value {
	start, ok1 := ParseInt(c.Args[2])
	end, ok2 := ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		return errNotInt
	}
	val, found, wrong := c.getString(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.BulkString("")
	}
	n := int64(len(val))
	if start < 0 && end < 0 && start > end {
		return resp.BulkString("")
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	if start < 0 {
		start = 0
	}
	if end < 0 {
		end = 0
	}
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return resp.BulkString("")
	}
	return resp.BulkValue(val[start : end+1])
}

func cmdSetRange(c *Call) resp.Value {
	key, value := c.Args[1], c.Args[3]
	offset, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	if offset < 0 {
		return resp.Err("ERR offset is out of range")
	}
	k, cur, found, wrong := c.lookupWriteString(key)
	if wrong {
		return errWrongType
	}
	if len(value) == 0 {
		return resp.IntValue(int64(len(cur)))
	}
	if offset+int64(len(value)) > c.store.Config.MaxBulk() {
		return errStringTooBig
	}
	need := int(offset) + len(value)
	if need > len(cur) {
		grown := make([]byte, need)
		copy(grown, cur)
		cur = grown
	}
	copy(cur[offset:], value)
	if found {
		c.updateString(k.ID, key, cur)
	} else {
		c.createKey(key, TypeString, 0, cur)
	}
	c.notify(notifyString, "setrange", key)
	return resp.IntValue(int64(len(cur)))
}

func cmdLCS(c *Call) resp.Value {
	a, foundA, wrongA := c.getString(c.Args[1])
	b, foundB, wrongB := c.getString(c.Args[2])
	if (foundA && wrongA) || (foundB && wrongB) {
		return resp.Err("ERR The specified keys must contain string values")
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for i := 3; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case eqFold(a, "IDX"):
			getIdx = true
		case eqFold(a, "LEN"):
			getLen = true
		case eqFold(a, "WITHMATCHLEN"):
			withMatchLen = true
		case eqFold(a, "MINMATCHLEN") && i+1 < len(c.Args):
			n, ok := ParseInt(c.Args[i+1])
			if !ok {
				return errNotInt
			}
			minMatchLen = max(n, 0)
			i++
		default:
			return errSyntax
		}
	}
	if getIdx && getLen {
		return resp.Err("ERR If you want both the length and indexes, please just use IDX.")
	}
	if int64(len(a)+1)*int64(len(b)+1)*4 > c.store.Config.MaxBulk() {
		return resp.Err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
	}
	return lcs(a, b, getLen, getIdx, withMatchLen, minMatchLen)
}

// lcs is the dynamic-programming longest common subsequence with the exact
// match ranges Redis 7.0 reports (including how it splits ranges).
func lcs(a, b []byte, getLen, getIdx, withMatchLen bool, minMatchLen int64) resp.Value {
	alen, blen := len(a), len(b)
	w := blen + 1
	table := make([]uint32, (alen+1)*w)
	at := func(i, j int) uint32 { return table[j+i*w] }
	for i := 1; i <= alen; i++ {
		for j := 1; j <= blen; j++ {
			if a[i-1] == b[j-1] {
				table[j+i*w] = at(i-1, j-1) + 1
			} else {
				table[j+i*w] = max(at(i-1, j), at(i, j-1))
			}
		}
	}
	total := at(alen, blen)
	if getLen {
		return resp.IntValue(int64(total))
	}
	result := make([]byte, total)
	idx := int(total)
	var matches []resp.Value
	aStart, aEnd, bStart, bEnd := alen, 0, 0, 0
	i, j := alen, blen
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			result[idx-1] = a[i-1]
			if aStart == alen {
				aStart, aEnd, bStart, bEnd = i-1, i-1, j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if at(i-1, j) > at(i, j-1) {
				i--
			} else {
				j--
			}
			if aStart != alen {
				emit = true
			}
		}
		matchLen := int64(aEnd - aStart + 1)
		if emit {
			if getIdx && (minMatchLen == 0 || matchLen >= minMatchLen) {
				m := []resp.Value{
					resp.ArrayValue([]resp.Value{resp.IntValue(int64(aStart)), resp.IntValue(int64(aEnd))}),
					resp.ArrayValue([]resp.Value{resp.IntValue(int64(bStart)), resp.IntValue(int64(bEnd))}),
				}
				if withMatchLen {
					m = append(m, resp.IntValue(matchLen))
				}
				matches = append(matches, resp.ArrayValue(m))
			}
			aStart = alen
		}
	}
	if getIdx {
		if matches == nil {
			matches = []resp.Value{}
		}
		return resp.MapValue([]resp.Value{
			resp.BulkString("matches"), resp.ArrayValue(matches),
			resp.BulkString("len"), resp.IntValue(int64(total)),
		})
	}
	return resp.BulkValue(result)
}

func init() {
	registerType(TypeString, &typeOps{
		copyContents: func(*Tx, int64, int64) {},
		encoding: func(tx *Tx, k keyInfo) string {
			var val []byte
			tx.queryRow(`SELECT value FROM keys WHERE id = ?`, args(k.ID), func(r *rows) { val = r.bytes(0) })
			if len(val) <= 20 {
				if _, ok := ParseInt(val); ok {
					return "int"
				}
			}
			if len(val) <= 44 {
				return "embstr"
			}
			return "raw"
		},
	})
}
