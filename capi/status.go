package main

/*
#include "shim.h"
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// status is a REDLITE_* status code.
type status C.int

const (
	stOK        status = C.REDLITE_OK
	stErr       status = C.REDLITE_ERR
	stNil       status = C.REDLITE_NIL
	stWrongType status = C.REDLITE_WRONGTYPE
	stBadArg    status = C.REDLITE_BADARG
	stClosed    status = C.REDLITE_CLOSED
	stBusy      status = C.REDLITE_BUSY
	stIOErr     status = C.REDLITE_IOERR
	stNoMem     status = C.REDLITE_NOMEM
	stTimeout   status = C.REDLITE_TIMEOUT
)

const (
	kindDB   = C.RL_KIND_DB
	kindConn = C.RL_KIND_CONN
)

var (
	closedMsg     = []byte("ERR " + core.ErrClosed.Error())
	storagePrefix = []byte("ERR storage error: ")
)

// classify maps a reply to the status a C caller sees: OK for anything but
// an error, and for errors the class their text names.
func classify(v resp.Value) status {
	if v.Kind != resp.Error {
		return stOK
	}
	msg := v.Str
	switch {
	case bytes.HasPrefix(msg, []byte("WRONGTYPE")):
		return stWrongType
	case bytes.Equal(msg, closedMsg):
		return stClosed
	case bytes.HasPrefix(msg, storagePrefix):
		return classifySQLite(string(msg[len(storagePrefix):]))
	}
	return stErr
}

// classifySQLite reads SQLite's error texts (sqlite3_errstr), which is all
// the driver's error strings carry.
func classifySQLite(msg string) status {
	switch {
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "database table is locked"):
		return stBusy
	case strings.Contains(msg, "out of memory"):
		return stNoMem
	case strings.Contains(msg, "disk I/O error"), strings.Contains(msg, "database or disk is full"),
		strings.Contains(msg, "unable to open database file"), strings.Contains(msg, "readonly database"),
		strings.Contains(msg, "file is not a database"), strings.Contains(msg, "database disk image is malformed"):
		return stIOErr
	}
	return stErr
}

// classifyErr does the same for a Go error from the core (Open, Begin...).
func classifyErr(err error) status {
	if errors.Is(err, core.ErrClosed) {
		return stClosed
	}
	if st := classifySQLite(err.Error()); st != stErr {
		return st
	}
	return stErr
}

// cString copies b into a malloc'ed, NUL-terminated C string.
func cString(b []byte) *C.char {
	p := C.rl_malloc(C.size_t(len(b) + 1))
	if p == nil {
		return nil
	}
	dst := unsafe.Slice((*byte)(p), len(b)+1)
	copy(dst, b)
	dst[len(b)] = 0
	return (*C.char)(p)
}

// setErr stores a message in an optional errmsg out-parameter. The message
// is best effort: without memory for it the status alone remains.
func setErr(errmsg **C.char, msg []byte) {
	if errmsg != nil {
		*errmsg = cString(msg)
	}
}

// recoverTo turns a panic into REDLITE_ERR with its text. Every exported
// function defers it: a bug must not take down the host process.
func recoverTo(st *C.int, errmsg **C.char) {
	if p := recover(); p != nil {
		*st = C.int(stErr)
		if errmsg != nil && *errmsg == nil {
			setErr(errmsg, []byte(fmt.Sprintf("ERR internal error: %v", p)))
		}
	}
}

// connOnly reports the commands that change connection state. On a db
// handle, whose calls share pooled sessions, they would leak into other
// calls, so they are refused there and belong on a redlite_conn. name is
// lower case; sub is the lower-case subcommand of CLIENT.
func connOnly(name, sub string) bool {
	switch name {
	case "select", "multi", "exec", "discard", "watch", "unwatch", "hello", "auth", "reset", "quit", "monitor",
		"subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe":
		return true
	case "client":
		switch sub {
		case "setname", "setinfo", "reply", "no-evict", "no-touch", "tracking", "caching":
			return true
		}
	}
	return false
}

func dbLevelRefused(argv [][]byte) (resp.Value, bool) {
	// The names are short: anything longer is not one of them. Lowering into
	// a stack buffer keeps the check allocation-free for ordinary commands.
	var buf [16]byte
	if len(argv[0]) > len(buf) {
		return resp.Value{}, false
	}
	n := copy(buf[:], argv[0])
	for i := range n {
		if c := buf[i]; c >= 'A' && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	name, sub := string(buf[:n]), ""
	if name == "client" && len(argv) >= 2 {
		sub = strings.ToLower(string(argv[1]))
	}
	if !connOnly(name, sub) {
		return resp.Value{}, false
	}
	full := name
	if sub != "" {
		full += " " + sub
	}
	return resp.Err("ERR '" + strings.ToUpper(full) + "' changes connection state: run it on a redlite_conn"), true
}
