package core

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Pub/sub. Every DB has a hub mapping channels, patterns and shard channels
// to the subscribers of this process. PUBLISH walks the hub and appends the
// message to each subscriber's queue: it never waits for a subscriber. The
// server writes a connection's queue to its socket (core/server), embedded
// callers take messages with Session.NextMessage. A queue that grows past
// client-output-buffer-limit pubsub ends the subscription, as Redis closes
// the connection of a subscriber that cannot keep up; below the limit no
// message is dropped.
//
// Subscribers in other processes on the same file receive messages through
// the pubsub_messages table (see xproc.go).

// Errors NextMessage returns.
var (
	// ErrNotSubscribed: the session has no subscription and no message left.
	ErrNotSubscribed = errors.New("redlite: the session is not subscribed to any channel or pattern")
	// ErrSessionClosed: the session was closed while waiting.
	ErrSessionClosed = errors.New("redlite: the session is closed")
	// ErrSubscriberOverflow: messages arrived faster than they were taken
	// and the queue passed client-output-buffer-limit pubsub; every
	// subscription of the session was dropped, as Redis disconnects such a
	// client. Subscribing again starts afresh.
	ErrSubscriberOverflow = errors.New("redlite: pub/sub queue over client-output-buffer-limit pubsub: subscriptions dropped")
)

// subKind is what a subscription is to: a channel, a pattern, a shard channel.
type subKind uint8

const (
	subChannel subKind = iota
	subPattern
	subShard
)

// Confirmation and message types, per kind.
var (
	subscribeNames   = [...]string{"subscribe", "psubscribe", "ssubscribe"}
	unsubscribeNames = [...]string{"unsubscribe", "punsubscribe", "sunsubscribe"}
)

// Subscriber is a session's pub/sub state: its channels, patterns and shard
// channels, and the messages waiting to be delivered. Its methods are safe
// for concurrent use: a session's NextMessage may wait in one goroutine
// while another runs commands on the session.
type Subscriber struct {
	hub   *pubsubHub
	owner *Session

	total atomic.Int32 // subscriptions of all kinds: read on every command

	mu     sync.Mutex
	subs   [3]map[string]int64 // kind -> name -> subscription order
	seq    int64
	queue  []resp.Value
	head   int
	bytes  int64     // estimated encoded size of queue[head:]
	softAt time.Time // when bytes first went over the soft limit
	over   bool      // dropped for passing the output buffer limit
	closed bool
	ready  chan struct{} // buffered(1): signalled when a message is queued
	done   chan struct{} // closed when the session closes
}

func newSubscriber(h *pubsubHub, owner *Session) *Subscriber {
	return &Subscriber{hub: h, owner: owner, ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// Count is the number of channels, patterns and shard channels subscribed.
func (s *Subscriber) Count() int { return int(s.total.Load()) }

// counts returns the numbers of channels, patterns and shard channels.
func (s *Subscriber) counts() (int, int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs[subChannel]), len(s.subs[subPattern]), len(s.subs[subShard])
}

// countFor is the count a confirmation reports: Redis 7.0 counts channels
// and patterns together, and shard channels apart. mu must be held.
func (s *Subscriber) countFor(kind subKind) int {
	if kind == subShard {
		return len(s.subs[subShard])
	}
	return len(s.subs[subChannel]) + len(s.subs[subPattern])
}

// Ready is signalled (a buffered channel of one) when a message may be
// waiting; the server's delivery goroutine waits on it.
func (s *Subscriber) Ready() <-chan struct{} { return s.ready }

// Done is closed when the session ends.
func (s *Subscriber) Done() <-chan struct{} { return s.done }

func (s *Subscriber) signal() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// Close drops every subscription and pending message (RESET, session end).
func (s *Subscriber) Close() {
	s.hub.dropAll(s)
	s.mu.Lock()
	s.queue, s.head, s.bytes, s.softAt, s.over = nil, 0, 0, time.Time{}, false
	s.mu.Unlock()
}

// end closes the subscriber for good when its session closes.
func (s *Subscriber) end() {
	s.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
}

// Overflowed reports whether the subscriber was dropped for passing the
// output buffer limit: the server then closes the connection.
func (s *Subscriber) Overflowed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.over
}

