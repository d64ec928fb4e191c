package core

import (
	"errors"
	"math"

	"github.com/redlite/redlite/core/resp"
)

// List commands. A list is rows of lists(key_id, pos, value) ordered by pos.
// Positions are sparse: a push at the head takes min(pos)-listStep, at the
// tail max(pos)+listStep, so pushing and popping at either end are index
// seeks whatever the length, and nothing is renumbered. LINSERT takes the
// midpoint between its neighbours; only when two neighbours are adjacent
// does it spread a small window of elements around them (listMakeRoom).
// keys.count holds the length, so LLEN is O(1).

const (
	// listStep is the distance between elements pushed at an end. 2^32
	// leaves 32 midpoint insertions between two pushed neighbours before a
	// window has to be respaced, and 2^30 pushes at one end before the
	// positions reach listPosLimit and the list is recentred.
	listStep = int64(1) << 32
	// listPosLimit bounds positions to ±2^62, so every difference of two
	// positions fits in a uint64 and every computed position in an int64.
	listPosLimit = int64(1) << 62
	// listMinGap is the smallest spacing a respaced window may get: each
	// respacing buys at least 12 more midpoint insertions at one place.
	listMinGap = int64(1) << 12
)

func init() {
	const g = "list"
	register(
		&Command{Name: "lpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Prepend one or multiple elements to a list", Since: "1.0.0",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Run:        func(c *Call) resp.Value { return pushCommand(c, true, false) }},
		&Command{Name: "rpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Append one or multiple elements to a list", Since: "1.0.0",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Run:        func(c *Call) resp.Value { return pushCommand(c, false, false) }},
		&Command{Name: "lpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Prepend an element to a list, only if the list exists", Since: "2.2.0",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Run:        func(c *Call) resp.Value { return pushCommand(c, true, true) }},
		&Command{Name: "rpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Append an element to a list, only if the list exists", Since: "2.2.0",
			Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			Run:        func(c *Call) resp.Value { return pushCommand(c, false, true) }},
		&Command{Name: "lpop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Remove and get the first elements in a list", Since: "1.0.0",
			Complexity: "O(N) where N is the number of elements returned",
			Run:        func(c *Call) resp.Value { return popCommand(c, true) }},
		&Command{Name: "rpop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Remove and get the last elements in a list", Since: "1.0.0",
			Complexity: "O(N) where N is the number of elements returned",
			Run:        func(c *Call) resp.Value { return popCommand(c, false) }},
		&Command{Name: "llen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Exec: ExecRead, Group: g,
			Summary: "Get the length of a list", Since: "1.0.0", Complexity: "O(1)", Run: cmdLLen},
		&Command{Name: "lrange", Arity: 4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Get a range of elements from a list", Since: "1.0.0",
			Complexity: "O(S+N) where S is the distance of start offset from the nearest end (HEAD or TAIL) and N is the number of elements in the specified range.",
			Run:        cmdLRange},
		&Command{Name: "lindex", Arity: 3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Get an element from a list by its index", Since: "1.0.0",
			Complexity: "O(N) where N is the number of elements to traverse to get to the element at index, from the nearest end. This makes asking for the first or the last element of the list O(1).",
			Run:        cmdLIndex},
		&Command{Name: "lset", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Set the value of an element in a list by its index", Since: "1.0.0",
			Complexity: "O(N) where N is the distance of the index from the nearest end. Setting either the first or the last element of the list is O(1).",
			Run:        cmdLSet},
		&Command{Name: "linsert", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Insert an element before or after another element in a list", Since: "2.2.0",
			Complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
			Note:       "When the two neighbours of the new element have no free position between them, a window of elements around them is respaced; its size grows only as the neighbourhood fills up.",
			Run:        cmdLInsert},
		&Command{Name: "lrem", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Remove elements from a list", Since: "1.0.0",
			Complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.", Run: cmdLRem},
		&Command{Name: "ltrim", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Trim a list to the specified range", Since: "1.0.0",
			Complexity: "O(N) where N is the number of elements to be removed by the operation.", Run: cmdLTrim},
		&Command{Name: "lpos", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Return the index of matching elements on a list", Since: "6.0.6",
			Complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
			Run:        cmdLPos},
		&Command{Name: "lmove", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Group: g,
			Summary: "Pop an element from a list, push it to another list and return it", Since: "6.2.0",
			Complexity: "O(1)", Run: cmdLMove},
		&Command{Name: "rpoplpush", Arity: 3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Group: g,
			Summary: "Remove the last element in a list, prepend it to another list and return it", Since: "1.2.0",
			Complexity: "O(1)", Run: cmdRPopLPush},
		&Command{Name: "lmpop", Arity: -4, Flags: FlagWrite, Group: g,
			Summary: "Pop elements from a list", Since: "7.0.0",
			Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
			Run:        cmdLMPop},
		&Command{Name: "blpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: -2, Group: g,
			Exec: ExecCustom, Summary: "Remove and get the first element in a list, or block until one is available", Since: "2.0.0",
			Complexity: "O(N) where N is the number of provided keys.",
			Run:        func(c *Call) resp.Value { return cmdBPop(c, true) }},
		&Command{Name: "brpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: -2, Group: g,
			Exec: ExecCustom, Summary: "Remove and get the last element in a list, or block until one is available", Since: "2.0.0",
			Complexity: "O(N) where N is the number of provided keys.",
			Run:        func(c *Call) resp.Value { return cmdBPop(c, false) }},
		&Command{Name: "blmove", Arity: 6, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: 2, Group: g,
			Exec: ExecCustom, Summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
			Since: "6.2.0", Complexity: "O(1)", Run: cmdBLMove},
		&Command{Name: "brpoplpush", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: 2, Group: g,
			Exec: ExecCustom, Summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
			Since: "2.2.0", Complexity: "O(1)", Run: cmdBRPopLPush},
		&Command{Name: "blmpop", Arity: -5, Flags: FlagWrite | FlagBlocking, Group: g,
			Exec: ExecCustom, Summary: "Pop elements from a list, or block until one is available", Since: "7.0.0",
			Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
			Run:        cmdBLMPop},
	)
	registerType(TypeList, &typeOps{
		copyContents: func(tx *Tx, from, to int64) {
			tx.exec(`INSERT INTO lists(key_id, pos, value) SELECT ?, pos, value FROM lists WHERE key_id = ?`, to, from)
		},
		// Redis 7.0 stores every list as a quicklist, whatever its size.
		encoding: func(*Tx, keyInfo) string { return "quicklist" },
	})
}

var (
	errPositive   = resp.Err("ERR value is out of range, must be positive")
	errIndexRange = resp.Err("ERR index out of range")
)

// pushEvent is the keyspace event of a push at one end.
func pushEvent(left bool) string {
	if left {
		return "lpush"
	}
	return "rpush"
}

func popEvent(left bool) string {
	if left {
		return "lpop"
	}
	return "rpop"
}

// lookupList finds key for a write to a list.
func (tx *Tx) lookupList(key []byte) (keyInfo, bool, bool) {
	return tx.lookupWriteType(key, TypeList)
}

// listEdgePos is the position of the first (left) or last element.
func (tx *Tx) listEdgePos(id int64, left bool) int64 {
	if left {
		return tx.queryInt(`SELECT min(pos) FROM lists WHERE key_id = ?`, 0, id)
	}
	return tx.queryInt(`SELECT max(pos) FROM lists WHERE key_id = ?`, 0, id)
}

// listAppend inserts vals one after the other at one end of list id, which
// holds n elements. It does not touch the keys row.
func (tx *Tx) listAppend(id, n int64, left bool, vals [][]byte) {
	dir := listStep
	if left {
		dir = -listStep
	}
	cur := -dir // so that the first element of an empty list lands on 0
	if n > 0 {
		cur = tx.listEdgePos(id, left)
		need := int64(len(vals)) * listStep
		if (left && cur < -listPosLimit+need) || (!left && cur > listPosLimit-need) {
			tx.listRecentre(id, n)
			cur = tx.listEdgePos(id, left)
		}
	}
	for _, v := range vals {
		cur += dir
		tx.exec(`INSERT INTO lists(key_id, pos, value) VALUES(?, ?, ?)`, id, cur, v)
	}
}

// listRecentre renumbers a whole list around 0 once pushes at one end have
// walked its positions to listPosLimit: after 2^30 pushes at one end, so its
// cost is amortised to nothing.
func (tx *Tx) listRecentre(id, n int64) {
	spacing := min(listStep, listPosLimit/(n+1))
	lo := -(n + 1) / 2 * spacing
	tx.listRespace(id, math.MinInt64, math.MaxInt64, math.MaxInt64, lo, spacing)
}

// listRespace moves the elements of list id whose positions lie strictly
// between selLo and selHi to lo+g, lo+2g, ... in order, leaving one slot
// free before the first element at or after split. The rows are copied under
// the negated key id, the originals deleted and the copies renamed, so no
// intermediate state collides with the primary key.
func (tx *Tx) listRespace(id, selLo, selHi, split, lo, g int64) {
	tx.exec(`INSERT INTO lists(key_id, pos, value)
		SELECT -key_id, ? + (row_number() OVER (ORDER BY pos) + (pos >= ?)) * ?, value
		FROM lists WHERE key_id = ? AND pos > ? AND pos < ?`, lo, split, g, id, selLo, selHi)
	tx.exec(`DELETE FROM lists WHERE key_id = ? AND pos > ? AND pos < ?`, id, selLo, selHi)
	tx.exec(`UPDATE lists SET key_id = ? WHERE key_id = ?`, id, -id)
}

// listNeighbour returns the position of the element k places away from
// split: to the left, the (k+1)-th element before split; to the right, the
// (k+1)-th element at or after it. ok is false past the list's end.
func (tx *Tx) listNeighbour(id, split int64, left bool, k int64) (pos int64, ok bool) {
	q := `SELECT pos FROM lists WHERE key_id = ? AND pos >= ? ORDER BY pos LIMIT 1 OFFSET ?`
	if left {
		q = `SELECT pos FROM lists WHERE key_id = ? AND pos < ? ORDER BY pos DESC LIMIT 1 OFFSET ?`
	}
	ok = tx.queryRow(q, args(id, split, k), func(r *rows) { pos = r.int(0) })
	return pos, ok
}

func (tx *Tx) listCountBetween(id, lo, hi int64) int64 {
	return tx.queryInt(`SELECT count(*) FROM lists WHERE key_id = ? AND pos > ? AND pos < ?`, 0, id, lo, hi)
}

var errListFull = errors.New("list positions exhausted")

// listMakeRoom returns a free position right before the element at split,
// whose left neighbour is adjacent to it. It respaces the smallest window of
// 2k elements around split (k = 8, 16, 32...) whose span leaves at least
// listMinGap between elements; near an end the window may extend past the
// end by listStep per element, as pushes would. The whole list is only
// respaced when the window has grown to cover it.
func (tx *Tx) listMakeRoom(id, split int64) int64 {
	for k := int64(8); tx.err == nil; k *= 2 {
		lo, loOK := tx.listNeighbour(id, split, true, k)
		hi, hiOK := tx.listNeighbour(id, split, false, k)
		if !loOK {
			lo = max(tx.listEdgePos(id, true)-min(k+1, listPosLimit/listStep)*listStep, -listPosLimit)
		}
		if !hiOK {
			hi = min(tx.listEdgePos(id, false)+min(k+1, listPosLimit/listStep)*listStep, listPosLimit)
		}
		m := tx.listCountBetween(id, lo, hi)
		g := int64((uint64(hi) - uint64(lo)) / uint64(m+2))
		whole := !loOK && !hiOK
		if g >= listMinGap || (whole && g >= 1) {
			below := tx.listCountBetween(id, lo, split)
			tx.listRespace(id, lo, hi, split, lo, g)
			return lo + (below+1)*g
		}
		if whole {
			tx.fail(errListFull)
		}
	}
	return 0
}

// listPopN removes up to count elements from one end of list id and returns
// them in pop order. It does not touch the keys row.
func (tx *Tx) listPopN(id int64, left bool, count int64) [][]byte {
	q := `SELECT pos, value FROM lists WHERE key_id = ? ORDER BY pos DESC LIMIT ?`
	del := `DELETE FROM lists WHERE key_id = ? AND pos >= ?`
	if left {
		q = `SELECT pos, value FROM lists WHERE key_id = ? ORDER BY pos LIMIT ?`
		del = `DELETE FROM lists WHERE key_id = ? AND pos <= ?`
	}
	var out [][]byte
	var last int64
	tx.query(q, args(id, count), func(r *rows) bool {
		last = r.int(0)
		out = append(out, r.bytes(1))
		return true
	})
	if len(out) > 0 {
		tx.exec(del, id, last)
	}
	return out
}

// listPop pops up to count elements from key, updating its count and sending
// the events; the key disappears when it empties.
func (tx *Tx) listPop(k keyInfo, key []byte, left bool, count int64) [][]byte {
	vals := tx.listPopN(k.ID, left, count)
	if len(vals) == 0 {
		return nil
	}
	tx.notify(notifyList, popEvent(left), key)
	if !tx.touchKey(k, key, -int64(len(vals))) {
		tx.notify(notifyGeneric, "del", key)
	}
	return vals
}

// listPush pushes vals at one end of key (k, found from lookupList),
// creating the list if needed, and returns the new length.
func (tx *Tx) listPush(k keyInfo, found bool, key []byte, left bool, vals [][]byte) int64 {
	if !found {
		k = keyInfo{ID: tx.createKey(key, TypeList, 0, nil), Type: TypeList}
	}
	tx.listAppend(k.ID, k.Count, left, vals)
	tx.touchKey(k, key, int64(len(vals)))
	tx.notify(notifyList, pushEvent(left), key)
	return k.Count + int64(len(vals))
}

func pushCommand(c *Call, left, onlyExisting bool) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupList(key)
	if wrong {
		return errWrongType
	}
	if onlyExisting && !found {
		return resp.IntValue(0)
	}
	return resp.IntValue(c.listPush(k, found, key, left, c.Args[2:]))
}

