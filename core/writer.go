package core

import (
	"runtime"
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

	batch     []*writeReq // the leader's batch, reused: only a leader touches it
	lastBatch int         // size of the last batch (leader only)
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

// takeBatch moves the leading run of ordinary requests from the queue to
// the end of batch, up to maxBatch requests in all.
func (w *writer) takeBatch(batch []*writeReq) []*writeReq {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for n < len(w.queue) && len(batch)+n < maxBatch && w.queue[n].fn != nil {
		n++
	}
	if n == 0 {
		return batch
	}
	batch = append(batch, w.queue[:n]...)
	w.queue = append(w.queue[:0], w.queue[n:]...)
	return batch
}

// run executes fn in a write transaction and returns its reply. The
// transaction may be shared with other requests, but fn's statements are
// committed before its reply is returned: nothing is acknowledged uncommitted.
func (w *writer) run(tx *Tx, fn func(*Tx) resp.Value) resp.Value {
	// The request lives in tx, reused by its next command: a Tx runs one
	// command at a time, and nothing refers to the request once its
	// caller has been woken.
	req := &tx.req
	if req.wake == nil {
		req.wake = make(chan struct{}, 1)
	}
	req.tx, req.fn, req.done, req.committed = tx, fn, false, false
	if !w.enqueue(req) {
		<-req.wake
	}
	if !req.done {
		// We lead: our request heads the queue, so the batch includes it.
		if w.lastBatch > 1 {
			w.gather()
		}
		batch := w.runBatch(w.batch[:0])
		w.lastBatch = len(batch)
		for _, r := range batch {
			if r != req {
				r.wake <- struct{}{}
			}
		}
		clear(batch)
		w.batch = batch[:0]
		w.release()
	}
	reply, committed := req.reply, req.committed
	req.fn, req.reply = nil, resp.Value{} // the request is free for tx's next write
	// Hooks (waking blocked clients, notifications) run in the caller's
	// goroutine, outside the writer: they may start writes of their own.
	if committed {
		tx.committed()
	}
	return reply
}

// gatherRounds bounds how many times a leader yields to let requests queue.
const gatherRounds = 4

// gather lets requests that are on their way join the batch about to run.
// It is called only when the last batch had company, so a lone caller
// never waits. On a busy server the goroutines that read requests and the
// writer share the CPUs: yielding the processor while the queue keeps
// growing lets them enqueue, and more requests share each commit, which
// costs several statements' worth of CPU (bench/WRITE-PATH.md). A yield
// with nothing else to run returns at once.
func (w *writer) gather() {
	for i := 0; i < gatherRounds; i++ {
		n := w.queueLen()
		runtime.Gosched()
		if w.queueLen() == n {
			return
		}
	}
}

func (w *writer) queueLen() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue)
}

// runBatch runs the queued requests in one transaction and returns them,
// appended to batch. Requests that arrive while the batch runs join it
// before the commit: a statement costs a fraction of a commit, so under
// load more requests share each commit, at no cost to a lone caller.
func (w *writer) runBatch(batch []*writeReq) []*writeReq {
	batch = w.takeBatch(batch)
	if err := w.conn.run("BEGIN IMMEDIATE"); err != nil {
		for _, r := range batch {
			r.reply = storageError(err)
			r.done = true
		}
		return batch
	}
	failed := false
	for i := 0; i < len(batch); i++ {
		r := batch[i]
		r.tx.attach(w.conn, true)
		r.reply = runGuarded(r.tx, r.fn)
		if r.tx.err != nil {
			failed = true
			break
		}
		if i == len(batch)-1 {
			batch = w.takeBatch(batch)
		}
	}
	if !failed {
		if err := w.conn.run("COMMIT"); err == nil {
			w.commits.Add(1)
			for _, r := range batch {
				r.committed = true
				r.done = true
			}
			return batch
		}
	}
	_ = w.conn.run("ROLLBACK")
	// Something in the batch failed at the storage level. Run each request
	// on its own so one bad command cannot fail its neighbours.
	for _, r := range batch {
		r.reply, r.committed = w.runAlone(r.tx, r.fn)
		r.done = true
	}
	return batch
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
