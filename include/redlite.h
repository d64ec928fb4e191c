/*
 * redlite.h - the C interface of redlite, a Redis-compatible data store on
 * SQLite that runs inside your process.
 *
 * Link with -lredlite (libredlite.so, SONAME libredlite.so.1). This header is
 * the whole contract: every type and function of the library is declared and
 * documented here.
 *
 * ---------------------------------------------------------------------------
 * Overview
 * ---------------------------------------------------------------------------
 *
 *   redlite_db *db;
 *   char *err = NULL;
 *   if (redlite_open("app.db", NULL, &db, &err) != REDLITE_OK) {
 *       fprintf(stderr, "open: %s\n", err); redlite_free(err); return 1;
 *   }
 *   redlite_set(db, "k", 1, "v", 1, 0, 0, NULL);
 *   char *val; size_t len;
 *   if (redlite_get(db, "k", 1, &val, &len, NULL) == REDLITE_OK) {
 *       printf("%.*s\n", (int)len, val);
 *       redlite_free(val);
 *   }
 *   redlite_close(db);
 *
 * Two kinds of handle:
 *
 *   redlite_db    an open database (a file or ":memory:"). Safe to use from
 *                 any number of threads at once. Calls on it run on database
 *                 0 (or redlite_options.database) and cannot change
 *                 connection state: SELECT, MULTI/EXEC, WATCH, SUBSCRIBE,
 *                 HELLO, AUTH, RESET and CLIENT SETNAME/REPLY/... are refused
 *                 with an error reply.
 *   redlite_conn  a connection on a db, with its own state like a Redis client
 *                 connection: selected database, protocol (HELLO), MULTI
 *                 queue, watched keys, subscriptions, an open transaction
 *                 (redlite_begin), authentication (when requirepass is set,
 *                 a conn must AUTH like a client; calls on the redlite_db are
 *                 always authenticated). Use one conn from one thread at a time;
 *                 calls made on the same conn from several threads at once
 *                 are serialized (each waits for the previous one). Open one
 *                 conn per thread to run in parallel.
 *
 * Handles are opaque numbers, not pointers to memory: using a handle after it
 * was closed, or closing it twice, returns REDLITE_CLOSED and never crashes.
 * A handle value is never reused by a later open.
 *
 * Every function that can fail returns a status code (REDLITE_OK, ...).
 * Messages come back through an out-parameter (char **errmsg, or the error
 * reply of redlite_command), never through thread-local state.
 *
 * ---------------------------------------------------------------------------
 * Ownership rules (they hold for every function below)
 * ---------------------------------------------------------------------------
 *
 *  - Input buffers (paths, keys, values, argv) belong to the caller. The
 *    library reads them during the call only and keeps no pointer to them.
 *    Keys, fields, members and values are binary safe: (pointer, length)
 *    pairs; embedded NUL bytes are fine. A NULL pointer is allowed only with
 *    a length of 0 (an empty string). No argument may be longer than
 *    REDLITE_MAX_ARG_LEN bytes.
 *  - Every buffer the library returns (values, error messages) is allocated
 *    with malloc(), owned by the caller from then on, and must be released
 *    with redlite_free() (or free(); the library uses the C allocator).
 *    Returned strings carry one extra NUL byte after their length, so text
 *    can be printed directly; the length never counts it.
 *  - A reply tree (redlite_reply) is one allocation owned by the caller: free
 *    the root with redlite_reply_free() and never free, keep or modify an
 *    element on its own. Every element and string of the tree stays valid
 *    until the root is freed.
 *  - Out-parameters are written on every return: on failure, pointer outputs
 *    are set to NULL and lengths/numbers to 0, so freeing them is always
 *    safe. An optional out-parameter (documented as "may be NULL") is simply
 *    not written when NULL is passed.
 *  - char **errmsg parameters are optional. When not NULL, *errmsg is set to
 *    NULL on success and to a malloc'ed message (Redis' text, such as
 *    "WRONGTYPE Operation against a key holding the wrong kind of value")
 *    for command errors and invalid arguments; it stays NULL for
 *    REDLITE_CLOSED, REDLITE_FORKED and when memory for it ran out. Free it
 *    with redlite_free(). redlite_errstr() describes any status code.
 *
 * ---------------------------------------------------------------------------
 * Processes, threads and signals
 * ---------------------------------------------------------------------------
 *
 *  - The library runs a Go runtime inside your process, started when the
 *    library is loaded, and never calls back into your code. Signals: at load
 *    the runtime installs handlers for SIGSEGV, SIGBUS, SIGFPE and SIGPIPE
 *    (saving yours and forwarding to them when the signal does not come from
 *    Go code) and for SIGURG (goroutine preemption); it installs none for
 *    SIGINT, SIGTERM, SIGHUP, SIGCHLD or any other signal. Handlers you
 *    install after loading must use SA_ONSTACK, and handlers for SIGSEGV,
 *    SIGBUS or SIGFPE must call the previous handler for faults in the
 *    library.
 *  - fork(): the runtime does not survive in a child process. In a forked
 *    child every function that needs it returns REDLITE_FORKED at once
 *    (checked in C before entering the runtime); redlite_free,
 *    redlite_reply_free, redlite_errstr, redlite_version, redlite_abi_version
 *    and redlite_options_init keep working. The runtime starts when the
 *    library is loaded, so this holds even if the parent never called
 *    redlite. The parent is not affected. A child that needs redlite must
 *    exec() a program (a fresh process loads a fresh runtime); handles
 *    inherited from the parent are not usable in it.
 *  - Several processes may open the same file at once (SQLite WAL). Writes of
 *    another process are visible to the next call.
 *  - A Go program must not load this library (two Go runtimes in one process
 *    are not supported); Go programs import the core directly.
 */
