package core

/*
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_prepare_v3(sqlite3*, const char*, int, unsigned int, sqlite3_stmt**, const char**);
int sqlite3_bind_int64(sqlite3_stmt*, int, long long);
int sqlite3_bind_blob(sqlite3_stmt*, int, const void*, int, void(*)(void*));
int sqlite3_step(sqlite3_stmt*);
int sqlite3_reset(sqlite3_stmt*);
int sqlite3_finalize(sqlite3_stmt*);
int sqlite3_column_type(sqlite3_stmt*, int);
long long sqlite3_column_int64(sqlite3_stmt*, int);
const void *sqlite3_column_blob(sqlite3_stmt*, int);
int sqlite3_column_bytes(sqlite3_stmt*, int);
const char *sqlite3_errmsg(sqlite3*);

#include <stdlib.h>
#include <string.h>

// Values from sqlite3.h.
#define RL_SQLITE_ROW 100
#define RL_SQLITE_DONE 101
#define RL_SQLITE_NULL 5
#define RL_PREPARE_PERSISTENT 1

static int redlite_prepare(void *db, const char *sql, sqlite3_stmt **st) {
	return sqlite3_prepare_v3((sqlite3*)db, sql, -1, RL_PREPARE_PERSISTENT, st, 0);
}

// redlite_lookup runs the point lookup st (parameters: database index, key;
// columns: type, expire_at, value) for n keys packed in keys, key i being
// keys[off[i]..off[i+1]). For key i it sets res[4i] to 1 when there is a
// row, res[4i+1] to its type, res[4i+2] to expire_at (0 for NULL) and
// res[4i+3] to the value's length (-1 for NULL), and appends the value to out. It stops
// before a value that does not fit in the outcap bytes of out and returns
// how many keys it completed (its length is left in res for the caller to
// grow out); a negative result is -(SQLite error code) - 1.
static int redlite_lookup(sqlite3_stmt *st, long long dbi, const char *keys, const int *off, int n,
                          long long *res, char *out, int outcap) {
	int used = 0;
	for (int i = 0; i < n; i++) {
		long long *r = res + 4 * i;
		sqlite3_bind_int64(st, 1, dbi);
		sqlite3_bind_blob(st, 2, keys + off[i], off[i + 1] - off[i], 0);
		int rc = sqlite3_step(st);
		if (rc == RL_SQLITE_DONE) {
			r[0] = 0; r[1] = 0; r[2] = 0; r[3] = -1;
			sqlite3_reset(st);
			continue;
		}
		if (rc != RL_SQLITE_ROW) {
			sqlite3_reset(st);
			return -rc - 1;
		}
		r[0] = 1;
		r[1] = sqlite3_column_int64(st, 0);
		r[2] = sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 2) == RL_SQLITE_NULL) {
			r[3] = -1;
		} else {
			const void *v = sqlite3_column_blob(st, 2);
			int len = sqlite3_column_bytes(st, 2);
			r[3] = len;
			if (len > outcap - used) {
				sqlite3_reset(st);
				return i;
			}
			if (len > 0) memcpy(out + used, v, len);
			used += len;
		}
		sqlite3_reset(st);
	}
	return n;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/redlite/redlite/core/resp"
)

// pointLookup reads string keys with one call into SQLite per batch of
// keys, outside mattn's driver: GET is the command clients send most, and
// through the driver a lookup cost a Go row object, boxed arguments, a
// copied value and three crossings into C, about as much as SQLite's own
// B-tree search. The statement is sqlGetString, prepared on the
// connection's handle; the engine's rules about what the row means stay in
// getString and getStrings.
type pointLookup struct {
	db   unsafe.Pointer // the connection's sqlite3*
	stmt *C.sqlite3_stmt
	// Scratch space reused between calls (a sqlConn is used by one
	// goroutine at a time): packed keys, their offsets, results and values.
	keys []byte
	off  []C.int
	res  []C.longlong
	out  []byte
}

// sqlHandle returns the sqlite3* of a driver connection (see enableQPSG).
func sqlHandle(c *sqlite3.SQLiteConn) (unsafe.Pointer, error) {
	f := reflect.ValueOf(c).Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return nil, errors.New("redlite: the SQLite driver's connection has no db handle")
	}
	return f.UnsafePointer(), nil
}

// lookup returns the connection's point lookup, preparing it on first use.
func (c *sqlConn) lookup() (*pointLookup, error) {
	if c.fast != nil {
		return c.fast, nil
	}
	db, err := sqlHandle(c.c)
	if err != nil {
		return nil, err
	}
	q := C.CString(sqlGetString)
	defer C.free(unsafe.Pointer(q))
	var st *C.sqlite3_stmt
	if rc := C.redlite_prepare(db, q, &st); rc != 0 {
		return nil, fmt.Errorf("prepare %q: %s", sqlGetString, C.GoString(C.sqlite3_errmsg((*C.sqlite3)(db))))
	}
	c.fast = &pointLookup{db: db, stmt: st, out: make([]byte, 4096)}
	return c.fast, nil
}

func (p *pointLookup) close() {
	if p != nil && p.stmt != nil {
		C.sqlite3_finalize(p.stmt)
		p.stmt = nil
	}
}

// stringRow is one key's row as sqlGetString reads it.
type stringRow struct {
	found  bool
	typ    int64
	expire int64
	val    []byte // nil for SQL NULL
}

// get looks keys up in database dbi and fills rows (len(rows) == len(keys)).
// The values of one call into C share one allocation, each slice capped at
// its length so a caller appending to one cannot overwrite the next.
func (p *pointLookup) get(dbi int, keys [][]byte, rows []stringRow) error {
	p.keys = p.keys[:0]
	p.off = append(p.off[:0], 0)
	for _, k := range keys {
		p.keys = append(p.keys, k...)
		p.off = append(p.off, C.int(len(p.keys)))
	}
	if len(p.keys) == 0 {
		// A valid pointer for C even when every key is empty.
		p.keys = append(p.keys, 0)
	}
	if need := 4 * len(keys); cap(p.res) < need {
		p.res = make([]C.longlong, need)
	}
	for done := 0; done < len(keys); {
		n := int(C.redlite_lookup(p.stmt, C.longlong(dbi), (*C.char)(unsafe.Pointer(&p.keys[0])),
			&p.off[done], C.int(len(keys)-done), &p.res[4*done],
			(*C.char)(unsafe.Pointer(&p.out[0])), C.int(len(p.out))))
		if n < 0 {
			return sqliteError(-n-1, C.GoString(C.sqlite3_errmsg((*C.sqlite3)(p.db))))
		}
		used := 0
		for i := done; i < done+n; i++ {
			used += max(int(p.res[4*i+3]), 0)
		}
		vals := make([]byte, used)
		copy(vals, p.out)
		pos := 0
		for i := done; i < done+n; i++ {
			r := &rows[i]
			res := p.res[4*i : 4*i+4]
			*r = stringRow{found: res[0] != 0, typ: int64(res[1]), expire: int64(res[2])}
			if l := int(res[3]); l >= 0 {
				r.val = vals[pos : pos+l : pos+l]
				pos += l
			}
		}
		done += n
		if done < len(keys) {
			// The next value did not fit: make room for it.
			p.out = make([]byte, max(int(p.res[4*done+3]), 2*len(p.out)))
		}
	}
	if len(p.out) > 1<<20 {
		p.out = make([]byte, 4096) // do not keep a huge buffer for one big value
	}
	return nil
}

// getReply is GET's reply for a key's row.
func (tx *Tx) getReply(r *stringRow) resp.Value { return valueReply(tx.stringResult(r)) }

// valueReply is the reply of a command reading one value (GET, HGET): the
// value, nil when missing, or WRONGTYPE.
func valueReply(val []byte, found, wrong bool) resp.Value {
	switch {
	case wrong:
		return errWrongType
	case !found:
		return resp.NilValue()
	}
	return resp.BulkValue(val)
}

// sqliteError is a SQLite failure with its code, worded as the driver's.
func sqliteError(code int, msg string) error {
	return fmt.Errorf("%s (code %d)", msg, code)
}
