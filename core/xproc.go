package core

import (
	"crypto/rand"
	"encoding/binary"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Signals between processes sharing one file (embedded apps, servers).
//
// Within a process a write wakes its blocked clients and PUBLISH fills its
// subscribers' queues directly. Across processes the file carries the
// signal, and costs nothing unless some process waits:
//
//   - wait_keys lists the keys that some process has clients blocked on, one
//     row per key and process. Triggers on keys, stored in the schema and so
//     run by every writer whatever process it is, note a write to such a key
//     in key_signals in the same transaction as the write. The triggers exist
//     only while some process waits (see signalTriggers).
//   - pubsub_listeners lists the processes that have subscribers. PUBLISH
//     records its message in pubsub_messages only when another process
//     listens; the table keeps the last msgWindow messages.
//   - A process with blocked clients or subscribers polls PRAGMA
//     data_version on a connection of its own, which changes only when
//     another connection committed, and only then reads the new rows. The
//     poll backs off from pollMin to pollMax while nothing arrives, so idle
//     waiters cost a few dozen cheap pragma calls a second per process, and a
//     write made elsewhere is seen within pollMax.
//   - Rows carry a lease the owner renews while it runs: the rows of a
//     process that died stop counting after leaseTTL.
//
// A subscriber that falls more than msgWindow messages behind (a process
// stalled for a long time) has lost messages: like a client over its output
// buffer limit, its subscriptions are dropped rather than silently thinned.
const (
	pollMin    = time.Millisecond
	pollMax    = 20 * time.Millisecond
	leaseTTL   = 60 * time.Second
	leaseRenew = 15 * time.Second
	idleGrace  = time.Second // interest must be gone this long before rows are dropped
	msgWindow  = 10000
	msgBatch   = 1000
)

func init() {
	addMigration(4, `
CREATE TABLE wait_keys(
	db          INTEGER NOT NULL,
	key         BLOB    NOT NULL,
	owner       INTEGER NOT NULL, -- the waiting process: a random id per open database
	lease_until INTEGER NOT NULL, -- unix ms, renewed while the owner runs
	PRIMARY KEY(db, key, owner)
) WITHOUT ROWID;

-- The last write to each waited key, numbered: pollers read what is newer
-- than what they saw. One row per key, so the table stays small. Written by
-- the keys_signal_* triggers (signalTriggers), which exist only while some
-- process waits.
CREATE TABLE key_signals(
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	db  INTEGER NOT NULL,
	key BLOB    NOT NULL
);
CREATE UNIQUE INDEX key_signals_key ON key_signals(db, key);

CREATE TABLE pubsub_listeners(
	owner       INTEGER PRIMARY KEY,
	lease_until INTEGER NOT NULL
);

CREATE TABLE pubsub_messages(
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	owner   INTEGER NOT NULL, -- the publishing process, which delivered it itself
	shard   INTEGER NOT NULL, -- 1 for SPUBLISH
	channel BLOB    NOT NULL,
	message BLOB    NOT NULL
);
`)
}

// signalTriggers note writes to waited keys in key_signals. A trigger costs
// every write to keys about 0.4 µs even when its WHEN clause is false, so
// they are created (with the first wait_keys row) only while some process
// waits, and dropped with the last row. Both happen inside the transaction
// that changes wait_keys: a writer in any process sees the triggers in the
// first transaction that starts after a wait is registered. Deletions wake
// nobody in Redis 7.0, so they have no trigger.
const signalTriggers = `
CREATE TRIGGER IF NOT EXISTS keys_signal_insert AFTER INSERT ON keys
WHEN EXISTS (SELECT 1 FROM wait_keys WHERE db = new.db AND key = new.key)
BEGIN
	DELETE FROM key_signals WHERE db = new.db AND key = new.key;
	INSERT INTO key_signals(db, key) VALUES(new.db, new.key);
END;
CREATE TRIGGER IF NOT EXISTS keys_signal_update AFTER UPDATE ON keys
WHEN EXISTS (SELECT 1 FROM wait_keys WHERE db = new.db AND key = new.key)
BEGIN
	DELETE FROM key_signals WHERE db = new.db AND key = new.key;
	INSERT INTO key_signals(db, key) VALUES(new.db, new.key);
END;`

const dropSignalTriggers = `DROP TRIGGER IF EXISTS keys_signal_insert; DROP TRIGGER IF EXISTS keys_signal_update;`

// execDDL runs schema statements inside tx (uncached: they change the
// schema they would be cached against).
func execDDL(tx *Tx, q string) {
	if tx.err != nil {
		return
	}
	if err := tx.c.execScript(q); err != nil {
		tx.fail(err)
	}
}

// ensureSignalTriggers creates the triggers when they are missing.
func ensureSignalTriggers(tx *Tx) {
	n := tx.queryInt(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('keys_signal_insert', 'keys_signal_update')`, 0)
	if n < 2 {
		execDDL(tx, signalTriggers)
	}
}

// crossProc is a DB's side of the cross-process signals.
type crossProc struct {
	db    *DB
	on    bool // false in memory: no other process can share the data
	owner int64

	mu         sync.Mutex // guards conn and the poll state below
	conn       *sqlConn   // private: its data_version moves only on others' commits
	version    int64      // data_version when last read
	lisVersion int64      // data_version when remote listeners were last counted
	lisKnown   bool
	lisRemote  bool
	keySeq     int64 // key_signals rows up to here are handled
	keySeqSet  bool
	own        map[int64]struct{} // key_signals rows written by this process
	msgSeq     int64              // pubsub_messages rows up to here are handled

	regMu    sync.Mutex  // orders listener (de)registration with subscribing
	listener atomic.Bool // our pubsub_listeners row exists

	startOnce sync.Once
	started   atomic.Bool
	kick      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	stopOnce  sync.Once
	waitsLeft atomic.Bool // a waiter left: its wait_keys rows may be stale
	wrote     atomic.Bool // this process wrote rows of its own (Close removes them)
}

func newCrossProc(db *DB) *crossProc {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &crossProc{
		db: db, on: !db.memory, owner: int64(binary.LittleEndian.Uint64(b[:]) >> 1),
		own: map[int64]struct{}{}, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// interested reports whether this process has blocked clients or subscribers.
func (x *crossProc) interested() bool {
	return x.db.blockedWaiters.Load() > 0 || x.db.hub.listening.Load() > 0
}

// start runs the poller's loop for a file shared with other processes
// (Open). While nothing waits in this process it sleeps, waking once per
// leaseTTL to remove what dead processes left behind.
func (x *crossProc) start() {
	if x.on {
		x.startOnce.Do(func() {
			x.started.Store(true)
			go x.loop()
		})
	}
}

// interestChanged wakes the poller: a client blocked or subscribed, or the
// last one left.
func (x *crossProc) interestChanged() {
	if !x.on {
		return
	}
	select {
	case x.kick <- struct{}{}:
	default:
	}
}

// waiterLeft notes that a blocked client stopped waiting.
func (x *crossProc) waiterLeft() {
	if x.on {
		x.waitsLeft.Store(true)
		if x.db.blockedWaiters.Load() == 0 {
			x.interestChanged()
		}
	}
}

// shutdown stops the poller and removes this process' rows (DB.Close).
func (x *crossProc) shutdown() {
	if !x.started.Load() {
		return
	}
	x.stopOnce.Do(func() { close(x.stop) })
	<-x.done
}

func (x *crossProc) loop() {
	defer close(x.done)
	t := time.NewTimer(0) // the first round at once: purge what dead processes left
	defer t.Stop()
	interval := pollMin
	var lastPurge, idleSince time.Time
	lastRenew, lastCleanup := time.Now(), time.Now()
	for {
		select {
		case <-x.stop:
			x.cleanup(true)
			return
		case <-x.kick:
			interval = pollMin
		case <-t.C:
		}
		now := time.Now()
		if now.Sub(lastPurge) >= leaseTTL {
			x.purgeExpired()
			lastPurge = now
		}
		if x.interested() {
			idleSince = time.Time{}
			x.ensureListener()
			if x.poll() {
				interval = pollMin
			} else {
				interval = min(2*interval, pollMax)
			}
			if since := now.Sub(lastRenew); since >= leaseRenew {
				x.renew()
				lastRenew = now
				if since >= leaseTTL {
					// This process stalled past its lease: another may have
					// removed our rows and missed signals went unrecorded.
					// Let every waiter look again.
					x.db.waiters.signal(-1, "")
				}
			}
			if x.waitsLeft.Load() && now.Sub(lastCleanup) >= idleGrace {
				x.cleanup(false)
				lastCleanup = now
			}
			t.Reset(interval)
			continue
		}
		// Nothing waits here: after a grace period (a client that blocks
		// again at once finds its rows) drop our rows, then sleep until
		// some interest comes back or the next purge.
		if idleSince.IsZero() {
			idleSince = now
		}
		idle := now.Sub(idleSince)
		if idle >= idleGrace && (x.listener.Load() || x.waitsLeft.Load()) {
			x.cleanup(false)
		}
		next := leaseTTL - now.Sub(lastPurge)
		if idle < idleGrace {
			next = min(next, idleGrace-idle)
		}
		t.Reset(next)
	}
}

// connLocked returns the private connection, opening it on first use. x.mu
// must be held, and the caller must be inside db.enter (Close closes it with
// the others).
func (x *crossProc) connLocked() (*sqlConn, error) {
	if x.conn != nil {
		return x.conn, nil
	}
	c, err := openSQLConn(x.db.dsn())
	if err != nil {
		return nil, err
	}
	if err := c.execScript(x.db.pragmas(x.db.opts.ReaderCacheMB)); err != nil {
		_ = c.close()
		return nil, err
	}
	x.db.all = append(x.db.all, c)
	x.conn = c
	return c, nil
}

func dataVersion(c *sqlConn) (int64, error) {
	r, err := c.query(`PRAGMA data_version`)
	if err != nil {
		return 0, err
	}
	v := int64(0)
	if r.next() {
		v = r.int(0)
	}
	return v, r.close()
}

type remoteMsg struct {
	kind             subKind
	channel, message []byte
}

// poll reads what other processes wrote since the last poll and delivers
// it. It reports whether anything arrived.
func (x *crossProc) poll() bool {
	if !x.db.enter() {
		return false
	}
	defer x.db.leave()
	x.mu.Lock()
	c, err := x.connLocked()
	if err != nil {
		x.mu.Unlock()
		return false
	}
	if x.db.blockedWaiters.Load() == 0 {
		// Nothing waits: forget the position, the next waiter sets it.
		x.keySeqSet = false
		clear(x.own)
	}
	v, err := dataVersion(c)
	if err != nil || v == x.version {
		x.mu.Unlock()
		return false
	}
	var sigs []waitKey
	if x.keySeqSet {
		sigs, err = x.readSignalsLocked(c)
	}
	var msgs []remoteMsg
	lost, more := false, false
	if err == nil && x.listener.Load() {
		msgs, lost, more, err = x.readMessagesLocked(c)
	}
	if err == nil && !more {
		// Everything up to v is handled. With more messages left, the
		// next poll reads on without waiting for another commit.
		x.version = v
	}
	x.mu.Unlock()
	if err != nil {
		log.Printf("redlite: reading cross-process signals: %v", err)
		return false
	}
	for _, k := range sigs {
		x.db.waiters.signal(k.db, k.key)
	}
	if lost {
		log.Printf("redlite: subscribers fell more than %d messages behind other processes' publishers: subscriptions dropped", msgWindow)
		x.db.hub.overflowAll()
	}
	for _, m := range msgs {
		x.db.hub.publish(m.kind, m.channel, m.message)
	}
	return len(sigs) > 0 || len(msgs) > 0 || more
}

func (x *crossProc) readSignalsLocked(c *sqlConn) ([]waitKey, error) {
	r, err := c.query(`SELECT seq, db, key FROM key_signals WHERE seq > ? ORDER BY seq`, x.keySeq)
	if err != nil {
		return nil, err
	}
	var sigs []waitKey
	for r.next() {
		seq := r.int(0)
		x.keySeq = seq
		if _, mine := x.own[seq]; mine {
			continue // our own write: its waiters were woken directly
		}
		sigs = append(sigs, waitKey{int(r.int(1)), string(r.bytes(2))})
	}
	for seq := range x.own {
		if seq <= x.keySeq {
			delete(x.own, seq)
		}
	}
	return sigs, r.close()
}

func (x *crossProc) readMessagesLocked(c *sqlConn) (msgs []remoteMsg, lost, more bool, err error) {
	r, err := c.query(`SELECT seq, owner, shard, channel, message FROM pubsub_messages WHERE seq > ? ORDER BY seq LIMIT ?`,
		x.msgSeq, msgBatch)
	if err != nil {
		return nil, false, false, err
	}
	n := 0
	for r.next() {
		seq := r.int(0)
		if n == 0 && seq != x.msgSeq+1 {
			// Message numbers have no holes: the ones between were
			// trimmed before this process read them.
			lost = true
		}
		n++
		x.msgSeq = seq
		if r.int(1) == x.owner {
			continue
		}
		kind := subChannel
		if r.int(2) != 0 {
			kind = subShard
		}
		msgs = append(msgs, remoteMsg{kind, r.bytes(3), r.bytes(4)})
	}
	return msgs, lost, n == msgBatch, r.close()
}

// remoteListeners reports whether another process has subscribers. The
// answer is cached until another connection commits. The caller must be
// inside db.enter.
func (x *crossProc) remoteListeners() bool {
	if !x.on {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := x.connLocked()
	if err != nil {
		return false
	}
	v, err := dataVersion(c)
	if err != nil {
		return false
	}
	if x.lisKnown && v == x.lisVersion {
		return x.lisRemote
	}
	r, err := c.query(`SELECT EXISTS(SELECT 1 FROM pubsub_listeners WHERE owner != ? AND lease_until > ?)`,
		x.owner, time.Now().UnixMilli())
	if err != nil {
		return false
	}
	remote := r.next() && r.int(0) != 0
	if r.close() != nil {
		return false
	}
	x.lisVersion, x.lisKnown, x.lisRemote = v, true, remote
	return remote
}

// recordMessage stores a message for other processes' subscribers, in tx,
// and trims the table to its window.
func (x *crossProc) recordMessage(tx *Tx, kind subKind, channel, message []byte) {
	_, seq := tx.exec(`INSERT INTO pubsub_messages(owner, shard, channel, message) VALUES(?, ?, ?, ?)`,
		x.owner, kind == subShard, channel, message)
	if seq > msgWindow {
		tx.exec(`DELETE FROM pubsub_messages WHERE seq <= ?`, seq-msgWindow)
	}
}

// whileListening runs a subscribe with this process registered as a
// listener first. register is false inside a transaction (EXEC, an
// interactive transaction): the caller holds the writer, which the
// registration needs, so the poller registers the process shortly after
// instead (it checks on every round).
func (x *crossProc) whileListening(register bool, fn func() resp.Value) resp.Value {
	if !x.on || !register {
		v := fn()
		x.interestChanged()
		return v
	}
	x.regMu.Lock()
	defer x.regMu.Unlock()
	if !x.listener.Load() {
		x.registerListenerLocked()
	}
	return fn()
}

// ensureListener registers the process as a listener when it has
// subscribers and is not registered (after a SUBSCRIBE inside EXEC).
func (x *crossProc) ensureListener() {
	if x.listener.Load() || x.db.hub.listening.Load() == 0 || !x.db.enter() {
		return
	}
	defer x.db.leave()
	x.regMu.Lock()
	defer x.regMu.Unlock()
	if !x.listener.Load() && x.db.hub.listening.Load() > 0 {
		x.registerListenerLocked()
	}
}

// registerListenerLocked writes our pubsub_listeners row; regMu must be
// held, and the caller inside db.enter.
func (x *crossProc) registerListenerLocked() {
	tx := &Tx{store: x.db}
	tx.Now = time.Now().UnixMilli()
	var seq int64
	x.wrote.Store(true)
	v := x.db.write(tx, func(tx *Tx) resp.Value {
		tx.exec(`INSERT INTO pubsub_listeners(owner, lease_until) VALUES(?, ?)
			ON CONFLICT(owner) DO UPDATE SET lease_until = excluded.lease_until`, x.owner, tx.Now+leaseTTL.Milliseconds())
		seq = tx.queryInt(`SELECT seq FROM sqlite_sequence WHERE name = 'pubsub_messages'`, 0)
		return resp.OK()
	})
	if v.IsError() {
		log.Printf("redlite: registering for cross-process messages: %s", v.Str)
		return
	}
	x.mu.Lock()
	x.msgSeq = seq
	x.mu.Unlock()
	x.listener.Store(true)
}

// registerWaits records, in the transaction of a blocked command's try,
// that this process waits on keys of database db. A write to them by any
// process, committed after this transaction, leaves a key_signals row.
func (x *crossProc) registerWaits(tx *Tx, db int, keys [][]byte) {
	if !x.on {
		return
	}
	lease := tx.Now + leaseTTL.Milliseconds()
	x.wrote.Store(true)
	ensureSignalTriggers(tx)
	for _, k := range keys {
		tx.exec(`INSERT INTO wait_keys(db, key, owner, lease_until) VALUES(?, ?, ?, ?)
			ON CONFLICT(db, key, owner) DO UPDATE SET lease_until = excluded.lease_until`, db, k, x.owner, lease)
	}
	seq := tx.queryInt(`SELECT seq FROM sqlite_sequence WHERE name = 'key_signals'`, 0)
	x.mu.Lock()
	if !x.keySeqSet || seq < x.keySeq {
		x.keySeq, x.keySeqSet = seq, true
	}
	x.mu.Unlock()
}

// ownSignal is called by a write to key (db) while clients of this process
// wait on it: it returns the key_signals row the triggers just wrote, so the
// poller does not wake them a second time, or 0.
func (x *crossProc) ownSignal(tx *Tx, db int, key []byte) int64 {
	if !x.on || !x.db.waiters.has(db, string(key)) {
		return 0
	}
	return tx.queryInt(`SELECT seq FROM key_signals WHERE db = ? AND key = ?`, 0, db, key)
}

// noteOwn records a committed key_signals row of ours.
func (x *crossProc) noteOwn(seq int64) {
	x.mu.Lock()
	if x.keySeqSet && seq > x.keySeq {
		x.own[seq] = struct{}{}
	}
	x.mu.Unlock()
}

// renew extends the leases of our rows, re-creating any that another
// process removed as expired, and removes other processes' expired rows.
func (x *crossProc) renew() {
	if !x.db.enter() {
		return
	}
	defer x.db.leave()
	x.regMu.Lock()
	defer x.regMu.Unlock()
	if !x.listener.Load() && x.db.hub.listening.Load() > 0 {
		x.registerListenerLocked()
	}
	keys := x.db.waiters.keys()
	lostListener := false
	tx := &Tx{store: x.db}
	tx.Now = time.Now().UnixMilli()
	lease := tx.Now + leaseTTL.Milliseconds()
	x.db.write(tx, func(tx *Tx) resp.Value {
		tx.exec(`DELETE FROM wait_keys WHERE lease_until < ?`, tx.Now)
		tx.exec(`DELETE FROM pubsub_listeners WHERE lease_until < ?`, tx.Now)
		if len(keys) > 0 {
			ensureSignalTriggers(tx)
		}
		for _, k := range keys {
			tx.exec(`INSERT INTO wait_keys(db, key, owner, lease_until) VALUES(?, ?, ?, ?)
				ON CONFLICT(db, key, owner) DO UPDATE SET lease_until = excluded.lease_until`, k.db, []byte(k.key), x.owner, lease)
		}
		if x.listener.Load() {
			n, _ := tx.exec(`UPDATE pubsub_listeners SET lease_until = ? WHERE owner = ?`, lease, x.owner)
			if n == 0 {
				// Our row expired (this process stalled past the lease):
				// messages published meanwhile were not kept for us.
				lostListener = true
				tx.exec(`INSERT INTO pubsub_listeners(owner, lease_until) VALUES(?, ?)`, x.owner, lease)
			}
		}
		return resp.OK()
	})
	if lostListener {
		log.Printf("redlite: this process' pub/sub registration expired: subscriptions dropped")
		x.db.hub.overflowAll()
	}
}

// purgeExpired removes the rows of processes whose lease ran out (they
// died without closing), so writes stop paying for their triggers and
// publishers stop keeping messages for them.
func (x *crossProc) purgeExpired() {
	if !x.db.enter() {
		return
	}
	defer x.db.leave()
	now := time.Now().UnixMilli()
	x.mu.Lock()
	c, err := x.connLocked()
	stale := false
	if err == nil {
		var r *rows
		r, err = c.query(`SELECT EXISTS(SELECT 1 FROM wait_keys WHERE lease_until < ?) OR EXISTS(SELECT 1 FROM pubsub_listeners WHERE lease_until < ?) OR `+sqlWatchPurgeDue, now, now, now)
		if err == nil {
			stale = r.next() && r.int(0) != 0
			err = r.close()
		}
	}
	x.mu.Unlock()
	if err != nil || !stale {
		return
	}
	tx := &Tx{store: x.db}
	tx.Now = now
	x.db.write(tx, func(tx *Tx) resp.Value {
		tx.exec(`DELETE FROM wait_keys WHERE lease_until < ?`, tx.Now)
		tx.exec(`DELETE FROM pubsub_listeners WHERE lease_until < ?`, tx.Now)
		x.dropUnusedLocked(tx)
		purgeWatchRows(tx)
		return resp.OK()
	})
}

// dropUnusedLocked removes the triggers when nobody waits any more and the
// kept messages when nobody listens, in tx.
func (x *crossProc) dropUnusedLocked(tx *Tx) {
	if tx.queryInt(`SELECT count(*) FROM wait_keys`, 0) == 0 {
		// Nobody waits in any process: writes stop paying for the
		// triggers.
		if tx.queryInt(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('keys_signal_insert', 'keys_signal_update')`, 0) > 0 {
			execDDL(tx, dropSignalTriggers)
		}
		tx.exec(`DELETE FROM key_signals`)
	}
	if tx.queryInt(`SELECT count(*) FROM pubsub_listeners`, 0) == 0 {
		tx.exec(`DELETE FROM pubsub_messages`)
	}
}