// Pending reports whether messages are waiting.
func (s *Subscriber) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.head < len(s.queue)
}

// Take removes and returns waiting messages, oldest first, up to about
// maxBytes of encoded output (at least one message); maxBytes <= 0 takes all.
func (s *Subscriber) Take(maxBytes int64) []resp.Value {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.head == len(s.queue) {
		return nil
	}
	end, size := s.head, int64(0)
	for end < len(s.queue) && (maxBytes <= 0 || size < maxBytes) {
		size += msgSize(s.queue[end])
		end++
	}
	out := make([]resp.Value, end-s.head)
	copy(out, s.queue[s.head:end])
	s.consumed(end, size)
	return out
}

// consumed drops queue[:end] (size bytes); mu must be held.
func (s *Subscriber) consumed(end int, size int64) {
	for i := s.head; i < end; i++ {
		s.queue[i] = resp.Value{}
	}
	s.head = end
	s.bytes -= size
	if s.head == len(s.queue) {
		s.queue, s.head, s.bytes = s.queue[:0], 0, 0
		if cap(s.queue) > 1024 {
			s.queue = nil // do not keep a burst's backing array
		}
	}
	if s.softAt != (time.Time{}) && s.bytes <= s.hub.limits().PubSubSoft {
		s.softAt = time.Time{}
	}
}

// push queues a message; mu must be held. It applies the output buffer
// limits and reports false when the subscriber is (now) over them.
func (s *Subscriber) push(v resp.Value, limited bool) bool {
	if s.over || s.closed {
		return false
	}
	size := msgSize(v)
	s.queue = append(s.queue, v)
	s.bytes += size
	if limited {
		lim := s.hub.limits()
		over := lim.PubSubHard > 0 && s.bytes > lim.PubSubHard
		if lim.PubSubSoft > 0 && s.bytes > lim.PubSubSoft {
			now := time.Now()
			if s.softAt == (time.Time{}) {
				s.softAt = now
			} else if now.Sub(s.softAt) > time.Duration(lim.PubSubSoftSeconds)*time.Second {
				over = true
			}
		} else {
			s.softAt = time.Time{}
		}
		if over {
			s.overflow()
		}
	}
	s.signal()
	return !s.over
}

// overflow drops the subscriber's queue and stops deliveries to it. Redis
// closes such a client: a network client is closed now, an embedded one
// gets ErrSubscriberOverflow. mu must be held.
func (s *Subscriber) overflow() {
	if s.over {
		return
	}
	s.over = true
	s.queue, s.head, s.bytes = nil, 0, 0
	if s.owner != nil && s.owner.Info != nil {
		go s.owner.kill()
	}
	s.signal()
}

// msgSize estimates a message's encoded size, as Redis counts output
// buffer bytes.
func msgSize(v resp.Value) int64 {
	n := int64(16 + len(v.Str))
	for _, e := range v.Elems {
		n += msgSize(e)
	}
	return n
}

// pubsubHub is a DB's registry of subscriptions in this process.
type pubsubHub struct {
	db *DB

	mu       sync.RWMutex
	channels map[string]map[*Subscriber]struct{}
	shards   map[string]map[*Subscriber]struct{}
	patterns []*patternSubs // in subscription order, so one client's pmessages come in a stable order
	byPat    map[string]*patternSubs

	listening atomic.Int64 // subscribers with at least one subscription
}

type patternSubs struct {
	pattern []byte
	subs    map[*Subscriber]struct{}
}

func (h *pubsubHub) limits() OutputLimits { return h.db.Config.OutputLimits() }

func newHub(db *DB) *pubsubHub {
	return &pubsubHub{db: db, channels: map[string]map[*Subscriber]struct{}{},
		shards: map[string]map[*Subscriber]struct{}{}, byPat: map[string]*patternSubs{}}
}

