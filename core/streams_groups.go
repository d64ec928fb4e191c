package core

import (
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// Consumer groups: XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, and the
// group state XREADGROUP and XINFO use.

func init() {
	const g = "stream"
	register(
		&Command{Name: "xgroup", Arity: -2, Group: g, Summary: "A container for consumer groups commands.",
			Since: "5.0.0", Complexity: "Depends on subcommand.",
			Subcommands: map[string]*Command{
				"create": {Arity: -5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: 2,
					Summary: "Creates a consumer group.", Since: "5.0.0", Complexity: "O(1)", Run: cmdXGroupCreate},
				"setid": {Arity: -5, Flags: FlagWrite, FirstKey: 2, LastKey: 2,
					Summary: "Sets the last-delivered ID of a consumer group.", Since: "5.0.0", Complexity: "O(1)",
					Run: cmdXGroupSetID},
				"destroy": {Arity: 4, Flags: FlagWrite, FirstKey: 2, LastKey: 2,
					Summary: "Destroys a consumer group.", Since: "5.0.0",
					Complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
					Run:        cmdXGroupDestroy},
				"createconsumer": {Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: 2,
					Summary: "Creates a consumer in a consumer group.", Since: "6.2.0", Complexity: "O(1)",
					Run: cmdXGroupCreateConsumer},
				"delconsumer": {Arity: 5, Flags: FlagWrite, FirstKey: 2, LastKey: 2,
					Summary: "Deletes a consumer from a consumer group.", Since: "5.0.0", Complexity: "O(1)",
					Run: cmdXGroupDelConsumer},
				"help": {Arity: 2, Flags: FlagLoading | FlagStale,
					Summary: "Returns helpful text about the different subcommands.", Since: "5.0.0", Complexity: "O(1)",
					Run: cmdXGroupHelp},
			}},
		&Command{Name: "xack", Arity: -4, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.",
			Since:   "5.0.0", Complexity: "O(1) for each message ID processed.", Run: cmdXAck},
		&Command{Name: "xpending", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the information and entries from a stream consumer group's pending entries list.",
			Since:   "5.0.0",
			Complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). " +
				"O(M), where M is the total number of entries scanned when used with the IDLE filter. " +
				"When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
			Note: "The summary form counts the pending entries: O(N) in the size of the group's PEL.",
			Run:  cmdXPending},
		&Command{Name: "xclaim", Arity: -6, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.",
			Since:   "5.0.0", Complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
			Run: cmdXClaim},
		&Command{Name: "xautoclaim", Arity: -6, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.",
			Since:   "6.2.0", Complexity: "O(1) if COUNT is small.", Run: cmdXAutoClaim},
	)
}

// streamGroup is a consumer group's row.
type streamGroup struct {
	name        []byte
	last        streamID
	entriesRead int64 // -1 when unknown
}

const invalidEntriesRead = -1

func (tx *Tx) getGroup(keyID int64, name []byte) (*streamGroup, bool) {
	g := &streamGroup{name: name}
	found := tx.queryRow(`SELECT last_ms, last_seq, entries_read FROM stream_groups WHERE key_id = ? AND name = ?`,
		args(keyID, name), func(r *rows) {
			g.last = scanStreamID(r, 0)
			g.entriesRead = invalidEntriesRead
			if !r.isNull(2) {
				g.entriesRead = r.int(2)
			}
		})
	if !found {
		return nil, false
	}
	return g, true
}

func entriesReadArg(n int64) any {
	if n == invalidEntriesRead {
		return nil
	}
	return n
}

func (tx *Tx) saveGroup(keyID int64, g *streamGroup) {
	tx.exec(`UPDATE stream_groups SET last_ms = ?, last_seq = ?, entries_read = ? WHERE key_id = ? AND name = ?`,
		g.last.sqlMS(), g.last.sqlSeq(), entriesReadArg(g.entriesRead), keyID, g.name)
}

