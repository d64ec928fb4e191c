package core

/*
int sqlite3_config(int, ...);

// SQLITE_CONFIG_MEMSTATUS from sqlite3.h.
#define REDLITE_CONFIG_MEMSTATUS 9

static int redlite_memstatus_off(void) {
	return sqlite3_config(REDLITE_CONFIG_MEMSTATUS, 0);
}
*/
import "C"

// SQLite's memory statistics take one process-wide mutex on every
// allocation and free, which every connection's page cache misses and
// statements go through: reads on several goroutines contended for it.
// redlite never asks for the statistics (sqlite3_memory_used and friends),
// so they are turned off. It only works before SQLite initialises, which
// the first connection does: if a program opened SQLite before this
// package's init, the call fails harmlessly and the statistics stay on.
func init() {
	_ = C.redlite_memstatus_off()
}
