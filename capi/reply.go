package main

/*
#include "shim.h"
*/
import "C"

import (
	"unsafe"

	"github.com/redlite/redlite/core/resp"
)

// A reply tree is one malloc'ed block: the nodes (root first, so the root
// pointer is the block), then the element pointer arrays, then the strings.
// redlite_reply_free is a single free(), and a tree can never be half freed.

const (
	nodeSize = C.size_t(unsafe.Sizeof(C.redlite_reply{}))
	ptrSize  = C.size_t(unsafe.Sizeof(uintptr(0)))
)

// replyType is the C type of v for a client speaking proto: with RESP2 the
// RESP3-only kinds take the shape a Redis RESP2 client gets.
func replyType(k resp.Kind, proto int) C.int {
	r3 := proto >= 3
	switch k {
	case resp.Nil, resp.NilArray:
		return C.REDLITE_REPLY_NIL
	case resp.Status:
		return C.REDLITE_REPLY_STATUS
	case resp.Error:
		return C.REDLITE_REPLY_ERROR
	case resp.Int:
		return C.REDLITE_REPLY_INTEGER
	case resp.Bulk:
		return C.REDLITE_REPLY_STRING
	case resp.Array:
		return C.REDLITE_REPLY_ARRAY
	case resp.Map:
		return pick(r3, C.REDLITE_REPLY_MAP, C.REDLITE_REPLY_ARRAY)
	case resp.Set:
		return pick(r3, C.REDLITE_REPLY_SET, C.REDLITE_REPLY_ARRAY)
	case resp.Push:
		return pick(r3, C.REDLITE_REPLY_PUSH, C.REDLITE_REPLY_ARRAY)
	case resp.Double:
		return pick(r3, C.REDLITE_REPLY_DOUBLE, C.REDLITE_REPLY_STRING)
	case resp.Bool:
		return pick(r3, C.REDLITE_REPLY_BOOL, C.REDLITE_REPLY_INTEGER)
	case resp.BigNum:
		return pick(r3, C.REDLITE_REPLY_BIGNUM, C.REDLITE_REPLY_STRING)
	case resp.Verbatim:
		return pick(r3, C.REDLITE_REPLY_VERB, C.REDLITE_REPLY_STRING)
	}
	return C.REDLITE_REPLY_ERROR
}

func pick(cond bool, a, b C.int) C.int {
	if cond {
		return a
	}
	return b
}

var errUnknownKind = []byte("ERR internal: unknown reply kind")

// replyText is the string a node carries, if its type has one.
func replyText(v resp.Value, typ C.int) ([]byte, bool) {
	switch typ {
	case C.REDLITE_REPLY_NIL, C.REDLITE_REPLY_INTEGER, C.REDLITE_REPLY_BOOL,
		C.REDLITE_REPLY_ARRAY, C.REDLITE_REPLY_MAP, C.REDLITE_REPLY_SET, C.REDLITE_REPLY_PUSH:
		return nil, false
	}
	switch v.Kind {
	case resp.Double:
		return resp.AppendDouble(nil, v.Dbl), true
	case resp.Error, resp.Status, resp.Bulk, resp.BigNum, resp.Verbatim:
		return v.Str, true
	}
	return errUnknownKind, true
}

func isAggregate(typ C.int) bool {
	switch typ {
	case C.REDLITE_REPLY_ARRAY, C.REDLITE_REPLY_MAP, C.REDLITE_REPLY_SET, C.REDLITE_REPLY_PUSH:
		return true
	}
	return false
}

type replySize struct{ nodes, ptrs, strs C.size_t }

func (z *replySize) add(v resp.Value, proto int) {
	z.nodes++
	typ := replyType(v.Kind, proto)
	if isAggregate(typ) {
		z.ptrs += C.size_t(len(v.Elems))
		for _, e := range v.Elems {
			z.add(e, proto)
		}
		return
	}
	if s, ok := replyText(v, typ); ok {
		z.strs += C.size_t(len(s)) + 1
	}
}

// replyWriter lays out a tree in its block.
type replyWriter struct {
	nodes, ptrs, strs unsafe.Pointer // next free place in each region
	proto             int
}

func (w *replyWriter) node() *C.redlite_reply {
	n := (*C.redlite_reply)(w.nodes)
	w.nodes = unsafe.Add(w.nodes, nodeSize)
	return n
}

func (w *replyWriter) write(n *C.redlite_reply, v resp.Value) {
	typ := replyType(v.Kind, w.proto)
	*n = C.redlite_reply{_type: typ}
	switch typ {
	case C.REDLITE_REPLY_INTEGER, C.REDLITE_REPLY_BOOL:
		n.integer = C.longlong(v.Int)
	case C.REDLITE_REPLY_DOUBLE:
		n.dval = C.double(v.Dbl)
	case C.REDLITE_REPLY_VERB:
		n.vtype = [4]C.char{'t', 'x', 't', 0}
	}
	if isAggregate(typ) {
		n.elements = C.size_t(len(v.Elems))
		if len(v.Elems) == 0 {
			return
		}
		arr := unsafe.Slice((**C.redlite_reply)(w.ptrs), len(v.Elems))
		n.element = (**C.redlite_reply)(w.ptrs)
		w.ptrs = unsafe.Add(w.ptrs, ptrSize*C.size_t(len(v.Elems)))
		// Reserve the children's nodes first, then fill them: each child's
		// own descendants come after, wherever the bump pointer is.
		for i := range arr {
			arr[i] = w.node()
		}
		for i, e := range v.Elems {
			w.write(arr[i], e)
		}
		return
	}
	if s, ok := replyText(v, typ); ok {
		dst := unsafe.Slice((*byte)(w.strs), len(s)+1)
		copy(dst, s)
		dst[len(s)] = 0
		n.str = (*C.char)(w.strs)
		n.len = C.size_t(len(s))
		w.strs = unsafe.Add(w.strs, len(s)+1)
	}
}

// newReply copies v into a C reply tree, or returns nil when memory runs out.
func newReply(v resp.Value, proto int) *C.redlite_reply {
	var z replySize
	z.add(v, proto)
	total := z.nodes*nodeSize + z.ptrs*ptrSize + z.strs
	block := C.rl_malloc(total)
	if block == nil {
		return nil
	}
	w := replyWriter{
		nodes: block,
		ptrs:  unsafe.Add(block, z.nodes*nodeSize),
		strs:  unsafe.Add(block, z.nodes*nodeSize+z.ptrs*ptrSize),
		proto: proto,
	}
	root := w.node()
	w.write(root, v)
	return root
}
