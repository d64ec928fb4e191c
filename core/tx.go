package core

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Tx is the storage context one command runs in: a connection inside an
// open SQLite transaction (the writer's for writes, a reader's for reads),
// the selected database and the command's clock. The first storage error is
// kept in err; the executor then rolls back and replies with it, so command
// code can pass storage errors up without special handling.
type Tx struct {
	c     *sqlConn
	write bool
	err   error

	DB  int   // selected database index
	Now int64 // the command's time in unix ms, fixed for the whole command

	store *DB
	sess  *Session
	hooks []func() // run after commit: notifications, waking blocked clients

	req writeReq // this Tx's request to the writer, reused by each command
}

func (tx *Tx) attach(c *sqlConn, write bool) {
	tx.c = c
	tx.write = write
}

// reset clears per-attempt state so a request can run again after a rollback.
func (tx *Tx) reset() {
	tx.err = nil
	tx.hooks = tx.hooks[:0]
}

// begin prepares tx for a new command.
func (tx *Tx) begin(db *DB, s *Session) {
	tx.store = db
	tx.sess = s
	tx.DB = s.db
	tx.Now = nowMillis()
	tx.reset()
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// committed runs the hooks registered by the command, now that its writes
// are durable and visible.
func (tx *Tx) committed() {
	for _, h := range tx.hooks {
		h()
	}
	tx.hooks = tx.hooks[:0]
}

// afterCommit registers fn to run once the command's transaction commits.
// Nothing registered runs if the transaction rolls back.
func (tx *Tx) afterCommit(fn func()) { tx.hooks = append(tx.hooks, fn) }

func (tx *Tx) fail(err error) {
	if tx.err == nil {
		tx.err = err
	}
}

// exec runs a write statement; errors are recorded on tx.
func (tx *Tx) exec(q string, args ...any) (changes int64, lastID int64) {
	if tx.err != nil {
		return 0, 0
	}
	changes, lastID, err := tx.c.exec(q, args...)
	if err != nil {
		tx.fail(err)
	}
	return changes, lastID
}

// query runs a statement returning rows and calls fn for each row until fn
// returns false. Errors are recorded on tx.
func (tx *Tx) query(q string, args []any, fn func(r *rows) bool) {
	if tx.err != nil {
		return
	}
	r, err := tx.c.query(q, args...)
	if err != nil {
		tx.fail(err)
		return
	}
	for r.next() {
		if !fn(r) {
			break
		}
	}
	if err := r.close(); err != nil {
		tx.fail(err)
	}
}

// queryRow runs a statement and calls fn with its first row, if any.
// It reports whether there was a row.
func (tx *Tx) queryRow(q string, args []any, fn func(r *rows)) bool {
	found := false
	tx.query(q, args, func(r *rows) bool {
		found = true
		if fn != nil {
			fn(r)
		}
		return false
	})
	return found && tx.err == nil
}

// queryInt returns the first column of the first row as an integer, or def.
func (tx *Tx) queryInt(q string, def int64, args ...any) int64 {
	v := def
	tx.queryRow(q, args, func(r *rows) {
		if !r.isNull(0) {
			v = r.int(0)
		}
	})
	return v
}

// args is shorthand for building a query's argument list.
func args(a ...any) []any { return a }

// storageError is the reply for a failed storage operation.
func storageError(err error) resp.Value {
	return resp.Err("ERR storage error: " + err.Error())
}

// panicError marks a transaction that failed because its command panicked.
type panicError struct{ value any }

func (e panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// failureReply is the reply for a command whose transaction failed.
func failureReply(err error) resp.Value {
	var pe panicError
	if errors.As(err, &pe) {
		return resp.Err(fmt.Sprintf("ERR internal error: %v", pe.value))
	}
	return storageError(err)
}

// runGuarded runs a command function, turning a panic into an error reply
// and a recorded failure so the transaction rolls back. A bug in one command
// must not take down the process or the connection.
func runGuarded(tx *Tx, fn func(*Tx) resp.Value) (reply resp.Value) {
	defer func() {
		if p := recover(); p != nil {
			tx.fail(panicError{p})
			logPanic(p, debug.Stack())
			reply = resp.Err(fmt.Sprintf("ERR internal error: %v", p))
		}
	}()
	reply = fn(tx)
	if tx.err != nil {
		reply = failureReply(tx.err)
	}
	return reply
}
