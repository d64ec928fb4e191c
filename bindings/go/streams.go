package redlite

import (
	"context"
	"strconv"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Stream commands.

// XMessage is a stream entry.
type XMessage struct {
	ID     string
	Values map[string]any
}

// XStream is the entries read from one stream.
type XStream struct {
	Stream   string
	Messages []XMessage
}

// XAddArgs are XADD's options. ID defaults to "*" (a new id). Values are
// field/value pairs as for HSet: a flat list, a []string, or a map.
// MaxLen or MinID trim the stream (approximately with Approx, at most
// Limit entries per call with Limit).
type XAddArgs struct {
	Stream     string
	NoMkStream bool
	MaxLen     int64
	MinID      string
	Approx     bool
	Limit      int64
	ID         string
	Values     any
}

func (a argv) trim(maxLen int64, minID string, approx bool, limit int64) argv {
	switch {
	case maxLen > 0:
		a = a.s("maxlen")
	case minID != "":
		a = a.s("minid")
	default:
		return a
	}
	if approx {
		a = a.s("~")
	}
	if maxLen > 0 {
		a = a.i(maxLen)
	} else {
		a = a.s(minID)
	}
	if limit > 0 {
		a = a.s("limit").i(limit)
	}
	return a
}

// XAdd appends an entry and returns its id (Nil with NoMkStream when the
// stream does not exist).
func (c cmds) XAdd(ctx context.Context, a *XAddArgs) (string, error) {
	args := newArgv("xadd", 10).s(a.Stream)
	if a.NoMkStream {
		args = args.s("nomkstream")
	}
	args = args.trim(a.MaxLen, a.MinID, a.Approx, a.Limit)
	id := a.ID
	if id == "" {
		id = "*"
	}
	args = args.s(id)
	var err error
	switch v := a.Values.(type) {
	case []any:
		args, err = args.pairs(v)
	default:
		args, err = args.pairs([]any{v})
	}
	if err != nil {
		return "", err
	}
	return toString(c.run(ctx, args))
}

// XDel deletes entries and returns how many existed.
func (c cmds) XDel(ctx context.Context, stream string, ids ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xdel", 1+len(ids)).s(stream).s(ids...)))
}

// XLen returns the number of entries.
func (c cmds) XLen(ctx context.Context, stream string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xlen", 1).s(stream)))
}

// XRange returns the entries with ids from start to stop ("-" and "+" for
// the ends, "(" for exclusive).
func (c cmds) XRange(ctx context.Context, stream, start, stop string) ([]XMessage, error) {
	return toXMessages(c.run(ctx, newArgv("xrange", 3).s(stream, start, stop)))
}

// XRangeN is XRange returning at most count entries.
func (c cmds) XRangeN(ctx context.Context, stream, start, stop string, count int64) ([]XMessage, error) {
	return toXMessages(c.run(ctx, newArgv("xrange", 5).s(stream, start, stop, "count").i(count)))
}

// XRevRange is XRange in reverse order, from start (the high id) down to
// stop.
func (c cmds) XRevRange(ctx context.Context, stream, start, stop string) ([]XMessage, error) {
	return toXMessages(c.run(ctx, newArgv("xrevrange", 3).s(stream, start, stop)))
}

// XRevRangeN is XRevRange returning at most count entries.
func (c cmds) XRevRangeN(ctx context.Context, stream, start, stop string, count int64) ([]XMessage, error) {
	return toXMessages(c.run(ctx, newArgv("xrevrange", 5).s(stream, start, stop, "count").i(count)))
}

// XTrimMaxLen trims the stream to its maxLen newest entries and returns how
// many it removed.
func (c cmds) XTrimMaxLen(ctx context.Context, key string, maxLen int64) (int64, error) {
	return toInt(c.run(ctx, newArgv("xtrim", 3).s(key, "maxlen").i(maxLen)))
}

// XTrimMaxLenApprox is XTrimMaxLen with "~" (and LIMIT when limit > 0).
func (c cmds) XTrimMaxLenApprox(ctx context.Context, key string, maxLen, limit int64) (int64, error) {
	a := newArgv("xtrim", 6).s(key, "maxlen", "~").i(maxLen)
	if limit > 0 {
		a = a.s("limit").i(limit)
	}
	return toInt(c.run(ctx, a))
}

// XTrimMinID removes the entries with ids lower than minID.
func (c cmds) XTrimMinID(ctx context.Context, key string, minID string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xtrim", 3).s(key, "minid", minID)))
}

// XTrimMinIDApprox is XTrimMinID with "~" (and LIMIT when limit > 0).
func (c cmds) XTrimMinIDApprox(ctx context.Context, key string, minID string, limit int64) (int64, error) {
	a := newArgv("xtrim", 6).s(key, "minid", "~", minID)
	if limit > 0 {
		a = a.s("limit").i(limit)
	}
	return toInt(c.run(ctx, a))
}

// XReadArgs are XREAD's arguments. Streams lists the stream keys and then
// one id per key ("$" for new entries only). As in go-redis, Block is
// sent whenever it is >= 0, so the zero value blocks until an entry
// arrives (or ctx ends); set it to -1 not to block.
type XReadArgs struct {
	Streams []string
	Count   int64
	Block   time.Duration
}

// XRead reads entries after the given ids from one or more streams; Nil
// when a blocking read timed out.
func (c cmds) XRead(ctx context.Context, a *XReadArgs) ([]XStream, error) {
	args := newArgv("xread", 5+len(a.Streams))
	if a.Count > 0 {
		args = args.s("count").i(a.Count)
	}
	if a.Block >= 0 {
		args = args.s("block").i(a.Block.Milliseconds())
	}
	args = args.s("streams").s(a.Streams...)
	if a.Block >= 0 {
		return toXStreams(c.block(ctx, args))
	}
	return toXStreams(c.run(ctx, args))
}

// XReadStreams is XRead of streams (keys then ids) without blocking.
func (c cmds) XReadStreams(ctx context.Context, streams ...string) ([]XStream, error) {
	return c.XRead(ctx, &XReadArgs{Streams: streams, Block: -1})
}

// XGroupCreate creates a consumer group reading from start ("$" for new
// entries, "0" for all).
func (c cmds) XGroupCreate(ctx context.Context, stream, group, start string) error {
	return toStatus(c.run(ctx, newArgv("xgroup", 4).s("create", stream, group, start)))
}

// XGroupCreateMkStream is XGroupCreate creating the stream if needed.
func (c cmds) XGroupCreateMkStream(ctx context.Context, stream, group, start string) error {
	return toStatus(c.run(ctx, newArgv("xgroup", 5).s("create", stream, group, start, "mkstream")))
}

// XGroupSetID moves the group's last delivered id.
func (c cmds) XGroupSetID(ctx context.Context, stream, group, start string) error {
	return toStatus(c.run(ctx, newArgv("xgroup", 4).s("setid", stream, group, start)))
}

// XGroupDestroy deletes a group and returns 1 if it existed.
func (c cmds) XGroupDestroy(ctx context.Context, stream, group string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xgroup", 3).s("destroy", stream, group)))
}

// XGroupCreateConsumer creates a consumer and returns 1 if it was new.
func (c cmds) XGroupCreateConsumer(ctx context.Context, stream, group, consumer string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xgroup", 4).s("createconsumer", stream, group, consumer)))
}

// XGroupDelConsumer deletes a consumer and returns how many pending entries
// it had.
func (c cmds) XGroupDelConsumer(ctx context.Context, stream, group, consumer string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xgroup", 4).s("delconsumer", stream, group, consumer)))
}

// XReadGroupArgs are XREADGROUP's arguments; Streams and Block as in
// XReadArgs (">" as an id reads new entries).
type XReadGroupArgs struct {
	Group    string
	Consumer string
	Streams  []string
	Count    int64
	Block    time.Duration
	NoAck    bool
}

// XReadGroup reads entries as consumer of group; Nil when a blocking read
// timed out.
func (c cmds) XReadGroup(ctx context.Context, a *XReadGroupArgs) ([]XStream, error) {
	args := newArgv("xreadgroup", 9+len(a.Streams)).s("group", a.Group, a.Consumer)
	if a.Count > 0 {
		args = args.s("count").i(a.Count)
	}
	if a.Block >= 0 {
		args = args.s("block").i(a.Block.Milliseconds())
	}
	if a.NoAck {
		args = args.s("noack")
	}
	args = args.s("streams").s(a.Streams...)
	if a.Block >= 0 {
		return toXStreams(c.block(ctx, args))
	}
	return toXStreams(c.run(ctx, args))
}

// XAck acknowledges entries of group and returns how many were pending.
func (c cmds) XAck(ctx context.Context, stream, group string, ids ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("xack", 2+len(ids)).s(stream, group).s(ids...)))
}

