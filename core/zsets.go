package core

import (
	"math"

	"github.com/redlite/redlite/core/resp"
)

// Sorted set commands. A sorted set is the rows zsets(key_id, h, member,
// score) of its key, keyed by (key_id, h, member) with h the member's keyed
// hash (see zsets_schema.go and memberhash.go): a member's score is one
// seek, and h orders ZSCAN and random draws (memberrows.go). The index
// (key_id, score, member) keeps Redis' order (score, then member bytes, as
// SQLite compares BLOBs with memcmp), and keys.count holds the
// cardinality. Scores are IEEE doubles in a REAL column; -0 is stored as 0,
// as Redis' listpack encoding (the one small sorted sets use) stores it.

func init() {
	const g = "sorted-set"
	register(
		&Command{Name: "zadd", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
			Since:   "1.2.0", Complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
			Run: cmdZAdd},
		&Command{Name: "zincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Increments the score of a member in a sorted set.", Since: "1.2.0",
			Complexity: "O(log(N)) where N is the number of elements in the sorted set.", Run: cmdZIncrBy},
		&Command{Name: "zrem", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
			Since:   "1.2.0", Complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
			Run: cmdZRem},
		&Command{Name: "zscore", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the score of a member in a sorted set.", Since: "1.2.0",
			Complexity: "O(log(N))", Note: "Redis answers in O(1) from a hash table; redlite looks the member up in a B-tree.",
			Exec: ExecRead, Run: cmdZScore},
		&Command{Name: "zmscore", Arity: -3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the score of one or more members in a sorted set.", Since: "6.2.0",
			Complexity: "O(N*log(M)) where N is the number of members being requested and M the number of elements in the sorted set.",
			Note:       "Redis answers in O(N) from a hash table; redlite looks each member up in a B-tree.",
			Run:        cmdZMScore},
		&Command{Name: "zcard", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the number of members in a sorted set.", Since: "1.2.0", Complexity: "O(1)",
			Exec: ExecRead, Run: cmdZCard},
		&Command{Name: "zcount", Arity: 4, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the count of members in a sorted set that have scores within a range.", Since: "2.0.0",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements in the range.",
			Note:       "Worse than Redis' O(log(N)): redlite counts the index entries in the range.",
			Run:        cmdZCount},
		&Command{Name: "zlexcount", Arity: 4, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the number of members in a sorted set within a lexicographical range.", Since: "2.8.9",
			Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements in the range.",
			Note:       "Worse than Redis' O(log(N)): redlite counts the index entries in the range. " + lexNote,
			Run:        cmdZLexCount},
		&Command{Name: "zrank", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the index of a member in a sorted set ordered by ascending scores.", Since: "2.0.0",
			Complexity: "O(log(N)+R) where R is the rank of the member.",
			Note:       "Worse than Redis' O(log(N)): redlite counts the index entries before the member, so ranks near the end of a large sorted set cost O(N). WITHSCORE (Redis 7.2) is not accepted, as in Redis 7.0.",
			Run:        func(c *Call) resp.Value { return zrankCommand(c, false) }},
		&Command{Name: "zrevrank", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the index of a member in a sorted set ordered by descending scores.", Since: "2.0.0",
			Complexity: "O(log(N)+R) where R is the reverse rank of the member.",
			Note:       "Worse than Redis' O(log(N)): redlite counts the index entries after the member, so reverse ranks near the end of a large sorted set cost O(N). WITHSCORE (Redis 7.2) is not accepted, as in Redis 7.0.",
			Run:        func(c *Call) resp.Value { return zrankCommand(c, true) }},
	)
	registerType(TypeZSet, &typeOps{copyContents: zsetCopy, encoding: zsetEncoding})
}

// zsetCopy duplicates the elements of one sorted set into another key (COPY).
func zsetCopy(tx *Tx, from, to int64) {
	tx.exec(`INSERT INTO zsets(key_id, h, member, score) SELECT ?, h, member, score FROM zsets WHERE key_id = ?`, to, from)
}

// zsetEncoding names the encoding Redis 7.0 would use: listpack while the
// set is small in entries and member sizes, skiplist beyond. Redis never
// converts a skiplist back when the set shrinks; redlite reports the
// encoding a set of the current contents would have.
func zsetEncoding(tx *Tx, k keyInfo) string {
	maxEntries := tx.configInt("zset-max-listpack-entries", 128)
	maxValue := tx.configInt("zset-max-listpack-value", 64)
	if k.Count > maxEntries {
		return "skiplist"
	}
	if tx.queryInt(`SELECT max(length(member)) FROM zsets WHERE key_id = ?`, 0, k.ID) > maxValue {
		return "skiplist"
	}
	return "listpack"
}

