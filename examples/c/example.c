/*
 * A first redlite program in C: open a database file, use typed calls and
 * the generic command call, a transaction, and close.
 *
 *   make -C examples/c && ./examples/c/example /tmp/example.db
 *
 * Build your own the same way:
 *   cc -I<redlite>/include app.c -L<redlite>/build/lib -lredlite -Wl,-rpath,<redlite>/build/lib
 */
#include <stdio.h>
#include <string.h>

#include "redlite.h"

/* Print a reply tree the way redis-cli would (roughly). */
static void print_reply(const redlite_reply *r, int indent) {
    printf("%*s", indent, "");
    switch (r->type) {
    case REDLITE_REPLY_STRING:
    case REDLITE_REPLY_STATUS:
    case REDLITE_REPLY_VERB:
        printf("\"%.*s\"\n", (int)r->len, r->str);
        break;
    case REDLITE_REPLY_ERROR:
        printf("(error) %s\n", r->str);
        break;
    case REDLITE_REPLY_INTEGER:
        printf("(integer) %lld\n", r->integer);
        break;
    case REDLITE_REPLY_NIL:
        printf("(nil)\n");
        break;
    default: /* arrays, maps, sets */
        printf("(%zu elements)\n", r->elements);
        for (size_t i = 0; i < r->elements; i++) print_reply(r->element[i], indent + 2);
    }
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : ":memory:";
    redlite_db *db;
    char *err = NULL;

    if (redlite_open(path, NULL, &db, &err) != REDLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, err);
        redlite_free(err);
        return 1;
    }

    /* Typed calls: keys and values are (pointer, length) pairs. */
    redlite_set(db, "greeting", 8, "hello", 5, 0, 0, NULL);
    redlite_set(db, "session", 7, "abc", 3, 60000, REDLITE_SET_NX, NULL); /* expires in 60 s */

    char *val;
    size_t len;
    int rc = redlite_get(db, "greeting", 8, &val, &len, NULL);
    if (rc == REDLITE_OK) {
        printf("greeting = %.*s\n", (int)len, val);
        redlite_free(val); /* every buffer the library returns is yours to free */
    } else if (rc == REDLITE_NIL) {
        printf("greeting is not set\n");
    }

    long long visits;
    if (redlite_incr(db, "visits", 6, 1, &visits, &err) == REDLITE_OK) {
        printf("visits = %lld\n", visits);
    } else {
        fprintf(stderr, "INCR failed: %s\n", err);
        redlite_free(err);
    }

    /* Any command through the generic call; the reply is a tree. */
    const char *mget[] = {"MGET", "greeting", "visits", "nothing"};
    redlite_reply *reply;
    if (redlite_command(db, 4, mget, NULL, &reply) == REDLITE_OK) print_reply(reply, 0);
    redlite_reply_free(reply);

    /* Errors come back as error replies with Redis' text. */
    const char *bad[] = {"INCR", "greeting"};
    rc = redlite_command(db, 2, bad, NULL, &reply);
    printf("INCR greeting -> status %d (%s): ", rc, redlite_errstr(rc));
    print_reply(reply, 0);
    redlite_reply_free(reply);

    /* A transaction on a connection: all or nothing. */
    redlite_conn *conn;
    if (redlite_conn_open(db, &conn) == REDLITE_OK) {
        redlite_begin(conn, NULL);
        redlite_conn_set(conn, "a", 1, "1", 1, 0, 0, NULL);
        redlite_conn_set(conn, "b", 1, "2", 1, 0, 0, NULL);
        if (redlite_commit(conn, &err) != REDLITE_OK) {
            fprintf(stderr, "commit failed: %s\n", err);
            redlite_free(err);
        }
        redlite_conn_close(conn);
    }

    redlite_close(db);
    return 0;
}
