/*
 * The exported redlite_* functions: a thin C layer in front of the Go side.
 *
 * 1. Fork guard. The Go runtime's threads do not exist in a child created by
 *    fork(); entering Go there can hang forever. pthread_atfork sets a flag
 *    in the child, and every function that would enter Go checks it first
 *    and returns REDLITE_FORKED without touching the runtime.
 * 2. Out-parameters are set to their failure values here, before anything
 *    else, so every return path (including FORKED) leaves them defined.
 * 3. Handles: the pointer types of the header carry table numbers; they are
 *    converted here and never dereferenced.
 *
 * Functions that need no Go (freeing, versions, messages, options) are
 * plain C and keep working in a forked child.
 */
#include <pthread.h>
#include <string.h>

#include "shim.h"
#include "_cgo_export.h"

static int rl_forked;

static void rl_mark_forked(void) { __atomic_store_n(&rl_forked, 1, __ATOMIC_SEQ_CST); }

__attribute__((constructor)) static void rl_install_fork_guard(void) {
    pthread_atfork(NULL, NULL, rl_mark_forked);
}

#define FORKED() __builtin_expect(__atomic_load_n(&rl_forked, __ATOMIC_RELAXED), 0)
#define H(p) ((uint64_t)(uintptr_t)(p))
#define CLEAR(p) do { if (p) *(p) = 0; } while (0)
#define CLEARP(p) do { if (p) *(p) = NULL; } while (0)

void *rl_malloc(size_t n) { return malloc(n ? n : 1); }

void redlite_free(void *ptr) { free(ptr); }

void redlite_reply_free(redlite_reply *reply) { free(reply); }

const char *redlite_version(void) { return REDLITE_VERSION; }

int redlite_abi_version(void) { return REDLITE_ABI_VERSION; }

void redlite_options_init(redlite_options *opts) {
    if (opts == NULL) return;
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
}

const char *redlite_errstr(int status) {
    switch (status) {
    case REDLITE_OK: return "ok";
    case REDLITE_ERR: return "command error";
    case REDLITE_NIL: return "no such key, field or member";
    case REDLITE_WRONGTYPE: return "operation against a key holding the wrong kind of value";
    case REDLITE_BADARG: return "invalid argument";
    case REDLITE_CLOSED: return "handle is closed";
    case REDLITE_BUSY: return "database is locked by another process";
    case REDLITE_IOERR: return "I/O error";
    case REDLITE_NOMEM: return "out of memory";
    case REDLITE_FORKED: return "redlite cannot be used in a forked child process";
    case REDLITE_TIMEOUT: return "timed out";
    }
    return "unknown status";
}

int redlite_open(const char *path, const redlite_options *opts, redlite_db **db, char **errmsg) {
    uint64_t h = 0;
    int rc;
    CLEARP(db);
    CLEARP(errmsg);
    if (FORKED()) return REDLITE_FORKED;
    rc = rlgo_open((char *)path, (redlite_options *)opts, db ? &h : NULL, errmsg);
    if (rc == REDLITE_OK) *db = (redlite_db *)(uintptr_t)h;
    return rc;
}

int redlite_close(redlite_db *db) {
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_close(H(db));
}

int redlite_conn_open(redlite_db *db, redlite_conn **conn) {
    uint64_t h = 0;
    int rc;
    CLEARP(conn);
    if (FORKED()) return REDLITE_FORKED;
    rc = rlgo_conn_open(H(db), conn ? &h : NULL);
    if (rc == REDLITE_OK) *conn = (redlite_conn *)(uintptr_t)h;
    return rc;
}

int redlite_conn_close(redlite_conn *conn) {
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_conn_close(H(conn));
}

int redlite_conn_interrupt(redlite_conn *conn) {
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_conn_interrupt(H(conn));
}

int redlite_command(redlite_db *db, int argc, const char *const *argv, const size_t *argvlen, redlite_reply **reply) {
    CLEARP(reply);
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_command(H(db), RL_KIND_DB, argc, (char **)argv, (size_t *)argvlen, reply);
}

int redlite_conn_command(redlite_conn *conn, int argc, const char *const *argv, const size_t *argvlen, redlite_reply **reply) {
    CLEARP(reply);
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_command(H(conn), RL_KIND_CONN, argc, (char **)argv, (size_t *)argvlen, reply);
}

int redlite_next_message(redlite_conn *conn, long long timeout_ms, redlite_reply **msg) {
    CLEARP(msg);
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_next_message(H(conn), timeout_ms, msg);
}

static int rl_tx(redlite_conn *conn, int op, char **errmsg) {
    CLEARP(errmsg);
    if (FORKED()) return REDLITE_FORKED;
    return rlgo_tx(H(conn), op, errmsg);
}

int redlite_begin(redlite_conn *conn, char **errmsg) { return rl_tx(conn, RL_TX_BEGIN, errmsg); }
int redlite_commit(redlite_conn *conn, char **errmsg) { return rl_tx(conn, RL_TX_COMMIT, errmsg); }
int redlite_rollback(redlite_conn *conn, char **errmsg) { return rl_tx(conn, RL_TX_ROLLBACK, errmsg); }

/* Each typed call is defined twice, on a db and on a conn, around one Go
 * function that takes the handle kind. PARAMS is the parameter list after the
 * handle, SETUP clears its out-parameters, ARGS passes them on. */
