package core

import (
	"time"

	"github.com/redlite/redlite/core/resp"
)

// sweepBatch bounds the keys one sweep deletes, so a sweep holds the write
// lock for a short, bounded time even when millions of keys expire at once.
const sweepBatch = 200

// sweepLoop removes expired keys in the background. Reads already ignore
// expired keys; sweeping reclaims their space and sends "expired" events.
// When a batch comes back full the next one follows at once.
func (db *DB) sweepLoop() {
	defer close(db.sweepDone)
	t := time.NewTimer(db.opts.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-db.stopSweep:
			return
		case <-t.C:
		}
		n := db.sweepOnce()
		next := db.opts.SweepInterval
		if n == sweepBatch {
			next = time.Millisecond
		}
		t.Reset(next)
	}
}

// sweepOnce deletes up to sweepBatch expired keys and returns how many.
func (db *DB) sweepOnce() int {
	if !db.enter() {
		return 0
	}
	defer db.leave()
	tx := &Tx{store: db}
	tx.Now = time.Now().UnixMilli()
	deleted := 0
	db.write(tx, func(tx *Tx) resp.Value {
		type victim struct {
			id, db int64
			key    []byte
		}
		var victims []victim
		tx.query(`SELECT id, db, key FROM keys WHERE expire_at <= ? ORDER BY expire_at LIMIT ?`,
			args(tx.Now, sweepBatch), func(r *rows) bool {
				victims = append(victims, victim{r.int(0), r.int(1), r.bytes(2)})
				return true
			})
		for _, v := range victims {
			tx.DB = int(v.db)
			tx.deleteExpired(v.id, v.key)
		}
		deleted = len(victims)
		return resp.OK()
	})
	return deleted
}
