package core

/*
int sqlite3_config(int, ...);
int sqlite3_initialize(void);
int sqlite3_shutdown(void);

// From sqlite3.h: config verbs, SQLITE_OK, and the mutex methods' layout
// (part of SQLite's stable ABI).
#define REDLITE_CONFIG_MEMSTATUS 9
#define REDLITE_CONFIG_MUTEX 10
#define REDLITE_CONFIG_GETMUTEX 11
#define REDLITE_SQLITE_OK 0

typedef struct redlite_mutex_methods {
	int (*xMutexInit)(void);
	int (*xMutexEnd)(void);
	void *(*xMutexAlloc)(int);
	void (*xMutexFree)(void *);
	void (*xMutexEnter)(void *);
	int (*xMutexTry)(void *);
	void (*xMutexLeave)(void *);
	int (*xMutexHeld)(void *);
	int (*xMutexNotheld)(void *);
} redlite_mutex_methods;

static int redlite_memstatus_off(void) {
	return sqlite3_config(REDLITE_CONFIG_MEMSTATUS, 0);
}

// SQLite's own (pthread) mutexes, which the spinning enter wraps.
static redlite_mutex_methods redlite_base_mutex;

// A try costs about a cache line transfer, a pause some tens of cycles:
// the whole spin lasts several microseconds, longer than the critical
// sections it waits for (one fcntl() call) and shorter than a futex sleep
// and wake-up of the waiting thread.
#define REDLITE_SPIN_TRIES 50
#define REDLITE_SPIN_PAUSES 16

// Set by the first spinning enter (and only read after): tests check that
// SQLite really goes through it.
static volatile int redlite_spin_used;

static void redlite_mutex_enter(void *m) {
	int i, j;
	if (!redlite_spin_used) {
		redlite_spin_used = 1;
	}
	for (i = 0; i < REDLITE_SPIN_TRIES; i++) {
		if (redlite_base_mutex.xMutexTry(m) == REDLITE_SQLITE_OK) {
			return;
		}
		for (j = 0; j < REDLITE_SPIN_PAUSES; j++) {
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#elif defined(__aarch64__)
			__asm__ __volatile__("yield");
#endif
		}
	}
	redlite_base_mutex.xMutexEnter(m);
}

static int redlite_spin_was_used(void) {
	return redlite_spin_used;
}

// SQLite fills in its default mutex methods when it initialises (and
// refuses to report them while initialised), so they are read after one
// initialisation and shutdown, before the first connection: the caller
// checked that SQLite had not been initialised by anyone else.
static int redlite_spin_mutexes(void) {
	static redlite_mutex_methods spin;
	int rc = sqlite3_initialize();
	if (rc != REDLITE_SQLITE_OK) {
		return rc;
	}
	sqlite3_shutdown();
	rc = sqlite3_config(REDLITE_CONFIG_GETMUTEX, &redlite_base_mutex);
	if (rc != REDLITE_SQLITE_OK || redlite_base_mutex.xMutexTry == 0 ||
	    redlite_base_mutex.xMutexEnter == 0) {
		return rc;
	}
	spin = redlite_base_mutex;
	spin.xMutexEnter = redlite_mutex_enter;
	return sqlite3_config(REDLITE_CONFIG_MUTEX, &spin);
}

*/
import "C"

// SQLite's memory statistics take one process-wide mutex on every
// allocation and free, which every connection's page cache misses and
// statements go through: reads on several goroutines contended for it.
// redlite never asks for the statistics (sqlite3_memory_used and friends),
// so they are turned off.
//
// SQLite's mutexes are made to spin briefly before sleeping. Every read
// transaction takes and releases a WAL read lock through the unix VFS,
// which holds one mutex per database file (the shared-memory node's) across
// its fcntl() calls; two connections reading on two threads met there on
// nearly every read, and a pthread mutex puts the loser to sleep at once:
// perf showed 40% of the context switches of two reading goroutines in
// that futex wait, and they got 1.35 of 2 cores between them
// (bench/PROFILE.md, "Read scaling").
//
// Both only work before SQLite initialises, which the first connection
// does: if a program used SQLite before this package's init, the calls are
// skipped or fail harmlessly and SQLite keeps its defaults.
func init() {
	if C.redlite_memstatus_off() == C.REDLITE_SQLITE_OK {
		_ = C.redlite_spin_mutexes()
	}
}

// sqliteMutexesSpun reports whether SQLite has entered a mutex through the
// spinning enter.
func sqliteMutexesSpun() bool {
	return C.redlite_spin_was_used() == 1
}