#define TYPED(name, PARAMS, SETUP, ARGS)                                        \
    int redlite_##name(redlite_db *db, PARAMS) {                                \
        SETUP;                                                                  \
        CLEARP(errmsg);                                                         \
        if (FORKED()) return REDLITE_FORKED;                                    \
        return rlgo_##name(H(db), RL_KIND_DB, ARGS);                            \
    }                                                                           \
    int redlite_conn_##name(redlite_conn *conn, PARAMS) {                       \
        SETUP;                                                                  \
        CLEARP(errmsg);                                                         \
        if (FORKED()) return REDLITE_FORKED;                                    \
        return rlgo_##name(H(conn), RL_KIND_CONN, ARGS);                        \
    }

/* rl_value_out finishes a call that returns a value: one Go left in the
 * shim's buffer inl (REDLITE_OK with *val still NULL, see RL_INLINE_VALUE)
 * becomes the caller's malloc'ed copy. */
static int rl_value_out(int rc, const char *inl, char **val, size_t *vallen) {
    char *p;
    if (rc != REDLITE_OK || val == NULL || vallen == NULL || *val != NULL) return rc;
    p = malloc(*vallen + 1);
    if (p == NULL) {
        *vallen = 0;
        return REDLITE_NOMEM;
    }
    memcpy(p, inl, *vallen);
    p[*vallen] = 0;
    *val = p;
    return rc;
}

/* TYPED for the calls that return a value (GET, HGET, RPOP: PARAMS ends with
 * val, vallen, errmsg): ARGS passes Go the buffer rl_inl too. */
#define TYPED_VALUE(name, PARAMS, ARGS)                                         \
    int redlite_##name(redlite_db *db, PARAMS) {                                \
        char rl_inl[RL_INLINE_VALUE];                                           \
        CLEARP(val);                                                            \
        CLEAR(vallen);                                                          \
        CLEARP(errmsg);                                                         \
        if (FORKED()) return REDLITE_FORKED;                                    \
        return rl_value_out(rlgo_##name(H(db), RL_KIND_DB, ARGS),               \
                            rl_inl, val, vallen);                               \
    }                                                                           \
    int redlite_conn_##name(redlite_conn *conn, PARAMS) {                       \
        char rl_inl[RL_INLINE_VALUE];                                           \
        CLEARP(val);                                                            \
        CLEAR(vallen);                                                          \
        CLEARP(errmsg);                                                         \
        if (FORKED()) return REDLITE_FORKED;                                    \
        return rl_value_out(rlgo_##name(H(conn), RL_KIND_CONN, ARGS),           \
                            rl_inl, val, vallen);                               \
    }

#define P(...) __VA_ARGS__

TYPED_VALUE(get,
            P(const char *key, size_t keylen, char **val, size_t *vallen, char **errmsg),
            P((char *)key, keylen, val, vallen, rl_inl, errmsg))

TYPED(set,
      P(const char *key, size_t keylen, const char *val, size_t vallen, long long expire_ms, int flags, char **errmsg),
      (void)0,
      P((char *)key, keylen, (char *)val, vallen, expire_ms, flags, errmsg))

TYPED(del,
      P(int n, const char *const *keys, const size_t *keylens, long long *deleted, char **errmsg),
      CLEAR(deleted),
      P(n, (char **)keys, (size_t *)keylens, deleted, errmsg))

TYPED(exists,
      P(int n, const char *const *keys, const size_t *keylens, long long *count, char **errmsg),
      CLEAR(count),
      P(n, (char **)keys, (size_t *)keylens, count, errmsg))

TYPED(incr,
      P(const char *key, size_t keylen, long long by, long long *result, char **errmsg),
      CLEAR(result),
      P((char *)key, keylen, by, result, errmsg))

TYPED(expire,
      P(const char *key, size_t keylen, long long ms, char **errmsg),
      (void)0,
      P((char *)key, keylen, ms, errmsg))

TYPED_VALUE(hget,
            P(const char *key, size_t keylen, const char *field, size_t fieldlen, char **val, size_t *vallen, char **errmsg),
            P((char *)key, keylen, (char *)field, fieldlen, val, vallen, rl_inl, errmsg))

TYPED(hset,
      P(const char *key, size_t keylen, int n, const char *const *fields, const size_t *fieldlens,
        const char *const *vals, const size_t *vallens, long long *added, char **errmsg),
      CLEAR(added),
      P((char *)key, keylen, n, (char **)fields, (size_t *)fieldlens, (char **)vals, (size_t *)vallens, added, errmsg))

TYPED(lpush,
      P(const char *key, size_t keylen, int n, const char *const *vals, const size_t *vallens, long long *len, char **errmsg),
      CLEAR(len),
      P((char *)key, keylen, n, (char **)vals, (size_t *)vallens, len, errmsg))

TYPED_VALUE(rpop,
            P(const char *key, size_t keylen, char **val, size_t *vallen, char **errmsg),
            P((char *)key, keylen, val, vallen, rl_inl, errmsg))

TYPED(sadd,
      P(const char *key, size_t keylen, int n, const char *const *members, const size_t *memberlens, long long *added, char **errmsg),
      CLEAR(added),
      P((char *)key, keylen, n, (char **)members, (size_t *)memberlens, added, errmsg))

TYPED(zadd,
      P(const char *key, size_t keylen, int n, const double *scores, const char *const *members,
        const size_t *memberlens, long long *added, char **errmsg),
      CLEAR(added),
      P((char *)key, keylen, n, (double *)scores, (char **)members, (size_t *)memberlens, added, errmsg))

TYPED(zscore,
      P(const char *key, size_t keylen, const char *member, size_t memberlen, double *score, char **errmsg),
      CLEAR(score),
      P((char *)key, keylen, (char *)member, memberlen, score, errmsg))
