/*
 * Executors: queues served by threads that call into libredlite, and the
 * completion list that hands finished requests back to the JS thread.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rn.h"

/* The longest run of queued GETs (or plain SETs) merged into one MGET (or
 * MSET). Long enough to amortize the call, short enough to bound argv. */
#define MAX_MERGE 256

void rn_req_free(rn_req *r) {
    redlite_reply_free(r->reply);
    redlite_free(r->val);
    redlite_free(r->err);
    free(r);
}

/*
 * Threads we create never take process-directed asynchronous signals
 * (SIGINT, SIGCHLD, SIGTERM, ...): they spend nearly all their time inside
 * the Go runtime, on goroutine stacks, where a handler installed without
 * SA_ONSTACK would run on a stack too small for the kernel's signal frame
 * (see signals.c). Blocking them here makes the kernel pick another thread.
 * Synchronous signals (faults) and the ones the Go runtime sends to a
 * thread itself (SIGURG preemption, SIGPROF) stay deliverable.
 */
void rn_block_async_signals(sigset_t *old) {
    sigset_t set;
    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGTRAP);
    sigdelset(&set, SIGSYS);
    sigdelset(&set, SIGABRT);
    sigdelset(&set, SIGURG);
    sigdelset(&set, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void *exec_thread(void *arg);

/* Start one more thread on ex; called with ex->mu held (or before the
 * executor is shared). */
static int spawn_locked(rn_exec *ex) {
    if (ex->nthreads == ex->tcap) {
        int cap = ex->tcap ? ex->tcap * 2 : 4;
        pthread_t *t = realloc(ex->threads, (size_t)cap * sizeof *t);
        if (t == NULL) return ENOMEM;
        ex->threads = t;
        ex->tcap = cap;
    }
    sigset_t old;
    rn_block_async_signals(&old);
    int rc = pthread_create(&ex->threads[ex->nthreads], NULL, exec_thread, ex);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0) ex->nthreads++;
    return rc;
}

int rn_exec_init(rn_exec *ex, rn_db *db, rn_conn *conn, int nthreads, int grow) {
    memset(ex, 0, sizeof *ex);
    ex->db = db;
    ex->conn = conn;
    ex->grow = grow;
    pthread_mutex_init(&ex->mu, NULL);
    pthread_cond_init(&ex->cv, NULL);
    for (int i = 0; i < nthreads; i++) {
        int rc = spawn_locked(ex);
        if (rc != 0) return rc;
    }
    return 0;
}

/* Queue a request. A growing executor (the blocking pool) makes sure every
 * queued request has a thread of its own: a blocking command may wait for a
 * long time and must not hold up the one queued after it. */
void rn_exec_submit(rn_exec *ex, rn_req *r) {
    r->next = NULL;
    pthread_mutex_lock(&ex->mu);
    int queued = 1;
    if (ex->tail) {
        ex->tail->next = r;
        if (ex->grow)
            for (rn_req *q = ex->head; q != r; q = q->next) queued++;
    } else {
        ex->head = r;
    }
    ex->tail = r;
    if (ex->grow && queued > ex->idle) spawn_locked(ex);
    if (ex->idle > 0) pthread_cond_signal(&ex->cv);
    pthread_mutex_unlock(&ex->mu);
}

void rn_exec_stop(rn_exec *ex) {
    pthread_mutex_lock(&ex->mu);
    ex->stop = 1;
    pthread_cond_broadcast(&ex->cv);
    pthread_mutex_unlock(&ex->mu);
}

void rn_exec_join(rn_exec *ex) {
    /* Threads are only added by submit, which the JS thread no longer calls
     * once the executor is stopping, so the array is stable here. */
    for (int i = 0; i < ex->nthreads; i++) pthread_join(ex->threads[i], NULL);
    ex->nthreads = 0;
}

void rn_exec_destroy(rn_exec *ex) {
    free(ex->threads);
    ex->threads = NULL;
    pthread_mutex_destroy(&ex->mu);
    pthread_cond_destroy(&ex->cv);
}

/* Hand finished requests (a linked list from first to last) to the JS
 * thread. Only the first batch added to an empty list calls the threadsafe
 * function; the JS side takes everything queued when it runs. */
void rn_post_done(rn_db *db, rn_req *first, rn_req *last) {
    int call;
    last->next = NULL;
    pthread_mutex_lock(&db->dmu);
    if (db->done_tail)
        db->done_tail->next = first;
    else
        db->done_head = first;
    db->done_tail = last;
    call = !db->call_pending;
    db->call_pending = 1;
    pthread_mutex_unlock(&db->dmu);
    if (call) napi_call_threadsafe_function(db->tsfn, NULL, napi_tsfn_nonblocking);
}