func (h *pubsubHub) table(kind subKind) map[string]map[*Subscriber]struct{} {
	if kind == subShard {
		return h.shards
	}
	return h.channels
}

// add registers s on name; h.mu and s.mu must be held.
func (h *pubsubHub) add(s *Subscriber, kind subKind, name string) bool {
	if s.subs[kind] == nil {
		s.subs[kind] = map[string]int64{}
	}
	if _, dup := s.subs[kind][name]; dup {
		return false
	}
	s.seq++
	s.subs[kind][name] = s.seq
	if s.total.Add(1) == 1 {
		h.listenerAdded()
	}
	if kind == subPattern {
		ps := h.byPat[name]
		if ps == nil {
			ps = &patternSubs{pattern: []byte(name), subs: map[*Subscriber]struct{}{}}
			h.byPat[name] = ps
			h.patterns = append(h.patterns, ps)
		}
		ps.subs[s] = struct{}{}
		return true
	}
	t := h.table(kind)
	m := t[name]
	if m == nil {
		m = map[*Subscriber]struct{}{}
		t[name] = m
	}
	m[s] = struct{}{}
	return true
}

// remove unregisters s from name; h.mu and s.mu must be held.
func (h *pubsubHub) remove(s *Subscriber, kind subKind, name string) bool {
	if _, ok := s.subs[kind][name]; !ok {
		return false
	}
	delete(s.subs[kind], name)
	if s.total.Add(-1) == 0 {
		h.listenerRemoved()
	}
	if kind == subPattern {
		ps := h.byPat[name]
		delete(ps.subs, s)
		if len(ps.subs) == 0 {
			delete(h.byPat, name)
			for i, x := range h.patterns {
				if x == ps {
					h.patterns = append(h.patterns[:i:i], h.patterns[i+1:]...)
					break
				}
			}
		}
		return true
	}
	t := h.table(kind)
	delete(t[name], s)
	if len(t[name]) == 0 {
		delete(t, name)
	}
	return true
}

func (h *pubsubHub) listenerAdded() {
	if h.listening.Add(1) == 1 {
		h.db.xp.interestChanged()
	}
}

func (h *pubsubHub) listenerRemoved() {
	if h.listening.Add(-1) == 0 {
		h.db.xp.interestChanged()
	}
}

// dropAll removes every subscription of s.
func (h *pubsubHub) dropAll(s *Subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	for kind := range s.subs {
		for name := range s.subs[kind] {
			h.remove(s, subKind(kind), name)
		}
	}
}

// overflowAll treats every subscriber as over its output buffer limit:
// when messages were lost before they could be delivered, the subscribers
// are dropped (and network clients disconnected) rather than left with a gap.
func (h *pubsubHub) overflowAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	seen := map[*Subscriber]bool{}
	mark := func(subs map[*Subscriber]struct{}) {
		for s := range subs {
			if !seen[s] {
				seen[s] = true
				s.mu.Lock()
				s.overflow()
				s.mu.Unlock()
			}
		}
	}
	for _, subs := range h.channels {
		mark(subs)
	}
	for _, subs := range h.shards {
		mark(subs)
	}
	for _, ps := range h.patterns {
		mark(ps.subs)
	}
}

// confirmation is the reply to (P|S)(UN)SUBSCRIBE for one name (nil when
// unsubscribing from nothing): a push in RESP3, an array in RESP2.
func confirmation(kind string, name []byte, count int) resp.Value {
	n := resp.NilValue()
	if name != nil {
		n = resp.BulkValue(name)
	}
	return resp.Value{Kind: resp.Push, Elems: []resp.Value{resp.BulkString(kind), n, resp.IntValue(int64(count))}}
}