#ifndef REDLITE_H
#define REDLITE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */
/* ------------------------------------------------------------------------ */

/* The version of redlite this header belongs to. */
#define REDLITE_VERSION_MAJOR 0
#define REDLITE_VERSION_MINOR 1
#define REDLITE_VERSION_PATCH 0
#define REDLITE_VERSION "0.1.0"

/* The ABI version: the library's SONAME is libredlite.so.<REDLITE_ABI_VERSION>
 * and its symbols carry the version node REDLITE_<REDLITE_ABI_VERSION>. It
 * changes only when a change would break programs built against an older
 * header. */
#define REDLITE_ABI_VERSION 1

/* The library's version as text ("0.1.0"). A static string: do not free.
 * Compare with REDLITE_VERSION to detect a header/library mismatch. */
const char *redlite_version(void);

/* The library's ABI version (REDLITE_ABI_VERSION of the header it was built
 * from). */
int redlite_abi_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

#define REDLITE_OK        0  /* success */
#define REDLITE_ERR       1  /* the command failed; the message says why (Redis' error text) */
#define REDLITE_NIL       2  /* typed calls: the key, field or member does not exist (or a condition was not met, see each function) */
#define REDLITE_WRONGTYPE 3  /* the key holds a value of another type (WRONGTYPE ...) */
#define REDLITE_BADARG    4  /* a NULL pointer, a negative or too large length or count, an unknown option: nothing was run */
#define REDLITE_CLOSED    5  /* the handle (or its database) was closed, or is not a handle */
#define REDLITE_BUSY      6  /* another process holds the database's write lock beyond busy_timeout_ms */
#define REDLITE_IOERR     7  /* the file cannot be opened, read or written (disk full, permissions, ...) */
#define REDLITE_NOMEM     8  /* memory for the result could not be allocated */
#define REDLITE_FORKED    9  /* called in a child process after fork(): the runtime is not available */
#define REDLITE_TIMEOUT  10  /* redlite_next_message: no message arrived in time (or the wait was interrupted) */

/* A static English description of a status code ("wrong type", ...).
 * Never NULL; unknown codes get "unknown status". Do not free. */
const char *redlite_errstr(int status);