static char *dup_bytes(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p == NULL) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void rn_run_one(rn_exec *ex, rn_req *r) {
    rn_conn *c = ex->conn;
    redlite_db *db = ex->db->h;
    switch (r->op) {
    case OP_CMD:
        r->status = c ? redlite_conn_command(c->h, r->argc, (const char *const *)r->argv, r->argvlen, &r->reply)
                      : redlite_command(db, r->argc, (const char *const *)r->argv, r->argvlen, &r->reply);
        if (c && c->on_message) {
            /* Let a reader that found no subscription look again (see
             * reader_thread). The request is posted under rmu so that, in
             * the completion list, it stays ordered with the reader's
             * "no subscription" reports. */
            pthread_mutex_lock(&c->rmu);
            c->sub_gen++;
            pthread_cond_broadcast(&c->rcv);
            rn_post_done(ex->db, r, r);
            pthread_mutex_unlock(&c->rmu);
            return;
        }
        break;
    case OP_GET:
        r->status = c ? redlite_conn_get(c->h, r->argv[0], r->argvlen[0], &r->val, &r->vallen, &r->err)
                      : redlite_get(db, r->argv[0], r->argvlen[0], &r->val, &r->vallen, &r->err);
        break;
    case OP_SET:
        r->status = c ? redlite_conn_set(c->h, r->argv[0], r->argvlen[0], r->argv[1], r->argvlen[1], 0, 0, &r->err)
                      : redlite_set(db, r->argv[0], r->argvlen[0], r->argv[1], r->argvlen[1], 0, 0, &r->err);
        break;
    case OP_NEXT_MESSAGE:
        r->status = redlite_next_message(c->h, r->timeout_ms, &r->reply);
        break;
    case OP_BEGIN:
        r->status = redlite_begin(c->h, &r->err);
        break;
    case OP_COMMIT:
        r->status = redlite_commit(c->h, &r->err);
        break;
    case OP_ROLLBACK:
        r->status = redlite_rollback(c->h, &r->err);
        break;
    case OP_CONN_CLOSE:
        r->status = redlite_conn_close(c->h);
        /* A reader waiting for messages gets REDLITE_CLOSED now. */
        pthread_mutex_lock(&c->rmu);
        c->reader_stop = 1;
        pthread_cond_broadcast(&c->rcv);
        pthread_mutex_unlock(&c->rmu);
        pthread_mutex_lock(&ex->mu);
        ex->stop = 1;
        pthread_mutex_unlock(&ex->mu);
        break;
    }
    rn_post_done(ex->db, r, r);
}

/* A run of n queued GETs as one MGET: one call into the library and one
 * read snapshot for all of them. MGET answers nil both for a missing key and
 * for a key of another type, where GET fails with WRONGTYPE, so nil answers
 * are asked again one by one. */
static void run_mget(rn_exec *ex, rn_req *first, int n) {
    const char *argv[MAX_MERGE + 1];
    size_t lens[MAX_MERGE + 1];
    rn_req *r = first;
    argv[0] = "MGET";
    lens[0] = 4;
    for (int i = 1; i <= n; i++, r = r->next) {
        argv[i] = r->argv[0];
        lens[i] = r->argvlen[0];
    }
    redlite_reply *rep = NULL;
    int st = redlite_command(ex->db->h, n + 1, argv, lens, &rep);
    int merged = st == REDLITE_OK && rep && rep->type == REDLITE_REPLY_ARRAY && rep->elements == (size_t)n;
    r = first;
    for (int i = 0; i < n; i++, r = r->next) {
        const redlite_reply *e = merged ? rep->element[i] : NULL;
        if (e && e->type == REDLITE_REPLY_STRING && (r->val = dup_bytes(e->str, e->len)) != NULL) {
            r->vallen = e->len;
            r->status = REDLITE_OK;
        } else {
            r->status = redlite_get(ex->db->h, r->argv[0], r->argvlen[0], &r->val, &r->vallen, &r->err);
        }
    }
    redlite_reply_free(rep);
}

/* A run of n plain SETs (no options) as one MSET: the same writes in the
 * same order, committed together. If it fails, each runs on its own so
 * every request gets its own answer. */
static void run_mset(rn_exec *ex, rn_req *first, int n) {
    const char *argv[2 * MAX_MERGE + 1];
    size_t lens[2 * MAX_MERGE + 1];
    rn_req *r = first;
    argv[0] = "MSET";
    lens[0] = 4;
    for (int i = 0; i < n; i++, r = r->next) {
        argv[1 + 2 * i] = r->argv[0];
        lens[1 + 2 * i] = r->argvlen[0];
        argv[2 + 2 * i] = r->argv[1];
        lens[2 + 2 * i] = r->argvlen[1];
    }
    redlite_reply *rep = NULL;
    int st = redlite_command(ex->db->h, 2 * n + 1, argv, lens, &rep);
    redlite_reply_free(rep);
    r = first;
    for (int i = 0; i < n; i++, r = r->next) {
        if (st == REDLITE_OK)
            r->status = REDLITE_OK;
        else
            r->status = redlite_set(ex->db->h, r->argv[0], r->argvlen[0], r->argv[1], r->argvlen[1], 0, 0, &r->err);
    }
}

/* Run a batch taken from the queue, in order, merging runs of GETs and of
 * plain SETs on the db handle, and post the results in one go. */