// consumerExists looks a consumer up; refresh updates its seen time, as
// Redis does when a consumer reads or claims.
func (tx *Tx) consumerExists(keyID int64, grp, name []byte, refresh bool) bool {
	if refresh {
		n, _ := tx.exec(`UPDATE stream_consumers SET seen_time = ? WHERE key_id = ? AND grp = ? AND name = ?`,
			tx.Now, keyID, grp, name)
		return n > 0
	}
	return tx.queryRow(`SELECT 1 FROM stream_consumers WHERE key_id = ? AND grp = ? AND name = ?`,
		args(keyID, grp, name), nil)
}

// createConsumer adds a consumer unless it exists; it reports whether it
// was created, and sends xgroup-createconsumer when it was.
func (tx *Tx) createConsumer(m *streamMeta, grp, name []byte) bool {
	n, _ := tx.exec(`INSERT INTO stream_consumers(key_id, grp, name, seen_time) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.k.ID, grp, name, tx.Now)
	if n > 0 {
		tx.notify(notifyStream, "xgroup-createconsumer", m.key)
	}
	return n > 0
}

// touchConsumer finds the consumer (refreshing its seen time) or creates it.
func (tx *Tx) touchConsumer(m *streamMeta, grp, name []byte) {
	if !tx.consumerExists(m.k.ID, grp, name, true) {
		tx.createConsumer(m, grp, name)
	}
}

// rangeHasTombstones reports whether an entry deleted by XDEL may lie at
// or after start (Redis' streamRangeHasTombstones with an open end).
func (tx *Tx) rangeHasTombstones(m *streamMeta, first, start streamID) bool {
	if m.length == 0 || m.maxDel.isZero() {
		return false
	}
	if first.cmp(m.maxDel) > 0 {
		return false
	}
	return start.cmp(m.maxDel) <= 0
}

// estimateEntriesRead is how many entries were added up to id, when it can
// be known (Redis' streamEstimateDistanceFromFirstEverEntry); -1 otherwise.
func (tx *Tx) estimateEntriesRead(m *streamMeta, first, id streamID) int64 {
	if m.added == 0 {
		return 0
	}
	if m.length == 0 && id.cmp(m.last) < 1 {
		return m.added
	}
	switch c := id.cmp(m.last); {
	case c == 0:
		return m.added
	case c > 0:
		return invalidEntriesRead
	}
	if m.maxDel.isZero() || m.maxDel.cmp(first) < 0 {
		switch id.cmp(first) {
		case -1:
			return m.added - m.length
		case 0:
			return m.added - m.length + 1
		}
	}
	return invalidEntriesRead
}

// groupLag is XINFO's lag of a group: entries added but not yet read, when
// it can be known.
func (tx *Tx) groupLag(m *streamMeta, first streamID, g *streamGroup) (int64, bool) {
	if m.added == 0 {
		return 0, true
	}
	if g.entriesRead != invalidEntriesRead && !tx.rangeHasTombstones(m, first, g.last) {
		return m.added - g.entriesRead, true
	}
	if n := tx.estimateEntriesRead(m, first, g.last); n != invalidEntriesRead {
		return m.added - n, true
	}
	return 0, false
}

// deliver hands entries es (read from the stream, in order) to a consumer
// of group g (XREADGROUP ">"): the group's last ID and read counter move on
// and, unless noack, each entry enters the PEL owned by the consumer.
func (tx *Tx) deliver(m *streamMeta, g *streamGroup, consumer []byte, es []streamEntry, noack bool) []streamEntry {
	if len(es) == 0 {
		return es
	}
	// The first entry's ID is read only if a tombstone or an unknown
	// counter needs it.
	var first streamID
	haveFirst := false
	firstID := func() streamID {
		if !haveFirst {
			first, haveFirst = tx.firstID(m), true
		}
		return first
	}
	for _, e := range es {
		if e.id.cmp(g.last) > 0 {
			if g.entriesRead != invalidEntriesRead && (m.maxDel.isZero() || !tx.rangeHasTombstones(m, firstID(), e.id)) {
				g.entriesRead++
			} else if m.added != 0 {
				g.entriesRead = tx.estimateEntriesRead(m, firstID(), e.id)
			}
			g.last = e.id
		}
		if !noack {
			tx.exec(`INSERT INTO stream_pel(key_id, grp, ms, seq, consumer, delivery_time, delivery_count) VALUES(?, ?, ?, ?, ?, ?, 1)
				ON CONFLICT(key_id, grp, ms, seq) DO UPDATE SET consumer = excluded.consumer,
				delivery_time = excluded.delivery_time, delivery_count = 1`,
				m.k.ID, g.name, e.id.sqlMS(), e.id.sqlSeq(), consumer, tx.Now)
		}
	}
	tx.saveGroup(m.k.ID, g)
	return es
}

// history replays a consumer's pending entries from start on (XREADGROUP
// with an ID): each is delivered again; an entry deleted since comes back
// as [id, nil].
func (tx *Tx) history(m *streamMeta, grp, consumer []byte, start streamID, count int64) resp.Value {
	limit := count
	if limit <= 0 {
		limit = -1
	}
	var ids []streamID
	tx.query(`SELECT ms, seq FROM stream_pel WHERE key_id = ? AND grp = ? AND consumer = ? AND (ms, seq) >= (?, ?)
		ORDER BY ms, seq LIMIT ?`, args(m.k.ID, grp, consumer, start.sqlMS(), start.sqlSeq(), limit), func(r *rows) bool {
		ids = append(ids, scanStreamID(r, 0))
		return true
	})
	out := make([]resp.Value, 0, len(ids))
	for _, id := range ids {
		e, ok := tx.getEntry(m.k.ID, id)
		if !ok {
			out = append(out, resp.ArrayValue([]resp.Value{id.reply(), resp.NilArrayValue()}))
			continue
		}
		tx.exec(`UPDATE stream_pel SET delivery_time = ?, delivery_count = delivery_count + 1
			WHERE key_id = ? AND grp = ? AND ms = ? AND seq = ?`, tx.Now, m.k.ID, grp, id.sqlMS(), id.sqlSeq())
		out = append(out, e.reply())
	}
	return resp.ArrayValue(out)
}

func errNoGroupFor(key, group []byte) resp.Value {
	return resp.Err("NOGROUP No such key '" + string(key) + "' or consumer group '" + string(group) + "'")
}

// xgroupTarget is the common start of the XGROUP subcommands: the stream
// must exist (unless mkstream) and, for some, the group too.
func xgroupTarget(c *Call, needGroup, mkstream bool) (m *streamMeta, g *streamGroup, errv resp.Value, ok bool) {
	key, grp := c.Args[2], c.Args[3]
	m, wrong := c.streamWrite(key)
	if wrong {
		return nil, nil, errWrongType, false
	}
	if mkstream {
		return m, nil, resp.Value{}, true
	}
	if m == nil {
		return nil, nil, resp.Err("ERR The XGROUP subcommand requires the key to exist. " +
			"Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."), false
	}
	g, found := c.getGroup(m.k.ID, grp)
	if !found && needGroup {
		return nil, nil, resp.Err("NOGROUP No such consumer group '" + string(grp) + "' for key name '" + string(key) + "'"), false
	}
	return m, g, resp.Value{}, true
}

func parseEntriesRead(b []byte) (int64, resp.Value, bool) {
	n, ok := ParseInt(b)
	if !ok {
		return 0, errNotInt, false
	}
	if n < 0 && n != invalidEntriesRead {
		return 0, resp.Err("ERR value for ENTRIESREAD must be positive or -1"), false
	}
	return n, resp.Value{}, true
}

// xgroupSyntax is Redis' answer to bad XGROUP arguments; it names the
// subcommand as typed.
func xgroupSyntax(c *Call) resp.Value {
	return resp.Err("ERR unknown subcommand or wrong number of arguments for '" + truncate(string(c.Args[1]), 128) + "'. Try XGROUP HELP.")
}

func cmdXGroupCreate(c *Call) resp.Value {
	mkstream := false
	entriesRead := int64(invalidEntriesRead)
	for i := 5; i < len(c.Args); {
		switch {
		case eqFold(c.Args[i], "MKSTREAM"):
			mkstream = true
			i++
		case eqFold(c.Args[i], "ENTRIESREAD") && i+1 < len(c.Args):
			n, errv, ok := parseEntriesRead(c.Args[i+1])
			if !ok {
				return errv
			}
			entriesRead = n
			i += 2
		default:
			return xgroupSyntax(c)
		}
	}
	m, _, errv, ok := xgroupTarget(c, false, mkstream)
	if !ok {
		return errv
	}
	if len(c.Args) > 8 {
		return xgroupSyntax(c)
	}
	var id streamID
	if string(c.Args[4]) == "$" {
		if m != nil {
			id = m.last
		}
	} else if id, errv, ok = parseID(c.Args[4], true, 0); !ok {
		return errv
	}
	key, grp := c.Args[2], c.Args[3]
	if m == nil {
		m = c.createStream(key)
		c.save(m)
	} else if _, exists := c.getGroup(m.k.ID, grp); exists {
		return resp.Err("BUSYGROUP Consumer Group name already exists")
	}
	c.exec(`INSERT INTO stream_groups(key_id, name, last_ms, last_seq, entries_read) VALUES(?, ?, ?, ?, ?)`,
		m.k.ID, grp, id.sqlMS(), id.sqlSeq(), entriesReadArg(entriesRead))
	c.notify(notifyStream, "xgroup-create", key)
	return resp.OK()
}

func cmdXGroupSetID(c *Call) resp.Value {
	m, g, errv, ok := xgroupTarget(c, true, false)
	if !ok {
		return errv
	}
	if len(c.Args) != 5 && len(c.Args) != 7 {
		return xgroupSyntax(c)
	}
	var id streamID
	if string(c.Args[4]) == "$" {
		id = m.last
	} else if id, errv, ok = parseID(c.Args[4], false, 0); !ok {
		return errv
	}
	entriesRead := int64(invalidEntriesRead)
	if len(c.Args) == 7 {
		if !eqFold(c.Args[5], "ENTRIESREAD") {
			return xgroupSyntax(c)
		}
		if entriesRead, errv, ok = parseEntriesRead(c.Args[6]); !ok {
			return errv
		}
	}
	g.last, g.entriesRead = id, entriesRead
	c.saveGroup(m.k.ID, g)
	c.notify(notifyStream, "xgroup-setid", c.Args[2])
	return resp.OK()
}

func cmdXGroupDestroy(c *Call) resp.Value {
	m, g, errv, ok := xgroupTarget(c, false, false)
	if !ok {
		return errv
	}
	if g == nil {
		return resp.IntValue(0)
	}
	grp := c.Args[3]
	c.exec(`DELETE FROM stream_groups WHERE key_id = ? AND name = ?`, m.k.ID, grp)
	c.exec(`DELETE FROM stream_consumers WHERE key_id = ? AND grp = ?`, m.k.ID, grp)
	c.exec(`DELETE FROM stream_pel WHERE key_id = ? AND grp = ?`, m.k.ID, grp)
	// Clients blocked in XREADGROUP on this group are woken to get NOGROUP.
	c.keyReady(m.key)
	c.notify(notifyStream, "xgroup-destroy", c.Args[2])
	return resp.IntValue(1)
}

func cmdXGroupCreateConsumer(c *Call) resp.Value {
	m, _, errv, ok := xgroupTarget(c, true, false)
	if !ok {
		return errv
	}
	return resp.BoolInt(c.createConsumer(m, c.Args[3], c.Args[4]))
}

func cmdXGroupDelConsumer(c *Call) resp.Value {
	m, _, errv, ok := xgroupTarget(c, true, false)
	if !ok {
		return errv
	}
	grp, name := c.Args[3], c.Args[4]
	if !c.consumerExists(m.k.ID, grp, name, false) {
		return resp.IntValue(0)
	}
	pending, _ := c.exec(`DELETE FROM stream_pel WHERE key_id = ? AND grp = ? AND consumer = ?`, m.k.ID, grp, name)
	c.exec(`DELETE FROM stream_consumers WHERE key_id = ? AND grp = ? AND name = ?`, m.k.ID, grp, name)
	c.notify(notifyStream, "xgroup-delconsumer", c.Args[2])
	return resp.IntValue(pending)
}

func cmdXGroupHelp(c *Call) resp.Value {
	return helpReply("XGROUP", []string{
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
	})
}

// groupFor finds the stream and group a command names, or answers NOGROUP.
func groupFor(c *Call, write bool) (m *streamMeta, g *streamGroup, errv resp.Value, ok bool) {
	key, grp := c.Args[1], c.Args[2]
	var wrong bool
	if write {
		m, wrong = c.streamWrite(key)
	} else {
		m, wrong = c.streamRead(key)
	}
	if wrong {
		return nil, nil, errWrongType, false
	}
	if m != nil {
		g, _ = c.getGroup(m.k.ID, grp)
	}
	if m == nil || g == nil {
		return nil, nil, errNoGroupFor(key, grp), false
	}
	return m, g, resp.Value{}, true
}

func cmdXAck(c *Call) resp.Value {
	key, grp := c.Args[1], c.Args[2]
	m, wrong := c.streamWrite(key)
	if wrong {
		return errWrongType
	}
	if m == nil {
		return resp.IntValue(0)
	}
	if _, ok := c.getGroup(m.k.ID, grp); !ok {
		return resp.IntValue(0)
	}
	ids := make([]streamID, 0, len(c.Args)-3)
	for _, a := range c.Args[3:] {
		id, errv, ok := parseID(a, true, 0)
		if !ok {
			return errv
		}
		ids = append(ids, id)
	}
	var acked int64
	for _, id := range ids {
		n, _ := c.exec(`DELETE FROM stream_pel WHERE key_id = ? AND grp = ? AND ms = ? AND seq = ?`,
			m.k.ID, grp, id.sqlMS(), id.sqlSeq())
		acked += n
	}
	return resp.IntValue(acked)
}

func cmdXPending(c *Call) resp.Value {
	argc := len(c.Args)
	if argc != 3 && (argc < 6 || argc > 9) {
		return errSyntax
	}
	var start, end streamID
	var count, minIdle int64
	var consumer []byte
	if argc >= 6 {
		si := 3
		if eqFold(c.Args[3], "IDLE") {
			n, ok := ParseInt(c.Args[4])
			if !ok {
				return errNotInt
			}
			minIdle = n
			if argc < 8 {
				return errSyntax
			}
			si += 2
		}
		n, ok := ParseInt(c.Args[si+2])
		if !ok {
			return errNotInt
		}
		count = max(n, 0)
		var errv resp.Value
		if start, errv, ok = parseRangeStart(c.Args[si]); !ok {
			return errv
		}
		if end, errv, ok = parseRangeEnd(c.Args[si+1]); !ok {
			return errv
		}
		if si+3 < argc {
			consumer = c.Args[si+3]
		}
	}
	m, g, errv, ok := groupFor(c, false)
	if !ok {
		return errv
	}
	if argc == 3 {
		return xpendingSummary(c, m, g)
	}
	if consumer != nil && !c.consumerExists(m.k.ID, g.name, consumer, false) {
		return resp.ArrayValue([]resp.Value{})
	}
	q := `SELECT ms, seq, consumer, delivery_time, delivery_count FROM stream_pel
		WHERE key_id = ? AND grp = ? AND (ms, seq) >= (?, ?) AND (ms, seq) <= (?, ?) ORDER BY ms, seq`
	qargs := args(m.k.ID, g.name, start.sqlMS(), start.sqlSeq(), end.sqlMS(), end.sqlSeq())
	if consumer != nil {
		q = `SELECT ms, seq, consumer, delivery_time, delivery_count FROM stream_pel
			WHERE key_id = ? AND grp = ? AND consumer = ? AND (ms, seq) >= (?, ?) AND (ms, seq) <= (?, ?) ORDER BY ms, seq`
		qargs = args(m.k.ID, g.name, consumer, start.sqlMS(), start.sqlSeq(), end.sqlMS(), end.sqlSeq())
	}
	out := []resp.Value{}
	if count > 0 && start.cmp(end) <= 0 {
		c.query(q, qargs, func(r *rows) bool {
			idle := c.Now - r.int(3)
			if minIdle != 0 && idle < minIdle {
				return true
			}
			out = append(out, resp.ArrayValue([]resp.Value{
				scanStreamID(r, 0).reply(), resp.BulkValue(r.bytes(2)), resp.IntValue(max(idle, 0)), resp.IntValue(r.int(4)),
			}))
			return int64(len(out)) < count
		})
	}
	return resp.ArrayValue(out)
}

func xpendingSummary(c *Call, m *streamMeta, g *streamGroup) resp.Value {
	var total int64
	var lo, hi streamID
	c.queryRow(`SELECT count(*) FROM stream_pel WHERE key_id = ? AND grp = ?`, args(m.k.ID, g.name),
		func(r *rows) { total = r.int(0) })
	if total == 0 {
		return resp.ArrayValue([]resp.Value{resp.IntValue(0), resp.NilValue(), resp.NilValue(), resp.NilArrayValue()})
	}
	c.queryRow(`SELECT ms, seq FROM stream_pel WHERE key_id = ? AND grp = ? ORDER BY ms, seq LIMIT 1`,
		args(m.k.ID, g.name), func(r *rows) { lo = scanStreamID(r, 0) })
	c.queryRow(`SELECT ms, seq FROM stream_pel WHERE key_id = ? AND grp = ? ORDER BY ms DESC, seq DESC LIMIT 1`,
		args(m.k.ID, g.name), func(r *rows) { hi = scanStreamID(r, 0) })
	consumers := []resp.Value{}
	c.query(`SELECT consumer, count(*) FROM stream_pel WHERE key_id = ? AND grp = ? GROUP BY consumer ORDER BY consumer`,
		args(m.k.ID, g.name), func(r *rows) bool {
			consumers = append(consumers, resp.ArrayValue([]resp.Value{
				resp.BulkValue(r.bytes(0)), resp.BulkString(strconv.FormatInt(r.int(1), 10)),
			}))
			return true
		})
	return resp.ArrayValue([]resp.Value{resp.IntValue(total), lo.reply(), hi.reply(), resp.ArrayValue(consumers)})
}

// claimOpts are XCLAIM's options.
type claimOpts struct {
	deliveryTime int64 // -1: now
	retryCount   int64 // -1: increment
	force        bool
	justID       bool
	lastID       streamID
}

func cmdXClaim(c *Call) resp.Value {
	m, g, errv, ok := groupFor(c, true)
	if !ok {
		return errv
	}
	minIdle, ok := ParseInt(c.Args[4])
	if !ok {
		return resp.Err("ERR Invalid min-idle-time argument for XCLAIM")
	}
	minIdle = max(minIdle, 0)
	var ids []streamID
	j := 5
	for ; j < len(c.Args); j++ {
		p, ok := parseStreamID(c.Args[j], true, 0, false)
		if !ok {
			break
		}
		ids = append(ids, p.id)
	}
	o := claimOpts{deliveryTime: -1, retryCount: -1}
	for ; j < len(c.Args); j++ {
		more := j+1 < len(c.Args)
		opt := c.Args[j]
		switch {
		case eqFold(opt, "FORCE"):
			o.force = true
		case eqFold(opt, "JUSTID"):
			o.justID = true
		case eqFold(opt, "IDLE") && more:
			j++
			n, ok := ParseInt(c.Args[j])
			if !ok {
				return resp.Err("ERR Invalid IDLE option argument for XCLAIM")
			}
			o.deliveryTime = c.Now - n
		case eqFold(opt, "TIME") && more:
			j++
			n, ok := ParseInt(c.Args[j])
			if !ok {
				return resp.Err("ERR Invalid TIME option argument for XCLAIM")
			}
			o.deliveryTime = n
		case eqFold(opt, "RETRYCOUNT") && more:
			j++
			n, ok := ParseInt(c.Args[j])
			if !ok {
				return resp.Err("ERR Invalid RETRYCOUNT option argument for XCLAIM")
			}
			o.retryCount = n
		case eqFold(opt, "LASTID") && more:
			j++
			id, errv, ok := parseID(c.Args[j], true, 0)
			if !ok {
				return errv
			}
			o.lastID = id
		default:
			return resp.Err("ERR Unrecognized XCLAIM option '" + string(opt) + "'")
		}
	}
	if o.deliveryTime < 0 || o.deliveryTime > c.Now {
		// A bogus time (a client's clock ahead of ours) means now.
		o.deliveryTime = c.Now
	}
	if o.lastID.cmp(g.last) > 0 {
		g.last = o.lastID
		c.saveGroup(m.k.ID, g)
	}
	consumer := c.Args[3]
	out := []resp.Value{}
	consumerSeen := false
	for _, id := range ids {
		_, deliveryTime, found := c.pelGet(m.k.ID, g.name, id)
		if !c.entryExists(m.k.ID, id) {
			// The entry is gone: it leaves the PEL too.
			if found {
				c.pelDelete(m.k.ID, g.name, id)
			}
			continue
		}
		deliveries := "delivery_count"
		if !found {
			if !o.force {
				continue
			}
			// FORCE creates the pending entry, as delivered once now.
			c.exec(`INSERT INTO stream_pel(key_id, grp, ms, seq, consumer, delivery_time, delivery_count) VALUES(?, ?, ?, ?, ?, ?, 1)`,
				m.k.ID, g.name, id.sqlMS(), id.sqlSeq(), consumer, c.Now)
		} else if minIdle > 0 && c.Now-deliveryTime < minIdle {
			continue
		}
		if !consumerSeen {
			c.touchConsumer(m, g.name, consumer)
			consumerSeen = true
		}
		switch {
		case o.retryCount >= 0:
			deliveries = strconv.FormatInt(o.retryCount, 10)
		case !o.justID:
			deliveries = "delivery_count + 1"
		}
		c.exec(`UPDATE stream_pel SET consumer = ?, delivery_time = ?, delivery_count = `+deliveries+`
			WHERE key_id = ? AND grp = ? AND ms = ? AND seq = ?`, consumer, o.deliveryTime, m.k.ID, g.name, id.sqlMS(), id.sqlSeq())
		if o.justID {
			out = append(out, id.reply())
		} else {
			e, _ := c.getEntry(m.k.ID, id)
			out = append(out, e.reply())
		}
	}
	return resp.ArrayValue(out)
}

// pelGet reads a pending entry's owner and delivery time.
func (tx *Tx) pelGet(keyID int64, grp []byte, id streamID) (consumer []byte, deliveryTime int64, found bool) {
	found = tx.queryRow(`SELECT consumer, delivery_time FROM stream_pel WHERE key_id = ? AND grp = ? AND ms = ? AND seq = ?`,
		args(keyID, grp, id.sqlMS(), id.sqlSeq()), func(r *rows) { consumer, deliveryTime = r.bytes(0), r.int(1) })
	return consumer, deliveryTime, found
}

func (tx *Tx) pelDelete(keyID int64, grp []byte, id streamID) {
	tx.exec(`DELETE FROM stream_pel WHERE key_id = ? AND grp = ? AND ms = ? AND seq = ?`, keyID, grp, id.sqlMS(), id.sqlSeq())
}

func cmdXAutoClaim(c *Call) resp.Value {
	minIdle, ok := ParseInt(c.Args[4])
	if !ok {
		return resp.Err("ERR Invalid min-idle-time argument for XAUTOCLAIM")
	}
	minIdle = max(minIdle, 0)
	start, errv, ok := parseRangeStart(c.Args[5])
	if !ok {
		return errv
	}
	count := int64(100)
	justID := false
	const maxCount = (1<<63 - 1) / 16
	for j := 6; j < len(c.Args); j++ {
		more := j+1 < len(c.Args)
		switch {
		case eqFold(c.Args[j], "COUNT") && more:
			n, ok := ParseInt(c.Args[j+1])
			if !ok || n < 1 || n > maxCount {
				return resp.Err("ERR COUNT must be > 0")
			}
			count = n
			j++
		case eqFold(c.Args[j], "JUSTID"):
			justID = true
		default:
			return errSyntax
		}
	}
	m, g, errv, ok := groupFor(c, true)
	if !ok {
		return errv
	}
	consumer := c.Args[3]
	attempts := count * 10
	claimed := []resp.Value{}
	deleted := []resp.Value{}
	consumerSeen := false
	cursor, last := start, streamID{}
	exhausted := false
	// The PEL is read in batches, as the loop writes to it.
	for count > 0 && attempts > 0 && !exhausted {
		type pending struct {
			id           streamID
			deliveryTime int64
		}
		var batch []pending
		c.query(`SELECT ms, seq, delivery_time FROM stream_pel WHERE key_id = ? AND grp = ? AND (ms, seq) >= (?, ?)
			ORDER BY ms, seq LIMIT ?`, args(m.k.ID, g.name, cursor.sqlMS(), cursor.sqlSeq(), min(attempts, 256)),
			func(r *rows) bool {
				batch = append(batch, pending{scanStreamID(r, 0), r.int(2)})
				return true
			})
		if len(batch) == 0 || c.err != nil {
			exhausted = true
			break
		}
		for _, p := range batch {
			if count == 0 || attempts == 0 {
				break
			}
			attempts--
			last = p.id
			if !c.entryExists(m.k.ID, p.id) {
				c.pelDelete(m.k.ID, g.name, p.id)
				deleted = append(deleted, p.id.reply())
				count--
				continue
			}
			if minIdle > 0 && c.Now-p.deliveryTime < minIdle {
				continue
			}
			if !consumerSeen {
				c.touchConsumer(m, g.name, consumer)
				consumerSeen = true
			}
			bump := " + 1"
			if justID {
				bump = ""
			}
			c.exec(`UPDATE stream_pel SET consumer = ?, delivery_time = ?, delivery_count = delivery_count`+bump+`
				WHERE key_id = ? AND grp = ? AND ms = ? AND seq = ?`, consumer, c.Now, m.k.ID, g.name, p.id.sqlMS(), p.id.sqlSeq())
			if justID {
				claimed = append(claimed, p.id.reply())
			} else {
				e, _ := c.getEntry(m.k.ID, p.id)
				claimed = append(claimed, e.reply())
			}
			count--
		}
		var ok bool
		if cursor, ok = last.incr(); !ok {
			exhausted = true
		}
	}
	// The cursor for the next call: the pending entry after the last one
	// looked at, or 0-0 when the scan reached the end.
	var next streamID
	if !exhausted {
		c.queryRow(`SELECT ms, seq FROM stream_pel WHERE key_id = ? AND grp = ? AND (ms, seq) > (?, ?) ORDER BY ms, seq LIMIT 1`,
			args(m.k.ID, g.name, last.sqlMS(), last.sqlSeq()), func(r *rows) { next = scanStreamID(r, 0) })
	}
	return resp.ArrayValue([]resp.Value{next.reply(), resp.ArrayValue(claimed), resp.ArrayValue(deleted)})
}