// subscribe registers s on names and returns the confirmation for the
// first; the others are queued ahead of any message, so the server sends
// them right after the reply, in order, and NextMessage returns them first.
func (h *pubsubHub) subscribe(s *Subscriber, kind subKind, names [][]byte) resp.Value {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.over {
		// Subscribing after an overflow starts afresh: the subscriptions
		// that overflowed stay dropped.
		for kind := range s.subs {
			for name := range s.subs[kind] {
				h.remove(s, subKind(kind), name)
			}
		}
		s.over = false
	}
	var first resp.Value
	for i, name := range names {
		h.add(s, kind, string(name))
		conf := confirmation(subscribeNames[kind], append([]byte(nil), name...), s.countFor(kind))
		if i == 0 {
			first = conf
		} else {
			s.push(conf, false)
		}
	}
	return first
}

// subscribe runs (P|S)SUBSCRIBE. The process is registered as a listener
// for other processes' messages before the subscription answers, so a
// message published anywhere after the reply reaches it.
func (c *Call) subscribe(kind subKind) resp.Value {
	db := c.S.store
	return db.xp.whileListening(!c.inTx, func() resp.Value {
		return db.hub.subscribe(c.S.Sub, kind, c.Args[1:])
	})
}

// unsubscribe removes s from names (all of kind when names is empty, in
// subscription order) and returns the first confirmation, queuing the rest.
func (h *pubsubHub) unsubscribe(s *Subscriber, kind subKind, names [][]byte) resp.Value {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(names) == 0 {
		type ordered struct {
			name string
			seq  int64
		}
		all := make([]ordered, 0, len(s.subs[kind]))
		for n, seq := range s.subs[kind] {
			all = append(all, ordered{n, seq})
		}
		sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
		for _, o := range all {
			names = append(names, []byte(o.name))
		}
		if len(names) == 0 {
			return confirmation(unsubscribeNames[kind], nil, s.countFor(kind))
		}
	}
	var first resp.Value
	for i, name := range names {
		h.remove(s, kind, string(name))
		conf := confirmation(unsubscribeNames[kind], append([]byte(nil), name...), s.countFor(kind))
		if i == 0 {
			first = conf
		} else {
			s.push(conf, false)
		}
	}
	return first
}