/* Free a buffer returned by the library (values, error messages). NULL is
 * accepted and does nothing. */
void redlite_free(void *ptr);

/* The longest key, field, member, value or argument accepted, in bytes (the
 * default proto-max-bulk-len of Redis). Longer input gets REDLITE_BADARG. */
#define REDLITE_MAX_ARG_LEN ((size_t)512 * 1024 * 1024)

/* ------------------------------------------------------------------------ */
/* Opening and closing                                                       */
/* ------------------------------------------------------------------------ */

typedef struct redlite_db redlite_db;     /* opaque handle */
typedef struct redlite_conn redlite_conn; /* opaque handle */

#define REDLITE_DURABILITY_NORMAL 0 /* synchronous=NORMAL: nothing acknowledged is lost when the process crashes; the last commits may be lost on power loss */
#define REDLITE_DURABILITY_FULL   1 /* synchronous=FULL: every commit is fsynced before the call returns */

/* Options for redlite_open. Initialize with redlite_options_init() and then
 * change the fields you need; zero fields mean "default". */
typedef struct redlite_options {
    size_t size;          /* sizeof(redlite_options); set by redlite_options_init. Lets later versions grow the struct. */
    int durability;       /* REDLITE_DURABILITY_NORMAL (default) or REDLITE_DURABILITY_FULL */
    int cache_mb;         /* the writer connection's SQLite page cache in MiB; 0 = 16 (readers keep 4 each) */
    int readers;          /* read connections for parallel reads; 0 = 4 (ignored for ":memory:") */
    int busy_timeout_ms;  /* how long a write waits for another process's write lock; 0 = 30000 */
    int protocol;         /* reply shapes, 2 (RESP2, default; 0 means 2) or 3 (RESP3: maps, sets, doubles, booleans...): for calls on the redlite_db and the starting protocol of each new redlite_conn */
    int database;         /* logical database (0-15) that calls on the redlite_db use; default 0 */
} redlite_options;

/* Fill *opts with the defaults (every field 0, size set). */
void redlite_options_init(redlite_options *opts);

/* Open (or create) a database.
 *   path    a file name, or ":memory:" for a private in-memory database that
 *           disappears on close. NUL-terminated, not NULL.
 *   opts    NULL for the defaults, or options filled by redlite_options_init;
 *           read during the call only.
 *   db      out: the handle, or NULL on failure. Close it with redlite_close.
 *   errmsg  may be NULL; see the ownership rules.
 * Returns REDLITE_OK, REDLITE_BADARG (NULL path or db, bad options: wrong
 * size, durability, protocol or database out of range, negative values),
 * REDLITE_IOERR (the file cannot be opened or created), REDLITE_BUSY,
 * REDLITE_ERR, REDLITE_FORKED. */
int redlite_open(const char *path, const redlite_options *opts, redlite_db **db, char **errmsg);

/* Close a database: close its conns (rolling back their open transactions,
 * ending their subscriptions), wake calls blocked on it (they return
 * REDLITE_CLOSED), wait for running calls, checkpoint and close the file.
 * Every acknowledged write is already committed. Afterwards the handle and
 * the handles of its conns return REDLITE_CLOSED.
 * Returns REDLITE_OK, REDLITE_CLOSED (already closed), REDLITE_BADARG (NULL),
 * REDLITE_FORKED. Calls running on the db or its conns in other threads
 * finish first (blocking waits end at once); they and any later call on
 * these handles return REDLITE_CLOSED (an interrupted blocking command may
 * answer as on timeout instead). */
int redlite_close(redlite_db *db);

/* Open a connection on db, with its own state (see the overview).
 *   conn  out: the handle, or NULL on failure. Close with redlite_conn_close.
 * Returns REDLITE_OK, REDLITE_BADARG, REDLITE_CLOSED, REDLITE_FORKED. */
int redlite_conn_open(redlite_db *db, redlite_conn **conn);

