/*
 * Internal declarations of the redlite Node addon (N-API, C).
 *
 * Threads and who touches what:
 *   - The JS thread (one per napi_env) converts arguments, runs synchronous
 *     calls directly, submits asynchronous requests to executors and turns
 *     finished requests into resolved or rejected promises.
 *   - An executor is a queue with its own thread(s) bound to one target: the
 *     redlite_db handle (the db's main queue, one thread so requests run in
 *     the order they were made, as on one ioredis connection), the db handle
 *     for blocking commands (a pool that grows, one thread per waiting
 *     command), or one redlite_conn (transactions, MULTI/WATCH state,
 *     pub/sub, explicit connections: one thread each).
 *   - Finished requests go to the db's completion list; the first one added
 *     to an empty list makes one napi_call_threadsafe_function call, and that
 *     call settles every request in the list at that moment. Many in-flight
 *     promises share one thread hop.
 */
#ifndef RN_H
#define RN_H

#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stddef.h>

#include "redlite.h"

/* The reader of a subscribed conn stops taking messages from the library
 * while this many wait for the JS thread, so a slow consumer makes messages
 * pile up in the library, whose client-output-buffer-limit decides, instead
 * of in this process without bound. */
#define RN_MAX_UNDELIVERED 1024

/* Request kinds. */
enum {
    OP_CMD = 1,  /* generic command: argv */
    OP_GET,      /* typed GET: argv[0] is the key */
    OP_SET,      /* typed SET without options: argv[0] key, argv[1] value */
    OP_BEGIN,
    OP_COMMIT,
    OP_ROLLBACK,
    OP_CONN_CLOSE, /* close the executor's conn; the thread then ends */
    OP_MESSAGE,    /* a pub/sub message read by a subscriber's reader thread */
    OP_MSG_ERROR,  /* the subscriber's reader stopped: conn dropped for overflow */
    OP_NEXT_MESSAGE /* redlite_next_message on the conn, timeout_ms (raw tree) */
};

/* Request flags (from JS). */
#define RF_BUFFER   1 /* bulk and status replies as Buffers (the *Buffer methods) */
#define RF_BLOCKING 2 /* a command that can wait: run it on the blocking pool */
#define RF_RAW      4 /* the reply as a typed tree, error replies included (tests/vectors) */
/* With RF_BUFFER, from the synchronous calls of index.js: a bulk or status
 * reply shorter than RN_LATIN1_MAX, at the top or in an array, comes back as
 * a latin1 string (one character per byte), which the caller turns into a
 * Buffer with Buffer.from(s, 'latin1') (no other strings can be in such a
 * reply). That Buffer comes from Node's pool: about 80 ns
 * instead of the 350-400 ns of napi_create_buffer_copy, which makes a new
 * ArrayBuffer for each value. Above half the pool (Buffer.poolSize, 8 KiB)
 * Buffer.from allocates anyway, so longer values are copied directly. */
#define RF_LATIN1   8
#define RN_LATIN1_MAX 4096

typedef struct rn_db rn_db;
typedef struct rn_exec rn_exec;
typedef struct rn_conn rn_conn;

typedef struct rn_req {
    struct rn_req *next;
    int op;
    int flags;
    napi_deferred deferred; /* NULL for OP_MESSAGE */
    rn_conn *conn;          /* OP_MESSAGE / OP_MSG_ERROR: the subscriber */
    int argc;
    char **argv;
    size_t *argvlen;
    long long timeout_ms; /* OP_NEXT_MESSAGE */
    /* results, written by the executor thread */
    int status;
    redlite_reply *reply;
    char *val; /* OP_GET value, or error message (typed calls, begin...) */
    size_t vallen;
    char *err;
} rn_req;

struct rn_exec {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rn_req *head, *tail;
    int stop;     /* threads end when the queue is empty */
    int idle;     /* threads waiting for work */
    int grow;     /* spawn a thread when work arrives and none is idle */
    int nthreads;
    int tcap;
    pthread_t *threads;
    rn_db *db;
    rn_conn *conn; /* NULL: the db handle */
};

