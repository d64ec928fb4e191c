/*
 * The redlite Node addon: N-API functions used by index.js (not a public
 * API; index.js wraps them).
 *
 * Lifetimes. An rn_db is freed when its JS External was collected, its
 * threadsafe function finalized and every rn_conn on it freed (refcount).
 * An open db keeps its External alive (a strong reference, dropped at close)
 * so an unclosed database is closed at exit by the env cleanup hook, never
 * by the garbage collector in the middle of calls. Conns work the same way
 * on their db.
 */
#include <stdlib.h>
#include <string.h>

#include "rn.h"

#define RN_MAX_ARGS_STACK 16

void rn_db_cleanup(void *arg);

static rn_env *get_env(napi_env env) {
    rn_env *e = NULL;
    napi_get_instance_data(env, (void **)&e);
    return e;
}

static void throw_closed(napi_env env) {
    rn_throw(env, rn_make_error(env, get_env(env), REDLITE_CLOSED, NULL, 0));
}

/* ------------------------------------------------------------------------ */
/* db lifetime                                                               */
/* ------------------------------------------------------------------------ */

static void db_unref(rn_db *db) {
    if (--db->refcount > 0) return;
    rn_exec_destroy(&db->main);
    rn_exec_destroy(&db->blockers);
    pthread_mutex_destroy(&db->dmu);
    pthread_mutex_destroy(&db->live_mu);
    pthread_cond_destroy(&db->live_cv);
    free(db);
}

static void conn_free(rn_conn *c) {
    rn_db *db = c->db;
    pthread_mutex_lock(&db->live_mu);
    for (rn_conn **p = &db->conns; *p; p = &(*p)->next_live) {
        if (*p == c) {
            *p = c->next_live;
            break;
        }
    }
    pthread_mutex_unlock(&db->live_mu);
    if (c->on_message) napi_delete_reference(db->env, c->on_message);
    if (c->self) napi_delete_reference(db->env, c->self);
    rn_exec_destroy(&c->ex);
    pthread_mutex_destroy(&c->rmu);
    pthread_cond_destroy(&c->rcv);
    pthread_mutex_destroy(&c->jmu);
    free(c);
    db_unref(db);
}

/* Conn references are taken by the reader thread (atomically) and dropped
 * on the JS thread; the struct is freed on the JS thread. */
static void conn_unref(rn_conn *c) {
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_SEQ_CST) == 0) conn_free(c);
}

/* Wait for a conn's threads; the conn is closed (or its db is). */
static void conn_join(rn_conn *c) {
    pthread_mutex_lock(&c->jmu);
    rn_exec_stop(&c->ex);
    rn_exec_join(&c->ex);
    if (c->reader_started) {
        pthread_mutex_lock(&c->rmu);
        c->reader_stop = 1;
        pthread_cond_broadcast(&c->rcv);
        pthread_mutex_unlock(&c->rmu);
        redlite_conn_interrupt(c->h);
        pthread_join(c->reader, NULL);
        c->reader_started = 0;
    }
    pthread_mutex_unlock(&c->jmu);
}

/* Close the library handle and stop every thread of the db: calls blocked
 * in the library return at once (REDLITE_CLOSED), queued requests run and
 * fail with REDLITE_CLOSED, and every result lands in the completion list.
 * Runs on any thread, after db->closing was set on the JS thread. */
static void db_shutdown(rn_db *db) {
    redlite_close(db->h);
    rn_exec_stop(&db->main);
    rn_exec_stop(&db->blockers);
    rn_exec_join(&db->main);
    rn_exec_join(&db->blockers);
    pthread_mutex_lock(&db->live_mu);
    rn_conn *list = db->conns;
    pthread_mutex_unlock(&db->live_mu);
    /* The list only changes on the JS thread (open, free), which waits for
     * this function or is this function's caller. */
    for (rn_conn *c = list; c; c = c->next_live) conn_join(c);
}

static void settle_all(napi_env env, rn_db *db);

/* Finish a close on the JS thread: settle what is left, release the
 * threadsafe function and the strong references. */
static void update_ref(rn_db *db);

