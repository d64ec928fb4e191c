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
// copies them into one Go buffer: the core never sees caller memory, so
// nothing it might keep can outlive the caller's buffers.
type argv struct {
	parts [][]byte // views of C memory or Go literals, until build
	total int
	bad   bool
}

func newArgv(n int) *argv { return &argv{parts: make([][]byte, 0, n)} }

// lit adds a Go string argument (a command name or option).
func (a *argv) lit(s string) {
	a.parts = append(a.parts, unsafe.Slice(unsafe.StringData(s), len(s)))
	a.total += len(s)
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
	a.parts = append(a.parts, b)
	a.total += int(n)
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
	if a.bad || len(a.parts) == 0 {
		return nil, false
	}
	buf := make([]byte, a.total)
	out := make([][]byte, len(a.parts))
	off := 0
	for i, p := range a.parts {
		n := copy(buf[off:], p)
		out[i] = buf[off : off+n : off+n]
		off += n
	}
	a.parts = nil
	return out, true
}

// commandArgv reads redlite_command's arguments. A NULL argvlen means every
// argument is NUL-terminated.
func commandArgv(argc C.int, ptrs **C.char, lens *C.size_t) ([][]byte, bool) {
	if argc <= 0 || ptrs == nil {
		return nil, false
	}
	a := newArgv(int(argc))
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
