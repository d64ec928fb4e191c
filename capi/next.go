package main

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"math"
	"time"

	"github.com/redlite/redlite/core"
)

// redlite_next_message: the next pub/sub message of a subscribed conn. It
// does not take the conn's command lock, so another thread may run
// SUBSCRIBE or UNSUBSCRIBE on the conn while one waits here.

//export rlgo_next_message
func rlgo_next_message(h C.uint64_t, timeoutMS C.longlong, msg **C.redlite_reply) (st C.int) {
	defer recoverTo(&st, nil)
	if msg == nil {
		return C.int(stBadArg)
	}
	c, s := lookupConn(uint64(h))
	if s != stOK {
		return C.int(s)
	}
	ctx, s := c.begin()
	if s != stOK {
		return C.int(s)
	}
	defer c.end()
	v, ok, err := c.s.NextMessageContext(ctx, waitFor(timeoutMS))
	switch {
	case errors.Is(err, core.ErrClosed), errors.Is(err, core.ErrSessionClosed):
		return C.int(stClosed)
	case err != nil: // not subscribed, or dropped for overflowing its queue
		return C.int(stErr)
	case !ok:
		return C.int(stTimeout)
	}
	r := newReply(v, int(c.proto.Load()))
	if r == nil {
		return C.int(stNoMem)
	}
	*msg = r
	return C.int(stOK)
}

// waitFor turns timeout_ms into NextMessage's timeout: negative waits
// without limit, and a wait too long for a Duration is one.
func waitFor(ms C.longlong) time.Duration {
	switch {
	case ms < 0:
		return -1
	case int64(ms) > math.MaxInt64/int64(time.Millisecond):
		return -1
	}
	return time.Duration(ms) * time.Millisecond
}
