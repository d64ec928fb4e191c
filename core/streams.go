package core

import (
	"math"

	"github.com/redlite/redlite/core/resp"
)

// Stream commands: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XSETID. Consumer
// groups are in streams_groups.go, XREAD/XREADGROUP in streams_read.go,
// XINFO in streams_info.go, storage in streams_store.go.

func init() {
	const g = "stream"
	register(
		&Command{Name: "xadd", Arity: -5, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Appends a new message to a stream. Creates the key if it doesn't exist.", Since: "5.0.0",
			Complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
			Run:        cmdXAdd},
		&Command{Name: "xlen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g, Exec: ExecRead,
			Summary: "Return the number of messages in a stream.", Since: "5.0.0", Complexity: "O(1)", Run: cmdXLen},
		&Command{Name: "xrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the messages from a stream within a range of IDs.", Since: "5.0.0",
			Complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
			Run:        func(c *Call) resp.Value { return xrange(c, false) }},
		&Command{Name: "xrevrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the messages from a stream within a range of IDs in reverse order.", Since: "5.0.0",
			Complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
			Run:        func(c *Call) resp.Value { return xrange(c, true) }},
		&Command{Name: "xdel", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the number of messages after removing them from a stream.", Since: "5.0.0",
			Complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.", Run: cmdXDel},
		&Command{Name: "xtrim", Arity: -4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Deletes messages from the beginning of a stream.", Since: "5.0.0",
			Complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
			Run:        cmdXTrim},
		&Command{Name: "xsetid", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "An internal command for replicating stream values.", Since: "5.0.0", Complexity: "O(1)", Run: cmdXSetID},
	)
}

// addTrimArgs is what XADD and XTRIM parse before their key.
type addTrimArgs struct {
	trimArgs
	noMkStream bool
	id         parsedID
	idGiven    bool
}

// parseAddTrim parses XADD's or XTRIM's options from argument 2 on, in
// Redis' order and with its errors. For XADD it stops at the ID and
// returns its position.
func parseAddTrim(c *Call, xadd bool) (a addTrimArgs, pos int, errv resp.Value, ok bool) {
	argv := c.Args
	limitGiven := false
	i := 2
loop:
	for ; i < len(argv); i++ {
		more := len(argv) - 1 - i
		opt := argv[i]
		switch {
		case xadd && string(opt) == "*":
			break loop
		case (eqFold(opt, "MAXLEN") || eqFold(opt, "MINID")) && more > 0:
			if a.strategy != trimNone {
				return a, 0, resp.Err("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"), false
			}
			a.approx = false
			next := string(argv[i+1])
			if more >= 2 && next == "~" {
				a.approx = true
				i++
			} else if more >= 2 && next == "=" {
				i++
			}
			if eqFold(opt, "MAXLEN") {
				n, ok := ParseInt(argv[i+1])
				if !ok {
					return a, 0, errNotInt, false
				}
				if n < 0 {
					return a, 0, resp.Err("ERR The MAXLEN argument must be >= 0."), false
				}
				a.maxLen, a.strategy = n, trimMaxLen
			} else {
				id, errv, ok := parseID(argv[i+1], true, 0)
				if !ok {
					return a, 0, errv, false
				}
				a.minID, a.strategy = id, trimMinID
			}
			i++
		case eqFold(opt, "LIMIT") && more > 0:
			n, ok := ParseInt(argv[i+1])
			if !ok {
				return a, 0, errNotInt, false
			}
			if n < 0 {
				return a, 0, resp.Err("ERR The LIMIT argument must be >= 0."), false
			}
			a.limit, limitGiven = n, true
			i++
		case xadd && eqFold(opt, "NOMKSTREAM"):
			a.noMkStream = true
		case xadd:
			p, ok := parseStreamID(opt, true, 0, true)
			if !ok {
				return a, 0, errInvalidStreamID, false
			}
			a.id, a.idGiven = p, true
			break loop
		default:
			return a, 0, errSyntax, false
		}
	}
	if a.limit != 0 && a.strategy == trimNone {
		return a, 0, resp.Err("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"), false
	}
	if !xadd && a.strategy == trimNone {
		return a, 0, resp.Err("ERR syntax error, XTRIM must be called with a trimming strategy"), false
	}
	if limitGiven {
		if !a.approx {
			return a, 0, resp.Err("ERR syntax error, LIMIT cannot be used without the special ~ option"), false
		}
	} else if a.approx {
		// Redis bounds the work of an approximate trim by default.
		_, maxEntries := c.nodeLimits()
		a.limit = 100 * maxEntries
		if a.limit <= 0 || a.limit > 10000 {
			a.limit = 10000
		}
	} else {
		a.limit = 0
	}
	return a, i, resp.Value{}, true
}

const streamListpackMax = 1 << 30

func cmdXAdd(c *Call) resp.Value {
	a, pos, errv, ok := parseAddTrim(c, true)
	if !ok {
		return errv
	}
	fieldPos := pos + 1
	if n := len(c.Args) - fieldPos; n < 2 || n%2 == 1 {
		return WrongArgs("xadd")
	}
	if a.idGiven && a.id.seqGiven && a.id.id.isZero() {
		return resp.Err("ERR The ID specified in XADD must be greater than 0-0")
	}
	fv := c.Args[fieldPos:]
	var totLen int64
	for _, f := range fv {
		totLen += int64(len(f))
	}
	if totLen > streamListpackMax {
		return resp.Err("ERR Elements are too large to be stored")
	}
	key := c.Args[1]
	m, wrong := c.streamWrite(key)
	if wrong {
		return errWrongType
	}
	if m == nil {
		if a.noMkStream {
			return resp.NilValue()
		}
		// A new stream's last ID is 0-0 and any ID but 0-0 (refused
		// above) follows it: nothing below can fail for it.
		m = c.createStream(key)
	}
	if m.last == maxStreamID {
		return resp.Err("ERR The stream has exhausted the last possible ID, unable to add more items")
	}
	id, errv, ok := nextStreamID(m.last, a.id, a.idGiven, uint64(c.Now))
	if !ok {
		return errv
	}
	c.appendEntry(m, id, fv, totLen)
	c.notify(notifyStream, "xadd", key)
	if a.strategy != trimNone && c.trim(m, a.trimArgs) > 0 {
		c.notify(notifyStream, "xtrim", key)
	}
	c.save(m)
	return id.reply()
}

var errXAddIDTooSmall = resp.Err("ERR The ID specified in XADD is equal or smaller than the target stream top item")

// nextStreamID picks the ID of a new entry: the given one, the next
// sequence of a given millisecond ("<ms>-*"), or one from the clock. It
// fails when the ID would not be greater than the stream's last ID.
func nextStreamID(last streamID, p parsedID, given bool, now uint64) (streamID, resp.Value, bool) {
	var id streamID
	switch {
	case given && p.seqGiven:
		id = p.id
	case given:
		if last.ms == p.id.ms {
			if last.seq == math.MaxUint64 {
				// Redis 7.0 reports this case with the wrong text; kept
				// for compatibility.
				return id, resp.Err("ERR Elements are too large to be stored"), false
			}
			id = streamID{last.ms, last.seq + 1}
		} else {
			id = p.id
		}
	case now > last.ms:
		id = streamID{now, 0}
	default:
		var ok bool
		if id, ok = last.incr(); !ok {
			return id, errXAddIDTooSmall, false
		}
	}
	if id.cmp(last) <= 0 {
		return id, errXAddIDTooSmall, false
	}
	return id, resp.Value{}, true
}

func cmdXLen(c *Call) resp.Value { return cardinality(c, TypeStream) }

func xrange(c *Call, rev bool) resp.Value {
	startArg, endArg := c.Args[2], c.Args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, errv, ok := parseRangeStart(startArg)
	if !ok {
		return errv
	}
	end, errv, ok := parseRangeEnd(endArg)
	if !ok {
		return errv
	}
	count := int64(-1)
	for j := 4; j < len(c.Args); j++ {
		if eqFold(c.Args[j], "COUNT") && j+1 < len(c.Args) {
			n, ok := ParseInt(c.Args[j+1])
			if !ok {
				return errNotInt
			}
			count = max(n, 0)
			j++
			continue
		}
		return errSyntax
	}
	m, wrong := c.streamRead(c.Args[1])
	if wrong {
		return errWrongType
	}
	if m == nil {
		return resp.ArrayValue([]resp.Value{})
	}
	if count == 0 {
		return resp.NilArrayValue()
	}
	return entriesReply(c.rangeEntries(m.k.ID, start, end, max(count, 0), rev))
}

func cmdXDel(c *Call) resp.Value {
	key := c.Args[1]
	m, wrong := c.streamWrite(key)
	if wrong {
		return errWrongType
	}
	if m == nil {
		return resp.IntValue(0)
	}
	ids := make([]streamID, 0, len(c.Args)-2)
	for _, a := range c.Args[2:] {
		id, errv, ok := parseID(a, true, 0)
		if !ok {
			return errv
		}
		ids = append(ids, id)
	}
	var deleted int64
	for _, id := range ids {
		if c.deleteEntry(m, id) {
			if id.cmp(m.maxDel) > 0 {
				m.maxDel = id
			}
			deleted++
		}
	}
	if deleted > 0 {
		c.save(m)
		c.notify(notifyStream, "xdel", key)
	}
	return resp.IntValue(deleted)
}

func cmdXTrim(c *Call) resp.Value {
	a, _, errv, ok := parseAddTrim(c, false)
	if !ok {
		return errv
	}
	key := c.Args[1]
	m, wrong := c.streamWrite(key)
	if wrong {
		return errWrongType
	}
	if m == nil {
		return resp.IntValue(0)
	}
	deleted := c.trim(m, a.trimArgs)
	if deleted > 0 {
		c.save(m)
		c.notify(notifyStream, "xtrim", key)
	}
	return resp.IntValue(deleted)
}

func cmdXSetID(c *Call) resp.Value {
	id, errv, ok := parseID(c.Args[2], true, 0)
	if !ok {
		return errv
	}
	entriesAdded := int64(-1)
	var maxDel streamID
	for i := 3; i < len(c.Args); i += 2 {
		more := i+1 < len(c.Args)
		switch {
		case eqFold(c.Args[i], "ENTRIESADDED") && more:
			n, ok := ParseInt(c.Args[i+1])
			if !ok {
				return errNotInt
			}
			if n < 0 {
				return resp.Err("ERR entries_added must be positive")
			}
			entriesAdded = n
		case eqFold(c.Args[i], "MAXDELETEDID") && more:
			d, errv, ok := parseID(c.Args[i+1], true, 0)
			if !ok {
				return errv
			}
			if id.cmp(d) < 0 {
				return resp.Err("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
			}
			maxDel = d
		default:
			return errSyntax
		}
	}
	key := c.Args[1]
	m, wrong := c.streamWrite(key)
	if wrong {
		return errWrongType
	}
	if m == nil {
		return errNoSuchKey
	}
	if m.length > 0 {
		if id.cmp(c.lastValidID(m)) < 0 {
			return resp.Err("ERR The ID specified in XSETID is smaller than the target stream top item")
		}
		if entriesAdded != -1 && m.length > entriesAdded {
			return resp.Err("ERR The entries_added specified in XSETID is smaller than the target stream length")
		}
	}
	m.last = id
	if entriesAdded != -1 {
		m.added = entriesAdded
	}
	if !maxDel.isZero() {
		m.maxDel = maxDel
	}
	c.saveMeta(m)
	c.notify(notifyStream, "xsetid", key)
	return resp.OK()
}