// configInt reads an integer configuration parameter.
func (tx *Tx) configInt(name string, def int64) int64 {
	v, _ := tx.store.Config.Get(name)
	if n, ok := ParseInt([]byte(v)); ok {
		return n
	}
	return def
}

// zmember is one element of a sorted set.
type zmember struct {
	member []byte
	score  float64
}

var (
	errZNaN       = resp.Err("ERR resulting score is not a number (NaN)")
	errMinMaxNum  = resp.Err("ERR min or max is not a float")
	errMinMaxLex  = resp.Err("ERR min or max not valid string range item")
	errZPositive  = resp.Err("ERR value is out of range, must be positive")
	errNumKeysPos = resp.Err("ERR numkeys should be greater than 0")
	errCountPos   = resp.Err("ERR count should be greater than 0")
)

// canonScore turns -0 into 0 before a score is stored.
func canonScore(f float64) float64 {
	if f == 0 {
		return 0
	}
	return f
}

// lookupZSet finds a live sorted set for reading.
func (tx *Tx) lookupZSet(key []byte) (k keyInfo, found bool, wrong bool) {
	return tx.lookupType(key, TypeZSet)
}

// zsetScore returns a member's score.
func (tx *Tx) zsetScore(id int64, member []byte) (float64, bool) {
	var s float64
	ok := tx.queryRow(`SELECT score FROM zsets WHERE key_id = ? AND h = ? AND member = ?`, args(id, tx.memberHash(member), member),
		func(r *rows) { s = r.float(0) })
	return s, ok
}

// zsetInsert adds a member that is not in the set.
func (tx *Tx) zsetInsert(id int64, member []byte, score float64) {
	tx.exec(`INSERT INTO zsets(key_id, h, member, score) VALUES(?, ?, ?, ?)`, id, tx.memberHash(member), member, canonScore(score))
}

func (tx *Tx) zsetUpdate(id int64, member []byte, score float64) {
	tx.exec(`UPDATE zsets SET score = ? WHERE key_id = ? AND h = ? AND member = ?`, canonScore(score), id, tx.memberHash(member), member)
}

// zsetCreate makes a new, still empty sorted set; the caller adds elements
// and then calls touchKey with their number.
func (tx *Tx) zsetCreate(key []byte) keyInfo {
	return keyInfo{ID: tx.createKey(key, TypeZSet, 0, nil), Type: TypeZSet}
}

// zaddFlags are ZADD's options.
type zaddFlags struct{ nx, xx, gt, lt, ch, incr bool }

// zaddResult is what applying one score/member pair did.
type zaddResult struct {
	added, updated bool
	skipped        bool // a flag prevented the change (INCR then answers nil)
	score          float64
}

// zaddMember applies one pair to sorted set id under the flags. With
// f.incr, score is an increment; a NaN sum is reported as ok=false before
// anything is written.
func (tx *Tx) zaddMember(id int64, member []byte, score float64, f zaddFlags) (res zaddResult, ok bool) {
	cur, exists := tx.zsetScore(id, member)
	if !exists {
		if f.xx {
			return zaddResult{skipped: true}, true
		}
		tx.zsetInsert(id, member, score)
		return zaddResult{added: true, score: score}, true
	}
	if f.nx {
		return zaddResult{skipped: true}, true
	}
	if f.incr {
		score += cur
		if math.IsNaN(score) {
			return zaddResult{}, false
		}
	}
	if (f.gt && score <= cur) || (f.lt && score >= cur) {
		return zaddResult{skipped: true}, true
	}
	if score != cur {
		tx.zsetUpdate(id, member, score)
		return zaddResult{updated: true, score: score}, true
	}
	return zaddResult{score: score}, true
}