static void db_finish_close(napi_env env, rn_db *db) {
    settle_all(env, db);
    pthread_mutex_lock(&db->live_mu);
    rn_conn *c = db->conns;
    pthread_mutex_unlock(&db->live_mu);
    while (c) {
        rn_conn *next = c->next_live;
        c->closed = 1;
        if (!c->released) {
            c->released = 1;
            conn_unref(c);
        }
        c = next;
    }
    if (db->cleanup_hook) {
        db->cleanup_hook = 0;
        napi_remove_env_cleanup_hook(env, rn_db_cleanup, db);
    }
    db->closed = 1;
    update_ref(db);
    if (!db->tsfn_released) {
        db->tsfn_released = 1;
        napi_release_threadsafe_function(db->tsfn, napi_tsfn_release);
    }
    if (db->self) {
        napi_delete_reference(env, db->self);
        db->self = NULL;
    }
}

/* At env teardown (process exit, worker exit) without db.close(). No JS
 * can run: results are dropped. */
void rn_db_cleanup(void *arg) {
    rn_db *db = arg;
    db->cleanup_hook = 0;
    if (db->closed) return;
    db->closing = 1;
    db_shutdown(db);
    pthread_mutex_lock(&db->dmu);
    rn_req *r = db->done_head;
    db->done_head = db->done_tail = NULL;
    pthread_mutex_unlock(&db->dmu);
    while (r) {
        rn_req *next = r->next;
        rn_req_free(r);
        r = next;
    }
    db->closed = 1;
}

static void tsfn_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    db_unref(data);
}

static void db_external_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    db_unref(data);
}

/* ------------------------------------------------------------------------ */
/* completions                                                               */
/* ------------------------------------------------------------------------ */

static void update_ref(rn_db *db) {
    int want = !db->closed && (db->inflight > 0 || db->keepalive > 0);
    if (db->tsfn_released || want == db->refed) return;
    if (want)
        napi_ref_threadsafe_function(db->env, db->tsfn);
    else
        napi_unref_threadsafe_function(db->env, db->tsfn);
    db->refed = want;
}

static void report_exception(napi_env env) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
        napi_value err;
        napi_get_and_clear_last_exception(env, &err);
        napi_fatal_exception(env, err);
    }
}

static void deliver_message(napi_env env, rn_req *r) {
    rn_conn *c = r->conn;
    if (c->on_message == NULL) return;
    napi_value cb, arg, undef;
    napi_get_reference_value(env, c->on_message, &cb);
    if (cb == NULL) return;
    if (r->op == OP_MESSAGE)
        arg = rn_reply_to_js(env, r->reply, r->flags & RF_BUFFER);
    else
        napi_get_null(env, &arg);
    napi_get_undefined(env, &undef);
    if (napi_call_function(env, undef, cb, 1, &arg, NULL) != napi_ok) report_exception(env);
}

/* Settle every finished request queued for the JS thread, in order. */
static void settle_all(napi_env env, rn_db *db) {
    rn_env *e = get_env(env);
    pthread_mutex_lock(&db->dmu);
    rn_req *r = db->done_head;
    db->done_head = db->done_tail = NULL;
    db->call_pending = 0;
    pthread_mutex_unlock(&db->dmu);
    while (r) {
        rn_req *next = r->next;
        napi_handle_scope scope;
        napi_open_handle_scope(env, &scope);
        if (r->op == OP_MESSAGE || r->op == OP_MSG_ERROR) {
            if (r->op == OP_MESSAGE) {
                rn_conn *c = r->conn;
                pthread_mutex_lock(&c->rmu);
                c->undelivered--;
                if (c->reader_full && c->undelivered < RN_MAX_UNDELIVERED / 2) {
                    c->reader_full = 0;
                    pthread_cond_broadcast(&c->rcv);
                }
                pthread_mutex_unlock(&c->rmu);
            }
            deliver_message(env, r);
            conn_unref(r->conn);
        } else {
            if (r->op == OP_CONN_CLOSE) {
                /* Its thread is ending: wait for it (and the reader), then
                 * drop the open-state reference. */
                rn_conn *c = r->conn;
                conn_join(c);
                if (!c->released) {
                    c->released = 1;
                    conn_unref(c);
                }
            }
            int ok;
            napi_value v = rn_settle_value(env, e, r, &ok);
            if (ok)
                napi_resolve_deferred(env, r->deferred, v);
            else
                napi_reject_deferred(env, r->deferred, v);
            db->inflight--;
            if (r->conn && --r->conn->inflight == 0 && r->conn->self) napi_reference_unref(env, r->conn->self, NULL);
        }
        napi_close_handle_scope(env, scope);
        rn_req_free(r);
        r = next;
    }
    update_ref(db);
}

