package main

/*
#include "shim.h"
#include <string.h>
*/
import "C"

import "unsafe"

// maxArgLen is REDLITE_MAX_ARG_LEN.
const maxArgLen = 512 << 20

// argv collects a command's arguments from C memory and Go literals, then
// copies them into Go memory: the core never sees caller memory, so nothing
// it might keep (the session keeps the last argv, a MULTI queue keeps its
// commands) can outlive the caller's buffers.
//
// Every call builds one, so it is made to cost one allocation for the
// common short commands: an argv lives on its caller's stack (declare it as
// a variable, never through a pointer that escapes), the first argvViews
// arguments are views held in place, and build packs short commands into a
// single block (alloc). Only longer commands allocate more.
type argv struct {
	views [argvViews][]byte // the first arguments: views of C memory or Go literals, until build
	more  [][]byte          // the arguments after views
	n     int
	total int
	bad   bool
}

// argvViews covers every typed call with a fixed argument count (SET with
// all its options has 7).
const argvViews = 8

// reserve makes room for n arguments in all (a hint).
func (a *argv) reserve(n int) {
	if n > argvViews {
		a.more = make([][]byte, 0, n-argvViews)
	}
}

func (a *argv) add(b []byte) {
	if a.n < argvViews {
		a.views[a.n] = b
	} else {
		a.more = append(a.more, b)
	}
	a.n++
	a.total += len(b)
}

func (a *argv) at(i int) []byte {
	if i < argvViews {
		return a.views[i]
	}
	return a.more[i-argvViews]
}

// lit adds a Go string argument (a command name or option).
func (a *argv) lit(s string) {
	a.add(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// c adds n bytes at p; NULL is allowed only with n == 0.
func (a *argv) c(p *C.char, n C.size_t) {
	if (p == nil && n != 0) || n > maxArgLen {
		a.bad = true
		return
	}
	var b []byte
	if n > 0 {
		b = unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
	}
	a.add(b)
}

// arrays adds n entries of a C (pointer, length) array pair.
func (a *argv) arrays(n C.int, ptrs **C.char, lens *C.size_t) {
	if n <= 0 || ptrs == nil || lens == nil {
		a.bad = true
		return
	}
	ps := unsafe.Slice(ptrs, int(n))
	ls := unsafe.Slice(lens, int(n))
	for i := range ps {
		a.c(ps[i], ls[i])
	}
}

// build returns the arguments, copied, or false when one was invalid.
func (a *argv) build() ([][]byte, bool) {
	if a.bad || a.n == 0 {
		return nil, false
	}
	out, buf := a.alloc()
	off := 0
	for i := range out {
		n := copy(buf[off:], a.at(i))
		out[i] = buf[off : off+n : off+n]
		off += n
	}
	return out, true
}

// alloc makes the argument slices and the buffer for their bytes. A short
// command gets both in one block (80 or 192 bytes, allocator size classes):
// GET, SET key value, HGET and the other short typed calls with keys and
// values of a few dozen bytes.
func (a *argv) alloc() ([][]byte, []byte) {
	switch {
	case a.n <= 2 && a.total <= 32:
		p := new(struct {
			args  [2][]byte
			bytes [32]byte
		})
		return p.args[:a.n:a.n], p.bytes[:a.total:a.total]
	case a.n <= 4 && a.total <= 96:
		p := new(struct {
			args  [4][]byte
			bytes [96]byte
		})
		return p.args[:a.n:a.n], p.bytes[:a.total:a.total]
	}
	return make([][]byte, a.n), make([]byte, a.total)
}

// commandArgv reads redlite_command's arguments. A NULL argvlen means every
// argument is NUL-terminated.
func commandArgv(argc C.int, ptrs **C.char, lens *C.size_t) ([][]byte, bool) {
	if argc <= 0 || ptrs == nil {
		return nil, false
	}
	var a argv
	a.reserve(int(argc))
	if lens != nil {
		a.arrays(argc, ptrs, lens)
		return a.build()
	}
	for _, p := range unsafe.Slice(ptrs, int(argc)) {
		if p == nil {
			return nil, false
		}
		a.c(p, C.strlen(p))
	}
	return a.build()
}
