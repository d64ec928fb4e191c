/*
 * Negative control for the Valgrind run: this program leaks one reply on
 * purpose. scripts/test-c.sh expects Valgrind to report it; if it does not,
 * the suppressions hide real leaks and the Valgrind check proves nothing.
 */
#include "redlite.h"

int main(void) {
    redlite_db *db;
    redlite_reply *r;
    const char *argv[] = {"PING"};
    if (redlite_open(":memory:", NULL, &db, NULL) != REDLITE_OK) return 1;
    if (redlite_command(db, 1, argv, NULL, &r) != REDLITE_OK) return 1;
    r = NULL; /* leaked */
    return redlite_close(db) == REDLITE_OK ? 0 : 1;
}
