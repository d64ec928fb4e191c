package core

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/redlite/redlite/core/resp"
)

// MULTI/EXEC/DISCARD/WATCH/UNWATCH, and the interactive transactions the
// bindings expose. EXEC runs the whole queue as one SQLite write
// transaction, so no other connection or process sees part of it.

type multiState struct {
	cmds  []queuedCmd
	dirty bool // a command failed to queue: EXEC answers EXECABORT
}

type queuedCmd struct {
	cmd  *Command
	argv [][]byte
}

func (m *multiState) queue(cmd *Command, argv [][]byte) {
	cp := make([][]byte, len(argv))
	for i, a := range argv {
		cp[i] = append([]byte{}, a...)
	}
	m.cmds = append(m.cmds, queuedCmd{cmd, cp})
}

// watchedKey is the state of a key when WATCH ran. The key's id never
// repeats (AUTOINCREMENT) and its version moves on every write, so any
// change, including delete and re-create, in this or another process, shows.
// A key that did not exist is registered in watch_absent instead (see
// watch_absent.go), so its creation shows even after it is deleted again.
type watchedKey struct {
	db         int
	key        []byte
	exists     bool
	registered bool // has a watch_absent row
	expired    bool // the key had expired but was not yet removed
	id         int64
	version    int64
}

func init() {
	register(
		&Command{Name: "multi", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
			Group: "transactions", Summary: "Starts a transaction.", Since: "1.2.0", Complexity: "O(1)",
			Run: cmdMulti},
		&Command{Name: "exec", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagSkipSlowlog,
			Group: "transactions", Summary: "Executes all commands in a transaction.", Since: "1.2.0",
			Complexity: "Depends on commands in the transaction", Exec: ExecCustom, Run: cmdExec},
		&Command{Name: "discard", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
			Group: "transactions", Summary: "Discards a transaction.", Since: "2.0.0",
			Complexity: "O(N), when N is the number of queued commands", Run: cmdDiscard},
		&Command{Name: "watch", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
			FirstKey: 1, LastKey: -1, Step: 1, Exec: ExecCustom,
			Group: "transactions", Summary: "Monitors changes to keys to determine the execution of a transaction.",
			Since: "2.2.0", Complexity: "O(1) for every key.", Run: cmdWatch},
		&Command{Name: "unwatch", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
			Group: "transactions", Summary: "Forgets about all watched keys of a transaction.", Since: "2.2.0",
			Complexity: "O(1)", Run: cmdUnwatch},
	)
}

func cmdMulti(c *Call) resp.Value {
	if c.S.multi != nil {
		return resp.Err("ERR MULTI calls can not be nested")
	}
	c.S.multi = &multiState{}
	return resp.OK()
}

func cmdDiscard(c *Call) resp.Value {
	if c.S.multi == nil {
		return resp.Err("ERR DISCARD without MULTI")
	}
	c.S.multi = nil
	c.S.unwatchAll()
	return resp.OK()
}

func cmdWatch(c *Call) resp.Value {
	if c.S.multi != nil {
		return resp.Err("ERR WATCH inside MULTI is not allowed")
	}
	ws := make([]watchedKey, 0, len(c.Args)-1)
	absent := false
	v := c.Read(func(tx *Tx) resp.Value {
		for _, key := range c.Args[1:] {
			w := watchedKey{db: tx.DB, key: append([]byte{}, key...)}
			k, found := tx.lookupAny(key)
			switch {
			case found && !k.expired(tx.Now):
				w.exists, w.id, w.version = true, k.ID, k.Version
			case found:
				w.expired, absent = true, true
			default:
				absent = true
			}
			ws = append(ws, w)
		}
		return resp.OK()
	})
	if v.IsError() {
		return v
	}
	// Only another process can create and delete the key unseen: this
	// one's writes mark the session dirty through the registry.
	if absent && c.S.store.xp.on {
		if v := c.registerAbsent(ws); v.IsError() {
			return v
		}
	}
	for _, w := range ws {
		c.S.watches = append(c.S.watches, w)
		c.S.store.watched.add(c.S, w.db, w.key, w.expired)
	}
	return resp.OK()
}

func cmdUnwatch(c *Call) resp.Value {
	c.S.unwatchAll()
	return resp.OK()
}

// watchRegistry maps watched keys to the sessions of this process that
// watch them. Redis marks a watcher dirty on any write to the key, even one
// that leaves it as it was found (created, then deleted again); writes made
// here mark it the same way. Writes from other processes are seen through
// the keys' ids and versions at EXEC.
type watchRegistry struct {
	n     atomic.Int64 // registered (key, session) pairs: read on every write
	mu    sync.Mutex
	byKey map[waitKey]map[*Session]bool // true: the key had expired at WATCH
}

func (r *watchRegistry) add(s *Session, db int, key []byte, expired bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byKey == nil {
		r.byKey = map[waitKey]map[*Session]bool{}
	}
	wk := waitKey{db, string(key)}
	m := r.byKey[wk]
	if m == nil {
		m = map[*Session]bool{}
		r.byKey[wk] = m
	}
	if _, dup := m[s]; !dup {
		m[s] = expired
		r.n.Add(1)
	}
}

func (r *watchRegistry) removeAll(s *Session, ws []watchedKey) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, w := range ws {
		wk := waitKey{w.db, string(w.key)}
		if m := r.byKey[wk]; m != nil {
			if _, ok := m[s]; ok {
				delete(m, s)
				r.n.Add(-1)
			}
			if len(m) == 0 {
				delete(r.byKey, wk)
			}
		}
	}
}

// touch marks the sessions watching key dirty.
func (r *watchRegistry) touch(db int, key []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for s := range r.byKey[waitKey{db, string(key)}] {
		s.watchDirty.Store(true)
	}
}

