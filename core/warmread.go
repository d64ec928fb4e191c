package core

/*
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_prepare_v3(sqlite3*, const char*, int, unsigned int, sqlite3_stmt**, const char**);
int sqlite3_step(sqlite3_stmt*);
int sqlite3_reset(sqlite3_stmt*);
int sqlite3_finalize(sqlite3_stmt*);
int sqlite3_file_control(sqlite3*, const char*, int, void*);
int sqlite3_get_autocommit(sqlite3*);

#include <stdlib.h>
#include <string.h>

// The start of sqlite3_file and sqlite3_io_methods (version 2 and up), as
// sqlite3.h declares them: SQLite's VFS interface is a stable ABI.
struct rl_file;
struct rl_io_methods {
	int iVersion;
	int (*xClose)(struct rl_file*);
	int (*xRead)(struct rl_file*, void*, int, long long);
	int (*xWrite)(struct rl_file*, const void*, int, long long);
	int (*xTruncate)(struct rl_file*, long long);
	int (*xSync)(struct rl_file*, int);
	int (*xFileSize)(struct rl_file*, long long*);
	int (*xLock)(struct rl_file*, int);
	int (*xUnlock)(struct rl_file*, int);
	int (*xCheckReservedLock)(struct rl_file*, int*);
	int (*xFileControl)(struct rl_file*, int, void*);
	int (*xSectorSize)(struct rl_file*);
	int (*xDeviceCharacteristics)(struct rl_file*);
	int (*xShmMap)(struct rl_file*, int, int, int, void volatile**);
};
struct rl_file { const struct rl_io_methods *pMethods; };

#define RL_FCNTL_FILE_POINTER 7   // SQLITE_FCNTL_FILE_POINTER
#define RL_WALINDEX_PGSZ 32768    // the WAL index's region size
#define RL_WAL_HDR 48             // sizeof(WalIndexHdr)

// redlite_wal_header returns the WAL index header of db's main file (the
// first of its two copies, the one a commit writes last), or NULL when the
// file has no shared memory mapped (not in WAL mode, or no read yet).
static const volatile void *redlite_wal_header(void *db) {
	struct rl_file *f = 0;
	if (sqlite3_file_control((sqlite3*)db, "main", RL_FCNTL_FILE_POINTER, &f) != 0 || !f || !f->pMethods)
		return 0;
	if (f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
		return 0;
	void volatile *p = 0;
	if (f->pMethods->xShmMap(f, 0, RL_WALINDEX_PGSZ, 0, &p) != 0)
		return 0;
	return p;
}

// redlite_read_fresh makes sure the connection is in a read transaction
// whose snapshot is the newest commit. With one open (*open) whose header
// copy still matches the shared one, nothing has been committed since it
// began, so it is kept. Otherwise the old one ends and a new one begins,
// the header being copied first: the snapshot is taken at the first read
// after BEGIN, so it is never older than the copy. Returns 0 or a SQLite
// error code.
static int redlite_read_fresh(sqlite3_stmt *begin, sqlite3_stmt *commit, const volatile void *hdr,
                              char *saved, int *open) {
	if (*open) {
		if (hdr) {
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			if (memcmp((const void *)hdr, saved, RL_WAL_HDR) == 0) return 0;
		}
		int rc = sqlite3_step(commit);
		sqlite3_reset(commit);
		*open = 0;
		if (rc != 101) return rc;
	}
	if (hdr) {
		memcpy(saved, (const void *)hdr, RL_WAL_HDR);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	}
	int rc = sqlite3_step(begin);
	sqlite3_reset(begin);
	if (rc != 101) return rc;
	*open = 1;
	return 0;
}

static int redlite_read_end(sqlite3_stmt *commit, int *open) {
	if (!*open) return 0;
	int rc = sqlite3_step(commit);
	sqlite3_reset(commit);
	*open = 0;
	return rc == 101 ? 0 : rc;
}

static int redlite_prepare_plain(void *db, const char *sql, sqlite3_stmt **st) {
	return sqlite3_prepare_v3((sqlite3*)db, sql, -1, 1, st, 0);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// warmRead keeps a reader connection's read transaction open between
// commands while nothing has been committed.
type warmRead struct {
	db            unsafe.Pointer
	begin, commit *C.sqlite3_stmt
	hdr           unsafe.Pointer // the shared WAL index header, nil until mapped
	saved         [48]byte
	open          C.int
	epoch         uint64
	used          bool
}

func newWarmRead(c *sqlConn) (*warmRead, error) {
	db, err := sqlHandle(c.c)
	if err != nil {
		return nil, err
	}
	w := &warmRead{db: db}
	for _, p := range []struct {
		q  string
		st **C.sqlite3_stmt
	}{{"BEGIN", &w.begin}, {"COMMIT", &w.commit}} {
		q := C.CString(p.q)
		rc := C.redlite_prepare_plain(db, q, p.st)
		C.free(unsafe.Pointer(q))
		if rc != 0 {
			w.close()
			return nil, fmt.Errorf("prepare %s: code %d", p.q, int(rc))
		}
	}
	return w, nil
}

func (w *warmRead) close() {
	if w == nil {
		return
	}
	for _, st := range []**C.sqlite3_stmt{&w.begin, &w.commit} {
		if *st != nil {
			C.sqlite3_finalize(*st)
			*st = nil
		}
	}
}

// fresh makes sure a read transaction on the newest snapshot is open.
func (w *warmRead) fresh(epoch uint64) error {
	if w.open != 0 && w.epoch != epoch {
		if err := w.end(); err != nil {
			return err
		}
	}
	if w.hdr == nil && w.used {
		// After the connection's first read its WAL index is mapped.
		w.hdr = unsafe.Pointer(C.redlite_wal_header(w.db))
	}
	w.used = true
	if rc := C.redlite_read_fresh(w.begin, w.commit, w.hdr, (*C.char)(unsafe.Pointer(&w.saved[0])), &w.open); rc != 0 {
		return sqliteError(int(rc), "read transaction")
	}
	w.epoch = epoch
	return nil
}

func (w *warmRead) end() error {
	if rc := C.redlite_read_end(w.commit, &w.open); rc != 0 {
		return sqliteError(int(rc), "end read transaction")
	}
	return nil
}

// coolReaders ends the read transactions the idle readers keep, and makes
// the busy ones begin a new one at their next command. A kept transaction
// pins its snapshot: checkpoints cannot copy frames committed after it
// into the database file, nor start the WAL over, while it lasts. The
// checkpointer calls this on every round, which bounds that to one round
// (checkpointPoll).
func (db *DB) coolReaders() {
	db.readEpoch.Add(1)
	db.readers.eachIdle(func(c *sqlConn) { _ = c.warm.end() })
}

// withColdReaders runs fn, a checkpoint that waits for every reader of the
// WAL to finish, while readers keep no read transaction between commands.
func (db *DB) withColdReaders(fn func() error) error {
	db.coldReads.Add(1)
	defer db.coldReads.Add(-1)
	db.coolReaders()
	return fn()
}