// publish delivers a message to this process' subscribers and returns how
// many received it (a client subscribed to the channel and to a matching
// pattern counts twice, as in Redis).
func (h *pubsubHub) publish(kind subKind, channel, message []byte) int64 {
	if h.listening.Load() == 0 {
		return 0
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	var n int64
	var ch, msg resp.Value
	shared := func() {
		if ch.Kind != resp.Bulk {
			ch = resp.BulkValue(append([]byte(nil), channel...))
			msg = resp.BulkValue(append([]byte(nil), message...))
		}
	}
	deliver := func(subs map[*Subscriber]struct{}, v resp.Value) {
		for s := range subs {
			s.mu.Lock()
			if s.push(v, true) {
				n++ // a subscriber dropped for its backlog no longer counts
			}
			s.mu.Unlock()
		}
	}
	if kind == subShard {
		if subs := h.shards[string(channel)]; len(subs) > 0 {
			shared()
			deliver(subs, resp.Value{Kind: resp.Push, Elems: []resp.Value{resp.BulkString("smessage"), ch, msg}})
		}
		return n
	}
	if subs := h.channels[string(channel)]; len(subs) > 0 {
		shared()
		deliver(subs, resp.Value{Kind: resp.Push, Elems: []resp.Value{resp.BulkString("message"), ch, msg}})
	}
	for _, ps := range h.patterns {
		if GlobMatch(ps.pattern, channel, false) {
			shared()
			deliver(ps.subs, resp.Value{Kind: resp.Push, Elems: []resp.Value{
				resp.BulkString("pmessage"), resp.BulkValue(ps.pattern), ch, msg}})
		}
	}
	return n
}

// Publish posts message on channel to every subscriber, in this process
// and, when some are listening, in other processes using the same file. It
// returns the number of subscribers in this process that received it (as a
// Redis cluster node counts only its own). It never waits for a subscriber.
func (db *DB) Publish(channel, message []byte) int64 {
	return db.publish(nil, subChannel, channel, message)
}

// publish delivers locally and, if another process listens, records the
// message for it: inside the caller's transaction when c runs in one
// (EXEC), otherwise in a write of its own.
func (db *DB) publish(c *Call, kind subKind, channel, message []byte) int64 {
	n := db.hub.publish(kind, channel, message)
	if !db.xp.remoteListeners() {
		return n
	}
	record := func(tx *Tx) resp.Value {
		db.xp.recordMessage(tx, kind, channel, message)
		return resp.OK()
	}
	if c != nil {
		c.Write(record)
		return n
	}
	if !db.enter() {
		return n
	}
	defer db.leave()
	tx := &Tx{store: db}
	tx.Now = time.Now().UnixMilli()
	db.write(tx, record)
	return n
}

// keyspaceEvent publishes a keyspace notification after its write
// committed (the eventSink for tx.notify).
func (h *pubsubHub) keyspaceEvent(db int, mask uint32, event string, key []byte) {
	for _, m := range keyspaceMessages(db, mask, event, key) {
		h.publish(subChannel, m.channel, m.message)
	}
}

type chanMsg struct{ channel, message []byte }

// keyspaceMessages are the messages a notification becomes:
// __keyspace@<db>__:<key> <event> and __keyevent@<db>__:<event> <key>.
func keyspaceMessages(db int, mask uint32, event string, key []byte) []chanMsg {
	var out []chanMsg
	dbs := strconv.Itoa(db)
	if mask&notifyKeyspace != 0 {
		ch := make([]byte, 0, 16+len(key))
		ch = append(append(append(ch, "__keyspace@"...), dbs...), "__:"...)
		out = append(out, chanMsg{append(ch, key...), []byte(event)})
	}
	if mask&notifyKeyevent != 0 {
		ch := []byte("__keyevent@" + dbs + "__:" + event)
		out = append(out, chanMsg{ch, key})
	}
	return out
}

// NextMessage returns the next message for a subscribed session: a
// subscription confirmation that followed the first of a multi-name
// (UN)SUBSCRIBE, or ["message", channel, payload], ["pmessage", pattern,
// channel, payload], ["smessage", channel, payload] (kind resp.Push). It
// waits up to timeout (negative: without limit) and returns ok=false when
// none came. It fails when the session is not subscribed and has nothing
// left, when the session or the DB closes, and with ErrSubscriberOverflow
// when the queue passed the output buffer limit. It may be called while
// another goroutine runs commands on the session.
func (s *Session) NextMessage(timeout time.Duration) (msg resp.Value, ok bool, err error) {
	return s.NextMessageContext(context.Background(), timeout)
}

// NextMessageContext is NextMessage that also stops waiting when ctx is
// done, answering as on timeout (the C ABI's redlite_conn_interrupt).
func (s *Session) NextMessageContext(ctx context.Context, timeout time.Duration) (msg resp.Value, ok bool, err error) {
	sub := s.Sub
	var timer <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		sub.mu.Lock()
		switch {
		case sub.closed:
			sub.mu.Unlock()
			return resp.Value{}, false, ErrSessionClosed
		case sub.over:
			sub.mu.Unlock()
			return resp.Value{}, false, ErrSubscriberOverflow
		case sub.head < len(sub.queue):
			v := sub.queue[sub.head]
			sub.consumed(sub.head+1, msgSize(v))
			sub.mu.Unlock()
			return v, true, nil
		case sub.total.Load() == 0:
			sub.mu.Unlock()
			return resp.Value{}, false, ErrNotSubscribed
		}
		sub.mu.Unlock()
		select {
		case <-sub.ready:
		case <-sub.done:
		case <-timer:
			return resp.Value{}, false, nil
		case <-ctx.Done():
			return resp.Value{}, false, nil
		case <-s.store.closing:
			return resp.Value{}, false, ErrClosed
		}
	}
}