func popCommand(c *Call, left bool) resp.Value {
	if len(c.Args) > 3 {
		return WrongArgs(c.Cmd.Name)
	}
	count, hasCount, errv, ok := parsePopCount(c.Args)
	if !ok {
		return errv
	}
	key := c.Args[1]
	k, found, wrong := c.lookupList(key)
	switch {
	case wrong:
		return errWrongType
	case !found && hasCount:
		return resp.NilArrayValue()
	case !found:
		return resp.NilValue()
	case hasCount && count == 0:
		return resp.ArrayValue([]resp.Value{})
	}
	vals := c.listPop(k, key, left, count)
	if hasCount {
		return resp.BulkArray(vals)
	}
	return resp.BulkValue(vals[0])
}

// lookupListRead finds a list for a read command.
func (tx *Tx) lookupListRead(key []byte) (keyInfo, bool, bool) {
	return tx.lookupType(key, TypeList)
}

func cmdLLen(c *Call) resp.Value { return cardinality(c, TypeList) }

// listAt returns the position and value of the element at index (0 <= index
// < n), walking from the nearer end.
func (tx *Tx) listAt(k keyInfo, index int64) (pos int64, val []byte) {
	q, off := `SELECT pos, value FROM lists WHERE key_id = ? ORDER BY pos LIMIT 1 OFFSET ?`, index
	if index >= k.Count/2 {
		q, off = `SELECT pos, value FROM lists WHERE key_id = ? ORDER BY pos DESC LIMIT 1 OFFSET ?`, k.Count-1-index
	}
	tx.queryRow(q, args(k.ID, off), func(r *rows) { pos, val = r.int(0), r.bytes(1) })
	return pos, val
}