func cmdZAdd(c *Call) resp.Value {
	var f zaddFlags
	i := 2
flags:
	for ; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case eqFold(a, "NX"):
			f.nx = true
		case eqFold(a, "XX"):
			f.xx = true
		case eqFold(a, "GT"):
			f.gt = true
		case eqFold(a, "LT"):
			f.lt = true
		case eqFold(a, "CH"):
			f.ch = true
		case eqFold(a, "INCR"):
			f.incr = true
		default:
			break flags
		}
	}
	n := len(c.Args) - i
	switch {
	case n == 0 || n%2 != 0:
		return errSyntax
	case f.nx && f.xx:
		return resp.Err("ERR XX and NX options at the same time are not compatible")
	case (f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt):
		return resp.Err("ERR GT, LT, and/or NX options at the same time are not compatible")
	case f.incr && n > 2:
		return resp.Err("ERR INCR option supports a single increment-element pair")
	}
	pairs := make([]zmember, 0, n/2)
	for ; i < len(c.Args); i += 2 {
		s, ok := ParseFloat(c.Args[i])
		if !ok {
			return errNotFloat
		}
		pairs = append(pairs, zmember{member: c.Args[i+1], score: s})
	}
	return zaddApply(c, c.Args[1], pairs, f)
}

// zaddApply is ZADD (and ZINCRBY) once the arguments are valid.
func zaddApply(c *Call, key []byte, pairs []zmember, f zaddFlags) resp.Value {
	k, found, wrong := c.lookupWriteType(key, TypeZSet)
	if wrong {
		return errWrongType
	}
	if !found {
		if f.xx {
			if f.incr {
				return resp.NilValue()
			}
			return resp.IntValue(0)
		}
		k = c.zsetCreate(key)
	}
	var added, updated int64
	var last zaddResult
	for _, p := range pairs {
		res, ok := c.zaddMember(k.ID, p.member, p.score, f)
		if !ok {
			// Only INCR can produce NaN, and it has a single pair: nothing
			// has been written.
			return errZNaN
		}
		if res.added {
			added++
		}
		if res.updated {
			updated++
		}
		last = res
	}
	if added+updated > 0 {
		c.touchKey(k, key, added)
		event := "zadd"
		if f.incr {
			event = "zincr"
		}
		c.notify(notifyZSet, event, key)
	}
	if f.incr {
		if last.skipped {
			return resp.NilValue()
		}
		return resp.DoubleValue(last.score)
	}
	if f.ch {
		return resp.IntValue(added + updated)
	}
	return resp.IntValue(added)
}

func cmdZIncrBy(c *Call) resp.Value {
	incr, ok := ParseFloat(c.Args[2])
	if !ok {
		return errNotFloat
	}
	return zaddApply(c, c.Args[1], []zmember{{member: c.Args[3], score: incr}}, zaddFlags{incr: true})
}

func cmdZRem(c *Call) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupWriteType(key, TypeZSet)
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	var removed int64
	for _, m := range c.Args[2:] {
		n, _ := c.exec(`DELETE FROM zsets WHERE key_id = ? AND h = ? AND member = ?`, k.ID, c.memberHash(m), m)
		removed += n
	}
	if removed > 0 {
		c.zsetRemoved(k, key, removed, "zrem")
	}
	return resp.IntValue(removed)
}

// zsetRemoved records that n elements left sorted set k: it sends event and,
// when the set is now empty and so deleted, "del".
func (tx *Tx) zsetRemoved(k keyInfo, key []byte, n int64, event string) {
	tx.notify(notifyZSet, event, key)
	if !tx.touchKey(k, key, -n) {
		tx.notify(notifyGeneric, "del", key)
	}
}

// cmdZScore is one statement (the key's row and the member's score), so it
// runs without an explicit read transaction.
func cmdZScore(c *Call) resp.Value {
	var typ, exp int64
	var score float64
	hasScore := false
	found := c.queryRow(`SELECT type, expire_at, (SELECT score FROM zsets WHERE key_id = keys.id AND h = ? AND member = ?)
		FROM keys WHERE db = ? AND key = ?`, args(c.memberHash(c.Args[2]), c.Args[2], c.DB, c.Args[1]), func(r *rows) {
		typ, exp = r.int(0), r.int(1)
		if !r.isNull(2) {
			hasScore, score = true, r.float(2)
		}
	})
	live := c.readRow(found, exp)
	switch {
	case !live:
		return resp.NilValue()
	case typ != TypeZSet:
		return errWrongType
	case !hasScore:
		return resp.NilValue()
	}
	return resp.DoubleValue(score)
}

func cmdZMScore(c *Call) resp.Value {
	k, found, wrong := c.lookupZSet(c.Args[1])
	if wrong {
		return errWrongType
	}
	out := make([]resp.Value, len(c.Args)-2)
	for i, m := range c.Args[2:] {
		out[i] = resp.NilValue()
		if found {
			if s, ok := c.zsetScore(k.ID, m); ok {
				out[i] = resp.DoubleValue(s)
			}
		}
	}
	return resp.ArrayValue(out)
}

