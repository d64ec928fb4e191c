package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// The handle table. C sees a handle as a pointer-sized number; the number
// indexes this table. Numbers are never reused, so a number that was issued
// but is no longer in the table is a closed handle (REDLITE_CLOSED) and
// anything else is not a handle at all (REDLITE_BADARG).
//
// Every call looks its handle up while opening and closing are rare, so
// lookups take no lock: the table is handleBuckets lists (a number goes in
// the list of its value modulo handleBuckets, so consecutive numbers spread
// evenly), each an immutable slice that register and unregister replace.
var handles struct {
	mu      sync.Mutex // serializes register and unregister
	buckets [handleBuckets]atomic.Pointer[[]handleEntry]
	next    atomic.Uint64 // the last number issued
}

const handleBuckets = 256

type handleEntry struct {
	id uint64
	h  any // *dbHandle or *connHandle
}

func register(h any) uint64 {
	handles.mu.Lock()
	defer handles.mu.Unlock()
	id := handles.next.Load() + 1
	b := &handles.buckets[id%handleBuckets]
	var list []handleEntry
	if old := b.Load(); old != nil {
		list = append(make([]handleEntry, 0, len(*old)+1), *old...)
	}
	list = append(list, handleEntry{id, h})
	b.Store(&list)
	handles.next.Store(id)
	return id
}

func unregister(id uint64) {
	handles.mu.Lock()
	defer handles.mu.Unlock()
	b := &handles.buckets[id%handleBuckets]
	old := b.Load()
	if old == nil {
		return
	}
	list := make([]handleEntry, 0, len(*old))
	for _, e := range *old {
		if e.id != id {
			list = append(list, e)
		}
	}
	b.Store(&list)
}

// lookup finds a live handle or says why there is none.
func lookup(id uint64) (any, status) {
	if list := handles.buckets[id%handleBuckets].Load(); list != nil {
		for _, e := range *list {
			if e.id == id {
				return e.h, stOK
			}
		}
	}
	if id != 0 && id <= handles.next.Load() {
		return nil, stClosed
	}
	return nil, stBadArg
}

// lookupAs finds a live handle of type H (a handle of another type is a
// bad argument).
func lookupAs[H any](id uint64) (H, status) {
	var none H
	h, st := lookup(id)
	if st != stOK {
		return none, st
	}
	t, ok := h.(H)
	if !ok {
		return none, stBadArg
	}
	return t, stOK
}

func lookupDB(id uint64) (*dbHandle, status) { return lookupAs[*dbHandle](id) }

func lookupConn(id uint64) (*connHandle, status) { return lookupAs[*connHandle](id) }

// maxIdleSessions bounds the sessions a db handle keeps for reuse in idle
// (besides the one in hot); more are created when more threads call at
// once, and closed when they return.
const maxIdleSessions = 16

// dbHandle is an open database. Calls on it borrow a session from a small
// pool, so any number of threads can use it at once; the sessions never
// change state (connection-state commands are refused), so any one serves.
type dbHandle struct {
	id       uint64
	db       *core.DB
	proto    int
	database int

	// hot holds one idle session, taken and given back with one atomic
	// operation each: a thread calling in a loop, the common case, never
	// takes mu.
	hot atomic.Pointer[core.Session]

	mu     sync.Mutex  // guards conns, idle and the change of closed
	closed atomic.Bool // read without mu by acquire and release
	conns  map[*connHandle]struct{}
	idle   []*core.Session
}

// openDB opens a database and registers its handle. proto and database
// apply to calls on the handle (and proto to new conns).
func openDB(o core.Options, proto, database int) (*dbHandle, error) {
	db, err := core.Open(o)
	if err != nil {
		return nil, err
	}
	d := &dbHandle{db: db, proto: proto, database: database}
	d.id = register(d)
	return d, nil
}