// listPosAt is listAt without the value.
func (tx *Tx) listPosAt(k keyInfo, index int64) int64 {
	q, off := `SELECT pos FROM lists WHERE key_id = ? ORDER BY pos LIMIT 1 OFFSET ?`, index
	if index >= k.Count/2 {
		q, off = `SELECT pos FROM lists WHERE key_id = ? ORDER BY pos DESC LIMIT 1 OFFSET ?`, k.Count-1-index
	}
	return tx.queryInt(q, 0, k.ID, off)
}

// listRange returns the elements from index start to stop inclusive (both
// within the list), read from the nearer end.
func (tx *Tx) listRange(k keyInfo, start, stop int64) [][]byte {
	count := stop - start + 1
	out := make([][]byte, 0, min(count, 1024))
	collect := func(r *rows) bool {
		out = append(out, r.bytes(0))
		return true
	}
	if start <= k.Count-1-stop {
		tx.query(`SELECT value FROM lists WHERE key_id = ? ORDER BY pos LIMIT ? OFFSET ?`,
			args(k.ID, count, start), collect)
		return out
	}
	tx.query(`SELECT value FROM lists WHERE key_id = ? ORDER BY pos DESC LIMIT ? OFFSET ?`,
		args(k.ID, count, k.Count-1-stop), collect)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func cmdLRange(c *Call) resp.Value {
	start, ok1 := ParseInt(c.Args[2])
	stop, ok2 := ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		return errNotInt
	}
	k, found, wrong := c.lookupListRead(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.ArrayValue([]resp.Value{})
	}
	start, stop, ok := normRange(start, stop, k.Count)
	if !ok {
		return resp.ArrayValue([]resp.Value{})
	}
	return resp.BulkArray(c.listRange(k, start, stop))
}