static void on_done(napi_env env, napi_value js_cb, void *context, void *data) {
    (void)js_cb;
    (void)data;
    if (env == NULL) return; /* teardown: rn_db_cleanup dropped the results */
    settle_all(env, context);
}

/* ------------------------------------------------------------------------ */
/* argument helpers                                                          */
/* ------------------------------------------------------------------------ */

/* Fetch the call's arguments into e->vals; returns argc or -1. */
static int get_args(napi_env env, napi_callback_info info, rn_env *e, void **data) {
    size_t argc = (size_t)e->argcap;
    if (napi_get_cb_info(env, info, &argc, e->vals, NULL, data) != napi_ok) return -1;
    if (argc > (size_t)e->argcap) {
        int cap = e->argcap;
        while ((size_t)cap < argc) cap *= 2;
        napi_value *v = realloc(e->vals, (size_t)cap * sizeof *v);
        char **a = realloc(e->argv, (size_t)cap * sizeof *a);
        size_t *l = realloc(e->argvlen, (size_t)cap * sizeof *l);
        if (v) e->vals = v;
        if (a) e->argv = a;
        if (l) e->argvlen = l;
        if (!v || !a || !l) {
            napi_throw_error(env, NULL, "redlite: out of memory");
            return -1;
        }
        e->argcap = cap;
        if (napi_get_cb_info(env, info, &argc, e->vals, NULL, NULL) != napi_ok) return -1;
    }
    return (int)argc;
}

/* napi_get_value_external refuses anything but an External itself
 * (napi_invalid_arg, nothing thrown): no napi_typeof first. */
static void *external_data(napi_env env, napi_value v) {
    void *p = NULL;
    if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
    return p;
}

/* The open db of an External, or NULL (an exception is pending when the db
 * is closing). */
static rn_db *db_arg(napi_env env, napi_value v) {
    rn_db *db = external_data(env, v);
    if (db == NULL) return NULL;
    if (db->closing) {
        throw_closed(env);
        return NULL;
    }
    return db;
}

/* The open conn of an External, or NULL (an exception is pending when the
 * conn or its db is closing). */
static rn_conn *conn_arg(napi_env env, napi_value v) {
    rn_conn *c = external_data(env, v);
    if (c == NULL) return NULL;
    if (c->closed || c->db->closing) {
        throw_closed(env);
        return NULL;
    }
    return c;
}

static int get_int(napi_env env, napi_value v) {
    int32_t i = 0;
    napi_get_value_int32(env, v, &i);
    return i;
}

/* A call (handle, flags, ...args) of the command family (command, get, set,
 * their Sync forms, connCommand...): its handle, flags and args. */
typedef struct rn_call {
    rn_env *e;
    rn_db *db;     /* the db, or the conn's db */
    rn_conn *conn; /* NULL for a db call */
    int flags;
    int n; /* args, converted into e->argv and e->argvlen */
} rn_call;

/* Read a call: nargs args after the flags (0: all of them, at least one),
 * on a conn (is_conn) or a db. Returns 0 when the call must return at once:
 * too few arguments (no exception), the handle is closing or an argument is
 * not a string or Buffer (an exception is pending). */
static int call_args(napi_env env, napi_callback_info info, int is_conn, int nargs, rn_call *c) {
    c->e = get_env(env);
    int argc = get_args(env, info, c->e, NULL);
    if (argc < 2 + (nargs > 0 ? nargs : 1)) return 0;
    c->n = nargs > 0 ? nargs : argc - 2;
    c->conn = NULL;
    if (is_conn) {
        c->conn = conn_arg(env, c->e->vals[0]);
        if (c->conn == NULL) return 0;
        c->db = c->conn->db;
    } else {
        c->db = db_arg(env, c->e->vals[0]);
        if (c->db == NULL) return 0;
    }
    c->flags = get_int(env, c->e->vals[1]);
    return rn_args_from_js(env, c->e, c->e->vals + 2, c->n);
}

/* Queue an async work on data w, which holds its work and deferred;
 * returns the promise. */
