/* Internal declarations shared by shim.c and the Go side (not installed). */
#ifndef REDLITE_SHIM_H
#define REDLITE_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include "redlite.h"

/* Handle kinds the rlgo_* functions take: which table entry a number must
 * name. */
#define RL_KIND_DB   0
#define RL_KIND_CONN 1

/* Transaction operations for rlgo_tx. */
#define RL_TX_BEGIN    0
#define RL_TX_COMMIT   1
#define RL_TX_ROLLBACK 2

/* The calls that return a value (GET, HGET, RPOP) pass Go a buffer of this
 * size on the shim's stack. A value that fits comes back there, with *val
 * still NULL, and the shim copies it into the malloc'ed string the caller
 * gets: allocating in C costs far less than a call from Go into C (which
 * larger values still make, through rl_malloc). */
#define RL_INLINE_VALUE 512

/* malloc that may return NULL (cgo's C.malloc aborts the process instead),
 * so out-of-memory becomes REDLITE_NOMEM. */
void *rl_malloc(size_t n);

#endif