struct rn_conn {
    rn_db *db;
    redlite_conn *h;
    rn_exec ex;
    int closed;      /* JS thread: close was requested (or the db closed) */
    int released;    /* JS thread: the open-state reference was dropped */
    int refs;        /* atomic: External + open state + messages in flight */
    long inflight;   /* JS thread: requests submitted and not settled */
    napi_ref self;   /* the External: strong while requests are in flight */
    /* pub/sub */
    napi_ref on_message; /* JS callback(kind, buffers...) or NULL */
    int reader_started;
    pthread_t reader;
    pthread_mutex_t rmu;
    pthread_cond_t rcv;
    pthread_mutex_t jmu; /* serializes conn_join: the JS thread (a settled
                          * close) and db_shutdown (a closing db, on a
                          * threadpool thread) may both join the threads */
    unsigned long long sub_gen; /* bumped after every (un)subscribe command */
    int reader_stop;
    int undelivered; /* messages posted and not yet delivered (under rmu) */
    int reader_full; /* the reader waits for undelivered to fall (under rmu) */
    int buffers; /* deliver messages as Buffers */
    struct rn_conn *next_live; /* db's list of conns, under db->live_mu */
};

struct rn_db {
    napi_env env;
    redlite_db *h;
    napi_threadsafe_function tsfn;
    int tsfn_released;
    int refcount; /* External + TSFN finalizers; the struct is freed at 0 (JS thread) */

    pthread_mutex_t dmu; /* completion list */
    rn_req *done_head, *done_tail;
    int call_pending;

    /* JS thread only */
    long inflight;   /* submitted requests not settled yet */
    long keepalive;  /* reasons to keep the event loop alive besides inflight (subscriptions) */
    int refed;
    int closing;     /* close started: new requests are refused */
    int closed;      /* fully closed */
    int cleanup_hook;
    napi_ref self;   /* keeps the External alive while open */
    int tx_open;     /* open interactive transactions (sync writes refused) */

    rn_exec main;
    rn_exec blockers;

    pthread_mutex_t live_mu;
    pthread_cond_t live_cv;
    rn_conn *conns; /* every conn opened on this db, until the db is freed */
};

/* Per-env data. */
typedef struct rn_env {
    napi_ref reply_error;  /* class ReplyError */
    napi_ref closed_error; /* class ClosedError */
    napi_ref redlite_error;/* class RedliteError */
    /* scratch space for converting arguments on the JS thread */
    char *buf;
    size_t bufcap;
    char **argv;
    size_t *argvlen;
    napi_value *vals;
    int argcap;
} rn_env;

/* exec.c */
int rn_exec_init(rn_exec *ex, rn_db *db, rn_conn *conn, int nthreads, int grow);
void rn_exec_submit(rn_exec *ex, rn_req *r);
void rn_exec_stop(rn_exec *ex);
void rn_exec_join(rn_exec *ex);
void rn_exec_destroy(rn_exec *ex);
void rn_post_done(rn_db *db, rn_req *first, rn_req *last);
void rn_req_free(rn_req *r);
void rn_run_one(rn_exec *ex, rn_req *r);
int rn_start_reader(rn_conn *c);
void rn_block_async_signals(sigset_t *old);

/* convert.c */
napi_value rn_reply_to_js(napi_env env, const redlite_reply *r, int flags);
napi_value rn_reply_tree(napi_env env, const redlite_reply *r);
napi_value rn_make_error(napi_env env, rn_env *e, int status, const char *msg, size_t len);
napi_value rn_plain_error(napi_env env, rn_env *e, int status, const char *msg);
napi_value rn_status_error(napi_env env, rn_env *e, int status, const redlite_reply *reply, const char *errmsg);
int rn_args_from_js(napi_env env, rn_env *e, napi_value *vals, int n);
rn_req *rn_req_from_scratch(rn_env *e, int op, int flags, int argc);
void rn_throw(napi_env env, napi_value err);
napi_value rn_settle_value(napi_env env, rn_env *e, rn_req *r, int *ok);
napi_value rn_str_result(napi_env env, const char *s, size_t n, int flags);

/* signals.c */
int rn_fix_signals(void);
int rn_signal_state(int sig);

#define NAPI_OK(call)                                                   \
    do {                                                                \
        if ((call) != napi_ok) return NULL;                             \
    } while (0)

#endif