static napi_value queue_work(napi_env env, const char *name, napi_async_execute_callback execute, napi_async_complete_callback complete, void *w, napi_async_work *work, napi_deferred *deferred) {
    napi_value promise, n;
    napi_create_promise(env, deferred, &promise);
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &n);
    napi_create_async_work(env, NULL, n, execute, complete, w, work);
    napi_queue_async_work(env, *work);
    return promise;
}

/* ------------------------------------------------------------------------ */
/* open / close                                                              */
/* ------------------------------------------------------------------------ */

typedef struct open_work {
    napi_async_work work;
    napi_deferred deferred;
    char *path;
    redlite_options opts;
    redlite_db *h;
    int status;
    char *err;
} open_work;

/* Wrap an opened library handle in an rn_db and its External. */
static napi_value make_db(napi_env env, redlite_db *h) {
    rn_db *db = calloc(1, sizeof *db);
    napi_value ext, name;
    if (db == NULL) {
        redlite_close(h);
        napi_throw_error(env, NULL, "redlite: out of memory");
        return NULL;
    }
    db->env = env;
    db->h = h;
    pthread_mutex_init(&db->dmu, NULL);
    pthread_mutex_init(&db->live_mu, NULL);
    pthread_cond_init(&db->live_cv, NULL);
    napi_create_string_utf8(env, "redlite", NAPI_AUTO_LENGTH, &name);
    if (napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, db, tsfn_finalize, db, on_done, &db->tsfn) != napi_ok) {
        redlite_close(h);
        free(db);
        napi_throw_error(env, NULL, "redlite: cannot create a threadsafe function");
        return NULL;
    }
    db->refcount = 2; /* the TSFN and the External */
    napi_unref_threadsafe_function(env, db->tsfn);
    if (rn_exec_init(&db->main, db, NULL, 1, 0) != 0 || rn_exec_init(&db->blockers, db, NULL, 0, 1) != 0) {
        db->closing = 1;
        db_shutdown(db);
        db->tsfn_released = 1;
        napi_release_threadsafe_function(db->tsfn, napi_tsfn_release);
        db->refcount--;
        napi_throw_error(env, NULL, "redlite: cannot start threads");
        return NULL;
    }
    napi_add_env_cleanup_hook(env, rn_db_cleanup, db);
    db->cleanup_hook = 1;
    if (napi_create_external(env, db, db_external_finalize, NULL, &ext) != napi_ok) return NULL;
    napi_create_reference(env, ext, 1, &db->self);
    return ext;
}

static int read_options(napi_env env, napi_value *argv, size_t argc, redlite_options *o) {
    redlite_options_init(o);
    if (argc >= 6) {
        o->durability = get_int(env, argv[1]);
        o->cache_mb = get_int(env, argv[2]);
        o->readers = get_int(env, argv[3]);
        o->busy_timeout_ms = get_int(env, argv[4]);
        o->database = get_int(env, argv[5]);
    }
    return 1;
}

static char *get_path(napi_env env, napi_value v) {
    size_t n = 0;
    if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) {
        napi_throw_type_error(env, NULL, "redlite: the path must be a string");
        return NULL;
    }
    char *p = malloc(n + 1);
    if (p) napi_get_value_string_utf8(env, v, p, n + 1, &n);
    return p;
}

/* The arguments of open and openSync (path, durability, cacheMb, readers,
 * busyTimeoutMs, database): the path (NULL: an exception may be pending)
 * and the options in *o. */
static char *open_args(napi_env env, napi_callback_info info, redlite_options *o) {
    size_t argc = 6;
    napi_value argv[6];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    char *path = get_path(env, argv[0]);
    if (path != NULL) read_options(env, argv, argc, o);
    return path;
}

/* openSync(path, durability, cacheMb, readers, busyTimeoutMs, database) */
static napi_value js_open_sync(napi_env env, napi_callback_info info) {
    redlite_options o;
    char *path = open_args(env, info, &o);
    if (path == NULL) return NULL;
    redlite_db *h = NULL;
    char *err = NULL;
    int st = redlite_open(path, &o, &h, &err);
    free(path);
    if (st != REDLITE_OK) {
        rn_throw(env, rn_plain_error(env, get_env(env), st, err));
        redlite_free(err);
        return NULL;
    }
    return make_db(env, h);
}

