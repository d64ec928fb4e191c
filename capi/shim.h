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

/* malloc that may return NULL (cgo's C.malloc aborts the process instead),
 * so out-of-memory becomes REDLITE_NOMEM. */
void *rl_malloc(size_t n);

#endif