// normIndex turns a possibly negative index into one within n elements.
func normIndex(index, n int64) (int64, bool) {
	if index < 0 {
		index += n
	}
	return index, index >= 0 && index < n
}

func cmdLIndex(c *Call) resp.Value {
	k, found, wrong := c.lookupListRead(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		return resp.NilValue()
	}
	index, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	index, ok = normIndex(index, k.Count)
	if !ok {
		return resp.NilValue()
	}
	_, val := c.listAt(k, index)
	return resp.BulkValue(val)
}

func cmdLSet(c *Call) resp.Value {
	key := c.Args[1]
	k, found, wrong := c.lookupList(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return errNoSuchKey
	}
	index, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	index, ok = normIndex(index, k.Count)
	if !ok {
		return errIndexRange
	}
	pos := c.listPosAt(k, index)
	c.exec(`UPDATE lists SET value = ? WHERE key_id = ? AND pos = ?`, c.Args[3], k.ID, pos)
	c.touchKey(k, key, 0)
	c.notify(notifyList, "lset", key)
	return resp.OK()
}

func cmdLInsert(c *Call) resp.Value {
	var before bool
	switch {
	case eqFold(c.Args[2], "BEFORE"):
		before = true
	case eqFold(c.Args[2], "AFTER"):
	default:
		return errSyntax
	}
	key, pivot, elem := c.Args[1], c.Args[3], c.Args[4]
	k, found, wrong := c.lookupList(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.IntValue(0)
	}
	var pivotPos int64
	if !c.queryRow(`SELECT pos FROM lists WHERE key_id = ? AND value = ? ORDER BY pos LIMIT 1`,
		args(k.ID, pivot), func(r *rows) { pivotPos = r.int(0) }) {
		return resp.IntValue(-1)
	}
	// The new element goes between a and b, a < b.
	var a, b int64
	var inside bool // the pivot has a neighbour on the insertion side
	if before {
		b = pivotPos
		a, inside = c.listNeighbour(k.ID, pivotPos, true, 0)
	} else {
		a = pivotPos
		b, inside = c.listNeighbour(k.ID, pivotPos+1, false, 0)
	}
	switch {
	case !inside:
		c.listAppend(k.ID, k.Count, before, [][]byte{elem})
	case b-a >= 2:
		c.exec(`INSERT INTO lists(key_id, pos, value) VALUES(?, ?, ?)`, k.ID, a+(b-a)/2, elem)
	default:
		c.exec(`INSERT INTO lists(key_id, pos, value) VALUES(?, ?, ?)`, k.ID, c.listMakeRoom(k.ID, b), elem)
	}
	c.touchKey(k, key, 1)
	c.notify(notifyList, "linsert", key)
	return resp.IntValue(k.Count + 1)
}