// cleanup removes the wait_keys rows of keys nobody here waits on any more
// and, without subscribers here (or when closing), the listener row.
func (x *crossProc) cleanup(final bool) {
	if !x.wrote.Load() || !x.db.enter() {
		return
	}
	defer x.db.leave()
	x.regMu.Lock()
	defer x.regMu.Unlock()
	x.waitsLeft.Store(false)
	dropListener := x.listener.Load() && (final || x.db.hub.listening.Load() == 0)
	tx := &Tx{store: x.db}
	tx.Now = time.Now().UnixMilli()
	v := x.db.write(tx, func(tx *Tx) resp.Value {
		var stale []waitKey
		tx.query(`SELECT db, key FROM wait_keys WHERE owner = ?`, args(x.owner), func(r *rows) bool {
			stale = append(stale, waitKey{int(r.int(0)), string(r.bytes(1))})
			return true
		})
		for _, k := range stale {
			// Checked inside the write: a client that starts waiting now
			// registers after this transaction and re-creates its row.
			if final || !x.db.waiters.has(k.db, k.key) {
				tx.exec(`DELETE FROM wait_keys WHERE db = ? AND key = ? AND owner = ?`, k.db, []byte(k.key), x.owner)
			}
		}
		if dropListener {
			tx.exec(`DELETE FROM pubsub_listeners WHERE owner = ?`, x.owner)
		}
		x.dropUnusedLocked(tx)
		return resp.OK()
	})
	if dropListener && !v.IsError() {
		x.listener.Store(false)
	}
}
