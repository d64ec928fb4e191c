/*
 * Negative control for the Valgrind memory-error run: this program reads one
 * byte past the end of a reply tree on purpose. scripts/test-c.sh expects
 * Valgrind to report it; if it does not, the run cannot see invalid accesses
 * to the library's allocations and proves nothing.
 */
#include <stdio.h>

#include "redlite.h"

int main(void) {
    redlite_db *db;
    redlite_reply *r;
    const char *argv[] = {"PING"};
    if (redlite_open(":memory:", NULL, &db, NULL) != REDLITE_OK) return 1;
    if (redlite_command(db, 1, argv, NULL, &r) != REDLITE_OK) return 1;
    /* "PONG" is the tree's last string: str[len] is its NUL, str[len + 1]
     * the first byte after the block. */
    volatile char past = r->str[r->len + 1];
    (void)past;
    redlite_reply_free(r);
    return redlite_close(db) == REDLITE_OK ? 0 : 1;
}
