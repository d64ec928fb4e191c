package core

import (
	"sync/atomic"
	"time"
)

// Checkpoints run in the background, off the write path. SQLite's automatic
// checkpoint runs inside the COMMIT that crosses its threshold, copying WAL
// pages into the database file and fsyncing it there: at a million keys that
// put milliseconds on random commands. So the writer never checkpoints
// (wal_autocheckpoint = 0), and a goroutine with its own connection runs
// PASSIVE checkpoints, which never block readers or the writer, once enough
// commits have piled up or a second has passed. If a checkpoint finds the
// WAL past walFramesLimit (readers pinning old frames, a long burst), it runs
// a RESTART checkpoint, which waits for them, so the WAL stays bounded.
// Durability is unchanged: a commit is in the WAL before it is acknowledged.

const (
	checkpointCommits  = 1000        // commits between checkpoints (>= 1000 pages, ~4 MB)
	checkpointInterval = time.Second // at most this long between checkpoints of pending commits
	checkpointPoll     = 25 * time.Millisecond
	walFramesLimit     = 64 << 10 // 64k frames, 256 MB of 4 KB pages
)

type checkpointer struct {
	db      *DB
	conn    *sqlConn
	commits *atomic.Int64 // the writer's commit counter
	stop    chan struct{}
	done    chan struct{}
}

func (db *DB) startCheckpointer(c *sqlConn) {
	cp := &checkpointer{db: db, conn: c, commits: &db.w.commits, stop: make(chan struct{}), done: make(chan struct{})}
	db.ckpt = cp
	go cp.loop()
}

func (cp *checkpointer) loop() {
	defer close(cp.done)
	t := time.NewTicker(checkpointPoll)
	defer t.Stop()
	var done int64
	last := time.Now()
	for {
		select {
		case <-cp.stop:
			return
		case <-t.C:
		}
		cp.db.coolReaders()
		n := cp.commits.Load()
		if n == done || (n-done < checkpointCommits && time.Since(last) < checkpointInterval) {
			continue
		}
		done, last = n, time.Now()
		cp.checkpoint()
	}
}

// checkpoint runs one PASSIVE checkpoint, and a RESTART one when the WAL
// has grown past its bound. Errors are not fatal: the next round retries,
// and Close checkpoints everything.
func (cp *checkpointer) checkpoint() {
	frames := int64(-1)
	r, err := cp.conn.query(`PRAGMA wal_checkpoint(PASSIVE)`)
	if err != nil {
		return
	}
	if r.next() {
		frames = r.int(1)
	}
	_ = r.close()
	if frames > walFramesLimit {
		_ = cp.db.withColdReaders(func() error { return cp.conn.execScript(`PRAGMA wal_checkpoint(RESTART)`) })
	}
}

func (cp *checkpointer) shutdown() {
	close(cp.stop)
	<-cp.done
}