func cmdLRem(c *Call) resp.Value {
	count, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	key, elem := c.Args[1], c.Args[3]
	k, found, wrong := c.lookupList(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.IntValue(0)
	}
	if count == math.MinInt64 {
		// Its negation overflows; no list is that long, so it means all.
		count = 0
	}
	var removed int64
	switch {
	case count > 0:
		removed, _ = c.exec(`DELETE FROM lists WHERE key_id = ? AND pos IN
			(SELECT pos FROM lists WHERE key_id = ? AND value = ? ORDER BY pos LIMIT ?)`, k.ID, k.ID, elem, count)
	case count < 0:
		removed, _ = c.exec(`DELETE FROM lists WHERE key_id = ? AND pos IN
			(SELECT pos FROM lists WHERE key_id = ? AND value = ? ORDER BY pos DESC LIMIT ?)`, k.ID, k.ID, elem, -count)
	default:
		removed, _ = c.exec(`DELETE FROM lists WHERE key_id = ? AND value = ?`, k.ID, elem)
	}
	if removed > 0 {
		c.notify(notifyList, "lrem", key)
		if !c.touchKey(k, key, -removed) {
			c.notify(notifyGeneric, "del", key)
		}
	}
	return resp.IntValue(removed)
}

func cmdLTrim(c *Call) resp.Value {
	start, ok1 := ParseInt(c.Args[2])
	stop, ok2 := ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		return errNotInt
	}
	key := c.Args[1]
	k, found, wrong := c.lookupList(key)
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.OK()
	}
	start, stop, keep := normRange(start, stop, k.Count)
	var removed int64
	if !keep {
		removed = k.Count
		c.exec(`DELETE FROM lists WHERE key_id = ?`, k.ID)
	} else {
		// Both boundaries are found before anything is deleted, while the
		// indexes still refer to the original list.
		var first, last int64
		if start > 0 {
			first = c.listPosAt(k, start)
		}
		if stop < k.Count-1 {
			last = c.listPosAt(k, stop)
		}
		if start > 0 {
			n, _ := c.exec(`DELETE FROM lists WHERE key_id = ? AND pos < ?`, k.ID, first)
			removed += n
		}
		if stop < k.Count-1 {
			n, _ := c.exec(`DELETE FROM lists WHERE key_id = ? AND pos > ?`, k.ID, last)
			removed += n
		}
	}
	c.notify(notifyList, "ltrim", key)
	if !c.touchKey(k, key, -removed) {
		c.notify(notifyGeneric, "del", key)
	}
	return resp.OK()
}

