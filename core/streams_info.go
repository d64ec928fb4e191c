package core

import (
	"github.com/redlite/redlite/core/resp"
)

// XINFO STREAM / GROUPS / CONSUMERS / HELP.

func init() {
	register(&Command{Name: "xinfo", Arity: -2, Group: "stream", Summary: "A container for stream introspection commands.",
		Since: "5.0.0", Complexity: "Depends on subcommand.",
		Subcommands: map[string]*Command{
			"stream": {Arity: -3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2,
				Summary: "Returns information about a stream.", Since: "5.0.0", Complexity: "O(1)",
				Note: "FULL reads up to COUNT entries and pending entries of each group and consumer.",
				Run:  cmdXInfoStream},
			"groups": {Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2,
				Summary: "Returns a list of the consumer groups of a stream.", Since: "5.0.0", Complexity: "O(1)",
				Note: "Counts each group's consumers and pending entries.", Run: cmdXInfoGroups},
			"consumers": {Arity: 4, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2,
				Summary: "Returns a list of the consumers in a consumer group.", Since: "5.0.0", Complexity: "O(1)",
				Note: "Counts each consumer's pending entries.", Run: cmdXInfoConsumers},
			"help": {Arity: 2, Flags: FlagLoading | FlagStale,
				Summary: "Returns helpful text about the different subcommands.", Since: "5.0.0", Complexity: "O(1)",
				Run: cmdXInfoHelp},
		}})
}

// xinfoStream finds the stream XINFO names, or answers as Redis does.
func xinfoStream(c *Call) (*streamMeta, resp.Value, bool) {
	m, wrong := c.streamRead(c.Args[2])
	if wrong {
		return nil, errWrongType, false
	}
	if m == nil {
		return nil, errNoSuchKey, false
	}
	return m, resp.Value{}, true
}

func kv(name string, v resp.Value) []resp.Value { return []resp.Value{resp.BulkString(name), v} }

func cmdXInfoStream(c *Call) resp.Value {
	m, errv, ok := xinfoStream(c)
	if !ok {
		return errv
	}
	full := false
	count := int64(10)
	if len(c.Args) > 3 {
		syntax := resp.Err("ERR unknown subcommand or wrong number of arguments for '" + truncate(string(c.Args[1]), 128) + "'. Try XINFO HELP.")
		if !eqFold(c.Args[3], "FULL") {
			return syntax
		}
		full = true
		switch len(c.Args) {
		case 4:
		case 6:
			if !eqFold(c.Args[4], "COUNT") {
				return syntax
			}
			n, ok := ParseInt(c.Args[5])
			if !ok {
				return errNotInt
			}
			if n < 0 {
				n = 10
			}
			count = n
		default:
			return syntax
		}
	}
	keys, nodes := c.raxNodes(m.k.ID)
	first := c.firstID(m)
	var out []resp.Value
	out = append(out, kv("length", resp.IntValue(m.length))...)
	out = append(out, kv("radix-tree-keys", resp.IntValue(keys))...)
	out = append(out, kv("radix-tree-nodes", resp.IntValue(nodes))...)
	out = append(out, kv("last-generated-id", m.last.reply())...)
	out = append(out, kv("max-deleted-entry-id", m.maxDel.reply())...)
	out = append(out, kv("entries-added", resp.IntValue(m.added))...)
	out = append(out, kv("recorded-first-entry-id", first.reply())...)
	if !full {
		var ngroups int64
		ngroups = c.queryInt(`SELECT count(*) FROM stream_groups WHERE key_id = ?`, 0, m.k.ID)
		out = append(out, kv("groups", resp.IntValue(ngroups))...)
		for _, which := range []bool{false, true} {
			name := "first-entry"
			if which {
				name = "last-entry"
			}
			v := resp.NilValue()
			if es := c.rangeEntries(m.k.ID, minStreamID, maxStreamID, 1, which); len(es) > 0 {
				v = es[0].reply()
			}
			out = append(out, kv(name, v)...)
		}
		return resp.MapValue(out)
	}
	out = append(out, kv("entries", entriesReply(c.rangeEntries(m.k.ID, minStreamID, maxStreamID, count, false)))...)
	limit := count
	if limit == 0 {
		limit = -1
	}
	groups := []resp.Value{}
	for _, g := range c.listGroups(m.k.ID) {
		var gv []resp.Value
		gv = append(gv, kv("name", resp.BulkValue(g.name))...)
		gv = append(gv, kv("last-delivered-id", g.last.reply())...)
		gv = append(gv, kv("entries-read", entriesReadReply(g.entriesRead))...)
		gv = append(gv, kv("lag", c.lagReply(m, first, g))...)
		gv = append(gv, kv("pel-count", resp.IntValue(c.queryInt(
			`SELECT count(*) FROM stream_pel WHERE key_id = ? AND grp = ?`, 0, m.k.ID, g.name)))...)
		pel := []resp.Value{}
		c.query(`SELECT ms, seq, consumer, delivery_time, delivery_count FROM stream_pel WHERE key_id = ? AND grp = ?
			ORDER BY ms, seq LIMIT ?`, args(m.k.ID, g.name, limit), func(r *rows) bool {
			pel = append(pel, resp.ArrayValue([]resp.Value{scanStreamID(r, 0).reply(), resp.BulkValue(r.bytes(2)),
				resp.IntValue(r.int(3)), resp.IntValue(r.int(4))}))
			return true
		})
		gv = append(gv, kv("pending", resp.ArrayValue(pel))...)
		consumers := []resp.Value{}
		for _, cs := range c.listConsumers(m.k.ID, g.name) {
			var cv []resp.Value
			cv = append(cv, kv("name", resp.BulkValue(cs.name))...)
			cv = append(cv, kv("seen-time", resp.IntValue(cs.seen))...)
			cv = append(cv, kv("pel-count", resp.IntValue(cs.pending))...)
			cpel := []resp.Value{}
			c.query(`SELECT ms, seq, delivery_time, delivery_count FROM stream_pel WHERE key_id = ? AND grp = ? AND consumer = ?
				ORDER BY ms, seq LIMIT ?`, args(m.k.ID, g.name, cs.name, limit), func(r *rows) bool {
				cpel = append(cpel, resp.ArrayValue([]resp.Value{scanStreamID(r, 0).reply(),
					resp.IntValue(r.int(2)), resp.IntValue(r.int(3))}))
				return true
			})
			cv = append(cv, kv("pending", resp.ArrayValue(cpel))...)
			consumers = append(consumers, resp.MapValue(cv))
		}
		gv = append(gv, kv("consumers", resp.ArrayValue(consumers))...)
		groups = append(groups, resp.MapValue(gv))
	}
	out = append(out, kv("groups", resp.ArrayValue(groups))...)
	return resp.MapValue(out)
}

