package redlite

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// Pub/sub: publishing is a command like any other; subscribing gives a
// PubSub, a dedicated session whose messages arrive on Channel() or through
// ReceiveMessage.

// Message is a message received on a subscription.
type Message struct {
	Channel string
	Pattern string // the pattern that matched, for PSubscribe
	Payload string
}

// Publish posts message on channel and returns how many subscribers of this
// process received it; subscribers in other processes on the same file
// receive it too.
func (c cmds) Publish(ctx context.Context, channel string, message any) (int64, error) {
	a, err := newArgv("publish", 2).s(channel).v(message)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// SPublish posts message on a shard channel.
func (c cmds) SPublish(ctx context.Context, channel string, message any) (int64, error) {
	a, err := newArgv("spublish", 2).s(channel).v(message)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// PubSubChannels lists the channels with subscribers in this process that
// match pattern ("" or "*" for all).
func (c cmds) PubSubChannels(ctx context.Context, pattern string) ([]string, error) {
	a := newArgv("pubsub", 2).s("channels")
	if pattern != "" {
		a = a.s(pattern)
	}
	return toStrings(c.run(ctx, a))
}

// PubSubNumSub returns the number of subscribers of each channel.
func (c cmds) PubSubNumSub(ctx context.Context, channels ...string) (map[string]int64, error) {
	return toCounts(c.run(ctx, newArgv("pubsub", 1+len(channels)).s("numsub").s(channels...)))
}

// PubSubNumPat returns the number of pattern subscriptions.
func (c cmds) PubSubNumPat(ctx context.Context) (int64, error) {
	return toInt(c.run(ctx, newArgv("pubsub", 1).s("numpat")))
}

// PubSubShardChannels lists the shard channels with subscribers matching
// pattern ("" for all).
func (c cmds) PubSubShardChannels(ctx context.Context, pattern string) ([]string, error) {
	a := newArgv("pubsub", 2).s("shardchannels")
	if pattern != "" {
		a = a.s(pattern)
	}
	return toStrings(c.run(ctx, a))
}

// PubSubShardNumSub returns the number of subscribers of each shard channel.
func (c cmds) PubSubShardNumSub(ctx context.Context, channels ...string) (map[string]int64, error) {
	return toCounts(c.run(ctx, newArgv("pubsub", 1+len(channels)).s("shardnumsub").s(channels...)))
}

// toCounts reads name/count pairs (a map in RESP3).
func toCounts(v resp.Value, err error) (map[string]int64, error) {
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	flat := pairsOf(v)
	for i := 0; i+1 < len(flat); i += 2 {
		m[string(flat[i].Str)] = flat[i+1].Int
	}
	return m, nil
}

// messageBuffer is how many messages a PubSub holds ready for its reader
// (go-redis' default channel size). Behind it, the session's queue takes
// the rest, up to client-output-buffer-limit pubsub.
const messageBuffer = 100

// ErrSubscriptionClosed is returned by a PubSub's methods after Close.
var ErrSubscriptionClosed = errors.New("redlite: subscription is closed")

// PubSub is a subscription to channels, patterns or shard channels: a
// session of its own whose messages a goroutine moves to Channel(). Read
// them from Channel() or with ReceiveMessage (both take from the same
// stream), and Close it when done. Its methods are safe for concurrent use.
//
// Messages are never dropped silently: if they arrive faster than they are
// read and the queue passes client-output-buffer-limit pubsub (32 MiB by
// default), every subscription is dropped, as Redis disconnects such a
// client; Channel() is then closed and Err reports why.
type PubSub struct {
	db *DB
	s  *core.Session

	mu     sync.Mutex // serializes commands on the session
	closed bool

	ch   chan *Message
	stop chan struct{} // closed by Close: the feeding goroutine returns
	fed  chan struct{} // closed when the feeding goroutine has returned

	errMu sync.Mutex
	err   error
}

// Subscribe subscribes to channels. Unlike go-redis it also returns an
// error, from the first SUBSCRIBE.
func (db *DB) Subscribe(ctx context.Context, channels ...string) (*PubSub, error) {
	return db.subscribe(ctx, "subscribe", channels)
}

// PSubscribe subscribes to channels matching glob patterns.
func (db *DB) PSubscribe(ctx context.Context, patterns ...string) (*PubSub, error) {
	return db.subscribe(ctx, "psubscribe", patterns)
}

// SSubscribe subscribes to shard channels.
func (db *DB) SSubscribe(ctx context.Context, channels ...string) (*PubSub, error) {
	return db.subscribe(ctx, "ssubscribe", channels)
}

func (db *DB) subscribe(ctx context.Context, cmd string, names []string) (*PubSub, error) {
	if len(names) == 0 {
		return nil, errors.New("redlite: subscribing needs at least one channel or pattern")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if db.isClosed() {
		return nil, ErrClosed
	}
	s, err := db.newSession()
	if err != nil {
		return nil, err
	}
	p := &PubSub{db: db, s: s, ch: make(chan *Message, messageBuffer), stop: make(chan struct{}), fed: make(chan struct{})}
	if err := p.do(ctx, cmd, names); err != nil {
		s.Close()
		return nil, err
	}
	go p.feed()
	return p, nil
}

// do runs a (un)subscribe command; its confirmations are queued with the
// messages, and skipped when reading them.
func (p *PubSub) do(ctx context.Context, cmd string, names []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrSubscriptionClosed
	}
	v := p.s.Do(newArgv(cmd, len(names)).s(names...))
	if v.IsError() {
		return replyError(string(v.Str))
	}
	return nil
}

// Subscribe adds channels.
func (p *PubSub) Subscribe(ctx context.Context, channels ...string) error {
	if len(channels) == 0 {
		return errors.New("redlite: Subscribe needs at least one channel")
	}
	return p.do(ctx, "subscribe", channels)
}

// PSubscribe adds patterns.
func (p *PubSub) PSubscribe(ctx context.Context, patterns ...string) error {
	if len(patterns) == 0 {
		return errors.New("redlite: PSubscribe needs at least one pattern")
	}
	return p.do(ctx, "psubscribe", patterns)
}

// SSubscribe adds shard channels.
func (p *PubSub) SSubscribe(ctx context.Context, channels ...string) error {
	if len(channels) == 0 {
		return errors.New("redlite: SSubscribe needs at least one channel")
	}
	return p.do(ctx, "ssubscribe", channels)
}

// Unsubscribe removes channels (all of them when none are given).
func (p *PubSub) Unsubscribe(ctx context.Context, channels ...string) error {
	return p.do(ctx, "unsubscribe", channels)
}

// PUnsubscribe removes patterns (all of them when none are given).
func (p *PubSub) PUnsubscribe(ctx context.Context, patterns ...string) error {
	return p.do(ctx, "punsubscribe", patterns)
}

// SUnsubscribe removes shard channels (all of them when none are given).
func (p *PubSub) SUnsubscribe(ctx context.Context, channels ...string) error {
	return p.do(ctx, "sunsubscribe", channels)
}

// messageOf turns a queued push into a Message; confirmations are not
// messages.
func messageOf(v resp.Value) (*Message, bool) {
	e := v.Elems
	if len(e) == 0 {
		return nil, false
	}
	switch string(e[0].Str) {
	case "message", "smessage":
		if len(e) == 3 {
			return &Message{Channel: string(e[1].Str), Payload: string(e[2].Str)}, true
		}
	case "pmessage":
		if len(e) == 4 {
			return &Message{Pattern: string(e[1].Str), Channel: string(e[2].Str), Payload: string(e[3].Str)}, true
		}
	}
	return nil, false
}

// feed moves messages from the session to p.ch until Close, the DB closing
// or the subscription's end. With no subscription left it waits for a new
// one rather than ending.
func (p *PubSub) feed() {
	defer close(p.fed)
	defer close(p.ch)
	sub := p.s.Sub
	for {
		v, _, err := p.s.NextMessage(-1)
		switch {
		case errors.Is(err, core.ErrNotSubscribed):
			select {
			case <-sub.Ready():
				continue
			case <-sub.Done():
				return
			case <-p.db.core.Closing():
				err = ErrClosed
			}
		case errors.Is(err, core.ErrSessionClosed):
			return
		}
		if err != nil {
			p.errMu.Lock()
			p.err = err
			p.errMu.Unlock()
			return
		}
		m, isMsg := messageOf(v)
		if !isMsg {
			continue
		}
		select {
		case p.ch <- m:
		case <-p.stop:
			return
		}
	}
}

// Channel returns the subscription's messages. It is closed by Close, or
// when the subscription ends early (the DB closed, the queue overflowed;
// Err says which).
func (p *PubSub) Channel() <-chan *Message { return p.ch }

// ReceiveMessage returns the next message, waiting for one until ctx ends
// (then it returns ctx's error).
func (p *PubSub) ReceiveMessage(ctx context.Context) (*Message, error) {
	select {
	case m, ok := <-p.ch:
		if ok {
			return m, nil
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return nil, ErrSubscriptionClosed
}

// ReceiveTimeout is ReceiveMessage waiting at most timeout; it returns Nil
// when no message came.
func (p *PubSub) ReceiveTimeout(ctx context.Context, timeout time.Duration) (*Message, error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m, err := p.ReceiveMessage(tctx)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, Nil
	}
	return m, err
}

// Err reports why Channel() closed before Close was called: ErrClosed when
// the DB closed, or the queue overflow error. It is nil otherwise.
func (p *PubSub) Err() error {
	p.errMu.Lock()
	defer p.errMu.Unlock()
	return p.err
}

// Close ends the subscription: Channel() is closed, pending messages are
// dropped and the session ends.
func (p *PubSub) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrSubscriptionClosed
	}
	p.closed = true
	close(p.stop)
	p.s.Close()
	p.mu.Unlock()
	<-p.fed
	return nil
}
