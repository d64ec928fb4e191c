package main

/*
#include "shim.h"
*/
import "C"

// PLACEHOLDER until core.Session.NextMessage lands: must be replaced before merging.
//
//export rlgo_next_message
func rlgo_next_message(h C.uint64_t, timeoutMS C.longlong, msg **C.redlite_reply) (st C.int) {
	defer recoverTo(&st, nil)
	return C.int(stErr)
}