func (d *dbHandle) acquire() (*core.Session, status) {
	if d.closed.Load() {
		return nil, stClosed
	}
	if s := d.hot.Swap(nil); s != nil {
		return s, stOK
	}
	d.mu.Lock()
	if d.closed.Load() {
		d.mu.Unlock()
		return nil, stClosed
	}
	if n := len(d.idle); n > 0 {
		s := d.idle[n-1]
		d.idle = d.idle[:n-1]
		d.mu.Unlock()
		return s, stOK
	}
	d.mu.Unlock()
	s := d.db.NewSession()
	s.Proto = d.proto
	if err := s.Select(d.database); err != nil {
		s.Close()
		return nil, stBadArg // validated at open: unreachable
	}
	// requirepass guards the network server; the program that opened the
	// file owns it, so calls on its db handle are always authenticated,
	// whenever their pooled session was created.
	if !s.Authenticated() {
		pass, _ := d.db.Config.Get("requirepass")
		s.Do([][]byte{[]byte("AUTH"), []byte(pass)})
	}
	return s, stOK
}

func (d *dbHandle) release(s *core.Session) {
	if d.hot.CompareAndSwap(nil, s) {
		// close marks the handle closed, then empties hot. If it emptied hot
		// before s went in, it is marked closed by now: take s back and
		// close it (unless another call took it, whose release does).
		if d.closed.Load() && d.hot.CompareAndSwap(s, nil) {
			s.Close()
		}
		return
	}
	d.mu.Lock()
	if d.closed.Load() || len(d.idle) >= maxIdleSessions {
		d.mu.Unlock()
		s.Close()
		return
	}
	d.idle = append(d.idle, s)
	d.mu.Unlock()
}

// close ends the database: conns first (an open transaction holds the
// writer, which the core's Close needs), then the core, which wakes calls
// blocked on the db handle and waits for running ones.
func (d *dbHandle) close() status {
	d.mu.Lock()
	if d.closed.Load() {
		d.mu.Unlock()
		return stClosed
	}
	d.closed.Store(true)
	conns := make([]*connHandle, 0, len(d.conns))
	for c := range d.conns {
		conns = append(conns, c)
	}
	d.conns = nil
	d.mu.Unlock()
	unregister(d.id)

	// Each conn is closed on its own goroutine: a conn whose call waits for
	// the writer held by another conn's transaction finishes once that conn
	// is rolled back, whatever the order.
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.shutdown()
		}()
	}
	wg.Wait()
	err := d.db.Close()

	d.mu.Lock()
	idle := d.idle
	d.idle = nil
	d.mu.Unlock()
	if s := d.hot.Swap(nil); s != nil {
		idle = append(idle, s)
	}
	for _, s := range idle {
		s.Close()
	}
	if err != nil {
		return stClosed
	}
	return stOK
}

func (d *dbHandle) openConn() (*connHandle, status) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed.Load() {
		return nil, stClosed
	}
	s := d.db.NewSession()
	s.Proto = d.proto
	c := &connHandle{owner: d, s: s}
	c.proto.Store(int32(d.proto))
	c.id = register(c)
	if d.conns == nil {
		d.conns = map[*connHandle]struct{}{}
	}
	d.conns[c] = struct{}{}
	return c, stOK
}

// connHandle is a session with its own state. Commands on it are
// serialized by mu; redlite_next_message does not take mu (the core lets it
// wait while commands run, so another thread can subscribe or unsubscribe
// meanwhile). state lets another thread interrupt the calls in progress or
// close the conn under them.
type connHandle struct {
	id    uint64
	owner *dbHandle
	s     *core.Session

	mu    sync.Mutex   // held for the whole of each command
	proto atomic.Int32 // the session's protocol after the last command (HELLO), for next_message

	state  sync.Mutex    // guards calls, done and the change of closed
	closed atomic.Bool   // read without state by typed calls
	calls  int           // calls in progress: a command and/or next_message waits
	done   chan struct{} // closed to interrupt the calls in progress
}

// begin registers a call in progress and returns the context its waits end
// with. It fails once the conn is closed.
func (c *connHandle) begin() (doneCtx, status) {
	c.state.Lock()
	defer c.state.Unlock()
	if c.closed.Load() {
		return doneCtx{}, stClosed
	}
	if c.done == nil {
		c.done = make(chan struct{})
	}
	c.calls++
	return doneCtx{c.done}, stOK
}