// XPending is the summary of a group's pending entries.
type XPending struct {
	Count     int64
	Lower     string
	Higher    string
	Consumers map[string]int64
}

// XPending returns the summary of group's pending entries.
func (c cmds) XPending(ctx context.Context, stream, group string) (*XPending, error) {
	v, err := c.run(ctx, newArgv("xpending", 2).s(stream, group))
	if err != nil {
		return nil, err
	}
	if len(v.Elems) != 4 {
		return nil, unexpected(v)
	}
	p := &XPending{Count: v.Elems[0].Int, Lower: string(v.Elems[1].Str), Higher: string(v.Elems[2].Str),
		Consumers: map[string]int64{}}
	for _, cv := range v.Elems[3].Elems {
		if len(cv.Elems) != 2 {
			return nil, unexpected(cv)
		}
		n, err := strconv.ParseInt(string(cv.Elems[1].Str), 10, 64)
		if err != nil {
			return nil, err
		}
		p.Consumers[string(cv.Elems[0].Str)] = n
	}
	return p, nil
}

// XPendingExtArgs select pending entries: ids from Start to End, at most
// Count, idle at least Idle (when > 0), of Consumer (when set).
type XPendingExtArgs struct {
	Stream   string
	Group    string
	Idle     time.Duration
	Start    string
	End      string
	Count    int64
	Consumer string
}