/* Close a connection: interrupt its blocking call if one is running (from
 * another thread), roll back its open transaction, drop its subscriptions.
 * Returns REDLITE_OK, REDLITE_CLOSED (already closed, or its db was closed),
 * REDLITE_BADARG, REDLITE_FORKED. */
int redlite_conn_close(redlite_conn *conn);

/* Interrupt the blocking call running on conn right now (BLPOP,
 * redlite_next_message...), typically from another thread: it returns as on
 * timeout (a nil reply, or REDLITE_TIMEOUT). Does nothing when no call is
 * running; never affects a later call.
 * Returns REDLITE_OK, REDLITE_CLOSED, REDLITE_BADARG, REDLITE_FORKED. */
int redlite_conn_interrupt(redlite_conn *conn);

/* ------------------------------------------------------------------------ */
/* Replies and the generic command call                                      */
/* ------------------------------------------------------------------------ */

/* Reply types; the numbers are hiredis' (REDIS_REPLY_*). */
#define REDLITE_REPLY_STRING  1  /* bulk string: str, len */
#define REDLITE_REPLY_ARRAY   2  /* elements, element */
#define REDLITE_REPLY_INTEGER 3  /* integer */
#define REDLITE_REPLY_NIL     4  /* null bulk string or null array */
#define REDLITE_REPLY_STATUS  5  /* simple string ("OK", "PONG", "QUEUED"): str, len */
#define REDLITE_REPLY_ERROR   6  /* error: str, len, starting with the code ("ERR ...", "WRONGTYPE ...") */
#define REDLITE_REPLY_DOUBLE  7  /* RESP3 double: dval, and str/len with Redis' text of it ("1.5", "inf") */
#define REDLITE_REPLY_BOOL    8  /* RESP3 boolean: integer is 0 or 1 */
#define REDLITE_REPLY_MAP     9  /* RESP3 map: elements = 2 * pairs, key, value, key, value... */
#define REDLITE_REPLY_SET    10  /* RESP3 set: elements, element */
#define REDLITE_REPLY_PUSH   12  /* RESP3 push (pub/sub messages): elements, element */
#define REDLITE_REPLY_BIGNUM 13  /* RESP3 big number: decimal digits in str, len */
#define REDLITE_REPLY_VERB   14  /* RESP3 verbatim string: str, len (without the "txt:" prefix), vtype ("txt") */

/* A reply, shaped like hiredis' redisReply. Only the fields of its type are
 * meaningful; the others are 0/NULL. With protocol 2 (the default) the
 * RESP3-only types never appear: maps, sets and pushes come as arrays,
 * doubles, big numbers and verbatim strings as strings, booleans as integers,
 * exactly as a Redis RESP2 client sees them. */
typedef struct redlite_reply {
    int type;                       /* REDLITE_REPLY_* */
    long long integer;              /* INTEGER; BOOL (0 or 1) */
    double dval;                    /* DOUBLE */
    size_t len;                     /* length of str */
    char *str;                      /* STRING, STATUS, ERROR, DOUBLE, BIGNUM, VERB; NUL-terminated after len bytes; NULL for other types */
    char vtype[4];                  /* VERB: "txt", NUL-terminated */
    size_t elements;                /* ARRAY, MAP, SET, PUSH: number of elements */
    struct redlite_reply **element; /* the elements (NULL when there are none) */
} redlite_reply;

/* Free a reply tree (the root only; see the ownership rules). NULL is
 * accepted and does nothing. */
void redlite_reply_free(redlite_reply *reply);

