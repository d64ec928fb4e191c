/*
 * Calls per second through the C ABI: GET and SET with the typed fast paths
 * and with the generic redlite_command, on the db handle and on a conn.
 * scripts/bench-capi.sh runs it beside bench/cmd/sessionbench (the same
 * operations through core.Session.Do in Go) and prints the ratios.
 *
 *   bench_capi PATH SECONDS
 * prints one line per operation: "name calls_per_second".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "redlite.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define NKEYS 1000
static char keys[NKEYS][16];
static size_t keylens[NKEYS];

static void fail(const char *what, int rc) {
    fprintf(stderr, "%s: %s\n", what, redlite_errstr(rc));
    exit(1);
}

/* Runs op in batches until secs have passed; returns calls per second. */
#define MEASURE(name, secs, ...)                                        \
    do {                                                                \
        long long n = 0;                                                \
        double t0 = now(), t;                                           \
        do {                                                            \
            for (int i = 0; i < 1000; i++, n++) {                       \
                int k = (int)(n % NKEYS);                               \
                __VA_ARGS__;                                               \
            }                                                           \
            t = now();                                                  \
        } while (t - t0 < (secs));                                      \
        printf("%s %.0f\n", name, (double)n / (t - t0));                \
        fflush(stdout);                                                 \
    } while (0)

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PATH SECONDS\n", argv[0]);
        return 2;
    }
    double secs = atof(argv[2]);
    for (int i = 0; i < NKEYS; i++) keylens[i] = (size_t)snprintf(keys[i], sizeof keys[i], "key:%d", i);
    const char *val = "0123456789abcdef0123456789abcdef"; /* 32 bytes */
    size_t vallen = strlen(val);

    redlite_db *db;
    char *err = NULL;
    int rc = redlite_open(argv[1], NULL, &db, &err);
    if (rc != REDLITE_OK) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    redlite_conn *conn;
    if ((rc = redlite_conn_open(db, &conn)) != REDLITE_OK) fail("conn", rc);
    for (int i = 0; i < NKEYS; i++)
        if ((rc = redlite_set(db, keys[i], keylens[i], val, vallen, 0, 0, NULL)) != REDLITE_OK) fail("set", rc);

    MEASURE("get_typed_db", secs, {
        char *v;
        size_t n2;
        if ((rc = redlite_get(db, keys[k], keylens[k], &v, &n2, NULL)) != REDLITE_OK) fail("get", rc);
        redlite_free(v);
    });
    MEASURE("get_typed_conn", secs, {
        char *v;
        size_t n2;
        if ((rc = redlite_conn_get(conn, keys[k], keylens[k], &v, &n2, NULL)) != REDLITE_OK) fail("get", rc);
        redlite_free(v);
    });
    MEASURE("get_command_conn", secs, {
        const char *a[] = {"GET", keys[k]};
        size_t l[] = {3, keylens[k]};
        redlite_reply *r;
        if ((rc = redlite_conn_command(conn, 2, a, l, &r)) != REDLITE_OK) fail("GET", rc);
        redlite_reply_free(r);
    });
    MEASURE("set_typed_db", secs, {
        if ((rc = redlite_set(db, keys[k], keylens[k], val, vallen, 0, 0, NULL)) != REDLITE_OK) fail("set", rc);
    });
    MEASURE("set_typed_conn", secs, {
        if ((rc = redlite_conn_set(conn, keys[k], keylens[k], val, vallen, 0, 0, NULL)) != REDLITE_OK) fail("set", rc);
    });
    MEASURE("set_command_conn", secs, {
        const char *a[] = {"SET", keys[k], val};
        size_t l[] = {3, keylens[k], vallen};
        redlite_reply *r;
        if ((rc = redlite_conn_command(conn, 3, a, l, &r)) != REDLITE_OK) fail("SET", rc);
        redlite_reply_free(r);
    });
    redlite_conn_close(conn);
    redlite_close(db);
    return 0;
}
