package main

/*
#include "shim.h"
*/
import "C"

import (
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// The rlgo_* functions are what shim.c's redlite_* wrappers call after the
// fork check. The wrappers have already set every out-parameter to its
// failure value (NULL / 0), so these only write outputs on success.

// v1OptionsSize is sizeof(redlite_options) in ABI 1.
const v1OptionsSize = C.size_t(C.sizeof_redlite_options)

//export rlgo_open
func rlgo_open(path *C.char, opts *C.redlite_options, out *C.uint64_t, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	if path == nil || out == nil {
		setErr(errmsg, []byte("ERR path and db must not be NULL"))
		return C.int(stBadArg)
	}
	o := core.Options{Path: C.GoString(path)}
	proto, database := 2, 0
	if opts != nil {
		if msg := checkOptions(opts); msg != "" {
			setErr(errmsg, []byte("ERR "+msg))
			return C.int(stBadArg)
		}
		o.Durability = core.Durability(opts.durability)
		o.CacheMB = int(opts.cache_mb)
		o.Readers = int(opts.readers)
		o.BusyTimeout = time.Duration(opts.busy_timeout_ms) * time.Millisecond
		if opts.protocol != 0 {
			proto = int(opts.protocol)
		}
		database = int(opts.database)
	}
	if o.Path == "" {
		setErr(errmsg, []byte("ERR path must not be empty (use \":memory:\" for an in-memory database)"))
		return C.int(stBadArg)
	}
	d, err := openDB(o, proto, database)
	if err != nil {
		setErr(errmsg, []byte("ERR "+err.Error()))
		return C.int(classifyErr(err))
	}
	*out = C.uint64_t(d.id)
	return C.int(stOK)
}

// checkOptions validates a redlite_options; it returns the problem or "".
func checkOptions(o *C.redlite_options) string {
	switch {
	case o.size != v1OptionsSize:
		return "redlite_options.size must be sizeof(redlite_options) (use redlite_options_init)"
	case o.durability != C.REDLITE_DURABILITY_NORMAL && o.durability != C.REDLITE_DURABILITY_FULL:
		return "redlite_options.durability must be REDLITE_DURABILITY_NORMAL or REDLITE_DURABILITY_FULL"
	case o.cache_mb < 0, o.readers < 0, o.busy_timeout_ms < 0:
		return "redlite_options: cache_mb, readers and busy_timeout_ms must not be negative"
	case o.protocol != 0 && o.protocol != 2 && o.protocol != 3:
		return "redlite_options.protocol must be 2 or 3"
	case o.database < 0 || o.database >= core.NumDatabases:
		return "redlite_options.database is out of range"
	}
	return ""
}

//export rlgo_close
func rlgo_close(h C.uint64_t) (st C.int) {
	defer recoverTo(&st, nil)
	d, s := lookupDB(uint64(h))
	if s != stOK {
		return C.int(s)
	}
	return C.int(d.close())
}

//export rlgo_conn_open
func rlgo_conn_open(h C.uint64_t, out *C.uint64_t) (st C.int) {
	defer recoverTo(&st, nil)
	if out == nil {
		return C.int(stBadArg)
	}
	d, s := lookupDB(uint64(h))
	if s != stOK {
		return C.int(s)
	}
	c, s := d.openConn()
	if s != stOK {
		return C.int(s)
	}
	*out = C.uint64_t(c.id)
	return C.int(stOK)
}

//export rlgo_conn_close
func rlgo_conn_close(h C.uint64_t) (st C.int) {
	defer recoverTo(&st, nil)
	c, s := lookupConn(uint64(h))
	if s != stOK {
		return C.int(s)
	}
	return C.int(c.close())
}

//export rlgo_conn_interrupt
func rlgo_conn_interrupt(h C.uint64_t) (st C.int) {
	defer recoverTo(&st, nil)
	c, s := lookupConn(uint64(h))
	if s != stOK {
		return C.int(s)
	}
	c.interrupt()
	return C.int(stOK)
}

//export rlgo_command
func rlgo_command(h C.uint64_t, kind C.int, argc C.int, argvp **C.char, argvlen *C.size_t, reply **C.redlite_reply) (st C.int) {
	defer recoverTo(&st, nil)
	if reply == nil {
		return C.int(stBadArg)
	}
	t, s := lookupTarget(uint64(h), int(kind))
	if s != stOK {
		return C.int(s)
	}
	args, ok := commandArgv(argc, argvp, argvlen)
	if !ok {
		return C.int(stBadArg)
	}
	return C.int(t.run(args, false, func(v resp.Value, proto int) status {
		r := newReply(v, proto)
		if r == nil {
			return stNoMem
		}
		*reply = r
		return classify(v)
	}))
}

//export rlgo_tx
func rlgo_tx(h C.uint64_t, op C.int, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	c, s := lookupConn(uint64(h))
	if s != stOK {
		return C.int(s)
	}
	if _, s := c.enter(); s != stOK {
		return C.int(s)
	}
	defer c.leave()
	var err error
	switch op {
	case C.RL_TX_BEGIN:
		err = c.s.Begin()
	case C.RL_TX_COMMIT:
		err = c.s.Commit()
	case C.RL_TX_ROLLBACK:
		err = c.s.Rollback()
	default:
		return C.int(stBadArg)
	}
	if err != nil {
		setErr(errmsg, []byte("ERR "+err.Error()))
		return C.int(classifyErr(err))
	}
	return C.int(stOK)
}
