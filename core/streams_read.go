package core

import (
	"math"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// XREAD and XREADGROUP, with BLOCK served by Call.block: each try runs in a
// write transaction; the first one validates the arguments and resolves
// "$" once, the later ones (after a write to one of the keys) serve the
// first stream that has something new, as Redis serves a blocked client.

func init() {
	const g = "stream"
	register(
		&Command{Name: "xread", Arity: -4, Flags: FlagReadOnly | FlagBlocking, Group: g, Exec: ExecCustom,
			Summary: "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.",
			Since:   "5.0.0",
			Complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). " +
				"On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
			Note: "The special ID + (the last entry of the stream, added in Redis 7.4) is accepted.",
			Run:  func(c *Call) resp.Value { return xread(c, false) }},
		&Command{Name: "xreadgroup", Arity: -7, Flags: FlagWrite | FlagBlocking, Group: g, Exec: ExecCustom,
			Summary: "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.",
			Since:   "5.0.0",
			Complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). " +
				"On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
			Run: func(c *Call) resp.Value { return xread(c, true) }},
	)
}

// xreadReq is a parsed XREAD or XREADGROUP.
type xreadReq struct {
	isGroup         bool
	group, consumer []byte
	noack           bool
	count           int64 // 0: no limit
	timeout         int64 // ms; -1 without BLOCK, 0 forever
	keys, idArgs    [][]byte
	ids             []streamID // resolved by the first try
	newOnly         []bool     // XREADGROUP ">"
	proto           int
}

func parseXRead(c *Call, isGroup bool) (*xreadReq, resp.Value, bool) {
	r := &xreadReq{isGroup: isGroup, timeout: -1, proto: c.S.Proto}
	argv := c.Args
	streamsArg := 0
loop:
	for i := 1; i < len(argv); i++ {
		more := len(argv) - i - 1
		o := argv[i]
		switch {
		case eqFold(o, "BLOCK") && more > 0:
			i++
			n, ok := ParseInt(argv[i])
			if !ok {
				return nil, resp.Err("ERR timeout is not an integer or out of range"), false
			}
			if n < 0 {
				return nil, resp.Err("ERR timeout is negative"), false
			}
			if n > math.MaxInt64/int64(time.Millisecond) {
				n = 0 // beyond any clock: Redis waits forever too
			}
			r.timeout = n
		case eqFold(o, "COUNT") && more > 0:
			i++
			n, ok := ParseInt(argv[i])
			if !ok {
				return nil, errNotInt, false
			}
			r.count = max(n, 0)
		case eqFold(o, "STREAMS") && more > 0:
			streamsArg = i + 1
			n := len(argv) - streamsArg
			if n%2 != 0 {
				// Redis names XREAD and '$' for XREADGROUP too.
				return nil, resp.Err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."), false
			}
			r.keys, r.idArgs = argv[streamsArg:streamsArg+n/2], argv[streamsArg+n/2:]
			break loop
		case eqFold(o, "GROUP") && more >= 2:
			if !isGroup {
				return nil, resp.Err("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."), false
			}
			r.group, r.consumer = argv[i+1], argv[i+2]
			i += 2
		case eqFold(o, "NOACK"):
			if !isGroup {
				return nil, resp.Err("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."), false
			}
			r.noack = true
		default:
			return nil, errSyntax, false
		}
	}
	if streamsArg == 0 {
		return nil, errSyntax, false
	}
	if isGroup && r.group == nil {
		return nil, resp.Err("ERR Missing GROUP option for XREADGROUP"), false
	}
	return r, resp.Value{}, true
}

func xread(c *Call, isGroup bool) resp.Value {
	r, errv, ok := parseXRead(c, isGroup)
	if !ok {
		return errv
	}
	first := true
	try := func(tx *Tx) (resp.Value, bool) {
		if first {
			first = false
			return r.serveFirst(tx)
		}
		return r.serveWoken(tx)
	}
	if r.timeout < 0 {
		run := c.Read
		if isGroup {
			run = c.Write
		}
		return run(func(tx *Tx) resp.Value {
			v, _ := try(tx)
			return v
		})
	}
	return c.block(r.keys, time.Duration(r.timeout)*time.Millisecond, try, resp.NilArrayValue())
}

const errMeaningless = " ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by " +
	"specifying a proper ID, or use the > ID to get new messages. The "

