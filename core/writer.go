package core

import (
	"sync"
	"sync/atomic"

	"github.com/redlite/redlite/core/resp"
)

// writer owns the one SQLite connection that writes. Commands from many
// goroutines are committed together (group commit): requests queue up, the
// request at the head of the queue becomes the leader, runs every queued
// request in one transaction, commits once, wakes each request with its
// reply and hands leadership to the next request in the queue. A lone
// caller pays one lock and one commit; fifty concurrent clients share one.
// Waiters sleep on their own channel, so finishing a batch wakes exactly
// the goroutines it served and one new leader.
type writer struct {
	conn *sqlConn

	mu    sync.Mutex
	queue []*writeReq // waiting requests in arrival order; queue[0] leads next
	busy  bool        // a leader (a batch or an exclusive holder) is active

	commits atomic.Int64 // committed transactions, for the checkpointer
}

type writeReq struct {
	tx        *Tx
	fn        func(*Tx) resp.Value // nil for an exclusive holder
	reply     resp.Value
	done      bool          // served by a leader's batch
	committed bool          // its writes are committed: run its hooks
	wake      chan struct{} // buffered(1): served, or promoted to leader
}

// maxBatch bounds how many commands share one commit, which bounds the
// latency one batch adds to the requests behind it.
const maxBatch = 256

func newWriter(c *sqlConn) *writer { return &writer{conn: c} }

// enqueue adds req and reports whether the caller leads at once.
func (w *writer) enqueue(req *writeReq) (leader bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.busy {
		w.busy = true
		if req.fn != nil {
			w.queue = append(w.queue, req)
		}
		return true
	}
	w.queue = append(w.queue, req)
	return false
}

// release hands leadership to the next queued request, or idles.
func (w *writer) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		w.busy = false
		return
	}
	w.queue[0].wake <- struct{}{}
}

// takeBatch removes the leading run of ordinary requests from the queue.
func (w *writer) takeBatch() []*writeReq {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for n < len(w.queue) && n < maxBatch && w.queue[n].fn != nil {
		n++
	}
	batch := make([]*writeReq, n)
	copy(batch, w.queue)
	w.queue = append(w.queue[:0], w.queue[n:]...)
	return batch
}

// run executes fn in a write transaction and returns its reply. The
// transaction may be shared with other requests, but fn's statements are
// committed before its reply is returned: nothing is acknowledged uncommitted.
func (w *writer) run(tx *Tx, fn func(*Tx) resp.Value) resp.Value {
	req := &writeReq{tx: tx, fn: fn, wake: make(chan struct{}, 1)}
	if !w.enqueue(req) {
		<-req.wake
	}
	if !req.done {
		// We lead: our request heads the queue, so the batch includes it.
		batch := w.takeBatch()
		w.runBatch(batch)
		for _, r := range batch {
			if r != req {
				r.wake <- struct{}{}
			}
		}
		w.release()
	}
	// Hooks (waking blocked clients, notifications) run in the caller's
	// goroutine, outside the writer: they may start writes of their own.
	if req.committed {
		tx.committed()
	}
	return req.reply
}

func (w *writer) runBatch(batch []*writeReq) {
	if err := w.conn.run("BEGIN IMMEDIATE"); err != nil {
		for _, r := range batch {
			r.reply = storageError(err)
			r.done = true
		}
		return
	}
	failed := false
	for _, r := range batch {
		r.tx.attach(w.conn, true)
		r.reply = runGuarded(r.tx, r.fn)
		if r.tx.err != nil {
			failed = true
			break
		}
	}
	if !failed {
		if err := w.conn.run("COMMIT"); err == nil {
			w.commits.Add(1)
			for _, r := range batch {
				r.committed = true
				r.done = true
			}
			return
		}
	}
	_ = w.conn.run("ROLLBACK")
	// Something in the batch failed at the storage level. Run each request
	// on its own so one bad command cannot fail its neighbours.
	for _, r := range batch {
		r.reply, r.committed = w.runAlone(r.tx, r.fn)
		r.done = true
	}
}

// runAlone runs one request in its own transaction and reports whether it
// committed.
func (w *writer) runAlone(tx *Tx, fn func(*Tx) resp.Value) (resp.Value, bool) {
	tx.reset()
	if err := w.conn.run("BEGIN IMMEDIATE"); err != nil {
		return storageError(err), false
	}
	tx.attach(w.conn, true)
	reply := runGuarded(tx, fn)
	if tx.err != nil {
		_ = w.conn.run("ROLLBACK")
		return failureReply(tx.err), false
	}
	if err := w.conn.run("COMMIT"); err != nil {
		_ = w.conn.run("ROLLBACK")
		return storageError(err), false
	}
	w.commits.Add(1)
	return reply, true
}

// acquire makes the caller the writer's exclusive holder (an interactive
// transaction, a checkpoint, Close) once the requests ahead of it are done.
// release must follow.
func (w *writer) acquire() {
	req := &writeReq{wake: make(chan struct{}, 1)}
	if w.enqueue(req) {
		return
	}
	<-req.wake
	// Promoted: we head the queue; leave it, keeping the writer busy.
	w.mu.Lock()
	w.queue = append(w.queue[:0], w.queue[1:]...)
	w.mu.Unlock()
}

// exclusive runs fn holding the writer.
func (w *writer) exclusive(fn func(c *sqlConn) error) error {
	w.acquire()
	defer w.release()
	return fn(w.conn)
}