// XPendingExt is one pending entry.
type XPendingExt struct {
	ID         string
	Consumer   string
	Idle       time.Duration
	RetryCount int64
}

// XPendingExt returns the pending entries a selects.
func (c cmds) XPendingExt(ctx context.Context, a *XPendingExtArgs) ([]XPendingExt, error) {
	args := newArgv("xpending", 8).s(a.Stream, a.Group)
	if a.Idle > 0 {
		args = args.s("idle").i(a.Idle.Milliseconds())
	}
	args = args.s(a.Start, a.End).i(a.Count)
	if a.Consumer != "" {
		args = args.s(a.Consumer)
	}
	v, err := c.run(ctx, args)
	if err != nil {
		return nil, err
	}
	out := make([]XPendingExt, 0, len(v.Elems))
	for _, e := range v.Elems {
		if len(e.Elems) != 4 {
			return nil, unexpected(e)
		}
		out = append(out, XPendingExt{ID: string(e.Elems[0].Str), Consumer: string(e.Elems[1].Str),
			Idle: time.Duration(e.Elems[2].Int) * time.Millisecond, RetryCount: e.Elems[3].Int})
	}
	return out, nil
}

// XClaimArgs transfer pending entries idle at least MinIdle to Consumer.
type XClaimArgs struct {
	Stream   string
	Group    string
	Consumer string
	MinIdle  time.Duration
	Messages []string
}

func (a *XClaimArgs) argv() argv {
	return newArgv("xclaim", 5+len(a.Messages)).s(a.Stream, a.Group, a.Consumer).
		i(a.MinIdle.Milliseconds()).s(a.Messages...)
}

