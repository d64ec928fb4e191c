package core

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// Set commands. A set is rows of sets(key_id, h, member), one B-tree keyed
// by all three (sets_schema.go): h is the member's keyed hash (Tx.memberHash),
// so membership is one seek, and h orders SSCAN and random draws
// (memberrows.go). keys.count holds the cardinality.

func init() {
	// SSCAN walked a set in id order from the cursor, and SPOP/SRANDMEMBER
	// needed a set's lowest and highest id (until migration 8).
	addMigration(3, `CREATE INDEX sets_key_id ON sets(key_id, id);`)

	const g = "set"
	register(
		&Command{Name: "sadd", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Add one or more members to a set", Since: "1.0.0",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Run:        cmdSAdd},
		&Command{Name: "srem", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Remove one or more members from a set", Since: "1.0.0",
			Complexity: "O(N) where N is the number of members to be removed.", Run: cmdSRem},
		&Command{Name: "smembers", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Exec: ExecRead, Group: g,
			Summary: "Get all the members in a set", Since: "1.0.0",
			Complexity: "O(N) where N is the set cardinality.", Run: cmdSMembers},
		&Command{Name: "sismember", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Exec: ExecRead, Group: g,
			Summary: "Determine if a given value is a member of a set", Since: "1.0.0", Complexity: "O(1)", Run: cmdSIsMember},
		&Command{Name: "smismember", Arity: -3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the membership associated with the given elements for a set", Since: "6.2.0",
			Complexity: "O(N) where N is the number of elements being checked for membership", Run: cmdSMIsMember},
		&Command{Name: "scard", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Exec: ExecRead, Group: g,
			Summary: "Get the number of members in a set", Since: "1.0.0", Complexity: "O(1)", Run: cmdSCard},
		&Command{Name: "spop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Remove and return one or multiple random members from a set", Since: "1.0.0",
			Complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
			Note:       randomDrawNote, Run: cmdSPop},
		&Command{Name: "srandmember", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Get one or multiple random members from a set", Since: "1.0.0",
			Complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
			Note: randomDrawNote + " A negative count asking for more than 16777216 members is refused with 'ERR value is out of range' " +
				"(Redis would try to build the reply and run out of memory).", Run: cmdSRandMember},
		&Command{Name: "smove", Arity: 4, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, Group: g,
			Summary: "Move a member from one set to another", Since: "1.0.0", Complexity: "O(1)", Run: cmdSMove},
		&Command{Name: "sdiff", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Subtract multiple sets", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of elements in all given sets.",
			Run:        func(c *Call) resp.Value { return setOpCommand(c, setDiff, false) }},
		&Command{Name: "sdiffstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Subtract multiple sets and store the resulting set in a key", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of elements in all given sets.",
			Run:        func(c *Call) resp.Value { return setOpCommand(c, setDiff, true) }},
		&Command{Name: "sinter", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Intersect multiple sets", Since: "1.0.0",
			Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
			Run:        func(c *Call) resp.Value { return setOpCommand(c, setInter, false) }},
		&Command{Name: "sinterstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Intersect multiple sets and store the resulting set in a key", Since: "1.0.0",
			Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
			Run:        func(c *Call) resp.Value { return setOpCommand(c, setInter, true) }},
		&Command{Name: "sintercard", Arity: -3, Flags: FlagReadOnly, Group: g,
			Summary: "Intersect multiple sets and return the cardinality of the result", Since: "7.0.0",
			Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
			Run:        cmdSInterCard},
		&Command{Name: "sunion", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Add multiple sets", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of elements in all given sets.",
			Run:        func(c *Call) resp.Value { return setOpCommand(c, setUnion, false) }},
		&Command{Name: "sunionstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Group: g,
			Summary: "Add multiple sets and store the resulting set in a key", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of elements in all given sets.",
			Run:        func(c *Call) resp.Value { return setOpCommand(c, setUnion, true) }},
		&Command{Name: "sscan", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Incrementally iterate Set elements", Since: "2.8.0",
			Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
			Note:       "The cursor is a member hash: members come in hash order, a member present for the whole iteration is returned exactly once.",
			Run:        cmdSScan},
	)
	registerType(TypeSet, &typeOps{
		copyContents: func(tx *Tx, from, to int64) {
			tx.exec(`INSERT INTO sets(key_id, h, member) SELECT ?, h, member FROM sets WHERE key_id = ?`, to, from)
		},
		encoding: setEncoding,
	})
}

// setEncoding is what Redis 7.0 would report: an intset while every member
// is an integer and the set is small, otherwise a hashtable. Redis never
// converts a hashtable back to an intset; redlite, which keeps no encoding,
// reports the encoding a set with these members would have been built with.
func setEncoding(tx *Tx, k keyInfo) string {
	if _, ok := tx.setAsIntset(k); ok {
		return "intset"
	}
	return "hashtable"
}

// setAsIntset returns the members of k in numeric order if Redis would hold
// it as an intset: at most set-max-intset-entries members, all integers.
func (tx *Tx) setAsIntset(k keyInfo) ([][]byte, bool) {
	v, _ := tx.store.Config.Get("set-max-intset-entries")
	limit, err := strconv.ParseInt(v, 10, 64)
	if err != nil || k.Count > limit {
		return nil, false
	}
	type intMember struct {
		n int64
		m []byte
	}
	var ints []intMember
	allInts := true
	tx.query(`SELECT member FROM sets WHERE key_id = ?`, args(k.ID), func(r *rows) bool {
		m := r.bytes(0)
		n, ok := ParseInt(m)
		allInts = ok
		ints = append(ints, intMember{n, m})
		return ok
	})
	if !allInts {
		return nil, false
	}
	sort.Slice(ints, func(i, j int) bool { return ints[i].n < ints[j].n })
	out := make([][]byte, len(ints))
	for i, x := range ints {
		out[i] = x.m
	}
	return out, true
}

func (tx *Tx) lookupSet(key []byte) (keyInfo, bool, bool)     { return tx.lookupWriteType(key, TypeSet) }
func (tx *Tx) lookupSetRead(key []byte) (keyInfo, bool, bool) { return tx.lookupType(key, TypeSet) }

// setAdd adds members to set k (created when absent) and returns how many
// were new.
func (tx *Tx) setAdd(k keyInfo, found bool, key []byte, members [][]byte) int64 {
	if !found {
		k = keyInfo{ID: tx.createKey(key, TypeSet, 0, nil), Type: TypeSet}
	}
	var added int64
	for _, m := range members {
		n, _ := tx.exec(`INSERT INTO sets(key_id, h, member) VALUES(?, ?, ?) ON CONFLICT DO NOTHING`, k.ID, tx.memberHash(m), m)
		added += n
	}
	if added > 0 {
		tx.touchKey(k, key, added)
	}
	return added
}

func (tx *Tx) setHas(id int64, member []byte) bool {
	return tx.queryRow(`SELECT 1 FROM sets WHERE key_id = ? AND h = ? AND member = ?`, args(id, tx.memberHash(member), member), nil)
}

func cmdSAdd(c *Call) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupSet(key)
	if wrong {
		return errWrongType
	}
	added := c.setAdd(k, found, key, c.Args[2:])
	if added > 0 {
		c.notify(notifySet, "sadd", key)
	}
	return resp.IntValue(added)
}

