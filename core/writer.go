package core

import (
	"sync"

	"github.com/redlite/redlite/core/resp"
)

// writer owns the one SQLite connection that writes. Commands from many
// goroutines are committed together (group commit): whoever holds the
// leader lock runs every request queued so far in one transaction, commits
// once, and hands each request its reply. A lone caller pays one lock and
// one commit; fifty concurrent clients share a commit.
type writer struct {
	conn *sqlConn

	leader  sync.Mutex // held while a batch (or an exclusive transaction) runs
	pmu     sync.Mutex // guards pending
	pending []*writeReq
	spare   []*writeReq
}

type writeReq struct {
	tx        *Tx
	fn        func(*Tx) resp.Value
	reply     resp.Value
	done      bool // set by the leader under leader lock
	committed bool // the request's writes are committed: run its hooks
}

// maxBatch bounds how many commands share one commit, which bounds the
// latency one slow batch adds to the requests behind it.
const maxBatch = 256

func newWriter(c *sqlConn) *writer { return &writer{conn: c} }

// run executes fn in a write transaction and returns its reply. The
// transaction may be shared with other requests, but fn's statements are
// committed together with its reply: nothing is acknowledged uncommitted.
func (w *writer) run(tx *Tx, fn func(*Tx) resp.Value) resp.Value {
	req := &writeReq{tx: tx, fn: fn}
	w.pmu.Lock()
	w.pending = append(w.pending, req)
	w.pmu.Unlock()

	w.leader.Lock()
	if !req.done {
		w.pmu.Lock()
		batch := w.pending
		if len(batch) > maxBatch {
			// Take the oldest; the rest stay for the next leader. Our own
			// request may be among those left, so keep leading until it ran.
			batch = batch[:maxBatch:maxBatch]
			w.pending = append(w.spare[:0], w.pending[maxBatch:]...)
		} else {
			w.pending = w.spare[:0]
		}
		w.pmu.Unlock()
		w.runBatch(batch)
		for !req.done {
			w.pmu.Lock()
			batch = w.pending
			if len(batch) > maxBatch {
				batch = batch[:maxBatch:maxBatch]
			}
			w.pending = append([]*writeReq(nil), w.pending[len(batch):]...)
			w.pmu.Unlock()
			w.runBatch(batch)
		}
		w.spare = batch[:0]
	}
	w.leader.Unlock()
	// Hooks (waking blocked clients, notifications) run in the caller's
	// goroutine, outside the leader lock: they may start writes of their own.
	if req.committed {
		tx.committed()
	}
	return req.reply
}

func (w *writer) runBatch(batch []*writeReq) {
	if len(batch) == 0 {
		return
	}
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
		return storageError(tx.err), false
	}
	if err := w.conn.run("COMMIT"); err != nil {
		_ = w.conn.run("ROLLBACK")
		return storageError(err), false
	}
	return reply, true
}

// exclusive holds the writer for an interactive transaction (the bindings'
// transaction APIs): fn runs with the writer connection inside BEGIN IMMEDIATE
// and no other write runs until it returns.
func (w *writer) exclusive(fn func(c *sqlConn) error) error {
	w.leader.Lock()
	defer w.leader.Unlock()
	return fn(w.conn)
}
