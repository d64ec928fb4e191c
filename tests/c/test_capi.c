/*
 * The C ABI test: built against include/redlite.h only, linked with
 * -lredlite. It calls every function of the header (scripts/test-c.sh
 * checks that each one appears here), their error paths, NULL pointers,
 * closed and foreign handles, several threads at once, the signal handlers
 * the library installs and the fork guard.
 * scripts/test-c.sh also runs it under Valgrind.
 *
 * Sections that need a command another part of redlite provides (hashes,
 * lists, sets, sorted sets, keys, pub/sub) check the command table first and
 * print SKIP with the command's name when it is missing, and the summary
 * counts the skips.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "redlite.h"

static int failures, checks, skips;
static pthread_mutex_t report_mu = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond) check_((cond), #cond, __FILE__, __LINE__)
#define CHECK_RC(got, want) check_rc_((got), (want), #got, __FILE__, __LINE__)

static int check_(int ok, const char *what, const char *file, int line) {
    pthread_mutex_lock(&report_mu);
    checks++;
    if (!ok) {
        failures++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
    }
    pthread_mutex_unlock(&report_mu);
    return ok;
}

static int check_rc_(int got, int want, const char *what, const char *file, int line) {
    pthread_mutex_lock(&report_mu);
    checks++;
    if (got != want) {
        failures++;
        fprintf(stderr, "FAIL %s:%d: %s returned %d (%s), want %d (%s)\n", file, line, what, got,
                redlite_errstr(got), want, redlite_errstr(want));
    }
    pthread_mutex_unlock(&report_mu);
    return got == want;
}

/* Valgrind makes everything 20-50x slower: loops shrink under it. */
static int slow;

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- helpers around redlite_command ---- */

/* Runs a command given as NUL-terminated strings on db or conn. */
static int cmdv(redlite_db *db, redlite_conn *conn, redlite_reply **r, int argc, const char **argv) {
    if (conn) return redlite_conn_command(conn, argc, argv, NULL, r);
    return redlite_command(db, argc, argv, NULL, r);
}

#define MAXARGS 16
static int cmd_(redlite_db *db, redlite_conn *conn, redlite_reply **r, const char *a0, ...);
#define CMD(db, r, ...) cmd_((db), NULL, (r), __VA_ARGS__, (const char *)NULL)
#define CCMD(conn, r, ...) cmd_(NULL, (conn), (r), __VA_ARGS__, (const char *)NULL)

#include <stdarg.h>
static int cmd_(redlite_db *db, redlite_conn *conn, redlite_reply **r, const char *a0, ...) {
    const char *argv[MAXARGS];
    int argc = 0;
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a != NULL && argc < MAXARGS; a = va_arg(ap, const char *)) argv[argc++] = a;
    va_end(ap);
    return cmdv(db, conn, r, argc, argv);
}

static int is_str(const redlite_reply *r, int type, const char *s) {
    return r != NULL && r->type == type && r->len == strlen(s) && memcmp(r->str, s, r->len) == 0 &&
           r->str[r->len] == '\0';
}

static int is_int(const redlite_reply *r, long long v) {
    return r != NULL && r->type == REDLITE_REPLY_INTEGER && r->integer == v;
}

/* have reports whether the library's command table has cmd. */
static int have(redlite_db *db, const char *cmd) {
    redlite_reply *r = NULL;
    int ok = CMD(db, &r, "COMMAND", "INFO", cmd) == REDLITE_OK && r->type == REDLITE_REPLY_ARRAY &&
             r->elements == 1 && r->element[0]->type == REDLITE_REPLY_ARRAY;
    redlite_reply_free(r);
    return ok;
}

static int need(redlite_db *db, const char *section, const char *cmd) {
    if (have(db, cmd)) return 1;
    printf("SKIP %s: command %s is not in this build\n", section, cmd);
    skips++;
    return 0;
}

static redlite_db *open_mem(void) {
    redlite_db *db = NULL;
    char *err = NULL;
    int rc = redlite_open(":memory:", NULL, &db, &err);
    if (!CHECK_RC(rc, REDLITE_OK)) {
        fprintf(stderr, "open: %s\n", err ? err : "?");
        exit(1);
    }
    CHECK(err == NULL);
    return db;
}

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", tmpdir, name); }

/* ------------------------------------------------------------------------ */

static void test_static_functions(void) {
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", REDLITE_VERSION_MAJOR, REDLITE_VERSION_MINOR, REDLITE_VERSION_PATCH);
    CHECK(strcmp(want, REDLITE_VERSION) == 0);
    CHECK(strcmp(redlite_version(), REDLITE_VERSION) == 0);
    CHECK(redlite_abi_version() == REDLITE_ABI_VERSION);

    int codes[] = {REDLITE_OK, REDLITE_ERR, REDLITE_NIL, REDLITE_WRONGTYPE, REDLITE_BADARG, REDLITE_CLOSED,
                   REDLITE_BUSY, REDLITE_IOERR, REDLITE_NOMEM, REDLITE_FORKED, REDLITE_TIMEOUT};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = redlite_errstr(codes[i]);
        CHECK(s != NULL && strlen(s) > 0 && strcmp(s, "unknown status") != 0);
        for (size_t j = 0; j < i; j++) CHECK(codes[i] != codes[j]);
    }
    CHECK(strcmp(redlite_errstr(12345), "unknown status") == 0);
    CHECK(strcmp(redlite_errstr(-1), "unknown status") == 0);

    redlite_options o;
    memset(&o, 0x55, sizeof o);
    redlite_options_init(&o);
    CHECK(o.size == sizeof o);
    CHECK(o.durability == REDLITE_DURABILITY_NORMAL && o.cache_mb == 0 && o.readers == 0 &&
          o.busy_timeout_ms == 0 && o.protocol == 0 && o.database == 0);
    redlite_options_init(NULL);
    redlite_free(NULL);
    redlite_reply_free(NULL);
}