// setRemoved records the removal of n members from k and sends the event,
// and "del" if the set is now gone.
func (tx *Tx) setRemoved(k keyInfo, key []byte, n int64, event string) {
	if n == 0 {
		return
	}
	tx.notify(notifySet, event, key)
	if !tx.touchKey(k, key, -n) {
		tx.notify(notifyGeneric, "del", key)
	}
}

func cmdSRem(c *Call) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupSet(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.IntValue(0)
	}
	var removed int64
	for _, m := range c.Args[2:] {
		n, _ := c.exec(sqlSetDelete, k.ID, c.memberHash(m), m)
		removed += n
	}
	c.setRemoved(k, key, removed, "srem")
	return resp.IntValue(removed)
}

const sqlSetDelete = `DELETE FROM sets WHERE key_id = ? AND h = ? AND member = ?`

// setMembers returns every member of set id.
func (tx *Tx) setMembers(id int64) [][]byte {
	var out [][]byte
	tx.query(`SELECT member FROM sets WHERE key_id = ?`, args(id), func(r *rows) bool {
		out = append(out, r.bytes(0))
		return true
	})
	return out
}

func bulkSet(items [][]byte) resp.Value {
	v := resp.BulkArray(items)
	v.Kind = resp.Set
	return v
}

func emptySet() resp.Value { return resp.SetValue([]resp.Value{}) }