func init() {
	const g = "pubsub"
	sub := FlagPubSub | FlagNoScript | FlagLoading | FlagStale
	pub := FlagPubSub | FlagLoading | FlagStale | FlagFast
	info := FlagPubSub | FlagLoading | FlagStale
	register(
		&Command{Name: "subscribe", Arity: -2, Flags: sub, Group: g,
			Summary: "Listens for messages published to channels.", Since: "2.0.0",
			Complexity: "O(N) where N is the number of channels to subscribe to.",
			Run:        func(c *Call) resp.Value { return c.subscribe(subChannel) }},
		&Command{Name: "unsubscribe", Arity: -1, Flags: sub, Group: g,
			Summary: "Stops listening to messages posted to channels.", Since: "2.0.0",
			Complexity: "O(N) where N is the number of channels to unsubscribe.",
			Run:        func(c *Call) resp.Value { return c.S.store.hub.unsubscribe(c.S.Sub, subChannel, c.Args[1:]) }},
		&Command{Name: "psubscribe", Arity: -2, Flags: sub, Group: g,
			Summary: "Listens for messages published to channels that match one or more patterns.", Since: "2.0.0",
			Complexity: "O(N) where N is the number of patterns to subscribe to.",
			Run:        func(c *Call) resp.Value { return c.subscribe(subPattern) }},
		&Command{Name: "punsubscribe", Arity: -1, Flags: sub, Group: g,
			Summary: "Stops listening to messages published to channels that match one or more patterns.", Since: "2.0.0",
			Complexity: "O(N) where N is the number of patterns to unsubscribe.",
			Run:        func(c *Call) resp.Value { return c.S.store.hub.unsubscribe(c.S.Sub, subPattern, c.Args[1:]) }},
		&Command{Name: "ssubscribe", Arity: -2, Flags: sub, FirstKey: 1, LastKey: -1, Step: 1, Group: g,
			Summary: "Listens for messages published to shard channels.", Since: "7.0.0",
			Complexity: "O(N) where N is the number of shard channels to subscribe to.",
			Run:        func(c *Call) resp.Value { return c.subscribe(subShard) }},
		&Command{Name: "sunsubscribe", Arity: -1, Flags: sub, FirstKey: 1, LastKey: -1, Step: 1, Group: g,
			Summary: "Stops listening to messages posted to shard channels.", Since: "7.0.0",
			Complexity: "O(N) where N is the number of shard channels to unsubscribe.",
			Run:        func(c *Call) resp.Value { return c.S.store.hub.unsubscribe(c.S.Sub, subShard, c.Args[1:]) }},
		&Command{Name: "publish", Arity: 3, Flags: pub, Group: g,
			Summary: "Posts a message to a channel.", Since: "2.0.0",
			Complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
			Note:       "The reply counts the subscribers of this process; subscribers in other processes on the same file receive the message too.",
			Run: func(c *Call) resp.Value {
				return resp.IntValue(c.S.store.publish(c, subChannel, c.Args[1], c.Args[2]))
			}},
		&Command{Name: "spublish", Arity: 3, Flags: pub, FirstKey: 1, LastKey: 1, Step: 1, Group: g,
			Summary: "Post a message to a shard channel.", Since: "7.0.0",
			Complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
			Note:       "The reply counts the subscribers of this process; subscribers in other processes on the same file receive the message too.",
			Run: func(c *Call) resp.Value {
				return resp.IntValue(c.S.store.publish(c, subShard, c.Args[1], c.Args[2]))
			}},
		&Command{Name: "pubsub", Arity: -2, Group: g, Summary: "A container for Pub/Sub commands.",
			Since: "2.8.0", Complexity: "Depends on subcommand.",
			Subcommands: map[string]*Command{
				"channels": {Arity: -2, Flags: info, Summary: "Returns the active channels.", Since: "2.8.0",
					Complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
					Note:       "Counts the subscribers of this process only.",
					Run:        func(c *Call) resp.Value { return cmdPubsubChannels(c, subChannel) }},
				"numsub": {Arity: -2, Flags: info, Summary: "Returns a count of subscribers to channels.", Since: "2.8.0",
					Complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
					Note:       "Counts the subscribers of this process only.",
					Run:        func(c *Call) resp.Value { return cmdPubsubNumsub(c, subChannel) }},
				"numpat": {Arity: 2, Flags: info, Summary: "Returns a count of unique pattern subscriptions.", Since: "2.8.0",
					Complexity: "O(1)", Note: "Counts the subscribers of this process only.", Run: cmdPubsubNumpat},
				"shardchannels": {Arity: -2, Flags: info, Summary: "Returns the active shard channels.", Since: "7.0.0",
					Complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
					Note:       "Counts the subscribers of this process only.",
					Run:        func(c *Call) resp.Value { return cmdPubsubChannels(c, subShard) }},
				"shardnumsub": {Arity: -2, Flags: info, Summary: "Returns the count of subscribers of shard channels.", Since: "7.0.0",
					Complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
					Note:       "Counts the subscribers of this process only.",
					Run:        func(c *Call) resp.Value { return cmdPubsubNumsub(c, subShard) }},
				"help": {Arity: 2, Flags: FlagLoading | FlagStale, Summary: "Returns helpful text about the different subcommands.",
					Since: "6.2.0", Complexity: "O(1)", Run: cmdPubsubHelp},
			}},
	)
}