// XClaim claims pending entries and returns them.
func (c cmds) XClaim(ctx context.Context, a *XClaimArgs) ([]XMessage, error) {
	return toXMessages(c.run(ctx, a.argv()))
}

// XClaimJustID is XClaim returning the claimed ids only.
func (c cmds) XClaimJustID(ctx context.Context, a *XClaimArgs) ([]string, error) {
	return toStrings(c.run(ctx, a.argv().s("justid")))
}

// XAutoClaimArgs scan pending entries from Start and claim those idle at
// least MinIdle for Consumer, at most Count (when > 0).
type XAutoClaimArgs struct {
	Stream   string
	Group    string
	MinIdle  time.Duration
	Start    string
	Count    int64
	Consumer string
}

func (a *XAutoClaimArgs) argv(justID bool) argv {
	args := newArgv("xautoclaim", 8).s(a.Stream, a.Group, a.Consumer).i(a.MinIdle.Milliseconds()).s(a.Start)
	if a.Count > 0 {
		args = args.s("count").i(a.Count)
	}
	if justID {
		args = args.s("justid")
	}
	return args
}

// XAutoClaim claims idle pending entries and returns them with the id the
// next call should start from ("0-0" when the scan is complete).
func (c cmds) XAutoClaim(ctx context.Context, a *XAutoClaimArgs) ([]XMessage, string, error) {
	v, err := c.run(ctx, a.argv(false))
	if err != nil {
		return nil, "", err
	}
	if len(v.Elems) < 2 {
		return nil, "", unexpected(v)
	}
	msgs, err := toXMessages(v.Elems[1], nil)
	return msgs, string(v.Elems[0].Str), err
}

// XAutoClaimJustID is XAutoClaim returning the claimed ids only.
func (c cmds) XAutoClaimJustID(ctx context.Context, a *XAutoClaimArgs) ([]string, string, error) {
	v, err := c.run(ctx, a.argv(true))
	if err != nil {
		return nil, "", err
	}
	if len(v.Elems) < 2 {
		return nil, "", unexpected(v)
	}
	ids, err := stringsOf(v.Elems[1])
	return ids, string(v.Elems[0].Str), err
}

// XInfoStream is XINFO STREAM's summary.
type XInfoStream struct {
	Length               int64
	RadixTreeKeys        int64
	RadixTreeNodes       int64
	Groups               int64
	LastGeneratedID      string
	MaxDeletedEntryID    string
	EntriesAdded         int64
	FirstEntry           XMessage
	LastEntry            XMessage
	RecordedFirstEntryID string
}

// XInfoStream describes the stream at key.
func (c cmds) XInfoStream(ctx context.Context, key string) (*XInfoStream, error) {
	v, err := c.run(ctx, newArgv("xinfo", 2).s("stream", key))
	if err != nil {
		return nil, err
	}
	info := &XInfoStream{}
	err = eachField(v, func(name string, f resp.Value) error {
		var err error
		switch name {
		case "length":
			info.Length = f.Int
		case "radix-tree-keys":
			info.RadixTreeKeys = f.Int
		case "radix-tree-nodes":
			info.RadixTreeNodes = f.Int
		case "groups":
			info.Groups = f.Int
		case "last-generated-id":
			info.LastGeneratedID = string(f.Str)
		case "max-deleted-entry-id":
			info.MaxDeletedEntryID = string(f.Str)
		case "entries-added":
			info.EntriesAdded = f.Int
		case "recorded-first-entry-id":
			info.RecordedFirstEntryID = string(f.Str)
		case "first-entry":
			info.FirstEntry, err = xMessageOf(f)
		case "last-entry":
			info.LastEntry, err = xMessageOf(f)
		}
		return err
	})
	return info, err
}

// XInfoGroup describes a consumer group.
type XInfoGroup struct {
	Name            string
	Consumers       int64
	Pending         int64
	LastDeliveredID string
	EntriesRead     int64
	Lag             int64
}