static void test_open_close(void) {
    redlite_db *db = (redlite_db *)0x1;
    char *err = (char *)0x1;
    redlite_options o;
    char path[512];

    /* NULL arguments */
    CHECK_RC(redlite_open(NULL, NULL, &db, &err), REDLITE_BADARG);
    CHECK(db == NULL && err != NULL);
    redlite_free(err);
    CHECK_RC(redlite_open(":memory:", NULL, NULL, NULL), REDLITE_BADARG);
    CHECK_RC(redlite_open("", NULL, &db, NULL), REDLITE_BADARG);
    CHECK(db == NULL);

    /* bad options, each alone */
    redlite_options_init(&o); o.size = 4;
    CHECK_RC(redlite_open(":memory:", &o, &db, &err), REDLITE_BADARG);
    CHECK(err != NULL && strstr(err, "size") != NULL);
    redlite_free(err);
    redlite_options_init(&o); o.durability = 7;
    CHECK_RC(redlite_open(":memory:", &o, &db, NULL), REDLITE_BADARG);
    redlite_options_init(&o); o.protocol = 4;
    CHECK_RC(redlite_open(":memory:", &o, &db, NULL), REDLITE_BADARG);
    redlite_options_init(&o); o.database = 16;
    CHECK_RC(redlite_open(":memory:", &o, &db, NULL), REDLITE_BADARG);
    redlite_options_init(&o); o.database = -1;
    CHECK_RC(redlite_open(":memory:", &o, &db, NULL), REDLITE_BADARG);
    redlite_options_init(&o); o.cache_mb = -1;
    CHECK_RC(redlite_open(":memory:", &o, &db, NULL), REDLITE_BADARG);
    CHECK(db == NULL);

    /* a file that cannot be created */
    path_in_tmp(path, sizeof path, "no/such/dir/x.db");
    CHECK_RC(redlite_open(path, NULL, &db, &err), REDLITE_IOERR);
    CHECK(db == NULL && err != NULL && strncmp(err, "ERR ", 4) == 0);
    redlite_free(err);

    /* a file, every option set; data survives close and reopen */
    path_in_tmp(path, sizeof path, "persist.db");
    redlite_options_init(&o);
    o.durability = REDLITE_DURABILITY_FULL;
    o.cache_mb = 4;
    o.readers = 2;
    o.busy_timeout_ms = 2000;
    o.protocol = 3;
    o.database = 5;
    CHECK_RC(redlite_open(path, &o, &db, &err), REDLITE_OK);
    CHECK(err == NULL && db != NULL);
    CHECK_RC(redlite_set(db, "k", 1, "v5", 2, 0, 0, NULL), REDLITE_OK);
    redlite_reply *r;
    CHECK_RC(CMD(db, &r, "CONFIG", "GET", "maxmemory"), REDLITE_OK);
    CHECK(r->type == REDLITE_REPLY_MAP); /* protocol 3 on the db handle */
    redlite_reply_free(r);
    CHECK_RC(redlite_close(db), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_CLOSED);

    CHECK_RC(redlite_open(path, NULL, &db, NULL), REDLITE_OK);
    char *v;
    size_t n;
    CHECK_RC(redlite_get(db, "k", 1, &v, &n, NULL), REDLITE_NIL); /* it was written to database 5 */
    redlite_conn *c;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    CHECK_RC(CCMD(c, &r, "SELECT", "5"), REDLITE_OK);
    redlite_reply_free(r);
    CHECK_RC(redlite_conn_get(c, "k", 1, &v, &n, NULL), REDLITE_OK);
    CHECK(n == 2 && memcmp(v, "v5", 2) == 0);
    redlite_free(v);

    /* a second handle on the same file sees the first one's writes */
    redlite_db *db2;
    redlite_options_init(&o);
    o.database = 5;
    CHECK_RC(redlite_open(path, &o, &db2, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_set(c, "shared", 6, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_get(db2, "shared", 6, &v, &n, NULL), REDLITE_OK);
    redlite_free(v);
    CHECK_RC(redlite_close(db2), REDLITE_OK);
    /* closing the db closes its conns */
    CHECK_RC(redlite_close(db), REDLITE_OK);
    CHECK_RC(redlite_conn_close(c), REDLITE_CLOSED);

    /* handles that were never issued */
    CHECK_RC(redlite_close(NULL), REDLITE_BADARG);
    CHECK_RC(redlite_close((redlite_db *)(uintptr_t)0x7fffffffffffULL), REDLITE_BADARG);
    CHECK_RC(redlite_conn_close(NULL), REDLITE_BADARG);
    CHECK_RC(redlite_conn_interrupt(NULL), REDLITE_BADARG);
    CHECK_RC(redlite_conn_open(NULL, &c), REDLITE_BADARG);
    CHECK(c == NULL);
    db = open_mem();
    CHECK_RC(redlite_conn_open(db, NULL), REDLITE_BADARG);
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    /* a conn handle is not a db handle and the other way round */
    CHECK_RC(redlite_close((redlite_db *)c), REDLITE_BADARG);
    CHECK_RC(redlite_conn_close((redlite_conn *)db), REDLITE_BADARG);
    CHECK_RC(redlite_conn_interrupt(c), REDLITE_OK); /* nothing running: no effect */
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    CHECK_RC(redlite_conn_close(c), REDLITE_CLOSED);
    CHECK_RC(redlite_conn_interrupt(c), REDLITE_CLOSED);
    CHECK_RC(redlite_close(db), REDLITE_OK);
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_CLOSED);
}

static void test_command(void) {
    redlite_db *db = open_mem();
    redlite_reply *r = (redlite_reply *)0x1;

    CHECK_RC(CMD(db, &r, "SET", "a", "1"), REDLITE_OK);
    CHECK(is_str(r, REDLITE_REPLY_STATUS, "OK"));
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "GET", "a"), REDLITE_OK);
    CHECK(is_str(r, REDLITE_REPLY_STRING, "1"));
    CHECK(r->elements == 0 && r->element == NULL);
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "GET", "missing"), REDLITE_OK);
    CHECK(r->type == REDLITE_REPLY_NIL && r->str == NULL);
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "INCR", "a"), REDLITE_OK);
    CHECK(is_int(r, 2));
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "get", "a"), REDLITE_OK); /* any case */
    CHECK(is_str(r, REDLITE_REPLY_STRING, "2"));
    redlite_reply_free(r);

    /* arrays, with nil elements */
    CHECK_RC(CMD(db, &r, "MSET", "b", "", "c", "3"), REDLITE_OK);
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "MGET", "a", "nope", "b", "c"), REDLITE_OK);
    if (CHECK(r->type == REDLITE_REPLY_ARRAY && r->elements == 4)) {
        CHECK(is_str(r->element[0], REDLITE_REPLY_STRING, "2"));
        CHECK(r->element[1]->type == REDLITE_REPLY_NIL);
        CHECK(is_str(r->element[2], REDLITE_REPLY_STRING, "")); /* empty, not nil */
        CHECK(r->element[2]->str != NULL);
        CHECK(is_str(r->element[3], REDLITE_REPLY_STRING, "3"));
    }
    redlite_reply_free(r);

    /* error replies: the status tells the class, the reply the text */
    CHECK_RC(CMD(db, &r, "GET"), REDLITE_ERR);
    CHECK(is_str(r, REDLITE_REPLY_ERROR, "ERR wrong number of arguments for 'get' command"));
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "NOSUCHCOMMAND", "x"), REDLITE_ERR);
    CHECK(r->type == REDLITE_REPLY_ERROR && strncmp(r->str, "ERR unknown command", 19) == 0);
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "SET", "k", "v", "EX", "-5"), REDLITE_ERR);
    CHECK(is_str(r, REDLITE_REPLY_ERROR, "ERR invalid expire time in 'set' command"));
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "INCR", "k"), REDLITE_OK); /* k was not set by the failed SET */
    CHECK(is_int(r, 1));
    redlite_reply_free(r);
    if (need(db, "command/WRONGTYPE", "lpush")) {
        CHECK_RC(CMD(db, &r, "LPUSH", "list", "x"), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(CMD(db, &r, "GET", "list"), REDLITE_WRONGTYPE);
        CHECK(is_str(r, REDLITE_REPLY_ERROR, "WRONGTYPE Operation against a key holding the wrong kind of value"));
        redlite_reply_free(r);
    }

    /* binary safety: NUL bytes inside keys and values, explicit lengths */
    {
        const char key[] = {'b', '\0', 'k'};
        const char val[] = {'\0', 'v', '\0', '\xff'};
        const char *argv[] = {"SET", key, val};
        size_t lens[] = {3, 3, 4};
        CHECK_RC(redlite_command(db, 3, argv, lens, &r), REDLITE_OK);
        redlite_reply_free(r);
        const char *gargv[] = {"GET", key};
        size_t glens[] = {3, 3};
        CHECK_RC(redlite_command(db, 2, gargv, glens, &r), REDLITE_OK);
        CHECK(r->type == REDLITE_REPLY_STRING && r->len == 4 && memcmp(r->str, val, 4) == 0 && r->str[4] == 0);
        redlite_reply_free(r);
        /* a NULL argument of length 0 is the empty string */
        const char *nargv[] = {"SET", "emptyval", NULL};
        size_t nlens[] = {3, 8, 0};
        CHECK_RC(redlite_command(db, 3, nargv, nlens, &r), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(CMD(db, &r, "STRLEN", "emptyval"), REDLITE_OK);
        CHECK(is_int(r, 0));
        redlite_reply_free(r);
    }

    /* bad arguments: nothing runs, no reply */
    {
        const char *argv[] = {"SET", "x", "y"};
        size_t lens[] = {3, 1, 1};
        size_t huge[] = {3, 1, REDLITE_MAX_ARG_LEN + 1};
        size_t minus[] = {3, 1, (size_t)-1};
        const char *nullarg[] = {"SET", NULL, "y"};
        r = (redlite_reply *)0x1;
        CHECK_RC(redlite_command(db, 0, argv, lens, &r), REDLITE_BADARG);
        CHECK(r == NULL);
        CHECK_RC(redlite_command(db, -1, argv, lens, &r), REDLITE_BADARG);
        CHECK_RC(redlite_command(db, 3, NULL, lens, &r), REDLITE_BADARG);
        CHECK_RC(redlite_command(db, 3, argv, lens, NULL), REDLITE_BADARG);
        CHECK_RC(redlite_command(db, 3, argv, huge, &r), REDLITE_BADARG);
        CHECK_RC(redlite_command(db, 3, argv, minus, &r), REDLITE_BADARG);
        CHECK_RC(redlite_command(db, 3, nullarg, lens, &r), REDLITE_BADARG);
        CHECK_RC(redlite_command(db, 3, nullarg, NULL, &r), REDLITE_BADARG);
        CHECK(r == NULL);
        CHECK_RC(redlite_command(NULL, 3, argv, lens, &r), REDLITE_BADARG);
        CHECK_RC(CMD(db, &r, "EXISTS", "x"), have(db, "exists") ? REDLITE_OK : REDLITE_ERR);
        if (have(db, "exists")) CHECK(is_int(r, 0)); /* the refused SETs did not run */
        redlite_reply_free(r);
    }

    /* connection-state commands are refused on the db handle */
    {
        const char *refused[][3] = {{"SELECT", "1", NULL}, {"MULTI", NULL, NULL}, {"HELLO", "3", NULL},
                                    {"SUBSCRIBE", "ch", NULL}, {"CLIENT", "SETNAME", "x"}, {"RESET", NULL, NULL},
                                    {"WATCH", "a", NULL}};
        for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
            int argc = refused[i][1] == NULL ? 1 : refused[i][2] == NULL ? 2 : 3;
            CHECK_RC(cmdv(db, NULL, &r, argc, refused[i]), REDLITE_ERR);
            CHECK(r != NULL && r->type == REDLITE_REPLY_ERROR && strstr(r->str, "redlite_conn") != NULL);
            redlite_reply_free(r);
        }
        CHECK_RC(CMD(db, &r, "CLIENT", "ID"), REDLITE_OK); /* harmless CLIENT subcommands run */
        CHECK(r->type == REDLITE_REPLY_INTEGER);
        redlite_reply_free(r);
    }

    /* requirepass: the db handle stays authenticated, a conn must AUTH */
    {
        CHECK_RC(CMD(db, &r, "CONFIG", "SET", "requirepass", "secret"), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(CMD(db, &r, "GET", "a"), REDLITE_OK);
        redlite_reply_free(r);
        redlite_conn *c;
        CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
        CHECK_RC(CCMD(c, &r, "GET", "a"), REDLITE_ERR);
        CHECK(r != NULL && strncmp(r->str, "NOAUTH", 6) == 0);
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "AUTH", "secret"), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "GET", "a"), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(CMD(db, &r, "CONFIG", "SET", "requirepass", ""), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    }

    /* RESP2 vs RESP3 shapes on a conn */
    {
        redlite_conn *c;
        CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
        CHECK_RC(CCMD(c, &r, "CONFIG", "GET", "maxmemory"), REDLITE_OK);
        CHECK(r->type == REDLITE_REPLY_ARRAY && r->elements == 2);
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "INCRBYFLOAT", "f", "1.5"), REDLITE_OK);
        CHECK(is_str(r, REDLITE_REPLY_STRING, "1.5"));
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "CLIENT", "INFO"), REDLITE_OK);
        CHECK(r->type == REDLITE_REPLY_STRING && strncmp(r->str, "id=", 3) == 0);
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "HELLO", "3"), REDLITE_OK);
        if (CHECK(r->type == REDLITE_REPLY_MAP && r->elements % 2 == 0 && r->elements >= 2)) {
            int found = 0;
            for (size_t i = 0; i + 1 < r->elements; i += 2)
                if (is_str(r->element[i], REDLITE_REPLY_STRING, "proto")) found = is_int(r->element[i + 1], 3);
            CHECK(found);
        }
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "CONFIG", "GET", "maxmemory"), REDLITE_OK);
        CHECK(r->type == REDLITE_REPLY_MAP && r->elements == 2);
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "CLIENT", "INFO"), REDLITE_OK);
        CHECK(r->type == REDLITE_REPLY_VERB && strcmp(r->vtype, "txt") == 0 && strncmp(r->str, "id=", 3) == 0);
        redlite_reply_free(r);
        CHECK_RC(CCMD(c, &r, "GET", "nope"), REDLITE_OK);
        CHECK(r->type == REDLITE_REPLY_NIL);
        redlite_reply_free(r);
        if (need(db, "command/RESP3 double", "zscore")) {
            CHECK_RC(CCMD(c, &r, "ZADD", "z", "2.5", "m"), REDLITE_OK);
            redlite_reply_free(r);
            CHECK_RC(CCMD(c, &r, "ZSCORE", "z", "m"), REDLITE_OK);
            CHECK(r->type == REDLITE_REPLY_DOUBLE && r->dval == 2.5 && is_str(r, REDLITE_REPLY_DOUBLE, "2.5"));
            redlite_reply_free(r);
        }
        if (need(db, "command/RESP3 set", "smembers")) {
            CHECK_RC(CCMD(c, &r, "SADD", "s", "x", "y"), REDLITE_OK);
            redlite_reply_free(r);
            CHECK_RC(CCMD(c, &r, "SMEMBERS", "s"), REDLITE_OK);
            CHECK(r->type == REDLITE_REPLY_SET && r->elements == 2);
            redlite_reply_free(r);
        }
        CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    }

    /* a large reply: every element's memory belongs to one tree */
    {
        const char *argv[2 * 200 + 1];
        char bufs[200][16];
        argv[0] = "MSET";
        for (int i = 0; i < 200; i++) {
            snprintf(bufs[i], sizeof bufs[i], "big%d", i);
            argv[1 + 2 * i] = bufs[i];
            argv[2 + 2 * i] = bufs[i];
        }
        CHECK_RC(redlite_command(db, 401, argv, NULL, &r), REDLITE_OK);
        redlite_reply_free(r);
        const char *margv[201];
        margv[0] = "MGET";
        for (int i = 0; i < 200; i++) margv[1 + i] = bufs[i];
        CHECK_RC(redlite_command(db, 201, margv, NULL, &r), REDLITE_OK);
        int ok = r->type == REDLITE_REPLY_ARRAY && r->elements == 200;
        for (int i = 0; ok && i < 200; i++) ok = is_str(r->element[i], REDLITE_REPLY_STRING, bufs[i]);
        CHECK(ok);
        redlite_reply_free(r);
    }
    CHECK_RC(redlite_close(db), REDLITE_OK);
}