func cmdZCard(c *Call) resp.Value { return cardinality(c, TypeZSet) }

func cmdZCount(c *Call) resp.Value {
	r, errv, ok := parseScoreRange(c.Args[2], c.Args[3])
	if !ok {
		return errv
	}
	k, found, wrong := c.lookupZSet(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	return resp.IntValue(c.queryInt(`SELECT count(*) FROM zsets WHERE key_id = ? AND `+r.where(), 0, k.ID, r.min, r.max))
}

func cmdZLexCount(c *Call) resp.Value {
	r, ok := parseLexRange(c.Args[2], c.Args[3])
	if !ok {
		return errMinMaxLex
	}
	k, found, wrong := c.lookupZSet(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.IntValue(0)
	}
	where, a := c.lexWhere(k.ID, r)
	return resp.IntValue(c.queryInt(`SELECT count(*) FROM zsets WHERE `+where, 0, a...))
}

// zsetRank is the 0-based rank of member, ascending or (rev) descending.
func (tx *Tx) zsetRank(id int64, member []byte, rev bool) (int64, bool) {
	s, ok := tx.zsetScore(id, member)
	if !ok {
		return 0, false
	}
	if rev {
		return tx.queryInt(`SELECT count(*) FROM zsets WHERE key_id = ? AND score > ?`, 0, id, s) +
			tx.queryInt(`SELECT count(*) FROM zsets WHERE key_id = ? AND score = ? AND member > ?`, 0, id, s, member), true
	}
	return tx.queryInt(`SELECT count(*) FROM zsets WHERE key_id = ? AND score < ?`, 0, id, s) +
		tx.queryInt(`SELECT count(*) FROM zsets WHERE key_id = ? AND score = ? AND member < ?`, 0, id, s, member), true
}

func zrankCommand(c *Call, rev bool) resp.Value {
	k, found, wrong := c.lookupZSet(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.NilValue()
	}
	r, ok := c.zsetRank(k.ID, c.Args[2], rev)
	if !ok {
		return resp.NilValue()
	}
	return resp.IntValue(r)
}

// zsetReply renders elements: members only, or members with scores, flat
// in RESP2 and as [member, score] pairs in RESP3, as Redis 7 does.
func zsetReply(items []zmember, withScores bool, proto int) resp.Value {
	if !withScores {
		out := make([]resp.Value, len(items))
		for i, it := range items {
			out[i] = resp.BulkValue(it.member)
		}
		return resp.ArrayValue(out)
	}
	if proto >= 3 {
		out := make([]resp.Value, len(items))
		for i, it := range items {
			out[i] = resp.ArrayValue([]resp.Value{resp.BulkValue(it.member), resp.DoubleValue(it.score)})
		}
		return resp.ArrayValue(out)
	}
	out := make([]resp.Value, 0, 2*len(items))
	for _, it := range items {
		out = append(out, resp.BulkValue(it.member), resp.DoubleValue(it.score))
	}
	return resp.ArrayValue(out)
}

// zsetPairs renders elements as [member, score] pairs whatever the
// protocol (ZMPOP, BZMPOP).
func zsetPairs(items []zmember) resp.Value {
	out := make([]resp.Value, len(items))
	for i, it := range items {
		out[i] = resp.ArrayValue([]resp.Value{resp.BulkValue(it.member), resp.DoubleValue(it.score)})
	}
	return resp.ArrayValue(out)
}

// zsetStore replaces whatever dst holds with a sorted set of items (or
// deletes it when items is empty), and sends event, or "del" when an
// existing dst was deleted. It returns the number of elements stored.
func (tx *Tx) zsetStore(dst []byte, items []zmember, event string) int64 {
	old, existed := tx.lookupWrite(dst)
	if existed {
		tx.deleteKey(old.ID, dst)
	}
	if len(items) == 0 {
		if existed {
			tx.notify(notifyGeneric, "del", dst)
		}
		return 0
	}
	k := tx.zsetCreate(dst)
	for _, it := range items {
		tx.zsetInsert(k.ID, it.member, it.score)
	}
	tx.touchKey(k, dst, int64(len(items)))
	tx.notify(notifyZSet, event, dst)
	return int64(len(items))
}
