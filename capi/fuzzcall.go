//go:build !redlite_lib

package main

// Test support for fuzz_test.go, which calls the exported redlite_*
// functions as a C program does: test files cannot use cgo, so the calls and
// the C memory they need live here. scripts/build-lib.sh builds the library
// with the redlite_lib tag, which leaves this file out of libredlite.so.

/*
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include "redlite.h"

// What fz_command leaves in *reply before the call: the library must
// overwrite it on every return (with NULL when there is no reply).
#define FZ_SENTINEL ((redlite_reply *)(uintptr_t)0x5e)

// Handles travel as numbers: the Go side never holds a (possibly bogus)
// handle as a pointer.
static int fz_command(uintptr_t h, int conn, int argc, char **argv, size_t *argvlen, int null_reply,
                      redlite_reply **reply, int *untouched) {
    int st;
    redlite_reply **out = null_reply ? NULL : reply;
    *reply = FZ_SENTINEL;
    if (conn)
        st = redlite_conn_command((redlite_conn *)h, argc, (const char *const *)argv, argvlen, out);
    else
        st = redlite_command((redlite_db *)h, argc, (const char *const *)argv, argvlen, out);
    *untouched = !null_reply && *reply == FZ_SENTINEL;
    if (*reply == FZ_SENTINEL) *reply = NULL;
    return st;
}

static int fz_open(int protocol, uintptr_t *db) {
    redlite_options o;
    redlite_db *d = NULL;
    int st;
    redlite_options_init(&o);
    o.protocol = protocol;
    st = redlite_open(":memory:", &o, &d, NULL);
    *db = (uintptr_t)d;
    return st;
}

static int fz_close(uintptr_t db) { return redlite_close((redlite_db *)db); }

static int fz_conn_open(uintptr_t db, uintptr_t *conn) {
    redlite_conn *c = NULL;
    int st = redlite_conn_open((redlite_db *)db, &c);
    *conn = (uintptr_t)c;
    return st;
}

static int fz_conn_close(uintptr_t conn) { return redlite_conn_close((redlite_conn *)conn); }

static int fz_conn_interrupt(uintptr_t conn) { return redlite_conn_interrupt((redlite_conn *)conn); }
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// cHandle is a redlite_db or redlite_conn as the number C passes around.
type cHandle = C.uintptr_t

// cArgs is a command's argv in C memory, shaped as a call asks.
type cArgs struct {
	ptrs **C.char
	lens *C.size_t
	bufs []unsafe.Pointer // every malloc'ed block, freed by free
}

// argShape says how one argument is passed.
type argShape struct {
	null bool // pass a NULL pointer instead of the argument
	over bool // pass len as its length instead of the argument's
	len  uint64
}

// newCArgs copies args into C memory: one array of pointers, one of
// lengths (unless noLens), each argument in a block of its own, exactly
// as long as the argument (so AddressSanitizer sees a read past it) or,
// with noLens, followed by the NUL byte that ends a C string.
func newCArgs(args [][]byte, shapes []argShape, noLens bool) *cArgs {
	a := &cArgs{}
	n := max(len(args), 1)
	a.ptrs = (**C.char)(a.alloc(uintptr(n) * unsafe.Sizeof((*C.char)(nil))))
	ptrs := unsafe.Slice(a.ptrs, n)
	var lens []C.size_t
	if !noLens {
		a.lens = (*C.size_t)(a.alloc(uintptr(n) * unsafe.Sizeof(C.size_t(0))))
		lens = unsafe.Slice(a.lens, n)
	}
	nul := 0
	if noLens {
		nul = 1
	}
	for i, arg := range args {
		p := a.alloc(uintptr(len(arg) + nul))
		b := unsafe.Slice((*byte)(p), len(arg)+nul)
		copy(b, arg)
		if noLens {
			b[len(arg)] = 0
		}
		ptrs[i] = (*C.char)(p)
		if lens != nil {
			lens[i] = C.size_t(len(arg))
		}
		if i < len(shapes) {
			if shapes[i].null {
				ptrs[i] = nil
			}
			if shapes[i].over && lens != nil {
				lens[i] = C.size_t(shapes[i].len)
			}
		}
	}
	return a
}

func (a *cArgs) alloc(n uintptr) unsafe.Pointer {
	p := C.malloc(C.size_t(n)) // glibc's malloc(0) is a pointer of its own too
	if p == nil && n > 0 {
		panic("malloc failed")
	}
	a.bufs = append(a.bufs, p)
	return p
}

func (a *cArgs) free() {
	for _, p := range a.bufs {
		C.free(p)
	}
	a.bufs = nil
}

// cCall is one redlite_command / redlite_conn_command call.
type cCall struct {
	h         cHandle
	conn      bool
	argc      int
	args      *cArgs
	nullArgv  bool // pass argv = NULL
	nullReply bool // pass reply = NULL
}

// cResult is what the call returned.
type cResult struct {
	status    int
	reply     *C.redlite_reply // nil when the library wrote NULL (or was passed NULL)
	untouched bool             // *reply still held the sentinel: never written
}

func (c cCall) run() cResult {
	var reply *C.redlite_reply
	var untouched C.int
	conn := C.int(0)
	if c.conn {
		conn = 1
	}
	nullReply := C.int(0)
	if c.nullReply {
		nullReply = 1
	}
	ptrs := c.args.ptrs
	if c.nullArgv {
		ptrs = nil
	}
	st := C.fz_command(c.h, conn, C.int(c.argc), ptrs, c.args.lens, nullReply, &reply, &untouched)
	return cResult{status: int(st), reply: reply, untouched: untouched != 0}
}

func cOpen(protocol int) (cHandle, int) {
	var h cHandle
	st := C.fz_open(C.int(protocol), &h)
	return h, int(st)
}

func cClose(h cHandle) int { return int(C.fz_close(h)) }

func cConnOpen(db cHandle) (cHandle, int) {
	var h cHandle
	st := C.fz_conn_open(db, &h)
	return h, int(st)
}

func cConnClose(h cHandle) int      { return int(C.fz_conn_close(h)) }
func cConnInterrupt(h cHandle) int  { return int(C.fz_conn_interrupt(h)) }
func cReplyFree(r *C.redlite_reply) { C.redlite_reply_free(r) }

// The documented status codes.
const (
	cOK        = int(C.REDLITE_OK)
	cErr       = int(C.REDLITE_ERR)
	cWrongType = int(C.REDLITE_WRONGTYPE)
	cBadArg    = int(C.REDLITE_BADARG)
	cClosed    = int(C.REDLITE_CLOSED)
	cBusy      = int(C.REDLITE_BUSY)
	cIOErr     = int(C.REDLITE_IOERR)
	cNoMem     = int(C.REDLITE_NOMEM)
	cMaxArgLen = uint64(C.REDLITE_MAX_ARG_LEN)
)

// replyInfo is what checkReply learned of a valid reply.
type replyInfo struct {
	typ   int
	text  string // str of the root (the message of an error)
	nodes int
}

// checkReply checks a reply tree against the header's contract: known
// types (no RESP3-only type unless resp3), str set exactly for the string
// types and NUL-terminated, element arrays matching elements, maps of
// pairs, booleans 0 or 1, and the whole tree (nodes, element arrays,
// strings) inside the one block the root was allocated as, so freeing the
// root frees everything.
func checkReply(r *C.redlite_reply, resp3 bool) (replyInfo, error) {
	base := uintptr(unsafe.Pointer(r))
	size := uintptr(C.malloc_usable_size(unsafe.Pointer(r)))
	inside := func(p unsafe.Pointer, n uintptr) bool {
		q := uintptr(p)
		return q >= base && q+n <= base+size && q+n >= q
	}
	info := replyInfo{typ: int(r._type)}
	var walk func(n *C.redlite_reply, depth int) error
	walk = func(n *C.redlite_reply, depth int) error {
		info.nodes++
		if depth > 1000 {
			return fmt.Errorf("reply nested deeper than 1000")
		}
		if !inside(unsafe.Pointer(n), unsafe.Sizeof(*n)) {
			return fmt.Errorf("a node lies outside the reply's block")
		}
		typ := int(n._type)
		var hasStr, aggregate bool
		switch typ {
		case C.REDLITE_REPLY_STRING, C.REDLITE_REPLY_STATUS, C.REDLITE_REPLY_ERROR:
			hasStr = true
		case C.REDLITE_REPLY_INTEGER, C.REDLITE_REPLY_NIL:
		case C.REDLITE_REPLY_ARRAY:
			aggregate = true
		case C.REDLITE_REPLY_DOUBLE, C.REDLITE_REPLY_BIGNUM, C.REDLITE_REPLY_VERB:
			hasStr = true
			if !resp3 {
				return fmt.Errorf("RESP3 type %d in a RESP2 reply", typ)
			}
		case C.REDLITE_REPLY_BOOL:
			if !resp3 {
				return fmt.Errorf("RESP3 type %d in a RESP2 reply", typ)
			}
			if n.integer != 0 && n.integer != 1 {
				return fmt.Errorf("boolean %d", n.integer)
			}
		case C.REDLITE_REPLY_MAP, C.REDLITE_REPLY_SET, C.REDLITE_REPLY_PUSH:
			aggregate = true
			if !resp3 {
				return fmt.Errorf("RESP3 type %d in a RESP2 reply", typ)
			}
			if typ == C.REDLITE_REPLY_MAP && n.elements%2 != 0 {
				return fmt.Errorf("map of %d elements", n.elements)
			}
		default:
			return fmt.Errorf("undocumented reply type %d", typ)
		}
		if hasStr {
			if n.str == nil || !inside(unsafe.Pointer(n.str), uintptr(n.len)+1) {
				return fmt.Errorf("type %d: str is NULL or outside the block", typ)
			}
			if *(*byte)(unsafe.Add(unsafe.Pointer(n.str), n.len)) != 0 {
				return fmt.Errorf("type %d: str is not NUL-terminated", typ)
			}
		} else if n.str != nil || n.len != 0 {
			return fmt.Errorf("type %d has a str", typ)
		}
		if typ == C.REDLITE_REPLY_VERB && (n.vtype[3] != 0 || C.GoString(&n.vtype[0]) != "txt") {
			return fmt.Errorf("verbatim vtype %q", C.GoBytes(unsafe.Pointer(&n.vtype[0]), 4))
		}
		if !aggregate {
			if n.elements != 0 || n.element != nil {
				return fmt.Errorf("type %d has elements", typ)
			}
			return nil
		}
		if n.elements == 0 {
			if n.element != nil {
				return fmt.Errorf("an empty aggregate has an element array")
			}
			return nil
		}
		ptrSize := unsafe.Sizeof((*C.redlite_reply)(nil))
		if n.element == nil || n.elements > C.size_t(size/ptrSize) ||
			!inside(unsafe.Pointer(n.element), uintptr(n.elements)*ptrSize) {
			return fmt.Errorf("element array of %d is NULL or outside the block", n.elements)
		}
		for _, e := range unsafe.Slice(n.element, int(n.elements)) {
			if e == nil {
				return fmt.Errorf("a NULL element")
			}
			if err := walk(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(r, 0); err != nil {
		return info, err
	}
	if r.str != nil {
		info.text = C.GoStringN(r.str, C.int(min(r.len, 200)))
	}
	return info, nil
}