/* ---- typed fast paths, run on the db handle and on a conn ---- */

struct target {
    redlite_db *db;
    redlite_conn *conn;
};

#define T(name, t, ...) ((t).conn ? redlite_conn_##name((t).conn, __VA_ARGS__) : redlite_##name((t).db, __VA_ARGS__))

static void test_typed_strings(struct target t) {
    char *v = (char *)0x1, *err = (char *)0x1;
    size_t n = 99;
    long long x = 99;

    CHECK_RC(T(get, t, "s1", 2, &v, &n, &err), REDLITE_NIL);
    CHECK(v == NULL && n == 0 && err == NULL);
    CHECK_RC(T(set, t, "s1", 2, "", 0, 0, 0, &err), REDLITE_OK);
    CHECK(err == NULL);
    CHECK_RC(T(get, t, "s1", 2, &v, &n, NULL), REDLITE_OK); /* empty is not nil */
    CHECK(v != NULL && n == 0 && v[0] == 0);
    redlite_free(v);
    CHECK_RC(T(set, t, NULL, 0, "empty key", 9, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(get, t, "", 0, &v, &n, NULL), REDLITE_OK);
    CHECK(n == 9 && memcmp(v, "empty key", 9) == 0);
    redlite_free(v);

    /* NX / XX / KEEPTTL / expiry */
    CHECK_RC(T(set, t, "s1", 2, "a", 1, 0, REDLITE_SET_NX, NULL), REDLITE_NIL);
    CHECK_RC(T(set, t, "s2", 2, "b", 1, 0, REDLITE_SET_XX, NULL), REDLITE_NIL);
    CHECK_RC(T(get, t, "s2", 2, &v, &n, NULL), REDLITE_NIL);
    CHECK_RC(T(set, t, "s2", 2, "b", 1, 0, REDLITE_SET_NX, NULL), REDLITE_OK);
    CHECK_RC(T(set, t, "s2", 2, "c", 1, 0, REDLITE_SET_XX, NULL), REDLITE_OK);
    CHECK_RC(T(get, t, "s2", 2, &v, &n, NULL), REDLITE_OK);
    CHECK(n == 1 && v[0] == 'c');
    redlite_free(v);
    CHECK_RC(T(set, t, "ttl", 3, "x", 1, 150, 0, NULL), REDLITE_OK);
    CHECK_RC(T(set, t, "ttl", 3, "y", 1, 0, REDLITE_SET_KEEPTTL | REDLITE_SET_XX, NULL), REDLITE_OK);
    CHECK_RC(T(set, t, "keep", 4, "x", 1, 100000, 0, NULL), REDLITE_OK);
    CHECK_RC(T(get, t, "ttl", 3, &v, &n, NULL), REDLITE_OK);
    CHECK(n == 1 && v[0] == 'y');
    redlite_free(v);
    sleep_ms(400);
    CHECK_RC(T(get, t, "ttl", 3, &v, &n, NULL), REDLITE_NIL); /* KEEPTTL kept the expiry */
    CHECK_RC(T(get, t, "keep", 4, &v, &n, NULL), REDLITE_OK);
    redlite_free(v);

    /* bad arguments */
    CHECK_RC(T(set, t, "k", 1, "v", 1, -1, 0, &err), REDLITE_BADARG);
    CHECK(err != NULL);
    redlite_free(err);
    CHECK_RC(T(set, t, "k", 1, "v", 1, 0, REDLITE_SET_NX | REDLITE_SET_XX, NULL), REDLITE_BADARG);
    CHECK_RC(T(set, t, "k", 1, "v", 1, 10, REDLITE_SET_KEEPTTL, NULL), REDLITE_BADARG);
    CHECK_RC(T(set, t, "k", 1, "v", 1, 0, 64, NULL), REDLITE_BADARG);
    CHECK_RC(T(set, t, NULL, 1, "v", 1, 0, 0, NULL), REDLITE_BADARG);
    CHECK_RC(T(set, t, "k", 1, NULL, 1, 0, 0, NULL), REDLITE_BADARG);
    CHECK_RC(T(set, t, "k", 1, "v", REDLITE_MAX_ARG_LEN + 1, 0, 0, NULL), REDLITE_BADARG);
    CHECK_RC(T(get, t, "k", 1, NULL, &n, NULL), REDLITE_BADARG);
    CHECK_RC(T(get, t, "k", 1, &v, NULL, NULL), REDLITE_BADARG);
    CHECK_RC(T(get, t, NULL, 5, &v, &n, NULL), REDLITE_BADARG);
    CHECK_RC(T(get, t, "k", 1, &v, &n, NULL), REDLITE_NIL); /* nothing above ran */

    /* INCRBY */
    CHECK_RC(T(incr, t, "n", 1, 1, &x, &err), REDLITE_OK);
    CHECK(x == 1 && err == NULL);
    CHECK_RC(T(incr, t, "n", 1, -11, &x, NULL), REDLITE_OK);
    CHECK(x == -10);
    CHECK_RC(T(incr, t, "n", 1, 5, NULL, NULL), REDLITE_OK); /* result is optional */
    CHECK_RC(T(set, t, "big", 3, "9223372036854775807", 19, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(incr, t, "big", 3, 1, &x, &err), REDLITE_ERR);
    CHECK(x == 0 && err != NULL && strcmp(err, "ERR increment or decrement would overflow") == 0);
    redlite_free(err);
    CHECK_RC(T(incr, t, "s2", 2, 1, &x, &err), REDLITE_ERR);
    CHECK(err != NULL && strcmp(err, "ERR value is not an integer or out of range") == 0);
    redlite_free(err);
    CHECK_RC(T(incr, t, "s2", 2, 1, &x, NULL), REDLITE_ERR); /* errmsg is optional */
}

static void test_typed_keys(struct target t, redlite_db *probe) {
    char *err = (char *)0x1;
    long long x = 99;
    const char *keys[] = {"k1", "k2", "k3", "k1"};
    size_t lens[] = {2, 2, 2, 2};

    if (!need(probe, "typed keys", "del") || !need(probe, "typed keys", "exists") ||
        !need(probe, "typed keys", "pexpire"))
        return;
    CHECK_RC(T(set, t, "k1", 2, "1", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(set, t, "k2", 2, "2", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(exists, t, 4, keys, lens, &x, &err), REDLITE_OK);
    CHECK(x == 3 && err == NULL); /* k1 counted twice */
    CHECK_RC(T(exists, t, 1, keys + 2, lens, NULL, NULL), REDLITE_OK);
    CHECK_RC(T(expire, t, "k2", 2, 100, &err), REDLITE_OK);
    CHECK(err == NULL);
    CHECK_RC(T(expire, t, "k3", 2, 100, NULL), REDLITE_NIL);
    sleep_ms(350);
    CHECK_RC(T(exists, t, 2, keys, lens, &x, NULL), REDLITE_OK);
    CHECK(x == 1);
    CHECK_RC(T(del, t, 4, keys, lens, &x, &err), REDLITE_OK);
    CHECK(x == 1 && err == NULL);
    CHECK_RC(T(del, t, 1, keys, lens, &x, NULL), REDLITE_OK);
    CHECK(x == 0);
    CHECK_RC(T(del, t, 1, keys, lens, NULL, NULL), REDLITE_OK);
    CHECK_RC(T(expire, t, "k1", 2, 100, NULL), REDLITE_NIL);

    /* arrays: count, NULL arrays, NULL entries with a length */
    const char *withnull[] = {"k1", NULL};
    size_t nulllens[] = {2, 3};
    CHECK_RC(T(del, t, 0, keys, lens, &x, NULL), REDLITE_BADARG);
    CHECK_RC(T(del, t, -3, keys, lens, &x, NULL), REDLITE_BADARG);
    CHECK_RC(T(del, t, 2, NULL, lens, &x, NULL), REDLITE_BADARG);
    CHECK_RC(T(del, t, 2, keys, NULL, &x, NULL), REDLITE_BADARG);
    CHECK_RC(T(exists, t, 2, withnull, nulllens, &x, &err), REDLITE_BADARG);
    CHECK(x == 0 && err != NULL);
    redlite_free(err);
    CHECK_RC(T(exists, t, 0, keys, lens, &x, NULL), REDLITE_BADARG);
    CHECK_RC(T(expire, t, NULL, 1, 100, NULL), REDLITE_BADARG);
}

static void test_typed_hash(struct target t, redlite_db *probe) {
    if (!need(probe, "typed hashes", "hset") || !need(probe, "typed hashes", "hget")) return;
    const char *f[] = {"f1", "f2", "f1"};
    const char *vals[] = {"v1", "", "v3"};
    size_t fl[] = {2, 2, 2}, vl[] = {2, 0, 2};
    long long added = 99;
    char *v, *err;
    size_t n;
    CHECK_RC(T(hset, t, "h", 1, 3, f, fl, vals, vl, &added, &err), REDLITE_OK);
    CHECK(added == 2 && err == NULL);
    CHECK_RC(T(hset, t, "h", 1, 1, f, fl, vals, vl, NULL, NULL), REDLITE_OK);
    CHECK_RC(T(hget, t, "h", 1, "f1", 2, &v, &n, &err), REDLITE_OK);
    CHECK(n == 2 && memcmp(v, "v1", 2) == 0 && err == NULL);
    redlite_free(v);
    CHECK_RC(T(hget, t, "h", 1, "f2", 2, &v, &n, NULL), REDLITE_OK);
    CHECK(v != NULL && n == 0);
    redlite_free(v);
    CHECK_RC(T(hget, t, "h", 1, "nope", 4, &v, &n, NULL), REDLITE_NIL);
    CHECK(v == NULL);
    CHECK_RC(T(hget, t, "nohash", 6, "f1", 2, &v, &n, NULL), REDLITE_NIL);
    CHECK_RC(T(set, t, "str", 3, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(hget, t, "str", 3, "f1", 2, &v, &n, &err), REDLITE_WRONGTYPE);
    CHECK(v == NULL && err != NULL && strncmp(err, "WRONGTYPE", 9) == 0);
    redlite_free(err);
    CHECK_RC(T(hset, t, "str", 3, 1, f, fl, vals, vl, &added, NULL), REDLITE_WRONGTYPE);
    CHECK(added == 0);
    CHECK_RC(T(hset, t, "h", 1, 0, f, fl, vals, vl, &added, NULL), REDLITE_BADARG);
    CHECK_RC(T(hset, t, "h", 1, 1, f, fl, NULL, vl, &added, NULL), REDLITE_BADARG);
    CHECK_RC(T(hset, t, "h", 1, 1, f, NULL, vals, vl, &added, NULL), REDLITE_BADARG);
    CHECK_RC(T(hget, t, "h", 1, NULL, 2, &v, &n, NULL), REDLITE_BADARG);
    CHECK_RC(T(hget, t, "h", 1, "f1", 2, NULL, &n, NULL), REDLITE_BADARG);
}

static void test_typed_list(struct target t, redlite_db *probe) {
    if (!need(probe, "typed lists", "lpush") || !need(probe, "typed lists", "rpop")) return;
    const char *vals[] = {"a", "b", "c"};
    size_t vl[] = {1, 1, 1};
    long long len = 99;
    char *v, *err;
    size_t n;
    CHECK_RC(T(lpush, t, "l", 1, 3, vals, vl, &len, &err), REDLITE_OK);
    CHECK(len == 3 && err == NULL);
    CHECK_RC(T(lpush, t, "l", 1, 1, vals, vl, NULL, NULL), REDLITE_OK);
    CHECK_RC(T(rpop, t, "l", 1, &v, &n, &err), REDLITE_OK); /* a pushed first, so it is last */
    CHECK(n == 1 && v[0] == 'a' && err == NULL);
    redlite_free(v);
    for (const char *want = "bca"; *want; want++) {
        CHECK_RC(T(rpop, t, "l", 1, &v, &n, NULL), REDLITE_OK);
        CHECK(n == 1 && v[0] == *want);
        redlite_free(v);
    }
    CHECK_RC(T(rpop, t, "l", 1, &v, &n, NULL), REDLITE_NIL);
    CHECK(v == NULL && n == 0);
    CHECK_RC(T(set, t, "str", 3, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(lpush, t, "str", 3, 1, vals, vl, &len, NULL), REDLITE_WRONGTYPE);
    CHECK_RC(T(rpop, t, "str", 3, &v, &n, NULL), REDLITE_WRONGTYPE);
    CHECK_RC(T(lpush, t, "l", 1, 0, vals, vl, &len, NULL), REDLITE_BADARG);
    CHECK_RC(T(lpush, t, "l", 1, 1, NULL, vl, &len, NULL), REDLITE_BADARG);
    CHECK_RC(T(rpop, t, "l", 1, &v, NULL, NULL), REDLITE_BADARG);
}

static void test_typed_set(struct target t, redlite_db *probe) {
    if (!need(probe, "typed sets", "sadd")) return;
    const char *m[] = {"x", "y", "x"};
    size_t ml[] = {1, 1, 1};
    long long added = 99;
    char *err;
    CHECK_RC(T(sadd, t, "set", 3, 3, m, ml, &added, &err), REDLITE_OK);
    CHECK(added == 2 && err == NULL);
    CHECK_RC(T(sadd, t, "set", 3, 2, m, ml, &added, NULL), REDLITE_OK);
    CHECK(added == 0);
    CHECK_RC(T(sadd, t, "set", 3, 1, m, ml, NULL, NULL), REDLITE_OK);
    CHECK_RC(T(set, t, "str", 3, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(sadd, t, "str", 3, 1, m, ml, &added, &err), REDLITE_WRONGTYPE);
    redlite_free(err);
    CHECK_RC(T(sadd, t, "set", 3, 0, m, ml, &added, NULL), REDLITE_BADARG);
    CHECK_RC(T(sadd, t, "set", 3, 1, m, NULL, &added, NULL), REDLITE_BADARG);
}

static void test_typed_zset(struct target t, redlite_db *probe) {
    if (!need(probe, "typed sorted sets", "zadd") || !need(probe, "typed sorted sets", "zscore")) return;
    const char *m[] = {"a", "b", "c"};
    size_t ml[] = {1, 1, 1};
    double sc[] = {1.5, -INFINITY, 0.1};
    double s = 99;
    long long added = 99;
    char *err;
    CHECK_RC(T(zadd, t, "z", 1, 3, sc, m, ml, &added, &err), REDLITE_OK);
    CHECK(added == 3 && err == NULL);
    CHECK_RC(T(zscore, t, "z", 1, "a", 1, &s, &err), REDLITE_OK);
    CHECK(s == 1.5 && err == NULL);
    CHECK_RC(T(zscore, t, "z", 1, "b", 1, &s, NULL), REDLITE_OK);
    CHECK(isinf(s) && s < 0);
    CHECK_RC(T(zscore, t, "z", 1, "c", 1, &s, NULL), REDLITE_OK);
    CHECK(s == 0.1); /* exact round trip */
    double up[] = {INFINITY};
    CHECK_RC(T(zadd, t, "z", 1, 1, up, m, ml, NULL, NULL), REDLITE_OK);
    CHECK_RC(T(zscore, t, "z", 1, "a", 1, &s, NULL), REDLITE_OK);
    CHECK(isinf(s) && s > 0);
    CHECK_RC(T(zscore, t, "z", 1, "nope", 4, &s, NULL), REDLITE_NIL);
    CHECK(s == 0);
    CHECK_RC(T(zscore, t, "nozset", 6, "a", 1, &s, NULL), REDLITE_NIL);
    double nan_score[] = {NAN};
    CHECK_RC(T(zadd, t, "z", 1, 1, nan_score, m, ml, &added, &err), REDLITE_BADARG);
    CHECK(err != NULL);
    redlite_free(err);
    CHECK_RC(T(zadd, t, "z", 1, 1, NULL, m, ml, &added, NULL), REDLITE_BADARG);
    CHECK_RC(T(zadd, t, "z", 1, 0, sc, m, ml, &added, NULL), REDLITE_BADARG);
    CHECK_RC(T(zscore, t, "z", 1, "a", 1, NULL, NULL), REDLITE_BADARG);
    CHECK_RC(T(set, t, "str", 3, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(T(zadd, t, "str", 3, 1, sc, m, ml, &added, NULL), REDLITE_WRONGTYPE);
    CHECK_RC(T(zscore, t, "str", 3, "a", 1, &s, NULL), REDLITE_WRONGTYPE);
}

/* Values of every size class the library returns them by: short ones come
 * back from Go in a buffer of the shim (RL_INLINE_VALUE, 512 bytes), longer
 * ones in memory Go allocates. Either way: the exact bytes, NUL-terminated. */
static void test_typed_value_sizes(struct target t, redlite_db *probe) {
    static const size_t sizes[] = {0, 1, 255, 511, 512, 513, 4096};
    int lists = need(probe, "typed value sizes", "rpop") && need(probe, "typed value sizes", "lpush");
    int hashes = need(probe, "typed value sizes", "hget") && need(probe, "typed value sizes", "hset");
    char *want = malloc(4096), *v;
    size_t n;
    if (!CHECK(want != NULL)) return;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t len = sizes[i];
        for (size_t j = 0; j < len; j++) want[j] = (char)(j * 7 + len); /* binary, with NULs */
        const char *f[] = {"f"}, *vals[] = {want};
        size_t fl[] = {1}, vl[] = {len};
        CHECK_RC(T(set, t, "sized", 5, want, len, 0, 0, NULL), REDLITE_OK);
        v = NULL;
        CHECK_RC(T(get, t, "sized", 5, &v, &n, NULL), REDLITE_OK);
        CHECK(v != NULL && n == len && memcmp(v, want, len) == 0 && v[len] == 0);
        redlite_free(v);
        if (hashes) {
            CHECK_RC(T(hset, t, "hsized", 6, 1, f, fl, vals, vl, NULL, NULL), REDLITE_OK);
            v = NULL;
            CHECK_RC(T(hget, t, "hsized", 6, "f", 1, &v, &n, NULL), REDLITE_OK);
            CHECK(v != NULL && n == len && memcmp(v, want, len) == 0 && v[len] == 0);
            redlite_free(v);
        }
        if (lists) {
            CHECK_RC(T(lpush, t, "lsized", 6, 1, vals, vl, NULL, NULL), REDLITE_OK);
            v = NULL;
            CHECK_RC(T(rpop, t, "lsized", 6, &v, &n, NULL), REDLITE_OK);
            CHECK(v != NULL && n == len && memcmp(v, want, len) == 0 && v[len] == 0);
            redlite_free(v);
        }
    }
    free(want);
}

static void test_typed(void) {
    redlite_db *db = open_mem();
    redlite_conn *c;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    struct target on_db = {db, NULL}, on_conn = {NULL, c};
    redlite_reply *r;
    /* the conn works in database 3, the db handle in 0: they must not mix */
    CHECK_RC(CCMD(c, &r, "SELECT", "3"), REDLITE_OK);
    redlite_reply_free(r);
    struct target both[] = {on_db, on_conn};
    for (int i = 0; i < 2; i++) {
        test_typed_strings(both[i]);
        test_typed_keys(both[i], db);
        test_typed_hash(both[i], db);
        test_typed_list(both[i], db);
        test_typed_set(both[i], db);
        test_typed_zset(both[i], db);
        test_typed_value_sizes(both[i], db);
        CHECK_RC(CMD(db, &r, "DBSIZE"), REDLITE_OK);
        redlite_reply_free(r);
    }
    CHECK_RC(CCMD(c, &r, "DBSIZE"), REDLITE_OK);
    long long in3 = r->integer;
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "DBSIZE"), REDLITE_OK);
    CHECK(r->integer == in3 && in3 > 0); /* the same keys, once in each database */
    redlite_reply_free(r);

    /* typed calls refuse to be queued in MULTI */
    char *err;
    char *v;
    size_t n;
    CHECK_RC(CCMD(c, &r, "MULTI"), REDLITE_OK);
    redlite_reply_free(r);
    CHECK_RC(redlite_conn_get(c, "s2", 2, &v, &n, &err), REDLITE_ERR);
    CHECK(err != NULL && strstr(err, "MULTI") != NULL);
    redlite_free(err);
    CHECK_RC(CCMD(c, &r, "GET", "s2"), REDLITE_OK);
    CHECK(is_str(r, REDLITE_REPLY_STATUS, "QUEUED"));
    redlite_reply_free(r);
    CHECK_RC(CCMD(c, &r, "EXEC"), REDLITE_OK);
    CHECK(r->type == REDLITE_REPLY_ARRAY && r->elements == 1 && is_str(r->element[0], REDLITE_REPLY_STRING, "c"));
    redlite_reply_free(r);
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_OK);
}

/* Every function on closed handles, foreign handles and NULL. */
static void test_closed_handles(void) {
    redlite_db *db = open_mem();
    redlite_conn *c;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_OK);

    const char *keys[] = {"k"};
    size_t lens[] = {1};
    double sc[] = {1};
    char *v = (char *)0x1, *err = (char *)0x1;
    size_t n = 7;
    long long x = 7;
    double d = 7;
    redlite_reply *r = (redlite_reply *)0x1;
    const char *argv[] = {"PING"};

    struct target ts[] = {{db, NULL}, {NULL, c}};
    for (int i = 0; i < 2; i++) {
        struct target t = ts[i];
        CHECK_RC(T(get, t, "k", 1, &v, &n, &err), REDLITE_CLOSED);
        CHECK(v == NULL && n == 0 && err == NULL);
        CHECK_RC(T(set, t, "k", 1, "v", 1, 0, 0, NULL), REDLITE_CLOSED);
        CHECK_RC(T(del, t, 1, keys, lens, &x, NULL), REDLITE_CLOSED);
        CHECK(x == 0);
        CHECK_RC(T(exists, t, 1, keys, lens, &x, NULL), REDLITE_CLOSED);
        CHECK_RC(T(incr, t, "k", 1, 1, &x, NULL), REDLITE_CLOSED);
        CHECK_RC(T(expire, t, "k", 1, 1, NULL), REDLITE_CLOSED);
        CHECK_RC(T(hget, t, "k", 1, "f", 1, &v, &n, NULL), REDLITE_CLOSED);
        CHECK_RC(T(hset, t, "k", 1, 1, keys, lens, keys, lens, &x, NULL), REDLITE_CLOSED);
        CHECK_RC(T(lpush, t, "k", 1, 1, keys, lens, &x, NULL), REDLITE_CLOSED);
        CHECK_RC(T(rpop, t, "k", 1, &v, &n, NULL), REDLITE_CLOSED);
        CHECK_RC(T(sadd, t, "k", 1, 1, keys, lens, &x, NULL), REDLITE_CLOSED);
        CHECK_RC(T(zadd, t, "k", 1, 1, sc, keys, lens, &x, NULL), REDLITE_CLOSED);
        CHECK_RC(T(zscore, t, "k", 1, "m", 1, &d, NULL), REDLITE_CLOSED);
        CHECK(d == 0);
    }
    CHECK_RC(redlite_command(db, 1, argv, NULL, &r), REDLITE_CLOSED);
    CHECK(r == NULL);
    CHECK_RC(redlite_conn_command(c, 1, argv, NULL, &r), REDLITE_CLOSED);
    CHECK_RC(redlite_next_message(c, 0, &r), REDLITE_CLOSED);
    CHECK(r == NULL);
    CHECK_RC(redlite_begin(c, &err), REDLITE_CLOSED);
    CHECK(err == NULL);
    CHECK_RC(redlite_commit(c, NULL), REDLITE_CLOSED);
    CHECK_RC(redlite_rollback(c, NULL), REDLITE_CLOSED);
    CHECK_RC(redlite_conn_interrupt(c), REDLITE_CLOSED);

    /* NULL handles */
    struct target nul = {NULL, NULL};
    CHECK_RC(T(get, nul, "k", 1, &v, &n, NULL), REDLITE_BADARG);
    CHECK_RC(redlite_conn_get(NULL, "k", 1, &v, &n, NULL), REDLITE_BADARG);
    CHECK_RC(redlite_conn_command(NULL, 1, argv, NULL, &r), REDLITE_BADARG);
    CHECK_RC(redlite_next_message(NULL, 0, &r), REDLITE_BADARG);
    CHECK_RC(redlite_begin(NULL, NULL), REDLITE_BADARG);
    /* a handle of the wrong kind */
    redlite_db *db2 = open_mem();
    CHECK_RC(redlite_conn_get((redlite_conn *)db2, "k", 1, &v, &n, NULL), REDLITE_BADARG);
    CHECK_RC(redlite_begin((redlite_conn *)db2, NULL), REDLITE_BADARG);
    CHECK_RC(redlite_next_message((redlite_conn *)db2, 0, &r), REDLITE_BADARG);
    CHECK_RC(redlite_close(db2), REDLITE_OK);
}

static void test_transactions(void) {
    char path[512];
    path_in_tmp(path, sizeof path, "tx.db");
    redlite_db *db;
    CHECK_RC(redlite_open(path, NULL, &db, NULL), REDLITE_OK);
    redlite_conn *c, *other;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    CHECK_RC(redlite_conn_open(db, &other), REDLITE_OK);
    char *err = (char *)0x1, *v;
    size_t n;
    long long x;

    CHECK_RC(redlite_commit(c, &err), REDLITE_ERR);
    CHECK(err != NULL);
    redlite_free(err);
    CHECK_RC(redlite_rollback(c, &err), REDLITE_ERR);
    redlite_free(err);

    CHECK_RC(redlite_begin(c, &err), REDLITE_OK);
    CHECK(err == NULL);
    CHECK_RC(redlite_begin(c, &err), REDLITE_ERR);
    CHECK(err != NULL);
    redlite_free(err);
    CHECK_RC(redlite_conn_set(c, "t", 1, "1", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_incr(c, "t", 1, 1, &x, NULL), REDLITE_OK);
    CHECK(x == 2);
    CHECK_RC(redlite_conn_get(c, "t", 1, &v, &n, NULL), REDLITE_OK); /* sees its own writes */
    redlite_free(v);
    CHECK_RC(redlite_get(db, "t", 1, &v, &n, NULL), REDLITE_NIL);     /* others do not, yet */
    CHECK_RC(redlite_conn_get(other, "t", 1, &v, &n, NULL), REDLITE_NIL);
    /* a failing command inside the transaction does not end it */
    CHECK_RC(redlite_conn_incr(c, "t", 1, 9223372036854775807LL, &x, NULL), REDLITE_ERR);
    CHECK_RC(redlite_commit(c, &err), REDLITE_OK);
    CHECK(err == NULL);
    CHECK_RC(redlite_get(db, "t", 1, &v, &n, NULL), REDLITE_OK);
    CHECK(n == 1 && v[0] == '2');
    redlite_free(v);

    CHECK_RC(redlite_begin(c, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_set(c, "t", 1, "gone", 4, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_set(c, "u", 1, "gone", 4, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_rollback(c, NULL), REDLITE_OK);
    CHECK_RC(redlite_get(db, "t", 1, &v, &n, NULL), REDLITE_OK);
    CHECK(n == 1 && v[0] == '2');
    redlite_free(v);
    CHECK_RC(redlite_get(db, "u", 1, &v, &n, NULL), REDLITE_NIL);

    /* MULTI and begin do not mix */
    redlite_reply *r;
    CHECK_RC(CCMD(c, &r, "MULTI"), REDLITE_OK);
    redlite_reply_free(r);
    CHECK_RC(redlite_begin(c, &err), REDLITE_ERR);
    redlite_free(err);
    CHECK_RC(CCMD(c, &r, "DISCARD"), REDLITE_OK);
    redlite_reply_free(r);

    /* closing a conn with an open transaction rolls it back and frees the writer */
    CHECK_RC(redlite_begin(c, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_set(c, "w", 1, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    CHECK_RC(redlite_set(db, "after", 5, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_get(db, "w", 1, &v, &n, NULL), REDLITE_NIL);

    /* closing the db with a transaction still open on a conn */
    CHECK_RC(redlite_begin(other, NULL), REDLITE_OK);
    CHECK_RC(redlite_conn_set(other, "w", 1, "x", 1, 0, 0, NULL), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_OK);
    CHECK_RC(redlite_commit(other, NULL), REDLITE_CLOSED);
    CHECK_RC(redlite_open(path, NULL, &db, NULL), REDLITE_OK);
    CHECK_RC(redlite_get(db, "w", 1, &v, &n, NULL), REDLITE_NIL);
    CHECK_RC(redlite_get(db, "after", 5, &v, &n, NULL), REDLITE_OK);
    redlite_free(v);
    CHECK_RC(redlite_close(db), REDLITE_OK);
}

/* ---- blocking and pub/sub ---- */

struct blocker {
    redlite_db *db;
    redlite_conn *conn;
    const char *timeout;
    int rc;
    int type;
    long long ms;
};

static void *blpop_thread(void *arg) {
    struct blocker *b = arg;
    redlite_reply *r = NULL;
    long long t0 = now_ms();
    if (b->conn)
        b->rc = CCMD(b->conn, &r, "BLPOP", "bq", b->timeout);
    else
        b->rc = CMD(b->db, &r, "BLPOP", "bq", b->timeout);
    b->ms = now_ms() - t0;
    b->type = r ? r->type : -1;
    if (r && r->type == REDLITE_REPLY_ARRAY)
        b->type = r->elements == 2 && is_str(r->element[1], REDLITE_REPLY_STRING, "woken") ? 100 : -2;
    redlite_reply_free(r);
    return NULL;
}

/* Start BLPOP bq 0 on c (NULL: the db handle) in a thread and give it
 * wait_ms to start waiting. */
static pthread_t start_blocker(struct blocker *b, redlite_db *db, redlite_conn *c, int wait_ms) {
    pthread_t th;
    *b = (struct blocker){db, c, "0", 0, 0, 0};
    pthread_create(&th, NULL, blpop_thread, b);
    sleep_ms(wait_ms);
    return th;
}

static void test_blocking(void) {
    redlite_db *db = open_mem();
    if (!need(db, "blocking", "blpop")) {
        redlite_close(db);
        return;
    }
    redlite_conn *c;
    redlite_reply *r;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);

    /* timeout: a nil reply after about the timeout */
    long long t0 = now_ms();
    CHECK_RC(CCMD(c, &r, "BLPOP", "bq", "0.2"), REDLITE_OK);
    CHECK(r->type == REDLITE_REPLY_NIL);
    CHECK(now_ms() - t0 >= 150);
    redlite_reply_free(r);

    /* woken by a push from the db handle (another thread) */
    struct blocker b;
    pthread_t th = start_blocker(&b, db, c, 100);
    const char *vals[] = {"woken"};
    size_t vl[] = {5};
    CHECK_RC(redlite_lpush(db, "bq", 2, 1, vals, vl, NULL, NULL), REDLITE_OK);
    pthread_join(th, NULL);
    CHECK_RC(b.rc, REDLITE_OK);
    CHECK(b.type == 100);

    /* interrupted: answers as on timeout */
    th = start_blocker(&b, db, c, 150);
    CHECK_RC(redlite_conn_interrupt(c), REDLITE_OK);
    pthread_join(th, NULL);
    CHECK_RC(b.rc, REDLITE_OK);
    CHECK(b.type == REDLITE_REPLY_NIL);
    /* the interrupt did not stick to the conn: the next wait waits */
    t0 = now_ms();
    CHECK_RC(CCMD(c, &r, "BLPOP", "bq", "0.1"), REDLITE_OK);
    CHECK(r->type == REDLITE_REPLY_NIL && now_ms() - t0 >= 80);
    redlite_reply_free(r);

    /* closing the conn from another thread ends its wait */
    th = start_blocker(&b, db, c, 150);
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    pthread_join(th, NULL);
    CHECK(b.rc == REDLITE_OK || b.rc == REDLITE_CLOSED);

    /* closing the db ends a wait on the db handle */
    th = start_blocker(&b, db, NULL, 150);
    CHECK_RC(redlite_close(db), REDLITE_OK);
    pthread_join(th, NULL);
    CHECK_RC(b.rc, REDLITE_CLOSED);
}

struct waiter {
    redlite_conn *conn;
    long long timeout;
    int rc;
};

static void *next_message_thread(void *arg) {
    struct waiter *w = arg;
    redlite_reply *r = NULL;
    w->rc = redlite_next_message(w->conn, w->timeout, &r);
    redlite_reply_free(r);
    return NULL;
}

static void test_pubsub(void) {
    redlite_db *db = open_mem();
    if (!need(db, "pub/sub", "subscribe") || !need(db, "pub/sub", "publish")) {
        redlite_close(db);
        return;
    }
    redlite_conn *sub;
    redlite_reply *r = (redlite_reply *)0x1;
    CHECK_RC(redlite_conn_open(db, &sub), REDLITE_OK);

    /* not subscribed */
    CHECK_RC(redlite_next_message(sub, 0, &r), REDLITE_ERR);
    CHECK(r == NULL);
    CHECK_RC(redlite_next_message(sub, 0, NULL), REDLITE_BADARG);

    CHECK_RC(CCMD(sub, &r, "SUBSCRIBE", "news", "sport"), REDLITE_OK);
    /* the first confirmation is the reply; the second waits as a message */
    CHECK(r->type == REDLITE_REPLY_ARRAY && r->elements == 3 && is_str(r->element[0], REDLITE_REPLY_STRING, "subscribe") &&
          is_str(r->element[1], REDLITE_REPLY_STRING, "news") && is_int(r->element[2], 1));
    redlite_reply_free(r);
    CHECK_RC(redlite_next_message(sub, 1000, &r), REDLITE_OK);
    CHECK(r != NULL && r->type == REDLITE_REPLY_ARRAY && r->elements == 3 &&
          is_str(r->element[1], REDLITE_REPLY_STRING, "sport") && is_int(r->element[2], 2));
    redlite_reply_free(r);

    CHECK_RC(redlite_next_message(sub, 0, &r), REDLITE_TIMEOUT);
    CHECK(r == NULL);
    long long t0 = now_ms();
    CHECK_RC(redlite_next_message(sub, 150, &r), REDLITE_TIMEOUT);
    CHECK(now_ms() - t0 >= 120);

    CHECK_RC(CMD(db, &r, "PUBLISH", "news", "hello"), REDLITE_OK);
    CHECK(is_int(r, 1));
    redlite_reply_free(r);
    CHECK_RC(redlite_next_message(sub, 1000, &r), REDLITE_OK);
    CHECK(r != NULL && r->type == REDLITE_REPLY_ARRAY && r->elements == 3 &&
          is_str(r->element[0], REDLITE_REPLY_STRING, "message") && is_str(r->element[1], REDLITE_REPLY_STRING, "news") &&
          is_str(r->element[2], REDLITE_REPLY_STRING, "hello"));
    redlite_reply_free(r);

    /* a waiting next_message is woken by a publish from another thread */
    struct waiter w = {sub, -1, -1};
    pthread_t th;
    pthread_create(&th, NULL, next_message_thread, &w);
    sleep_ms(100);
    CHECK_RC(CMD(db, &r, "PUBLISH", "sport", "goal"), REDLITE_OK);
    redlite_reply_free(r);
    pthread_join(th, NULL);
    CHECK_RC(w.rc, REDLITE_OK);

    /* and ended by redlite_conn_interrupt */
    w = (struct waiter){sub, -1, -1};
    pthread_create(&th, NULL, next_message_thread, &w);
    sleep_ms(150);
    CHECK_RC(redlite_conn_interrupt(sub), REDLITE_OK);
    pthread_join(th, NULL);
    CHECK_RC(w.rc, REDLITE_TIMEOUT);

    /* RESP2: only subscription commands while subscribed */
    CHECK_RC(CCMD(sub, &r, "GET", "x"), REDLITE_ERR);
    redlite_reply_free(r);

    /* pattern subscriptions, and RESP3 pushes */
    redlite_conn *p;
    CHECK_RC(redlite_conn_open(db, &p), REDLITE_OK);
    CHECK_RC(CCMD(p, &r, "HELLO", "3"), REDLITE_OK);
    redlite_reply_free(r);
    CHECK_RC(CCMD(p, &r, "PSUBSCRIBE", "n*"), REDLITE_OK);
    CHECK(r->type == REDLITE_REPLY_PUSH && r->elements == 3);
    redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "PUBLISH", "news", "2"), REDLITE_OK);
    CHECK(is_int(r, 2));
    redlite_reply_free(r);
    CHECK_RC(redlite_next_message(p, 1000, &r), REDLITE_OK);
    CHECK(r != NULL && r->type == REDLITE_REPLY_PUSH && r->elements == 4 &&
          is_str(r->element[0], REDLITE_REPLY_STRING, "pmessage") && is_str(r->element[1], REDLITE_REPLY_STRING, "n*") &&
          is_str(r->element[2], REDLITE_REPLY_STRING, "news") && is_str(r->element[3], REDLITE_REPLY_STRING, "2"));
    redlite_reply_free(r);
    CHECK_RC(CCMD(p, &r, "GET", "x"), REDLITE_OK); /* RESP3 allows commands while subscribed */
    redlite_reply_free(r);

    /* unsubscribing ends delivery: the confirmation, then nothing */
    CHECK_RC(CCMD(sub, &r, "UNSUBSCRIBE"), REDLITE_OK);
    redlite_reply_free(r);
    while (redlite_next_message(sub, 0, &r) == REDLITE_OK) redlite_reply_free(r);
    CHECK_RC(CMD(db, &r, "PUBLISH", "news", "3"), REDLITE_OK);
    CHECK(is_int(r, 1));
    redlite_reply_free(r);

    CHECK_RC(redlite_conn_close(p), REDLITE_OK);
    CHECK_RC(redlite_conn_close(sub), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_OK);
}

/* ---- threads ---- */

struct worker {
    redlite_db *db;
    int id;
    int iters;
    int ok;
};

/* Each worker has its own conn in its own database, plus shared counters
 * through the db handle. */
static void *conn_worker(void *arg) {
    struct worker *w = arg;
    redlite_conn *c;
    w->ok = 0;
    if (redlite_conn_open(w->db, &c) != REDLITE_OK) return NULL;
    char dbn[8], val[32];
    snprintf(dbn, sizeof dbn, "%d", w->id % 16);
    redlite_reply *r;
    if (CCMD(c, &r, "SELECT", dbn) != REDLITE_OK) return NULL;
    redlite_reply_free(r);
    int ok = 1;
    for (int i = 0; i < w->iters && ok; i++) {
        snprintf(val, sizeof val, "%d-%d", w->id, i);
        char *v;
        size_t n;
        long long x;
        ok = redlite_conn_set(c, "mine", 4, val, strlen(val), 0, 0, NULL) == REDLITE_OK &&
             redlite_conn_get(c, "mine", 4, &v, &n, NULL) == REDLITE_OK;
        if (ok) {
            ok = n == strlen(val) && memcmp(v, val, n) == 0;
            redlite_free(v);
        }
        ok = ok && redlite_incr(w->db, "counter", 7, 1, &x, NULL) == REDLITE_OK;
        ok = ok && redlite_conn_incr(c, "local", 5, 1, &x, NULL) == REDLITE_OK;
    }
    redlite_conn_close(c);
    w->ok = ok;
    return NULL;
}

/* Several threads share one conn: calls are serialized, none is lost. */
static void *shared_conn_worker(void *arg) {
    redlite_conn *c = arg;
    for (int i = 0; i < 50; i++) redlite_conn_incr(c, "sharedconn", 10, 1, NULL, NULL);
    return NULL;
}

static void test_threads(void) {
    char path[512];
    path_in_tmp(path, sizeof path, "threads.db");
    redlite_db *db;
    CHECK_RC(redlite_open(path, NULL, &db, NULL), REDLITE_OK);
    enum { N = 8 };
    int iters = slow ? 15 : 100;
    pthread_t th[N];
    struct worker w[N];
    for (int i = 0; i < N; i++) {
        w[i] = (struct worker){db, i, iters, 0};
        pthread_create(&th[i], NULL, conn_worker, &w[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CHECK(w[i].ok);
    }
    long long x;
    CHECK_RC(redlite_incr(db, "counter", 7, 0, &x, NULL), REDLITE_OK);
    CHECK(x == (long long)N * iters);
    redlite_conn *c;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    for (int i = 0; i < N; i++) {
        char dbn[8];
        snprintf(dbn, sizeof dbn, "%d", i);
        redlite_reply *r;
        CHECK_RC(CCMD(c, &r, "SELECT", dbn), REDLITE_OK);
        redlite_reply_free(r);
        CHECK_RC(redlite_conn_incr(c, "local", 5, 0, &x, NULL), REDLITE_OK);
        CHECK(x == iters);
    }
    CHECK_RC(CCMD(c, NULL, "SELECT", "0"), REDLITE_BADARG); /* no reply pointer */

    pthread_t sh[4];
    for (int i = 0; i < 4; i++) pthread_create(&sh[i], NULL, shared_conn_worker, c);
    for (int i = 0; i < 4; i++) pthread_join(sh[i], NULL);
    CHECK_RC(redlite_conn_incr(c, "sharedconn", 10, 0, &x, NULL), REDLITE_OK);
    CHECK(x == 200);
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_OK);
}

/* Threads keep calling while another closes the db under them: every call
 * returns OK or CLOSED, nothing crashes or hangs. */
static void *racer(void *arg) {
    redlite_db *db = arg;
    for (int i = 0; i < 200; i++) {
        long long x;
        int rc = redlite_incr(db, "r", 1, 1, &x, NULL);
        if (rc == REDLITE_CLOSED) return NULL;
        if (rc != REDLITE_OK) {
            CHECK_RC(rc, REDLITE_OK);
            return NULL;
        }
    }
    return NULL;
}

static void test_close_race(void) {
    redlite_db *db = open_mem();
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, racer, db);
    sleep_ms(slow ? 200 : 20);
    CHECK_RC(redlite_close(db), REDLITE_OK);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
}

/* ---- signal handlers ---- */

static void host_handler(int sig) { (void)sig; }

/* The header's promise: after the library loaded and did all of the above
 * (threads, blocking waits, pub/sub), the only handlers it installed are
 * the Go runtime's for SIGBUS, SIGFPE, SIGSEGV, SIGPIPE and SIGURG, all with
 * SA_ONSTACK; SIGINT, SIGTERM, SIGCHLD and the rest are the host's. A
 * handler the host installs stays its own through later calls. */
static void test_signals(void) {
    const int runtime[] = {SIGBUS, SIGFPE, SIGSEGV, SIGPIPE, SIGURG};
    for (int s = 1; s < NSIG; s++) {
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) != 0) continue;
        int expected = 0;
        for (size_t i = 0; i < sizeof runtime / sizeof runtime[0]; i++) expected |= runtime[i] == s;
        int installed = sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
        if (!CHECK(installed == expected)) fprintf(stderr, "signal %d (%s): handler %s\n", s, strsignal(s), installed ? "installed" : "missing");
        if (installed && !CHECK(sa.sa_flags & SA_ONSTACK)) fprintf(stderr, "signal %d (%s) lacks SA_ONSTACK\n", s, strsignal(s));
    }

    struct sigaction mine, old, now;
    memset(&mine, 0, sizeof mine);
    mine.sa_handler = host_handler;
    mine.sa_flags = SA_ONSTACK | SA_RESTART;
    sigemptyset(&mine.sa_mask);
    CHECK(sigaction(SIGUSR1, &mine, &old) == 0);
    redlite_db *db = open_mem();
    redlite_reply *r;
    CHECK_RC(CMD(db, &r, "SET", "k", "v"), REDLITE_OK);
    redlite_reply_free(r);
    CHECK(raise(SIGUSR1) == 0); /* handled by host_handler, the library unaffected */
    CHECK_RC(CMD(db, &r, "GET", "k"), REDLITE_OK);
    CHECK(is_str(r, REDLITE_REPLY_STRING, "v"));
    redlite_reply_free(r);
    CHECK_RC(redlite_close(db), REDLITE_OK);
    CHECK(sigaction(SIGUSR1, NULL, &now) == 0);
    CHECK(now.sa_handler == host_handler);
    CHECK(sigaction(SIGUSR1, &old, NULL) == 0);
}

/* ---- fork ---- */

static void test_fork(void) {
    redlite_db *db = open_mem();
    redlite_conn *c;
    CHECK_RC(redlite_conn_open(db, &c), REDLITE_OK);
    redlite_reply *keep;
    CHECK_RC(CMD(db, &keep, "PING"), REDLITE_OK);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* A hang here would be the bug: the alarm turns it into a failure. */
        alarm(20);
        int bad = 0;
        char *v = (char *)0x1, *err = (char *)0x1;
        size_t n;
        redlite_db *d2 = (redlite_db *)0x1;
        redlite_conn *c2 = (redlite_conn *)0x1;
        redlite_reply *r = (redlite_reply *)0x1;
        const char *argv[] = {"PING"};
        const char *keys[] = {"k"};
        size_t lens[] = {1};
        double sc[] = {1}, d;
        long long x;
        bad |= redlite_get(db, "k", 1, &v, &n, &err) != REDLITE_FORKED || v != NULL || err != NULL;
        bad |= redlite_conn_get(c, "k", 1, &v, &n, NULL) != REDLITE_FORKED;
        bad |= redlite_open(":memory:", NULL, &d2, &err) != REDLITE_FORKED || d2 != NULL || err != NULL;
        bad |= redlite_conn_open(db, &c2) != REDLITE_FORKED || c2 != NULL;
        bad |= redlite_command(db, 1, argv, NULL, &r) != REDLITE_FORKED || r != NULL;
        bad |= redlite_conn_command(c, 1, argv, NULL, &r) != REDLITE_FORKED;
        bad |= redlite_next_message(c, 0, &r) != REDLITE_FORKED;
        bad |= redlite_begin(c, NULL) != REDLITE_FORKED;
        bad |= redlite_commit(c, NULL) != REDLITE_FORKED;
        bad |= redlite_rollback(c, NULL) != REDLITE_FORKED;
        bad |= redlite_set(db, "k", 1, "v", 1, 0, 0, NULL) != REDLITE_FORKED;
        bad |= redlite_del(db, 1, keys, lens, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_exists(db, 1, keys, lens, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_incr(db, "k", 1, 1, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_expire(db, "k", 1, 1, NULL) != REDLITE_FORKED;
        bad |= redlite_hget(db, "k", 1, "f", 1, &v, &n, NULL) != REDLITE_FORKED;
        bad |= redlite_hset(db, "k", 1, 1, keys, lens, keys, lens, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_lpush(db, "k", 1, 1, keys, lens, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_rpop(db, "k", 1, &v, &n, NULL) != REDLITE_FORKED;
        bad |= redlite_sadd(db, "k", 1, 1, keys, lens, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_zadd(db, "k", 1, 1, sc, keys, lens, &x, NULL) != REDLITE_FORKED;
        bad |= redlite_zscore(db, "k", 1, "m", 1, &d, NULL) != REDLITE_FORKED;
        bad |= redlite_conn_interrupt(c) != REDLITE_FORKED;
        bad |= redlite_conn_close(c) != REDLITE_FORKED;
        bad |= redlite_close(db) != REDLITE_FORKED;
        /* the pure C functions keep working */
        bad |= strcmp(redlite_version(), REDLITE_VERSION) != 0;
        bad |= redlite_abi_version() != REDLITE_ABI_VERSION;
        bad |= strcmp(redlite_errstr(REDLITE_FORKED), redlite_errstr(REDLITE_OK)) == 0;
        redlite_reply_free(keep); /* inherited memory can be freed */
        if (bad) _exit(3);
        /* Report success through exec, as a real child would continue: it
         * also keeps Valgrind from leak-checking the copied parent state. */
        execl("/bin/true", "true", (char *)NULL);
        _exit(4);
    }
    CHECK(pid > 0);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) fprintf(stderr, "child exited with %d\n", WEXITSTATUS(status));
    if (!WIFEXITED(status)) fprintf(stderr, "child died with signal %d\n", WTERMSIG(status));
    /* the parent is unaffected */
    redlite_reply_free(keep);
    CHECK_RC(CMD(db, &keep, "PING"), REDLITE_OK);
    redlite_reply_free(keep);
    CHECK_RC(redlite_conn_close(c), REDLITE_OK);
    CHECK_RC(redlite_close(db), REDLITE_OK);
}

int main(void) {
    slow = getenv("REDLITE_TEST_SLOW") != NULL;
    snprintf(tmpdir, sizeof tmpdir, "%s/redlite-capi-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    struct { const char *name; void (*fn)(void); } tests[] = {
        {"static functions", test_static_functions},
        {"open and close", test_open_close},
        {"generic command", test_command},
        {"typed fast paths", test_typed},
        {"closed and foreign handles", test_closed_handles},
        {"transactions", test_transactions},
        {"blocking", test_blocking},
        {"pub/sub", test_pubsub},
        {"threads", test_threads},
        {"close while in use", test_close_race},
        {"signal handlers", test_signals},
        {"fork guard", test_fork},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int before = failures;
        long long t0 = now_ms();
        tests[i].fn();
        printf("%-28s %s (%lld ms)\n", tests[i].name, failures == before ? "ok" : "FAILED", now_ms() - t0);
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    printf("%d checks, %d failures, %d skipped sections\n", checks, failures, skips);
    return failures ? 1 : 0;
}