func cmdLPos(c *Call) resp.Value {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for i := 3; i < len(c.Args); i += 2 {
		if i+1 >= len(c.Args) {
			return errSyntax
		}
		opt, val := c.Args[i], c.Args[i+1]
		n, ok := ParseInt(val)
		switch {
		case eqFold(opt, "RANK"):
			if !ok {
				return errNotInt
			}
			if n == 0 {
				return resp.Err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
			}
			rank = n
		case eqFold(opt, "COUNT"):
			if !ok || n < 0 {
				return resp.Err("ERR COUNT can't be negative")
			}
			count = n
		case eqFold(opt, "MAXLEN"):
			if !ok || n < 0 {
				return resp.Err("ERR MAXLEN can't be negative")
			}
			maxlen = n
		default:
			return errSyntax
		}
	}
	k, found, wrong := c.lookupListRead(c.Args[1])
	if wrong {
		return errWrongType
	}
	if !found {
		if count >= 0 {
			return resp.ArrayValue([]resp.Value{})
		}
		return resp.NilValue()
	}
	want := count
	if count < 0 {
		want = 1
	}
	idx := c.listPos(k, c.Args[2], rank, want, maxlen)
	if count < 0 {
		if len(idx) == 0 {
			return resp.NilValue()
		}
		return resp.IntValue(idx[0])
	}
	out := make([]resp.Value, len(idx))
	for i, n := range idx {
		out[i] = resp.IntValue(n)
	}
	return resp.ArrayValue(out)
}