/* Run any command of the command table, as a Redis client would send it.
 *   argc     number of arguments, >= 1; argv[0] is the command name ("SET").
 *   argv     the arguments; argv[i] may be NULL only if its length is 0.
 *   argvlen  the lengths of the arguments, or NULL when every argument is a
 *            NUL-terminated string (its strlen is used).
 *   reply    out: the reply tree (free with redlite_reply_free), or NULL
 *            when the command could not be run at all (BADARG, CLOSED, NOMEM,
 *            FORKED).
 * Returns REDLITE_OK whenever the reply is not an error (a nil reply is
 * REDLITE_OK too: look at reply->type). When the reply is an error reply,
 * *reply holds it (its str is the message) and the status tells its class:
 * REDLITE_WRONGTYPE, REDLITE_BUSY, REDLITE_IOERR, REDLITE_NOMEM, REDLITE_CLOSED
 * (the database was closed), or REDLITE_ERR for everything else (ERR,
 * EXECABORT, NOSCRIPT, ...; the first word of str is Redis' code).
 *
 * Blocking commands (BLPOP, BRPOP, BZPOPMIN, XREAD BLOCK, ...) wait here up to
 * their own timeout (0 = forever); on a conn, redlite_conn_interrupt or
 * redlite_conn_close from another thread ends the wait early, and
 * redlite_close ends waits on both handle kinds.
 *
 * redlite_command runs on the redlite_db (thread safe, stateless, see the
 * overview); redlite_conn_command on a conn, with its state: SELECT, MULTI /
 * EXEC / WATCH, SUBSCRIBE (then read messages with redlite_next_message),
 * HELLO 3 (RESP3 replies from then on). CLIENT REPLY OFF does not suppress
 * replies here. */
int redlite_command(redlite_db *db, int argc, const char *const *argv, const size_t *argvlen, redlite_reply **reply);
int redlite_conn_command(redlite_conn *conn, int argc, const char *const *argv, const size_t *argvlen, redlite_reply **reply);

/* ------------------------------------------------------------------------ */
/* Pub/sub                                                                   */
/* ------------------------------------------------------------------------ */

/* Wait for the next pub/sub message of a conn that subscribed with
 * redlite_conn_command (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE).
 *   timeout_ms  < 0 waits until a message arrives (or the wait is
 *               interrupted); 0 only takes a message already waiting; > 0
 *               waits up to that many milliseconds.
 *   msg         out: the message as Redis would push it: an array (a PUSH
 *               with protocol 3) of "message", channel, payload, or of
 *               "pmessage", pattern, channel, payload, or "smessage",
 *               channel, payload. The reply of a (P|S)(UN)SUBSCRIBE naming
 *               several channels is the confirmation of the first one; the
 *               confirmations of the others arrive here, in order, before
 *               later messages. Free with redlite_reply_free. NULL unless
 *               REDLITE_OK.
 * Unlike the other calls on a conn, this one does not wait for commands
 * running on the conn, nor make them wait: one thread may wait for messages
 * while another subscribes or unsubscribes on the same conn. Messages are
 * queued per conn without blocking publishers; a conn that lets more pile
 * up than the client-output-buffer-limit for pubsub allows is dropped from
 * its subscriptions (REDLITE_ERR here).
 * Returns REDLITE_OK, REDLITE_TIMEOUT (nothing arrived in time, or
 * redlite_conn_interrupt), REDLITE_ERR (the conn has no subscription and no
 * message left, or was dropped for overflow), REDLITE_CLOSED, REDLITE_BADARG,
 * REDLITE_FORKED. */
int redlite_next_message(redlite_conn *conn, long long timeout_ms, redlite_reply **msg);

/* ------------------------------------------------------------------------ */
/* Transactions                                                              */
/* ------------------------------------------------------------------------ */

/* Interactive transactions on a conn: between redlite_begin and
 * redlite_commit/redlite_rollback every command and typed call made on the
 * conn runs inside one SQLite write transaction (reads see its own writes);
 * other connections and processes see all of it at commit or nothing. A
 * command that fails inside it leaves none of its own writes behind but does
 * not end the transaction. While it is open, writes from other conns and from
 * the db handle wait for it: do not write through another handle of the same
 * database from the thread that holds it. Blocking commands do not wait
 * inside a transaction (they answer as on timeout at once).
 * Each returns REDLITE_OK, REDLITE_ERR (begin: a transaction is already open
 * or the conn is in MULTI; commit/rollback: none is open; or a storage
 * failure), REDLITE_BUSY, REDLITE_IOERR, REDLITE_CLOSED, REDLITE_BADARG,
 * REDLITE_FORKED. errmsg may be NULL. */