// sizes counts the channels, patterns and shard channels with subscribers
// in this process (INFO stats).
func (h *pubsubHub) sizes() (channels, patterns, shards int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.channels), len(h.patterns), len(h.shards)
}

func cmdPubsubChannels(c *Call, kind subKind) resp.Value {
	if len(c.Args) > 3 {
		return resp.Err("ERR unknown subcommand or wrong number of arguments for '" + string(c.Args[1]) + "'. Try PUBSUB HELP.")
	}
	h := c.S.store.hub
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []resp.Value
	for name := range h.table(kind) {
		if len(c.Args) == 3 && !GlobMatch(c.Args[2], []byte(name), false) {
			continue
		}
		out = append(out, resp.BulkString(name))
	}
	sort.Slice(out, func(i, j int) bool { return string(out[i].Str) < string(out[j].Str) })
	return resp.ArrayValue(out)
}

func cmdPubsubNumsub(c *Call, kind subKind) resp.Value {
	h := c.S.store.hub
	h.mu.RLock()
	defer h.mu.RUnlock()
	t := h.table(kind)
	out := make([]resp.Value, 0, 2*(len(c.Args)-2))
	for _, name := range c.Args[2:] {
		out = append(out, resp.BulkValue(name), resp.IntValue(int64(len(t[string(name)]))))
	}
	return resp.ArrayValue(out)
}

func cmdPubsubNumpat(c *Call) resp.Value {
	h := c.S.store.hub
	h.mu.RLock()
	defer h.mu.RUnlock()
	return resp.IntValue(int64(len(h.patterns)))
}

func cmdPubsubHelp(c *Call) resp.Value {
	v := helpReply("PUBSUB", []string{
		"CHANNELS [<pattern>]",
		"    Return the currently active channels matching a <pattern> (default: '*').",
		"NUMPAT",
		"    Return number of subscriptions to patterns.",
		"NUMSUB [<channel> ...]",
		"    Return the number of subscribers for the specified channels, excluding",
		"    pattern subscriptions(default: no channels).",
		"SHARDCHANNELS [<pattern>]",
		"    Return the currently active shard level channels matching a <pattern> (default: '*').",
		"SHARDNUMSUB [<shardchannel> ...]",
		"    Return the number of subscribers for the specified shard level channel(s)",
	})
	// PUBSUB's help words its last line differently from the others'.
	v.Elems[len(v.Elems)-1] = resp.StatusValue("    Prints this help.")
	return v
}
