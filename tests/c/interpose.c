/*
 * Symbol isolation check: this program defines its own sqlite3_* functions,
 * exported to the dynamic symbol table (-Wl,--export-dynamic), the way a
 * program that links its own SQLite would. libredlite.so must keep using the
 * SQLite bundled inside it: if any of its calls bound to these, the program
 * aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redlite.h"

#define HIJACKED(name)                                                                 \
    int name(void);                                                                    \
    int name(void) {                                                                   \
        fprintf(stderr, "libredlite called the program's " #name ": not isolated\n"); \
        abort();                                                                       \
    }

HIJACKED(sqlite3_open_v2)
HIJACKED(sqlite3_prepare_v2)
HIJACKED(sqlite3_prepare_v3)
HIJACKED(sqlite3_step)
HIJACKED(sqlite3_exec)
HIJACKED(sqlite3_close_v2)
HIJACKED(sqlite3_initialize)
HIJACKED(sqlite3_malloc)

int main(void) {
    redlite_db *db;
    char *v = NULL;
    size_t n = 0;
    int rc = redlite_open(":memory:", NULL, &db, NULL);
    if (rc == REDLITE_OK) rc = redlite_set(db, "k", 1, "v", 1, 0, 0, NULL);
    if (rc == REDLITE_OK) rc = redlite_get(db, "k", 1, &v, &n, NULL);
    if (rc == REDLITE_OK && (n != 1 || v[0] != 'v')) rc = REDLITE_ERR;
    redlite_free(v);
    if (rc == REDLITE_OK) rc = redlite_close(db);
    if (rc != REDLITE_OK) {
        fprintf(stderr, "interpose: %s\n", redlite_errstr(rc));
        return 1;
    }
    printf("symbol isolation ok\n");
    return 0;
}