int redlite_begin(redlite_conn *conn, char **errmsg);
int redlite_commit(redlite_conn *conn, char **errmsg);
int redlite_rollback(redlite_conn *conn, char **errmsg);

/* ------------------------------------------------------------------------ */
/* Typed fast paths                                                          */
/* ------------------------------------------------------------------------ */

/* Each typed call exists twice: redlite_X on a redlite_db and
 * redlite_conn_X on a redlite_conn (which uses the conn's selected database
 * and its open transaction). They run the same engine as the command of the
 * same name, without building a reply tree.
 *
 * Common rules:
 *   - key/keylen, field/fieldlen, ... are binary-safe inputs (see ownership).
 *   - Arrays (keys, values, members, scores) have n entries, n >= 1, and the
 *     lengths array is required (no strlen here).
 *   - errmsg may be NULL. Numeric outputs marked "may be NULL" are optional.
 *   - Every call may also return REDLITE_ERR, REDLITE_BUSY, REDLITE_IOERR
 *     (storage failures), REDLITE_NOMEM, REDLITE_BADARG, REDLITE_CLOSED and
 *     REDLITE_FORKED. WRONGTYPE is REDLITE_WRONGTYPE. On a conn in MULTI the
 *     typed calls return REDLITE_ERR (queue commands with
 *     redlite_conn_command). */

/* GET. *val is the value (malloc'ed, free with redlite_free; an empty value
 * is a non-NULL "" with *vallen 0), *vallen its length. Returns REDLITE_OK,
 * or REDLITE_NIL when the key does not exist (*val NULL). */
int redlite_get(redlite_db *db, const char *key, size_t keylen, char **val, size_t *vallen, char **errmsg);
int redlite_conn_get(redlite_conn *conn, const char *key, size_t keylen, char **val, size_t *vallen, char **errmsg);

#define REDLITE_SET_NX      1 /* only set if the key does not exist */
#define REDLITE_SET_XX      2 /* only set if the key exists */
#define REDLITE_SET_KEEPTTL 4 /* keep the key's time to live (not with expire_ms > 0) */

/* SET key value [PX expire_ms] [NX|XX] [KEEPTTL].
 *   expire_ms  0 for no expiry, > 0 expires after that many milliseconds;
 *              negative is REDLITE_BADARG.
 *   flags      0 or REDLITE_SET_* or'ed; NX with XX, or KEEPTTL with an
 *              expiry, is REDLITE_BADARG.
 * Returns REDLITE_OK when the value was stored, REDLITE_NIL when NX/XX
 * prevented it. */
int redlite_set(redlite_db *db, const char *key, size_t keylen, const char *val, size_t vallen, long long expire_ms, int flags, char **errmsg);
int redlite_conn_set(redlite_conn *conn, const char *key, size_t keylen, const char *val, size_t vallen, long long expire_ms, int flags, char **errmsg);

/* DEL key [key ...]. *deleted (may be NULL): how many keys existed and were
 * removed. Returns REDLITE_OK. */
int redlite_del(redlite_db *db, int n, const char *const *keys, const size_t *keylens, long long *deleted, char **errmsg);
int redlite_conn_del(redlite_conn *conn, int n, const char *const *keys, const size_t *keylens, long long *deleted, char **errmsg);

/* EXISTS key [key ...]. *count (may be NULL): how many of the keys exist (a
 * key named twice counts twice). Returns REDLITE_OK. */
int redlite_exists(redlite_db *db, int n, const char *const *keys, const size_t *keylens, long long *count, char **errmsg);
int redlite_conn_exists(redlite_conn *conn, int n, const char *const *keys, const size_t *keylens, long long *count, char **errmsg);

/* INCRBY key by (INCR when by is 1, DECR when -1). *result (may be NULL): the
 * new value. Returns REDLITE_OK, or REDLITE_ERR when the value is not an
 * integer or the result would overflow (nothing changes). */
