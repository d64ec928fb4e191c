package core

/*
typedef struct sqlite3 sqlite3;
int sqlite3_db_config(sqlite3*, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG from sqlite3.h.
#define REDLITE_DBCONFIG_ENABLE_QPSG 1007

static int redlite_enable_qpsg(void *db) {
	int on = 0;
	int rc = sqlite3_db_config((sqlite3*)db, REDLITE_DBCONFIG_ENABLE_QPSG, 1, &on);
	if (rc != 0) return rc;
	return on ? 0 : -1;
}
*/
import "C"

import (
	"fmt"
	"reflect"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// enableQPSG turns on SQLite's query planner stability guarantee for one
// connection. Without it, a statement whose plan SQLite may tune to the
// values bound to it (a bound LIMIT; a bound value in a WHERE term some
// candidate plan leaves to a filter, which ORDER BY and joins bring in) is
// marked for re-preparing when its bindings are cleared, and mattn's
// driver clears them before every execution: such statements were
// compiled again on every run, which cost 3 to 8 µs each (HGET's join,
// every ORDER BY ... LIMIT). redlite's statements are written for one
// plan, so the guarantee costs nothing.
//
// The driver does not expose the connection's sqlite3 handle, so it is
// read from its unexported field; TestStatementsAreNotReprepared fails if
// a driver upgrade moves it.
func enableQPSG(c *sqlite3.SQLiteConn) error {
	f := reflect.ValueOf(c).Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return fmt.Errorf("redlite: the SQLite driver's connection has no db handle")
	}
	if rc := C.redlite_enable_qpsg(f.UnsafePointer()); rc != 0 {
		return fmt.Errorf("redlite: enabling the query planner stability guarantee failed (%d)", int(rc))
	}
	return nil
}