func entriesReadReply(n int64) resp.Value {
	if n == invalidEntriesRead {
		return resp.NilValue()
	}
	return resp.IntValue(n)
}

func (tx *Tx) lagReply(m *streamMeta, first streamID, g *streamGroup) resp.Value {
	if lag, ok := tx.groupLag(m, first, g); ok {
		return resp.IntValue(lag)
	}
	return resp.NilValue()
}

// listGroups returns a stream's groups in name order (Redis' radix tree order).
func (tx *Tx) listGroups(keyID int64) []*streamGroup {
	var out []*streamGroup
	tx.query(`SELECT name, last_ms, last_seq, entries_read FROM stream_groups WHERE key_id = ? ORDER BY name`, args(keyID),
		func(r *rows) bool {
			g := &streamGroup{name: r.bytes(0), last: scanStreamID(r, 1), entriesRead: invalidEntriesRead}
			if !r.isNull(3) {
				g.entriesRead = r.int(3)
			}
			out = append(out, g)
			return true
		})
	return out
}

type consumerInfo struct {
	name    []byte
	seen    int64
	pending int64
}

// listConsumers returns a group's consumers in name order with their
// pending counts.
func (tx *Tx) listConsumers(keyID int64, grp []byte) []consumerInfo {
	var out []consumerInfo
	tx.query(`SELECT c.name, c.seen_time, (SELECT count(*) FROM stream_pel p
			WHERE p.key_id = c.key_id AND p.grp = c.grp AND p.consumer = c.name)
		FROM stream_consumers c WHERE c.key_id = ? AND c.grp = ? ORDER BY c.name`, args(keyID, grp), func(r *rows) bool {
		out = append(out, consumerInfo{name: r.bytes(0), seen: r.int(1), pending: r.int(2)})
		return true
	})
	return out
}

func cmdXInfoGroups(c *Call) resp.Value {
	m, errv, ok := xinfoStream(c)
	if !ok {
		return errv
	}
	first := c.firstID(m)
	out := []resp.Value{}
	for _, g := range c.listGroups(m.k.ID) {
		var gv []resp.Value
		gv = append(gv, kv("name", resp.BulkValue(g.name))...)
		gv = append(gv, kv("consumers", resp.IntValue(c.queryInt(
			`SELECT count(*) FROM stream_consumers WHERE key_id = ? AND grp = ?`, 0, m.k.ID, g.name)))...)
		gv = append(gv, kv("pending", resp.IntValue(c.queryInt(
			`SELECT count(*) FROM stream_pel WHERE key_id = ? AND grp = ?`, 0, m.k.ID, g.name)))...)
		gv = append(gv, kv("last-delivered-id", g.last.reply())...)
		gv = append(gv, kv("entries-read", entriesReadReply(g.entriesRead))...)
		gv = append(gv, kv("lag", c.lagReply(m, first, g))...)
		out = append(out, resp.MapValue(gv))
	}
	return resp.ArrayValue(out)
}

func cmdXInfoConsumers(c *Call) resp.Value {
	m, errv, ok := xinfoStream(c)
	if !ok {
		return errv
	}
	grp := c.Args[3]
	if _, ok := c.getGroup(m.k.ID, grp); !ok {
		return resp.Err("NOGROUP No such consumer group '" + string(grp) + "' for key name '" + string(c.Args[2]) + "'")
	}
	out := []resp.Value{}
	for _, cs := range c.listConsumers(m.k.ID, grp) {
		var cv []resp.Value
		cv = append(cv, kv("name", resp.BulkValue(cs.name))...)
		cv = append(cv, kv("pending", resp.IntValue(cs.pending))...)
		cv = append(cv, kv("idle", resp.IntValue(max(c.Now-cs.seen, 0)))...)
		out = append(out, resp.MapValue(cv))
	}
	return resp.ArrayValue(out)
}

func cmdXInfoHelp(c *Call) resp.Value {
	return helpReply("XINFO", []string{
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
	})
}