int redlite_incr(redlite_db *db, const char *key, size_t keylen, long long by, long long *result, char **errmsg);
int redlite_conn_incr(redlite_conn *conn, const char *key, size_t keylen, long long by, long long *result, char **errmsg);

/* PEXPIRE key ms: the key expires ms milliseconds from now (ms <= 0 deletes
 * it, as in Redis). Returns REDLITE_OK when the timeout was set, REDLITE_NIL
 * when the key does not exist. */
int redlite_expire(redlite_db *db, const char *key, size_t keylen, long long ms, char **errmsg);
int redlite_conn_expire(redlite_conn *conn, const char *key, size_t keylen, long long ms, char **errmsg);

/* HGET key field. Like redlite_get: REDLITE_OK with *val, or REDLITE_NIL
 * when the key or the field does not exist. */
int redlite_hget(redlite_db *db, const char *key, size_t keylen, const char *field, size_t fieldlen, char **val, size_t *vallen, char **errmsg);
int redlite_conn_hget(redlite_conn *conn, const char *key, size_t keylen, const char *field, size_t fieldlen, char **val, size_t *vallen, char **errmsg);

/* HSET key field value [field value ...] with n pairs. *added (may be NULL):
 * how many fields were new. Returns REDLITE_OK. */
int redlite_hset(redlite_db *db, const char *key, size_t keylen, int n, const char *const *fields, const size_t *fieldlens, const char *const *vals, const size_t *vallens, long long *added, char **errmsg);
int redlite_conn_hset(redlite_conn *conn, const char *key, size_t keylen, int n, const char *const *fields, const size_t *fieldlens, const char *const *vals, const size_t *vallens, long long *added, char **errmsg);

/* LPUSH key value [value ...] (each pushed to the head in turn). *len (may
 * be NULL): the list's length afterwards. Returns REDLITE_OK. */
int redlite_lpush(redlite_db *db, const char *key, size_t keylen, int n, const char *const *vals, const size_t *vallens, long long *len, char **errmsg);
int redlite_conn_lpush(redlite_conn *conn, const char *key, size_t keylen, int n, const char *const *vals, const size_t *vallens, long long *len, char **errmsg);

/* RPOP key: remove and return the last element. Like redlite_get: REDLITE_OK
 * with *val, or REDLITE_NIL when the list does not exist. */
int redlite_rpop(redlite_db *db, const char *key, size_t keylen, char **val, size_t *vallen, char **errmsg);
int redlite_conn_rpop(redlite_conn *conn, const char *key, size_t keylen, char **val, size_t *vallen, char **errmsg);

/* SADD key member [member ...]. *added (may be NULL): how many members were
 * new. Returns REDLITE_OK. */
int redlite_sadd(redlite_db *db, const char *key, size_t keylen, int n, const char *const *members, const size_t *memberlens, long long *added, char **errmsg);
int redlite_conn_sadd(redlite_conn *conn, const char *key, size_t keylen, int n, const char *const *members, const size_t *memberlens, long long *added, char **errmsg);

/* ZADD key score member [score member ...] with n pairs. A NaN score is
 * REDLITE_BADARG; infinities are allowed. *added (may be NULL): how many
 * members were new. Returns REDLITE_OK. */
int redlite_zadd(redlite_db *db, const char *key, size_t keylen, int n, const double *scores, const char *const *members, const size_t *memberlens, long long *added, char **errmsg);
int redlite_conn_zadd(redlite_conn *conn, const char *key, size_t keylen, int n, const double *scores, const char *const *members, const size_t *memberlens, long long *added, char **errmsg);

/* ZSCORE key member. Returns REDLITE_OK with *score, or REDLITE_NIL when the
 * key or the member does not exist (*score 0). */
int redlite_zscore(redlite_db *db, const char *key, size_t keylen, const char *member, size_t memberlen, double *score, char **errmsg);
int redlite_conn_zscore(redlite_conn *conn, const char *key, size_t keylen, const char *member, size_t memberlen, double *score, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif /* REDLITE_H */
