package core

import (
	"crypto/rand"
	"encoding/binary"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// WATCH of a key that does not exist, across processes.
//
// A watched key that exists is checked at EXEC through its row: its id never
// repeats and its version moves on every write. A key that does not exist
// has no row to compare, and a key that another process creates and deletes
// again before EXEC leaves none either, though Redis counts that as a change.
// So WATCH records such a key in watch_absent, and triggers on keys, stored
// in the file and so run by every writer in every process, flag the row when
// the key comes into existence (created, renamed or moved into place).
// EXEC fails when its rows are flagged, or gone.
//
// The triggers cost every key creation a lookup in the (usually empty)
// watch_absent table, so, like the blocking signal triggers, they exist only
// while needed: the first registration creates them, and the periodic purge
// (crossProc.purgeExpired) drops them once the table is empty. Rows carry a
// lease so a process that dies leaves nothing behind for long; a WATCH held
// past its lease fails at EXEC, as nobody can vouch for the key any more.
const watchLease = 10 * time.Minute

func init() {
	addMigration(11, `
CREATE TABLE watch_absent(
	token       INTEGER NOT NULL, -- the watching session's registration
	db          INTEGER NOT NULL,
	key         BLOB    NOT NULL,
	lease_until INTEGER NOT NULL, -- unix ms
	changed     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY(token, db, key)
) WITHOUT ROWID;
CREATE INDEX watch_absent_key ON watch_absent(db, key);
`)
}

const watchTriggers = `
CREATE TRIGGER IF NOT EXISTS keys_watch_insert AFTER INSERT ON keys
WHEN EXISTS (SELECT 1 FROM watch_absent WHERE db = new.db AND key = new.key)
BEGIN UPDATE watch_absent SET changed = 1 WHERE db = new.db AND key = new.key; END;
CREATE TRIGGER IF NOT EXISTS keys_watch_arrive AFTER UPDATE OF db, key ON keys
WHEN EXISTS (SELECT 1 FROM watch_absent WHERE db = new.db AND key = new.key)
BEGIN UPDATE watch_absent SET changed = 1 WHERE db = new.db AND key = new.key; END;`

const sqlCountWatchTriggers = `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('keys_watch_insert', 'keys_watch_arrive')`

// registerAbsent records, in a write transaction, the watched keys that do
// not exist; it fills in the state of any that appeared since the read.
// From this transaction on, whoever creates one of them flags its row.
func (c *Call) registerAbsent(ws []watchedKey) resp.Value {
	s := c.S
	if s.watchToken == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		s.watchToken = int64(binary.LittleEndian.Uint64(b[:])>>1) | 1
	}
	token := s.watchToken
	return c.Write(func(tx *Tx) resp.Value {
		if tx.queryInt(sqlCountWatchTriggers, 0) < 2 {
			execDDL(tx, watchTriggers)
		}
		saved := tx.DB
		defer func() { tx.DB = saved }()
		lease := tx.Now + watchLease.Milliseconds()
		for i := range ws {
			w := &ws[i]
			tx.DB = w.db
			if k, ok := tx.lookup(w.key); ok {
				w.exists, w.id, w.version, w.expired = true, k.ID, k.Version, false
				continue
			}
			w.exists, w.registered = false, true
			tx.exec(`INSERT INTO watch_absent(token, db, key, lease_until) VALUES(?, ?, ?, ?)
				ON CONFLICT(token, db, key) DO UPDATE SET lease_until = excluded.lease_until`, token, w.db, w.key, lease)
		}
		return resp.OK()
	})
}

// absentIntact reports, inside EXEC's transaction, whether no watched key
// that was absent has come into existence since WATCH, and removes the
// session's rows.
func (tx *Tx) absentIntact(token int64, ws []watchedKey) bool {
	intact := true
	for _, w := range ws {
		if !w.registered {
			continue
		}
		if tx.queryInt(`SELECT changed FROM watch_absent WHERE token = ? AND db = ? AND key = ?`, 1, token, w.db, w.key) != 0 {
			intact = false
			break
		}
	}
	tx.exec(`DELETE FROM watch_absent WHERE token = ?`, token)
	return intact
}

// dropWatchRows removes the session's watch_absent rows (UNWATCH, DISCARD,
// RESET, Close): inside the interactive transaction that holds the writer,
// or in a write of their own.
func (s *Session) dropWatchRows() {
	token := s.watchToken
	s.watchToken = 0
	if s.itx != nil {
		_, _, _ = s.itx.exec(`DELETE FROM watch_absent WHERE token = ?`, token)
		return
	}
	if !s.store.enter() {
		return
	}
	defer s.store.leave()
	tx := &Tx{store: s.store, sess: s, Now: nowMillis()}
	s.store.write(tx, func(tx *Tx) resp.Value {
		tx.exec(`DELETE FROM watch_absent WHERE token = ?`, token)
		return resp.OK()
	})
}

// purgeWatchRows removes expired watch_absent rows and, when none are left,
// the triggers, in tx (the cross-process purge).
func purgeWatchRows(tx *Tx) {
	tx.exec(`DELETE FROM watch_absent WHERE lease_until < ?`, tx.Now)
	if tx.queryInt(`SELECT EXISTS(SELECT 1 FROM watch_absent)`, 1) == 0 && tx.queryInt(sqlCountWatchTriggers, 0) > 0 {
		execDDL(tx, `DROP TRIGGER IF EXISTS keys_watch_insert; DROP TRIGGER IF EXISTS keys_watch_arrive;`)
	}
}

// sqlWatchPurgeDue is true when purgeWatchRows has something to do.
const sqlWatchPurgeDue = `EXISTS(SELECT 1 FROM watch_absent WHERE lease_until < ?) OR
	(NOT EXISTS(SELECT 1 FROM watch_absent) AND (` + sqlCountWatchTriggers + `) > 0)`
