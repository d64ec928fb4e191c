package core

import "github.com/redlite/redlite/core/resp"

// keyInfo is a key's row in the keys table.
type keyInfo struct {
	ID      int64
	Type    int64
	Expire  int64 // absolute unix ms; 0 means no expiry
	Version int64
	Count   int64 // element count for collections
}

// The errors every type shares.
var (
	errWrongType = resp.Err("WRONGTYPE Operation against a key holding the wrong kind of value")
	errNoSuchKey = resp.Err("ERR no such key")
	errSyntax    = resp.Err("ERR syntax error")
	errNotInt    = resp.Err("ERR value is not an integer or out of range")
	errNotFloat  = resp.Err("ERR value is not a valid float")
	errOverflow  = resp.Err("ERR increment or decrement would overflow")
)

const sqlLookupKey = `SELECT id, type, expire_at, version, count FROM keys WHERE db = ? AND key = ?`

func scanKeyInfo(r *rows) keyInfo {
	return keyInfo{ID: r.int(0), Type: r.int(1), Expire: r.int(2), Version: r.int(3), Count: r.int(4)}
}

func (k keyInfo) expired(now int64) bool { return k.Expire != 0 && k.Expire <= now }

// lookupAny returns the key's row even when it has expired.
func (tx *Tx) lookupAny(key []byte) (k keyInfo, found bool) {
	found = tx.queryRow(sqlLookupKey, args(tx.DB, key), func(r *rows) { k = scanKeyInfo(r) })
	return k, found
}

// lookup returns the key if it exists and has not expired, and counts the
// read in INFO's keyspace_hits or keyspace_misses. Reads never see an
// expired key, whether or not the sweeper has removed it yet.
func (tx *Tx) lookup(key []byte) (keyInfo, bool) {
	k, found := tx.liveKey(key)
	tx.countRead(found)
	return k, found
}

// liveKey is lookup without the statistics, for looking keys up on the
// engine's own behalf (key-miss events) rather than the command's.
func (tx *Tx) liveKey(key []byte) (keyInfo, bool) {
	k, found := tx.lookupAny(key)
	if !found || k.expired(tx.Now) {
		return keyInfo{}, false
	}
	return k, true
}

// readRow reports whether a key row a read command found (found, with its
// expire_at) is live, and counts the read.
func (tx *Tx) readRow(found bool, expire int64) bool {
	live := found && (expire == 0 || expire > tx.Now)
	tx.countRead(live)
	return live
}

// countRead keeps keyspace_hits and keyspace_misses as Redis does: every
// key a command looks up to read counts. Lookups in the writer's
// transactions (a write command finding its key) do not.
func (tx *Tx) countRead(hit bool) {
	switch {
	case tx.write:
	case hit:
		tx.store.stats.hits.Add(1)
	default:
		tx.store.stats.misses.Add(1)
	}
}

// lookupType returns the live key and whether it holds typ. wrongType is
// true when the key exists with another type.
func (tx *Tx) lookupType(key []byte, typ int64) (k keyInfo, found bool, wrongType bool) {
	k, found = tx.lookup(key)
	if found && k.Type != typ {
		return k, true, true
	}
	return k, found, false
}

// lookupWrite is lookup for a command about to write: an expired key is
// deleted now, so the caller can create the key afresh (with a new id, so
// WATCH sees the change).
func (tx *Tx) lookupWrite(key []byte) (keyInfo, bool) {
	k, found := tx.lookupAny(key)
	if !found {
		return keyInfo{}, false
	}
	if k.expired(tx.Now) {
		tx.deleteExpired(k.ID, key)
		return keyInfo{}, false
	}
	return k, true
}

// lookupWriteType is lookupWrite with a type check.
func (tx *Tx) lookupWriteType(key []byte, typ int64) (k keyInfo, found bool, wrongType bool) {
	k, found = tx.lookupWrite(key)
	if found && k.Type != typ {
		return k, true, true
	}
	return k, found, false
}

// createKey inserts a new key of type typ (expire 0 = none) and returns its
// id. It sends the "new" keyspace event.
func (tx *Tx) createKey(key []byte, typ int64, expire int64, value []byte) int64 {
	id := tx.replaceKey(key, typ, expire, value)
	tx.notify(notifyNew, "new", key)
	return id
}