// sqlSetDump reads a set's members with its key in one statement (a key
// of another type gives one row whose member is NULL).
const sqlSetDump = `SELECT k.type, k.expire_at, s.member FROM keys k LEFT JOIN sets s ON s.key_id = k.id
	WHERE k.db = ? AND k.key = ?`

func cmdSMembers(c *Call) resp.Value {
	var out [][]byte
	if dumpKey(c, sqlSetDump, TypeSet, func(r *rows) { out = append(out, r.bytes(2)) }) {
		return errWrongType
	}
	return bulkSet(out)
}

const sqlSetIsMember = `SELECT k.type, k.expire_at, EXISTS(SELECT 1 FROM sets WHERE key_id = k.id AND h = ? AND member = ?)
	FROM keys k WHERE k.db = ? AND k.key = ?`

func cmdSIsMember(c *Call) resp.Value {
	var typ, exp int64
	var member bool
	found := c.queryRow(sqlSetIsMember, args(c.memberHash(c.Args[2]), c.Args[2], c.DB, c.Args[1]), func(r *rows) {
		typ, exp, member = r.int(0), r.int(1), r.int(2) == 1
	})
	live := c.readRow(found, exp)
	switch {
	case !live:
		return resp.IntValue(0)
	case typ != TypeSet:
		return errWrongType
	}
	return resp.BoolInt(member)
}

func cmdSMIsMember(c *Call) resp.Value {
	k, found, wrong := c.lookupSetRead(c.Args[1])
	if wrong {
		return errWrongType
	}
	out := make([]resp.Value, len(c.Args)-2)
	for i, m := range c.Args[2:] {
		out[i] = resp.BoolInt(found && c.setHas(k.ID, m))
	}
	return resp.ArrayValue(out)
}

func cmdSCard(c *Call) resp.Value { return cardinality(c, TypeSet) }

func cmdSPop(c *Call) resp.Value {
	if len(c.Args) > 3 {
		return errSyntax
	}
	count, hasCount, errv, ok := parsePopCount(c.Args)
	if !ok {
		return errv
	}
	key := c.Args[1]
	k, found, wrong := c.lookupSet(key)
	switch {
	case wrong:
		return errWrongType
	case !found && hasCount:
		return emptySet()
	case !found:
		return resp.NilValue()
	case hasCount && count == 0:
		return emptySet()
	}
	if !hasCount {
		r := setRows.sampler(c.Tx, k).draw()
		c.exec(sqlSetDelete, k.ID, r.h, r.member)
		c.setRemoved(k, key, 1, "spop")
		return resp.BulkValue(r.member)
	}
	if count >= k.Count {
		members := c.setMembers(k.ID)
		c.deleteKey(k.ID, key)
		c.notify(notifySet, "spop", key)
		c.notify(notifyGeneric, "del", key)
		return bulkSet(members)
	}
	picked := setRows.sampler(c.Tx, k).distinct(count)
	for _, r := range picked {
		c.exec(sqlSetDelete, k.ID, r.h, r.member)
	}
	c.setRemoved(k, key, int64(len(picked)), "spop")
	return bulkSet(hrowMembers(picked))
}

// srandmemberMaxRepeats bounds a negative SRANDMEMBER count: the reply is
// built in memory, and Redis would try to build any size asked for.
const srandmemberMaxRepeats = 1 << 24