// touchExpired is touch for the removal of an expired key. As in Redis, it
// is no change for a session that watched the key already expired; a later
// write to the key is.
func (r *watchRegistry) touchExpired(db int, key []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.byKey[waitKey{db, string(key)}]
	for s, expired := range m {
		if expired {
			m[s] = false
			continue
		}
		s.watchDirty.Store(true)
	}
}

// unwatchAll forgets the session's watched keys (UNWATCH, EXEC, DISCARD).
func (s *Session) unwatchAll() {
	if len(s.watches) > 0 {
		s.store.watched.removeAll(s, s.watches)
	}
	s.watches = nil
	s.watchDirty.Store(false)
	if s.watchToken != 0 {
		s.dropWatchRows()
	}
}

// watchesIntact checks every watched key inside the EXEC transaction. A key
// that expired since WATCH counts as changed, as in Redis 7.
func (tx *Tx) watchesIntact(ws []watchedKey) bool {
	saved := tx.DB
	defer func() { tx.DB = saved }()
	for _, w := range ws {
		tx.DB = w.db
		k, ok := tx.lookup(w.key)
		if ok != w.exists || (ok && (k.ID != w.id || k.Version != w.version)) {
			return false
		}
	}
	return true
}

func cmdExec(c *Call) resp.Value {
	s := c.S
	m := s.multi
	if m == nil {
		return resp.Err("ERR EXEC without MULTI")
	}
	s.multi = nil
	watches := s.watches
	// The watches stay registered until the check inside the transaction,
	// so a write that commits before EXEC, however late, is seen.
	defer s.unwatchAll()
	if m.dirty {
		return resp.Err("EXECABORT Transaction discarded because of previous errors.")
	}
	token := s.watchToken
	run := func(tx *Tx) resp.Value {
		intact := !s.watchDirty.Load() && tx.watchesIntact(watches)
		if token != 0 {
			// Checked (and the rows removed) even when already failed.
			intact = tx.absentIntact(token, watches) && intact
			tx.afterCommit(func() {
				if s.watchToken == token {
					s.watchToken = 0
				}
			})
		}
		if !intact {
			return resp.NilArrayValue()
		}
		// The transaction's own writes must not mark it dirty (a retry
		// after a failed group commit checks again).
		s.store.watched.removeAll(s, watches)
		replies := make([]resp.Value, len(m.cmds))
		for i, q := range m.cmds {
			sub := &Call{Tx: tx, Args: q.argv, S: s, Cmd: q.cmd, inTx: true}
			replies[i] = sub.runCmd()
			if tx.err != nil {
				return failureReply(tx.err)
			}
		}
		return resp.ArrayValue(replies)
	}
	if c.inTx {
		return run(c.Tx)
	}
	c.Tx.begin(s.store, s)
	return s.store.write(c.Tx, run)
}

// Interactive transactions: the bindings' `with db.transaction()` and
// `db.Tx(ctx, fn)`. Begin takes the writer for this session until Commit or
// Rollback; every command the session runs meanwhile is part of one SQLite
// transaction, reads included (they see the transaction's own writes).

var (
	// ErrTxActive is returned by Begin when a transaction is already open.
	ErrTxActive = errors.New("redlite: a transaction is already open on this session")
	// ErrNoTx is returned by Commit and Rollback without Begin.
	ErrNoTx = errors.New("redlite: no transaction is open on this session")
)

// Begin opens an interactive write transaction. Other writers wait until it
// ends; readers on other sessions keep reading the last committed state.
func (s *Session) Begin() error {
	if s.itx != nil {
		return ErrTxActive
	}
	if s.multi != nil {
		return errors.New("redlite: cannot begin a transaction inside MULTI")
	}
	if !s.store.enter() {
		return ErrClosed
	}
	defer s.store.leave()
	s.store.w.acquire()
	c := s.store.w.conn
	if err := c.run("BEGIN IMMEDIATE"); err != nil {
		s.store.w.release()
		return err
	}
	s.itx = c
	s.tx.hooks = s.tx.hooks[:0]
	return nil
}

// Commit makes the transaction's writes durable and visible.
func (s *Session) Commit() error {
	if s.itx == nil {
		return ErrNoTx
	}
	err := s.itx.run("COMMIT")
	if err != nil {
		_ = s.itx.run("ROLLBACK")
	} else {
		s.store.w.commits.Add(1)
	}
	hooks := s.pendingHooks
	s.pendingHooks = nil
	s.itx = nil
	s.store.w.release()
	if err == nil {
		for _, h := range hooks {
			h()
		}
	}
	return err
}

// Rollback discards the transaction's writes.
func (s *Session) Rollback() error {
	if s.itx == nil {
		return ErrNoTx
	}
	err := s.itx.run("ROLLBACK")
	s.pendingHooks = nil
	s.itx = nil
	s.store.w.release()
	return err
}

// InTransaction reports whether an interactive transaction is open.
func (s *Session) InTransaction() bool { return s.itx != nil }

func (s *Session) runInInteractive(c *Call) resp.Value {
	c.inTx = true
	c.Tx.attach(s.itx, true)
	// A failing command inside an interactive transaction must not leave
	// half its writes behind: each runs under a savepoint.
	if err := s.itx.run("SAVEPOINT cmd"); err != nil {
		return storageError(err)
	}
	reply := runGuarded(c.Tx, func(*Tx) resp.Value { return c.runCmd() })
	if c.Tx.err != nil {
		_ = s.itx.run("ROLLBACK TO cmd")
	}
	_ = s.itx.run("RELEASE cmd")
	s.pendingHooks = append(s.pendingHooks, c.Tx.hooks...)
	c.Tx.hooks = c.Tx.hooks[:0]
	return reply
}