// tryCreateKey is createKey when the name is free: it creates nothing when
// any key holds the name, even an expired one, and reports whether it
// created the key.
func (tx *Tx) tryCreateKey(key []byte, typ int64, expire int64, value []byte) bool {
	var val any
	if typ == TypeString {
		val = value
	}
	if !tx.queryRow(`INSERT INTO keys(db, key, type, expire_at, version, count, value) VALUES(?, ?, ?, ?, 1, 0, ?)
		ON CONFLICT(db, key) DO NOTHING RETURNING id`,
		args(tx.DB, key, typ, nullInt{expire, expire != 0}, val), nil) {
		return false
	}
	tx.keyChanged(key)
	tx.notify(notifyNew, "new", key)
	return true
}

// replaceKey is createKey for a key that replaces one just deleted (SET over
// another type): Redis overwrites the value and sends no "new" event.
func (tx *Tx) replaceKey(key []byte, typ int64, expire int64, value []byte) int64 {
	var val any
	if typ == TypeString {
		val = value
	}
	_, id := tx.exec(`INSERT INTO keys(db, key, type, expire_at, version, count, value) VALUES(?, ?, ?, ?, 1, 0, ?)`,
		tx.DB, key, typ, nullInt{expire, expire != 0}, val)
	tx.keyChanged(key)
	return id
}

// deleteKey removes a key and, through the delete triggers, its contents.
func (tx *Tx) deleteKey(id int64, key []byte) {
	tx.exec(`DELETE FROM keys WHERE id = ?`, id)
	tx.keyChanged(key)
}

// deleteExpired removes a key found expired and sends the "expired" event.
func (tx *Tx) deleteExpired(id int64, key []byte) {
	tx.exec(`DELETE FROM keys WHERE id = ?`, id)
	if tx.store.watched.n.Load() > 0 {
		tx.store.watched.touchExpired(tx.DB, key)
	}
	tx.keyReady(key)
	tx.store.stats.expiredKeys.Add(1)
	tx.notify(notifyExpired, "expired", key)
}

// touchKey records a write to a collection key: its version moves on (so
// WATCH sees it) and its element count changes by delta. A collection whose
// count reaches zero is deleted, as Redis never keeps empty collections.
// It reports whether the key still exists.
func (tx *Tx) touchKey(k keyInfo, key []byte, delta int64) bool {
	if k.Count+delta <= 0 && k.Type != TypeString && k.Type != TypeStream {
		tx.deleteKey(k.ID, key)
		return false
	}
	tx.exec(`UPDATE keys SET version = version + 1, count = count + ? WHERE id = ?`, delta, k.ID)
	tx.keyChanged(key)
	return true
}

// setExpire sets or clears (0) a key's expiry.
func (tx *Tx) setExpire(id int64, expire int64) {
	tx.exec(`UPDATE keys SET expire_at = ?, version = version + 1 WHERE id = ?`, nullInt{expire, expire != 0}, id)
}

// keyChanged is called for every write to a key. It is where the signals
// that follow a write hang: blocked clients waiting on the key are woken
// once the transaction commits.
func (tx *Tx) keyChanged(key []byte) {
	if tx.store.watched.n.Load() > 0 {
		tx.store.watched.touch(tx.DB, key)
	}
	tx.keyReady(key)
}

// keyReady wakes the clients blocked on key once the transaction commits,
// without counting as a change for WATCH (Redis' signalKeyAsReady alone:
// XGROUP DESTROY wakes XREADGROUP to answer NOGROUP).
func (tx *Tx) keyReady(key []byte) {
	store := tx.store
	if store.blockedWaiters.Load() == 0 {
		return
	}
	db, k := tx.DB, string(key)
	// The triggers noted the write for other processes' waiters; when our
	// own wait on the key, remember the note so the poller skips it.
	own := store.xp.ownSignal(tx, db, key)
	tx.afterCommit(func() {
		if own != 0 {
			store.xp.noteOwn(own)
		}
		store.waiters.signal(db, k)
	})
}

// typeOps is what the generic key commands (COPY, OBJECT ENCODING) need
// from a data type. Each type's file registers its ops from init.
type typeOps struct {
	// copyContents duplicates the elements of key id from into key id to
	// (strings have none: their value is copied with the keys row).
	copyContents func(tx *Tx, from, to int64)
	// encoding answers OBJECT ENCODING with the name Redis would use for a
	// value of this size.
	encoding func(tx *Tx, k keyInfo) string
}

var typeRegistry = map[int64]*typeOps{}

func registerType(typ int64, ops *typeOps) {
	if _, dup := typeRegistry[typ]; dup {
		panic("redlite: type registered twice")
	}
	typeRegistry[typ] = ops
}