// serveFirst validates every stream and ID, then serves what it can now.
func (r *xreadReq) serveFirst(tx *Tx) (resp.Value, bool) {
	n := len(r.keys)
	r.ids, r.newOnly = make([]streamID, n), make([]bool, n)
	metas := make([]*streamMeta, n)
	groups := make([]*streamGroup, n)
	for i, key := range r.keys {
		m, wrong := tx.streamRead(key)
		if wrong {
			return errWrongType, true
		}
		metas[i] = m
		if r.isGroup {
			if m != nil {
				groups[i], _ = tx.getGroup(m.k.ID, r.group)
			}
			if groups[i] == nil {
				return resp.Err("NOGROUP No such key '" + string(key) + "' or consumer group '" + string(r.group) +
					"' in XREADGROUP with GROUP option"), true
			}
		}
		switch arg := string(r.idArgs[i]); {
		case arg == "$":
			if r.isGroup {
				return resp.Err("ERR The $" + errMeaningless + "$ ID would just return an empty result set."), true
			}
			if m != nil {
				r.ids[i] = m.last
			}
		case arg == ">":
			if !r.isGroup {
				return resp.Err("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."), true
			}
			r.newOnly[i] = true
		case arg == "+" && !r.isGroup:
			// Redis 7.4: the stream's last entry, i.e. everything after the
			// ID just before it.
			if m != nil {
				r.ids[i] = m.last
				if m.length > 0 {
					r.ids[i], _ = tx.lastValidID(m).decr()
				}
			}
		default:
			id, errv, ok := parseID(r.idArgs[i], true, 0)
			if !ok {
				return errv, true
			}
			r.ids[i] = id
			// Redis encodes ">" as the largest ID, so that ID means ">".
			r.newOnly[i] = r.isGroup && id == maxStreamID
		}
	}
	var items []resp.Value
	for i, key := range r.keys {
		m := metas[i]
		if m == nil {
			continue
		}
		gt := r.ids[i]
		// Served when an entry follows the ID (for ">", the group's last
		// ID): reading them tells.
		if !r.isGroup || r.newOnly[i] {
			if r.isGroup {
				gt = groups[i].last
			}
			start, ok := gt.incr()
			if !ok {
				continue
			}
			es := tx.rangeEntries(m.k.ID, start, maxStreamID, r.count, false)
			if len(es) == 0 {
				continue
			}
			if r.isGroup {
				// Redis creates (or refreshes) the consumer only when it serves it.
				tx.touchConsumer(m, groups[i].name, r.consumer)
				es = tx.deliver(m, groups[i], r.consumer, es, r.noack)
			}
			items = append(items, resp.BulkValue(key), entriesReply(es))
			continue
		}
		// History: always answered, from the consumer's pending entries.
		tx.touchConsumer(m, groups[i].name, r.consumer)
		start, _ := gt.incr() // past the last ID: 0-0, as in Redis
		items = append(items, resp.BulkValue(key), tx.history(m, groups[i].name, r.consumer, start, r.count))
	}
	if items == nil {
		return resp.NilArrayValue(), false
	}
	return r.reply(items), true
}

// serveWoken runs after a write to one of the keys: the first stream with
// entries past the client's ID (for a group, past the group's last ID) is
// served.
func (r *xreadReq) serveWoken(tx *Tx) (resp.Value, bool) {
	for i, key := range r.keys {
		m, wrong := tx.streamRead(key)
		if m == nil || wrong {
			if r.isGroup {
				// The stream existed when the consumer blocked.
				return resp.Err("UNBLOCKED the stream key no longer exists"), true
			}
			continue
		}
		gt := r.ids[i]
		var g *streamGroup
		if r.isGroup {
			var ok bool
			if g, ok = tx.getGroup(m.k.ID, r.group); !ok {
				return resp.Err("NOGROUP the consumer group this client was blocked on no longer exists"), true
			}
			gt = g.last
		}
		if m.last.cmp(gt) <= 0 {
			continue
		}
		start, _ := gt.incr()
		var entries []streamEntry
		if r.isGroup {
			tx.touchConsumer(m, g.name, r.consumer)
			entries = tx.deliver(m, g, r.consumer, tx.rangeEntries(m.k.ID, start, maxStreamID, r.count, false), r.noack)
		} else {
			entries = tx.rangeEntries(m.k.ID, start, maxStreamID, r.count, false)
		}
		return r.reply([]resp.Value{resp.BulkValue(key), entriesReply(entries)}), true
	}
	return resp.NilArrayValue(), false
}

// reply shapes [key, entries] pairs: a map in RESP3, an array of pairs in
// RESP2.
func (r *xreadReq) reply(items []resp.Value) resp.Value {
	if r.proto >= 3 {
		return resp.MapValue(items)
	}
	out := make([]resp.Value, 0, len(items)/2)
	for i := 0; i < len(items); i += 2 {
		out = append(out, resp.ArrayValue(items[i:i+2]))
	}
	return resp.ArrayValue(out)
}