static void run_batch(rn_exec *ex, rn_req *batch) {
    rn_req *r = batch;
    if (ex->conn) {
        /* Conn requests are posted one by one: a conn's subscribe commands
         * are ordered with its reader's reports (rn_run_one). */
        while (r) {
            rn_req *next = r->next;
            rn_run_one(ex, r);
            r = next;
        }
        return;
    }
    rn_req *first = batch, *last = NULL;
    while (r) {
        int n = 1;
        rn_req *end = r;
        if (r->op == OP_GET || r->op == OP_SET) {
            while (n < MAX_MERGE && end->next && end->next->op == r->op) {
                end = end->next;
                n++;
            }
        }
        if (n > 1 && r->op == OP_GET)
            run_mget(ex, r, n);
        else if (n > 1)
            run_mset(ex, r, n);
        else {
            /* rn_run_one posts; keep the batch together instead. */
            rn_req *next = r->next;
            switch (r->op) {
            case OP_CMD:
                r->status = redlite_command(ex->db->h, r->argc, (const char *const *)r->argv, r->argvlen, &r->reply);
                break;
            case OP_GET:
                r->status = redlite_get(ex->db->h, r->argv[0], r->argvlen[0], &r->val, &r->vallen, &r->err);
                break;
            case OP_SET:
                r->status = redlite_set(ex->db->h, r->argv[0], r->argvlen[0], r->argv[1], r->argvlen[1], 0, 0, &r->err);
                break;
            }
            r->next = next;
        }
        last = end;
        r = end->next;
    }
    if (last) rn_post_done(ex->db, first, last);
}

static void *exec_thread(void *arg) {
    rn_exec *ex = arg;
    pthread_mutex_lock(&ex->mu);
    for (;;) {
        while (ex->head == NULL && !ex->stop) {
            ex->idle++;
            pthread_cond_wait(&ex->cv, &ex->mu);
            ex->idle--;
        }
        if (ex->head == NULL) break;
        rn_req *batch = ex->head;
        if (ex->grow) {
            /* The blocking pool: one request per thread. */
            ex->head = batch->next;
            batch->next = NULL;
        } else {
            ex->head = NULL;
        }
        if (ex->head == NULL) ex->tail = NULL;
        pthread_mutex_unlock(&ex->mu);
        run_batch(ex, batch);
        pthread_mutex_lock(&ex->mu);
    }
    pthread_mutex_unlock(&ex->mu);
    return NULL;
}

/*
 * The reader of a subscribed conn: waits for messages with
 * redlite_next_message and posts each to the JS thread. When the conn has
 * no subscription the library answers REDLITE_ERR at once; the reader then
 * sleeps until a command runs on the conn (sub_gen changes), so an idle
 * subscriber costs nothing. REDLITE_ERR while subscribed means the library
 * dropped the conn for letting messages pile up (client-output-buffer-limit):
 * the reader reports it (OP_MSG_ERROR) and JS decides, knowing whether it
 * thinks it is subscribed.
 */
static void *reader_thread(void *arg) {
    rn_conn *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->rmu);
        unsigned long long gen = c->sub_gen;
        int stop = c->reader_stop;
        pthread_mutex_unlock(&c->rmu);
        if (stop) break;
        redlite_reply *m = NULL;
        int st = redlite_next_message(c->h, -1, &m);
        if (st == REDLITE_OK) {
            rn_req *r = calloc(1, sizeof *r);
            if (r == NULL) {
                redlite_reply_free(m);
                continue;
            }
            r->op = OP_MESSAGE;
            r->conn = c;
            __atomic_add_fetch(&c->refs, 1, __ATOMIC_SEQ_CST);
            r->reply = m;
            r->flags = c->buffers ? RF_BUFFER : 0;
            rn_post_done(c->db, r, r);
            pthread_mutex_lock(&c->rmu);
            c->undelivered++;
            while (c->undelivered >= RN_MAX_UNDELIVERED && !c->reader_stop) {
                c->reader_full = 1;
                pthread_cond_wait(&c->rcv, &c->rmu);
            }
            pthread_mutex_unlock(&c->rmu);
            continue;
        }
        if (st == REDLITE_TIMEOUT) continue; /* interrupted: look at reader_stop */
        if (st != REDLITE_ERR) break;        /* closed (or the db is) */
        pthread_mutex_lock(&c->rmu);
        if (c->sub_gen == gen && !c->reader_stop) {
            rn_req *r = calloc(1, sizeof *r);
            if (r) {
                r->op = OP_MSG_ERROR;
                r->conn = c;
                __atomic_add_fetch(&c->refs, 1, __ATOMIC_SEQ_CST);
                rn_post_done(c->db, r, r);
            }
        }
        while (c->sub_gen == gen && !c->reader_stop) pthread_cond_wait(&c->rcv, &c->rmu);
        pthread_mutex_unlock(&c->rmu);
    }
    return NULL;
}

int rn_start_reader(rn_conn *c) {
    sigset_t old;
    rn_block_async_signals(&old);
    int rc = pthread_create(&c->reader, NULL, reader_thread, c);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0) c->reader_started = 1;
    return rc;
}