// XInfoGroups describes the groups of the stream at key.
func (c cmds) XInfoGroups(ctx context.Context, key string) ([]XInfoGroup, error) {
	v, err := c.run(ctx, newArgv("xinfo", 2).s("groups", key))
	return fieldMaps(v, err, func(g *XInfoGroup, name string, f resp.Value) {
		switch name {
		case "name":
			g.Name = string(f.Str)
		case "consumers":
			g.Consumers = f.Int
		case "pending":
			g.Pending = f.Int
		case "last-delivered-id":
			g.LastDeliveredID = string(f.Str)
		case "entries-read":
			g.EntriesRead = f.Int
		case "lag":
			g.Lag = f.Int
		}
	})
}

// XInfoConsumer describes a consumer of a group.
type XInfoConsumer struct {
	Name    string
	Pending int64
	Idle    time.Duration
}

// XInfoConsumers describes the consumers of group.
func (c cmds) XInfoConsumers(ctx context.Context, key, group string) ([]XInfoConsumer, error) {
	v, err := c.run(ctx, newArgv("xinfo", 3).s("consumers", key, group))
	return fieldMaps(v, err, func(cs *XInfoConsumer, name string, f resp.Value) {
		switch name {
		case "name":
			cs.Name = string(f.Str)
		case "pending":
			cs.Pending = f.Int
		case "idle":
			cs.Idle = time.Duration(f.Int) * time.Millisecond
		}
	})
}

// fieldMaps reads an array of field maps (XINFO GROUPS, XINFO CONSUMERS)
// into one T each, set storing one field.
func fieldMaps[T any](v resp.Value, err error, set func(t *T, name string, f resp.Value)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]T, len(v.Elems))
	for i, e := range v.Elems {
		err := eachField(e, func(name string, f resp.Value) error {
			set(&out[i], name, f)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eachField calls fn for each name/value pair of a map reply (or its RESP2
// flat array).
func eachField(v resp.Value, fn func(name string, f resp.Value) error) error {
	if v.Kind != resp.Map && v.Kind != resp.Array {
		return unexpected(v)
	}
	for i := 0; i+1 < len(v.Elems); i += 2 {
		if err := fn(string(v.Elems[i].Str), v.Elems[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// xMessageOf reads [id, [field, value...]]; a nil entry (XCLAIM of a
// deleted entry, an empty stream's first-entry) is an XMessage with no
// values.
func xMessageOf(v resp.Value) (XMessage, error) {
	if isNil(v) {
		return XMessage{}, nil
	}
	if v.Kind != resp.Array || len(v.Elems) != 2 {
		return XMessage{}, unexpected(v)
	}
	m := XMessage{ID: string(v.Elems[0].Str)}
	fields := v.Elems[1].Elems
	if !isNil(v.Elems[1]) {
		m.Values = make(map[string]any, len(fields)/2)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		m.Values[string(fields[i].Str)] = string(fields[i+1].Str)
	}
	return m, nil
}

func toXMessages(v resp.Value, err error) ([]XMessage, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	out := make([]XMessage, 0, len(v.Elems))
	for _, e := range v.Elems {
		m, err := xMessageOf(e)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// toXStreams reads XREAD/XREADGROUP replies: a map of stream to entries in
// RESP3, an array of [stream, entries] pairs in RESP2.
func toXStreams(v resp.Value, err error) ([]XStream, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	flat := v.Elems
	if v.Kind != resp.Map {
		flat = pairsOf(v)
	}
	out := make([]XStream, 0, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		msgs, err := toXMessages(flat[i+1], nil)
		if err != nil {
			return nil, err
		}
		out = append(out, XStream{Stream: string(flat[i].Str), Messages: msgs})
	}
	return out, nil
}

// XSetID sets the stream's last generated id.
func (c cmds) XSetID(ctx context.Context, stream, id string) error {
	return toStatus(c.run(ctx, newArgv("xsetid", 2).s(stream, id)))
}