func cmdSRandMember(c *Call) resp.Value {
	if len(c.Args) > 3 {
		return errSyntax
	}
	hasCount := len(c.Args) == 3
	var count int64
	if hasCount {
		n, ok := ParseInt(c.Args[2])
		if !ok {
			return errNotInt
		}
		if n == math.MinInt64 {
			return resp.Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
		}
		if n < -srandmemberMaxRepeats {
			return resp.Err("ERR value is out of range")
		}
		count = n
	}
	k, found, wrong := c.lookupSetRead(c.Args[1])
	switch {
	case wrong:
		return errWrongType
	case !found && hasCount:
		return resp.ArrayValue([]resp.Value{})
	case !found:
		return resp.NilValue()
	case hasCount && count == 0:
		return resp.ArrayValue([]resp.Value{})
	}
	s := setRows.sampler(c.Tx, k)
	switch {
	case !hasCount:
		return resp.BulkValue(s.draw().member)
	case count < 0:
		return resp.BulkArray(hrowMembers(s.withRepeats(-count)))
	case count >= k.Count:
		return resp.BulkArray(c.setMembers(k.ID))
	}
	return resp.BulkArray(hrowMembers(s.distinct(count)))
}

func hrowMembers(rs []hrow) [][]byte {
	out := make([][]byte, len(rs))
	for i, r := range rs {
		out[i] = r.member
	}
	return out
}

func cmdSMove(c *Call) resp.Value {
	src, dst, member := c.Args[1], c.Args[2], c.Args[3]
	sk, sfound, swrong := c.lookupSet(src)
	dk, dfound, dwrong := c.lookupSet(dst)
	switch {
	case !sfound:
		return resp.IntValue(0)
	case swrong || dwrong:
		return errWrongType
	case string(src) == string(dst):
		return resp.BoolInt(c.setHas(sk.ID, member))
	}
	n, _ := c.exec(sqlSetDelete, sk.ID, c.memberHash(member), member)
	if n == 0 {
		return resp.IntValue(0)
	}
	c.setRemoved(sk, src, 1, "srem")
	if c.setAdd(dk, dfound, dst, [][]byte{member}) > 0 {
		c.notify(notifySet, "sadd", dst)
	}
	return resp.IntValue(1)
}

type setOp int

const (
	setDiff setOp = iota
	setInter
	setUnion
)

var setStoreEvents = [...]string{setDiff: "sdiffstore", setInter: "sinterstore", setUnion: "sunionstore"}

// setSources looks up the source keys of a set operation. Every key is
// checked, so a key of another type is an error even after a missing one.
// A missing key is an empty set (found false).
func (tx *Tx) setSources(keys [][]byte) ([]keyInfo, []bool, bool) {
	ks := make([]keyInfo, len(keys))
	found := make([]bool, len(keys))
	for i, key := range keys {
		k, ok, wrong := tx.lookupSetRead(key)
		if wrong {
			return nil, nil, false
		}
		ks[i], found[i] = k, ok
	}
	return ks, found, true
}

// idList renders key ids as the JSON array json_each reads, so one cached
// statement serves any number of keys.
func idList(ids []int64) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.FormatInt(id, 10))
	}
	sb.WriteByte(']')
	return sb.String()
}

// setOpQuery builds the SELECT of h, member for an operation over the
// given sources. empty is true when the result is empty whatever the data.
func setOpQuery(op setOp, ks []keyInfo, found []bool) (q string, qargs []any, empty bool) {
	switch op {
	case setUnion:
		var ids []int64
		for i, k := range ks {
			if found[i] {
				ids = append(ids, k.ID)
			}
		}
		if len(ids) == 0 {
			return "", nil, true
		}
		return `SELECT DISTINCT h, member FROM sets WHERE key_id IN (SELECT value FROM json_each(?))`,
			args(idList(ids)), false
	case setDiff:
		if !found[0] {
			return "", nil, true
		}
		var others []int64
		for i, k := range ks[1:] {
			if found[i+1] {
				others = append(others, k.ID)
			}
		}
		return `SELECT h, member FROM sets s WHERE key_id = ? AND NOT EXISTS (SELECT 1 FROM sets t
			WHERE t.key_id IN (SELECT value FROM json_each(?)) AND t.h = s.h AND t.member = s.member)`,
			args(ks[0].ID, idList(others)), false
	}
	// Intersection: walk the smallest set, look each member up in the
	// others (distinct ids: a key given twice intersects with itself).
	for i := range ks {
		if !found[i] {
			return "", nil, true
		}
	}
	sorted := append([]keyInfo(nil), ks...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Count < sorted[j].Count })
	seen := map[int64]bool{sorted[0].ID: true}
	var others []int64
	for _, k := range sorted[1:] {
		if !seen[k.ID] {
			seen[k.ID] = true
			others = append(others, k.ID)
		}
	}
	return `SELECT h, member FROM sets s WHERE key_id = ? AND (SELECT count(*) FROM sets t
		WHERE t.key_id IN (SELECT value FROM json_each(?)) AND t.h = s.h AND t.member = s.member) = ?`,
		args(sorted[0].ID, idList(others), int64(len(others))), false
}

