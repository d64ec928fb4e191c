// Command capi is redlite's C ABI: built with -buildmode=c-shared it becomes
// libredlite.so, whose contract is include/redlite.h.
//
// The exported symbols are the redlite_* functions of shim.c, a thin C layer
// that refuses calls in a forked child before they reach the Go runtime (which
// does not survive fork) and turns handle pointers into numbers. It calls the
// rlgo_* functions exported here; a linker version script (redlite.map)
// keeps everything but redlite_* (rlgo_*, the bundled sqlite3_*, the Go
// runtime) out of the dynamic symbol table.
//
// Handles are indexes into a table on the Go side, never Go pointers, so a
// stale or foreign handle is an error rather than a crash. Every exported
// function validates its pointers and lengths and recovers panics.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include -O2 -Wall
#include "shim.h"
*/
import "C"

// main is required by -buildmode=c-shared and never runs.
func main() {}
