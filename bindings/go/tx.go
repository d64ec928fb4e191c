package redlite

import (
	"context"
	"errors"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

type txState uint8

const (
	txOpen      txState = iota // inside one SQLite write transaction
	txWatching                 // inside DB.Watch, before TxPipelined
	txUnwatched                // inside DB.Watch, after TxPipelined
	txDone                     // the function returned: the Tx is unusable
)

// Tx runs commands on one session for the length of a DB.Tx or DB.Watch
// function. It has every command method of DB. A Tx belongs to the
// goroutine running the function and is unusable once it returns.
type Tx struct {
	cmds
	s     *core.Session
	state txState
}

func newTx(s *core.Session, state txState) *Tx {
	tx := &Tx{s: s, state: state}
	tx.cmds = cmds{r: tx}
	return tx
}

func (tx *Tx) exec(ctx context.Context, a argv, blocking bool) (resp.Value, error) {
	if tx.state == txDone {
		return resp.Value{}, ErrTxDone
	}
	if err := ctx.Err(); err != nil {
		return resp.Value{}, err
	}
	return runOn(ctx, tx.s, a, blocking)
}

func (tx *Tx) pinned() bool { return false }

// Tx runs fn inside one SQLite write transaction: every command fn runs on
// tx is part of it, reads see its own writes, and other connections and
// processes see all of it or none of it. The transaction commits when fn
// returns nil and rolls back when fn returns an error (which Tx returns) or
// panics (the panic continues after the rollback).
//
// Writes from other goroutines wait while the transaction is open (reads do
// not): keep fn short, and inside fn call tx's methods, never the DB's. A
// write through the DB inside fn waits for the transaction fn holds, forever;
// so does a read on an in-memory database. Blocking commands inside a
// transaction do not wait: they answer at once, as inside MULTI/EXEC.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := db.session()
	if err != nil {
		return err
	}
	if err := s.Begin(); err != nil {
		db.release(s)
		return err
	}
	pooled := false
	defer func() {
		if !pooled { // fn panicked: the session's state is unknown
			s.Close()
		}
	}()
	err = newTx(s, txOpen).runTx(fn)
	pooled = true
	db.release(s)
	return err
}

// runTx runs fn inside the session's open transaction and ends it.
func (tx *Tx) runTx(fn func(*Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			_ = tx.s.Rollback()
			tx.state = txDone
			panic(p)
		}
	}()
	if err = fn(tx); err != nil {
		_ = tx.s.Rollback()
		tx.state = txDone
		return err
	}
	tx.state = txDone
	return tx.s.Commit()
}

// Watch runs fn for an optimistic transaction, as go-redis' Watch does:
// keys are watched first; fn reads through tx (each command runs at once)
// and then calls tx.TxPipelined with the writes. TxPipelined returns
// TxFailedErr, and writes nothing, if a watched key changed after Watch
// began (in this process or another). Watch returns fn's error; retry on
// TxFailedErr.
func (db *DB) Watch(ctx context.Context, fn func(tx *Tx) error, keys ...string) error {
	if len(keys) == 0 {
		return errors.New("redlite: Watch needs at least one key")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := db.session()
	if err != nil {
		return err
	}
	pooled := false
	defer func() {
		if !pooled {
			s.Close()
		}
	}()
	if v := s.Do(newArgv("watch", len(keys)).s(keys...)); v.IsError() {
		return replyError(string(v.Str))
	}
	tx := newTx(s, txWatching)
	err = fn(tx)
	tx.state = txDone
	if v := s.Do([][]byte{[]byte("unwatch")}); !v.IsError() {
		pooled = true
		db.release(s)
	}
	return err
}

// TxPipelined runs fn's commands as the transaction of a DB.Watch: in one
// SQLite write transaction that first checks the watched keys. If one
// changed, fn does not run and TxPipelined returns TxFailedErr. Otherwise
// fn's commands run on pipe and, unlike go-redis' queued pipeline, return
// their results at once; they commit when fn returns nil and roll back when
// it returns an error or panics. The watches end with TxPipelined.
func (tx *Tx) TxPipelined(ctx context.Context, fn func(pipe *Tx) error) error {
	switch tx.state {
	case txDone:
		return ErrTxDone
	case txOpen:
		return errors.New("redlite: TxPipelined belongs in DB.Watch: inside DB.Tx every command is already transactional")
	case txUnwatched:
		return errors.New("redlite: TxPipelined already ran in this Watch: its watches are spent")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s := tx.s
	if err := s.Begin(); err != nil {
		return err
	}
	// MULTI and an empty EXEC inside the write transaction check the watched
	// keys there, so nothing can change them between the check and fn.
	var check resp.Value
	if check = s.Do([][]byte{[]byte("multi")}); !check.IsError() {
		check = s.Do([][]byte{[]byte("exec")})
	}
	tx.state = txUnwatched
	switch {
	case check.IsError():
		_ = s.Rollback()
		return replyError(string(check.Str))
	case isNil(check):
		_ = s.Rollback()
		return TxFailedErr
	}
	return newTx(s, txOpen).runTx(fn)
}