func (c *connHandle) end() {
	c.state.Lock()
	c.calls--
	c.state.Unlock()
}

// enter starts a command: it takes the conn, then registers the call.
func (c *connHandle) enter() (doneCtx, status) {
	c.mu.Lock()
	ctx, st := c.begin()
	if st != stOK {
		c.mu.Unlock()
	}
	return ctx, st
}

func (c *connHandle) leave() {
	c.proto.Store(int32(c.s.Proto))
	c.end()
	c.mu.Unlock()
}

// runTyped runs a typed call: it only takes the conn. A typed command never
// waits (nothing for interrupt to end, so the call is not registered) and
// never changes the protocol (nothing for leave to record). Shutdown marks
// the conn closed before it takes mu to close the session, so the check
// under mu sees it.
func (c *connHandle) runTyped(argv [][]byte, use func(v resp.Value, proto int) status) status {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return stClosed
	}
	s := c.s
	if s.InMulti() {
		return use(errTypedInMulti, s.Proto)
	}
	return use(s.Do(argv), s.Proto)
}

// interrupt ends the waits of the calls in progress, if there are any. A
// call that is not waiting yet sees the closed channel when it starts to
// wait; later calls get a fresh channel.
func (c *connHandle) interrupt() {
	c.state.Lock()
	defer c.state.Unlock()
	c.interruptLocked()
}

func (c *connHandle) interruptLocked() {
	if c.calls > 0 && c.done != nil {
		close(c.done)
		c.done = nil
	}
}

// shutdown closes the conn: no new call starts, the running one is
// interrupted and waited for, then the session ends (rolling back its
// transaction).
func (c *connHandle) shutdown() status {
	c.state.Lock()
	if c.closed.Load() {
		c.state.Unlock()
		return stClosed
	}
	c.closed.Store(true)
	c.interruptLocked()
	c.state.Unlock()
	unregister(c.id)
	c.mu.Lock()
	c.s.Close()
	c.mu.Unlock()
	return stOK
}

func (c *connHandle) close() status {
	st := c.shutdown()
	if st == stOK {
		c.owner.mu.Lock()
		delete(c.owner.conns, c)
		c.owner.mu.Unlock()
	}
	return st
}

// doneCtx is the context of one conn call: only Done matters (the core
// uses it to end blocking waits). Holding just the channel, it converts to
// an interface without allocating.
type doneCtx struct{ done chan struct{} }

func (doneCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (x doneCtx) Done() <-chan struct{}     { return x.done }
func (x doneCtx) Err() error {
	select {
	case <-x.done:
		return context.Canceled
	default:
		return nil
	}
}
func (doneCtx) Value(any) any { return nil }

// target is what a command or typed call runs on: a db handle or a conn.
type target struct {
	d *dbHandle
	c *connHandle
}

func lookupTarget(id uint64, kind int) (target, status) {
	if kind == kindConn {
		c, st := lookupConn(id)
		return target{c: c}, st
	}
	d, st := lookupDB(id)
	return target{d: d}, st
}

// run executes argv and hands the reply to use while the session is still
// held (a reply may share memory with the session until its next command).
// typed calls refuse a conn in MULTI, where the reply would be QUEUED.
func (t target) run(argv [][]byte, typed bool, use func(v resp.Value, proto int) status) status {
	if t.c != nil {
		if typed {
			return t.c.runTyped(argv, use)
		}
		ctx, st := t.c.enter()
		if st != stOK {
			return st
		}
		defer t.c.leave()
		s := t.c.s
		v := s.DoContext(ctx, argv)
		return use(v, s.Proto) // the protocol HELLO may have just changed
	}
	if !typed {
		if e, refused := dbLevelRefused(argv); refused {
			return use(e, t.d.proto)
		}
	}
	s, st := t.d.acquire()
	if st != stOK {
		return st
	}
	defer t.d.release(s)
	return use(s.Do(argv), s.Proto)
}

var errTypedInMulti = resp.Err("ERR typed calls cannot be queued inside MULTI; use redlite_conn_command")