func setOpCommand(c *Call, op setOp, store bool) resp.Value {
	srcKeys := c.Args[1:]
	if store {
		srcKeys = c.Args[2:]
	}
	ks, found, ok := c.setSources(srcKeys)
	if !ok {
		return errWrongType
	}
	q, qargs, empty := setOpQuery(op, ks, found)
	if !store {
		if empty {
			return emptySet()
		}
		var out [][]byte
		c.query(q, qargs, func(r *rows) bool {
			out = append(out, r.bytes(1))
			return true
		})
		return bulkSet(out)
	}
	dst := c.Args[1]
	// The result is staged under key id 0 (never a real key's) before the
	// destination, which may be one of the sources, is replaced.
	var n int64
	if !empty {
		n, _ = c.exec(`INSERT INTO sets(key_id, h, member) SELECT 0, h, member FROM (`+q+`)`, qargs...)
	}
	dk, existed := c.lookupWrite(dst)
	if existed {
		c.deleteKey(dk.ID, dst)
	}
	if n == 0 {
		if existed {
			c.notify(notifyGeneric, "del", dst)
		}
		return resp.IntValue(0)
	}
	id := c.createKey(dst, TypeSet, 0, nil)
	c.exec(`UPDATE sets SET key_id = ? WHERE key_id = 0`, id)
	c.touchKey(keyInfo{ID: id, Type: TypeSet}, dst, n)
	c.notify(notifySet, setStoreEvents[op], dst)
	return resp.IntValue(n)
}

func cmdSInterCard(c *Call) resp.Value {
	numkeys, ok := ParseInt(c.Args[1])
	if !ok || numkeys <= 0 {
		return resp.Err("ERR numkeys should be greater than 0")
	}
	if numkeys > int64(len(c.Args)-2) {
		return resp.Err("ERR Number of keys can't be greater than number of args")
	}
	keys := c.Args[2 : 2+numkeys]
	var limit int64
	for i := 2 + int(numkeys); i < len(c.Args); i += 2 {
		if !eqFold(c.Args[i], "LIMIT") || i+1 >= len(c.Args) {
			return errSyntax
		}
		n, ok := ParseInt(c.Args[i+1])
		if !ok || n < 0 {
			return resp.Err("ERR LIMIT can't be negative")
		}
		limit = n
	}
	ks, found, ok := c.setSources(keys)
	if !ok {
		return errWrongType
	}
	q, qargs, empty := setOpQuery(setInter, ks, found)
	if empty {
		return resp.IntValue(0)
	}
	if limit == 0 {
		limit = -1
	}
	return resp.IntValue(c.queryInt(`SELECT count(*) FROM (`+q+` LIMIT ?)`, 0, append(qargs, limit)...))
}

func cmdSScan(c *Call) resp.Value {
	k, cursor, o, reply, done := scanStart(c, TypeSet)
	if done {
		return reply
	}
	out := []resp.Value{}
	add := func(m []byte) {
		if o.pattern == nil || GlobMatch(o.pattern, m, false) {
			out = append(out, resp.BulkValue(m))
		}
	}
	if ints, ok := c.setAsIntset(k); ok {
		// Redis answers an intset in one reply, in numeric order, whatever
		// the cursor and COUNT say.
		for _, m := range ints {
			add(m)
		}
		return scanReply(0, out)
	}
	rs, next := setRows.page(c.Tx, k.ID, cursor, o.count)
	for _, r := range rs {
		add(r.member)
	}
	return scanReply(next, out)
}