// listPos finds the indexes of elem in list k, skipping |rank|-1 matches,
// scanning from the head (rank > 0) or the tail (rank < 0), returning at
// most want (0 = all) and looking at no more than maxlen (0 = all) elements.
// The matching is done by SQLite over the position index; each match's index
// is the count of elements between it and the previous one.
func (tx *Tx) listPos(k keyInfo, elem []byte, rank, want, maxlen int64) []int64 {
	fromTail := rank < 0
	skip := rank - 1
	if fromTail {
		// Redis treats the most negative rank, whose negation overflows,
		// like -1.
		skip = 0
		if rank != math.MinInt64 {
			skip = -rank - 1
		}
	}
	limit := want
	if limit == 0 {
		limit = -1
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if maxlen > 0 && maxlen < k.Count {
		if fromTail {
			lo = tx.listPosAt(k, k.Count-maxlen)
		} else {
			hi = tx.listPosAt(k, maxlen-1)
		}
	}
	q := `SELECT pos FROM lists WHERE key_id = ? AND pos >= ? AND pos <= ? AND value = ? ORDER BY pos LIMIT ? OFFSET ?`
	if fromTail {
		q = `SELECT pos FROM lists WHERE key_id = ? AND pos >= ? AND pos <= ? AND value = ? ORDER BY pos DESC LIMIT ? OFFSET ?`
	}
	var matches []int64
	tx.query(q, args(k.ID, lo, hi, elem, limit, skip), func(r *rows) bool {
		matches = append(matches, r.int(0))
		return true
	})
	// Each match's index is counted from the scan's end: the elements
	// before the first match, then those between consecutive matches.
	out := make([]int64, len(matches))
	var passed, prev int64
	for i, p := range matches {
		switch {
		case fromTail && i == 0:
			passed = tx.queryInt(`SELECT count(*) FROM lists WHERE key_id = ? AND pos > ?`, 0, k.ID, p)
		case fromTail:
			passed += tx.queryInt(`SELECT count(*) FROM lists WHERE key_id = ? AND pos > ? AND pos <= ?`, 0, k.ID, p, prev)
		case i == 0:
			passed = tx.queryInt(`SELECT count(*) FROM lists WHERE key_id = ? AND pos < ?`, 0, k.ID, p)
		default:
			passed += tx.queryInt(`SELECT count(*) FROM lists WHERE key_id = ? AND pos >= ? AND pos < ?`, 0, k.ID, prev, p)
		}
		out[i] = passed
		if fromTail {
			out[i] = k.Count - 1 - passed
		}
		prev = p
	}
	return out
}

// parseWhere reads LEFT or RIGHT.
func parseWhere(b []byte) (left bool, ok bool) {
	switch {
	case eqFold(b, "LEFT"):
		return true, true
	case eqFold(b, "RIGHT"):
		return false, true
	}
	return false, false
}

// listMove pops one element from src's from-end and pushes it at dst's
// to-end. served is false when src is empty; an error reply is returned for
// a wrong type.
func (tx *Tx) listMove(src, dst []byte, fromLeft, toLeft bool) (resp.Value, bool) {
	sk, found, wrong := tx.lookupList(src)
	if wrong {
		return errWrongType, true
	}
	if !found {
		return resp.Value{}, false
	}
	dk, dfound, dwrong := tx.lookupList(dst)
	if dwrong {
		return errWrongType, true
	}
	// Redis sends the push's event before the pop's.
	if string(src) == string(dst) {
		// A rotation: the element moves between the ends of one list,
		// whose length does not change.
		vals := tx.listPopN(sk.ID, fromLeft, 1)
		tx.listAppend(sk.ID, sk.Count-1, toLeft, vals)
		tx.notify(notifyList, pushEvent(toLeft), dst)
		tx.notify(notifyList, popEvent(fromLeft), src)
		tx.touchKey(sk, src, 0)
		return resp.BulkValue(vals[0]), true
	}
	vals := tx.listPopN(sk.ID, fromLeft, 1)
	tx.listPush(dk, dfound, dst, toLeft, vals)
	tx.notify(notifyList, popEvent(fromLeft), src)
	if !tx.touchKey(sk, src, -1) {
		tx.notify(notifyGeneric, "del", src)
	}
	return resp.BulkValue(vals[0]), true
}

func cmdLMove(c *Call) resp.Value {
	from, ok1 := parseWhere(c.Args[3])
	to, ok2 := parseWhere(c.Args[4])
	if !ok1 || !ok2 {
		return errSyntax
	}
	v, served := c.listMove(c.Args[1], c.Args[2], from, to)
	if !served {
		return resp.NilValue()
	}
	return v
}

func cmdRPopLPush(c *Call) resp.Value {
	v, served := c.listMove(c.Args[1], c.Args[2], false, true)
	if !served {
		return resp.NilValue()
	}
	return v
}

// mpopArgs are the parsed arguments of LMPOP/BLMPOP (and ZMPOP's shape):
// numkeys key... LEFT|RIGHT [COUNT n], starting at argument first.
type mpopArgs struct {
	keys  [][]byte
	left  bool
	count int64
}

func parseMPop(argv [][]byte, first int) (mpopArgs, resp.Value, bool) {
	var m mpopArgs
	numkeys, ok := ParseInt(argv[first])
	if !ok || numkeys <= 0 {
		return m, resp.Err("ERR numkeys should be greater than 0"), false
	}
	rest := int64(len(argv) - first - 1)
	if numkeys >= rest {
		// Not even room for the direction after the keys.
		return m, errSyntax, false
	}
	m.keys = argv[first+1 : first+1+int(numkeys)]
	i := first + 1 + int(numkeys)
	if m.left, ok = parseWhere(argv[i]); !ok {
		return m, errSyntax, false
	}
	m.count = 1
	hasCount := false
	for i++; i < len(argv); i++ {
		if eqFold(argv[i], "COUNT") && i+1 < len(argv) && !hasCount {
			n, ok := ParseInt(argv[i+1])
			if !ok || n <= 0 {
				return m, resp.Err("ERR count should be greater than 0"), false
			}
			m.count, hasCount = n, true
			i++
			continue
		}
		return m, errSyntax, false
	}
	return m, resp.Value{}, true
}

// listMPop pops from the first non-empty list of m.keys. served is false
// when all are empty; skipWrong skips keys of another type instead of
// failing (a blocked client woken by a write that made one a string).
func (tx *Tx) listMPop(m mpopArgs, skipWrong bool) (resp.Value, bool) {
	for _, key := range m.keys {
		k, found, wrong := tx.lookupList(key)
		if wrong && !skipWrong {
			return errWrongType, true
		}
		if !found || wrong {
			continue
		}
		vals := tx.listPop(k, key, m.left, m.count)
		return resp.ArrayValue([]resp.Value{resp.BulkValue(key), resp.BulkArray(vals)}), true
	}
	return resp.Value{}, false
}

func cmdLMPop(c *Call) resp.Value {
	m, errv, ok := parseMPop(c.Args, 1)
	if !ok {
		return errv
	}
	v, served := c.listMPop(m, false)
	if !served {
		return resp.NilArrayValue()
	}
	return v
}

// blockTry wraps a blocking command's try: the first attempt reports a key
// of the wrong type as an error, as the command would; later attempts, woken
// by writes, skip such keys and keep waiting, as Redis 7.0 leaves a client
// blocked when the key it waits on becomes another type.
func blockTry(try func(tx *Tx, skipWrong bool) (resp.Value, bool)) func(tx *Tx) (resp.Value, bool) {
	first := true
	return func(tx *Tx) (resp.Value, bool) {
		skip := !first
		first = false
		return try(tx, skip)
	}
}

func cmdBPop(c *Call, left bool) resp.Value {
	timeout, errv, ok := ParseTimeout(c.Args[len(c.Args)-1])
	if !ok {
		return errv
	}
	keys := c.Args[1 : len(c.Args)-1]
	m := mpopArgs{keys: keys, left: left, count: 1}
	return c.block(keys, timeout, blockTry(func(tx *Tx, skipWrong bool) (resp.Value, bool) {
		v, served := tx.listMPop(m, skipWrong)
		if served && !v.IsError() {
			// BLPOP answers [key, element], not LMPOP's [key, [elements]].
			v.Elems[1] = v.Elems[1].Elems[0]
		}
		return v, served
	}), resp.NilArrayValue())
}

func blockingMove(c *Call, src, dst []byte, from, to bool, timeoutArg []byte) resp.Value {
	timeout, errv, ok := ParseTimeout(timeoutArg)
	if !ok {
		return errv
	}
	return c.block([][]byte{src}, timeout, blockTry(func(tx *Tx, skipWrong bool) (resp.Value, bool) {
		if skipWrong {
			if _, _, wrong := tx.lookupList(src); wrong {
				return resp.Value{}, false
			}
		}
		return tx.listMove(src, dst, from, to)
	}), moveTimeoutReply(c))
}

// moveTimeoutReply is what BLMOVE and BRPOPLPUSH answer when nothing comes:
// a null array after waiting, but a null bulk string inside MULTI, where
// they do not wait (Redis answers each case differently).
func moveTimeoutReply(c *Call) resp.Value {
	if c.InTransaction() {
		return resp.NilValue()
	}
	return resp.NilArrayValue()
}

func cmdBLMove(c *Call) resp.Value {
	from, ok1 := parseWhere(c.Args[3])
	to, ok2 := parseWhere(c.Args[4])
	if !ok1 || !ok2 {
		return errSyntax
	}
	return blockingMove(c, c.Args[1], c.Args[2], from, to, c.Args[5])
}

func cmdBRPopLPush(c *Call) resp.Value {
	return blockingMove(c, c.Args[1], c.Args[2], false, true, c.Args[3])
}

func cmdBLMPop(c *Call) resp.Value {
	timeout, errv, ok := ParseTimeout(c.Args[1])
	if !ok {
		return errv
	}
	m, errv, ok := parseMPop(c.Args, 2)
	if !ok {
		return errv
	}
	return c.block(m.keys, timeout, blockTry(func(tx *Tx, skipWrong bool) (resp.Value, bool) {
		return tx.listMPop(m, skipWrong)
	}), resp.NilArrayValue())
}