static void open_execute(napi_env env, void *data) {
    (void)env;
    open_work *w = data;
    sigset_t old;
    rn_block_async_signals(&old);
    w->status = redlite_open(w->path, &w->opts, &w->h, &w->err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void open_complete(napi_env env, napi_status status, void *data) {
    open_work *w = data;
    (void)status;
    if (w->status == REDLITE_OK) {
        napi_value ext = make_db(env, w->h);
        if (ext) {
            napi_resolve_deferred(env, w->deferred, ext);
        } else {
            napi_value err;
            napi_get_and_clear_last_exception(env, &err);
            napi_reject_deferred(env, w->deferred, err);
        }
    } else {
        napi_reject_deferred(env, w->deferred, rn_plain_error(env, get_env(env), w->status, w->err));
    }
    napi_delete_async_work(env, w->work);
    redlite_free(w->err);
    free(w->path);
    free(w);
}

/* open(path, durability, cacheMb, readers, busyTimeoutMs, database) */
static napi_value js_open(napi_env env, napi_callback_info info) {
    open_work *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    w->path = open_args(env, info, &w->opts);
    if (w->path == NULL) {
        free(w);
        return NULL;
    }
    return queue_work(env, "redlite.open", open_execute, open_complete, w, &w->work, &w->deferred);
}

typedef struct close_work {
    napi_async_work work;
    napi_deferred deferred;
    rn_db *db;
} close_work;

static void close_execute(napi_env env, void *data) {
    (void)env;
    close_work *w = data;
    sigset_t old;
    rn_block_async_signals(&old);
    db_shutdown(w->db);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void close_complete(napi_env env, napi_status status, void *data) {
    close_work *w = data;
    napi_value undef;
    (void)status;
    db_finish_close(env, w->db);
    napi_get_undefined(env, &undef);
    napi_resolve_deferred(env, w->deferred, undef);
    napi_delete_async_work(env, w->work);
    free(w);
}

/* The open db of a call (db): close, closeSync, connOpen; NULL when it is
 * not one (an exception may be pending). */
static rn_db *db_call_arg(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value argv[1];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    return db_arg(env, argv[0]);
}

/* The db of close and closeSync, marked closing. */
static rn_db *close_arg(napi_env env, napi_callback_info info) {
    rn_db *db = db_call_arg(env, info);
    if (db != NULL) db->closing = 1;
    return db;
}

/* close(db): a promise resolved when the db is closed; every request
 * still in flight is settled (REDLITE_CLOSED) before it resolves. */
static napi_value js_close(napi_env env, napi_callback_info info) {
    rn_db *db = close_arg(env, info);
    if (db == NULL) return NULL;
    close_work *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    w->db = db;
    return queue_work(env, "redlite.close", close_execute, close_complete, w, &w->work, &w->deferred);
}

static napi_value js_close_sync(napi_env env, napi_callback_info info) {
    rn_db *db = close_arg(env, info);
    if (db == NULL) return NULL;
    db_shutdown(db);
    db_finish_close(env, db);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* asynchronous calls                                                        */
/* ------------------------------------------------------------------------ */

static napi_value submit(napi_env env, rn_db *db, rn_exec *ex, rn_req *r) {
    napi_value promise;
    if (r == NULL) {
        napi_throw_error(env, NULL, "redlite: out of memory");
        return NULL;
    }
    if (napi_create_promise(env, &r->deferred, &promise) != napi_ok) {
        free(r);
        return NULL;
    }
    db->inflight++;
    update_ref(db);
    /* A conn with requests in flight stays alive even if the program let
     * go of it (db.connection().blpop(...)): the collector would close it. */
    rn_conn *c = ex->conn;
    if (c != NULL) {
        r->conn = c;
        if (c->inflight++ == 0 && c->self) napi_reference_ref(env, c->self, NULL);
    }
    rn_exec_submit(ex, r);
    return promise;
}

/* command(db, flags, name, ...args) and connCommand(conn, ...): on a conn's
 * thread, else the db's blocking pool or its main queue. */
static napi_value command(napi_env env, napi_callback_info info, int is_conn) {
    rn_call c;
    if (!call_args(env, info, is_conn, 0, &c)) return NULL;
    rn_exec *ex = c.conn ? &c.conn->ex : (c.flags & RF_BLOCKING) ? &c.db->blockers : &c.db->main;
    return submit(env, c.db, ex, rn_req_from_scratch(c.e, OP_CMD, c.flags, c.n));
}

static napi_value js_command(napi_env env, napi_callback_info info) {
    return command(env, info, 0);
}

/* get(db, flags, key) */
static napi_value js_get(napi_env env, napi_callback_info info) {
    rn_call c;
    if (!call_args(env, info, 0, 1, &c)) return NULL;
    return submit(env, c.db, &c.db->main, rn_req_from_scratch(c.e, OP_GET, c.flags, 1));
}

/* set(db, flags, key, value): SET without options */
static napi_value js_set(napi_env env, napi_callback_info info) {
    rn_call c;
    if (!call_args(env, info, 0, 2, &c)) return NULL;
    return submit(env, c.db, &c.db->main, rn_req_from_scratch(c.e, OP_SET, c.flags, 2));
}

/* ------------------------------------------------------------------------ */
/* synchronous calls                                                         */
/* ------------------------------------------------------------------------ */

/* A synchronous call's result: r's reply, value or error (freed) as a JS
 * value, or NULL with the error thrown. */
static napi_value sync_result(napi_env env, rn_req *r) {
    int ok;
    napi_value v = rn_settle_value(env, get_env(env), r, &ok);
    redlite_reply_free(r->reply);
    redlite_free(r->val);
    redlite_free(r->err);
    if (!ok) {
        rn_throw(env, v);
        return NULL;
    }
    return v;
}

/* commandSync(db, flags, name, ...args) and connCommandSync(conn, ...) */
static napi_value command_sync(napi_env env, napi_callback_info info, int is_conn) {
    rn_call c;
    if (!call_args(env, info, is_conn, 0, &c)) return NULL;
    rn_req r = {.op = OP_CMD, .flags = c.flags};
    const char *const *argv = (const char *const *)c.e->argv;
    if (c.conn)
        r.status = redlite_conn_command(c.conn->h, c.n, argv, c.e->argvlen, &r.reply);
    else
        r.status = redlite_command(c.db->h, c.n, argv, c.e->argvlen, &r.reply);
    return sync_result(env, &r);
}

static napi_value js_command_sync(napi_env env, napi_callback_info info) {
    return command_sync(env, info, 0);
}

/* The prologue of the typed synchronous calls (db, flags, ...nargs args),
 * as call_args but leaner, since these run for every db.sync.get: the
 * arguments land in a stack array instead of the scratch one. Returns the
 * db, or NULL when the call must return at once (as call_args). */
static rn_db *typed_sync_args(napi_env env, napi_callback_info info, int nargs, rn_env **e, int *flags) {
    size_t argc = 4;
    napi_value argv[4];
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < (size_t)(2 + nargs)) return NULL;
    rn_db *db = db_arg(env, argv[0]);
    if (db == NULL) return NULL;
    *flags = get_int(env, argv[1]);
    *e = get_env(env);
    if (!rn_args_from_js(env, *e, argv + 2, nargs)) return NULL;
    return db;
}

/* getSync(db, flags, key) */
static napi_value js_get_sync(napi_env env, napi_callback_info info) {
    rn_env *e;
    int flags;
    rn_db *db = typed_sync_args(env, info, 1, &e, &flags);
    if (db == NULL) return NULL;
    rn_req r = {.op = OP_GET, .flags = flags};
    r.status = redlite_get(db->h, e->argv[0], e->argvlen[0], &r.val, &r.vallen, &r.err);
    if (r.status != REDLITE_OK) return sync_result(env, &r);
    napi_value v = rn_str_result(env, r.val, r.vallen, flags);
    redlite_free(r.val);
    if (r.err) redlite_free(r.err);
    return v;
}

/* setSync(db, flags, key, value) */
static napi_value js_set_sync(napi_env env, napi_callback_info info) {
    rn_env *e;
    int flags;
    rn_db *db = typed_sync_args(env, info, 2, &e, &flags);
    if (db == NULL) return NULL;
    rn_req r = {.op = OP_SET, .flags = flags};
    r.status = redlite_set(db->h, e->argv[0], e->argvlen[0], e->argv[1], e->argvlen[1], 0, 0, &r.err);
    if (r.status != REDLITE_OK) return sync_result(env, &r);
    if (r.err) redlite_free(r.err);
    return rn_str_result(env, "OK", 2, flags);
}

/* ------------------------------------------------------------------------ */
/* conns                                                                     */
/* ------------------------------------------------------------------------ */

static void conn_external_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    rn_conn *c = data;
    /* Collected while open (the program dropped it): close it here. A
     * closing db closes it itself (db_shutdown, db_finish_close). */
    if (!c->closed && !c->db->closing) {
        c->closed = 1;
        redlite_conn_close(c->h);
        conn_join(c);
        c->released = 1;
        conn_unref(c);
    }
    conn_unref(c);
}

/* connOpen(db) -> External */
static napi_value js_conn_open(napi_env env, napi_callback_info info) {
    napi_value ext;
    rn_db *db = db_call_arg(env, info);
    if (db == NULL) return NULL;
    redlite_conn *h = NULL;
    int st = redlite_conn_open(db->h, &h);
    if (st != REDLITE_OK) {
        rn_throw(env, rn_plain_error(env, get_env(env), st, NULL));
        return NULL;
    }
    rn_conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        redlite_conn_close(h);
        napi_throw_error(env, NULL, "redlite: out of memory");
        return NULL;
    }
    c->db = db;
    c->h = h;
    c->refs = 2; /* the External and the open state */
    pthread_mutex_init(&c->rmu, NULL);
    pthread_cond_init(&c->rcv, NULL);
    pthread_mutex_init(&c->jmu, NULL);
    if (rn_exec_init(&c->ex, db, c, 1, 0) != 0) {
        redlite_conn_close(h);
        rn_exec_stop(&c->ex);
        rn_exec_join(&c->ex);
        rn_exec_destroy(&c->ex);
        free(c);
        napi_throw_error(env, NULL, "redlite: cannot start a thread");
        return NULL;
    }
    db->refcount++;
    pthread_mutex_lock(&db->live_mu);
    c->next_live = db->conns;
    db->conns = c;
    pthread_mutex_unlock(&db->live_mu);
    NAPI_OK(napi_create_external(env, c, conn_external_finalize, NULL, &ext));
    napi_create_reference(env, ext, 0, &c->self);
    return ext;
}

static napi_value js_conn_command(napi_env env, napi_callback_info info) {
    return command(env, info, 1);
}

static napi_value js_conn_command_sync(napi_env env, napi_callback_info info) {
    return command_sync(env, info, 1);
}

/* Submit a request without arguments to c's thread (timeout_ms: for
 * OP_NEXT_MESSAGE). */
static napi_value conn_submit(napi_env env, rn_conn *c, int op, long long timeout_ms) {
    rn_req *r = calloc(1, sizeof *r);
    if (r) {
        r->op = op;
        r->timeout_ms = timeout_ms;
    }
    return submit(env, c->db, &c->ex, r);
}

/* connNextMessage(conn, timeoutMs): a promise of the conn's next pub/sub
 * message as a typed tree (rn_reply_tree), null when none came in time. It
 * runs on the conn's thread, after the conn's earlier requests. For the
 * vectors' runner (test/vectors.test.js); subscribers use connOnMessage. */
static napi_value js_conn_next_message(napi_env env, napi_callback_info info) {
    size_t argc = 2;
    napi_value argv[2];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    rn_conn *c = conn_arg(env, argv[0]);
    if (c == NULL) return NULL;
    int64_t ms = -1;
    if (argc > 1) napi_get_value_int64(env, argv[1], &ms);
    return conn_submit(env, c, OP_NEXT_MESSAGE, ms);
}

/* connOp(conn, op): begin (1), commit (2), rollback (3), close (4) */
static napi_value js_conn_op(napi_env env, napi_callback_info info) {
    size_t argc = 2;
    napi_value argv[2];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    rn_conn *c = external_data(env, argv[0]);
    if (c == NULL) return NULL;
    static const int ops[] = {0, OP_BEGIN, OP_COMMIT, OP_ROLLBACK, OP_CONN_CLOSE};
    int which = get_int(env, argv[1]);
    if (which < 1 || which > 4) return NULL;
    if (c->closed || c->db->closing) {
        if (ops[which] == OP_CONN_CLOSE) { /* closing twice, or after the db: nothing to do */
            napi_value p, u;
            napi_deferred d;
            napi_create_promise(env, &d, &p);
            napi_get_undefined(env, &u);
            napi_resolve_deferred(env, d, u);
            return p;
        }
        throw_closed(env);
        return NULL;
    }
    if (ops[which] == OP_CONN_CLOSE) c->closed = 1;
    return conn_submit(env, c, ops[which], 0);
}

/* connOnMessage(conn, callback, buffers): deliver the conn's pub/sub
 * messages to callback(array) (null: the reader found the conn dropped or
 * unsubscribed), starting the reader thread the first time. */
static napi_value js_conn_on_message(napi_env env, napi_callback_info info) {
    size_t argc = 3;
    napi_value argv[3];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    rn_conn *c = conn_arg(env, argv[0]);
    if (c == NULL) return NULL;
    bool b = false;
    napi_get_value_bool(env, argv[2], &b);
    c->buffers = b;
    if (c->on_message == NULL) {
        NAPI_OK(napi_create_reference(env, argv[1], 1, &c->on_message));
        if (rn_start_reader(c) != 0) {
            napi_throw_error(env, NULL, "redlite: cannot start a thread");
            return NULL;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* misc                                                                      */
/* ------------------------------------------------------------------------ */

/* keepAlive(db, delta): reasons besides in-flight calls to keep the event
 * loop alive (an active subscription, as with a Redis client). */
static napi_value js_keep_alive(napi_env env, napi_callback_info info) {
    size_t argc = 2;
    napi_value argv[2];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    rn_db *db = external_data(env, argv[0]);
    if (db == NULL) return NULL;
    db->keepalive += get_int(env, argv[1]);
    if (db->keepalive < 0) db->keepalive = 0;
    update_ref(db);
    return NULL;
}

static napi_value js_fix_signals(napi_env env, napi_callback_info info) {
    (void)info;
    napi_value v;
    napi_create_int32(env, rn_fix_signals(), &v);
    return v;
}

/* signalState(signum): see rn_signal_state (tests). */
static napi_value js_signal_state(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value argv[1], v;
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    napi_create_int32(env, rn_signal_state(get_int(env, argv[0])), &v);
    return v;
}

/* setup(ReplyError, ClosedError, RedliteError) */
static napi_value js_setup(napi_env env, napi_callback_info info) {
    size_t argc = 3;
    napi_value argv[3];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    rn_env *e = get_env(env);
    if (argc < 3) return NULL;
    napi_create_reference(env, argv[0], 1, &e->reply_error);
    napi_create_reference(env, argv[1], 1, &e->closed_error);
    napi_create_reference(env, argv[2], 1, &e->redlite_error);
    return NULL;
}

static napi_value js_version(napi_env env, napi_callback_info info) {
    (void)info;
    napi_value v;
    napi_create_string_utf8(env, redlite_version(), NAPI_AUTO_LENGTH, &v);
    return v;
}

static void env_free(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    rn_env *e = data;
    free(e->buf);
    free(e->argv);
    free(e->argvlen);
    free(e->vals);
    free(e);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
    rn_env *e = calloc(1, sizeof *e);
    if (e == NULL) return NULL;
    e->argcap = RN_MAX_ARGS_STACK;
    e->argv = malloc((size_t)e->argcap * sizeof *e->argv);
    e->argvlen = malloc((size_t)e->argcap * sizeof *e->argvlen);
    e->vals = malloc((size_t)e->argcap * sizeof *e->vals);
    if (!e->argv || !e->argvlen || !e->vals) return NULL;
    napi_set_instance_data(env, e, env_free, NULL);

    /* Handlers installed before the addon loaded (see signals.c). */
    rn_fix_signals();

    static const struct {
        const char *name;
        napi_callback fn;
    } fns[] = {
        {"setup", js_setup},
        {"version", js_version},
        {"open", js_open},
        {"openSync", js_open_sync},
        {"close", js_close},
        {"closeSync", js_close_sync},
        {"command", js_command},
        {"get", js_get},
        {"set", js_set},
        {"commandSync", js_command_sync},
        {"getSync", js_get_sync},
        {"setSync", js_set_sync},
        {"connOpen", js_conn_open},
        {"connCommand", js_conn_command},
        {"connCommandSync", js_conn_command_sync},
        {"connOp", js_conn_op},
        {"connOnMessage", js_conn_on_message},
        {"connNextMessage", js_conn_next_message},
        {"keepAlive", js_keep_alive},
        {"fixSignals", js_fix_signals},
        {"signalState", js_signal_state},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        napi_value f;
        napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
        napi_set_named_property(env, exports, fns[i].name, f);
    }
    return exports;
}
