package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// FuzzCommand calls redlite_command and redlite_conn_command as a C program
// does (through fuzzcall.go), with hostile argc/argv: empty arguments,
// NUL bytes, NULL pointers where the header allows them and where it
// forbids them, lengths beyond REDLITE_MAX_ARG_LEN, argc of 0 or below, a
// NULL argv or reply, bogus, mismatched and closed handles, arguments of up
// to 2 MiB, NUL-terminated strings (argvlen NULL), blocking commands ended
// by redlite_conn_interrupt or redlite_close, RESP2 and RESP3. Every call
// must return a status the header documents for what it was given: BADARG
// (and no reply) for what the header forbids, CLOSED for closed handles,
// and otherwise a reply whose status matches its type; every reply must be
// a well-formed tree inside one allocation (so redlite_reply_free frees all
// of it), and *reply must be written on every return. Leaks and invalid
// memory accesses need AddressSanitizer: see leak_asan_test.go.
//
// An input is a mode word and a script: up to fuzzMaxCalls lines, each split
// the way redis-cli splits a line ("quotes", \xHH escapes), or on spaces
// when that fails. See fuzzModes for the mode word.
func FuzzCommand(f *testing.F) {
	for _, s := range commandSeeds(f) {
		f.Add(s.modes, s.script)
	}
	f.Fuzz(func(t *testing.T, modes uint64, script []byte) {
		if err := fuzzCommandOnce(modes, script, true); err != nil {
			t.Fatal(err)
		}
	})
}

const fuzzMaxCalls = 8

// The mode word: byte i%4 of the low 32 bits shapes call i (callMode), bit
// 32 opens the database with RESP3 replies, and bits 33..53 give a length
// (up to 2 MiB) the last argument of the first call is padded to.
type fuzzModes uint64

func (m fuzzModes) call(i int) callMode { return callMode(m >> (8 * (i % 4))) }
func (m fuzzModes) resp3() bool         { return m>>32&1 != 0 }
func (m fuzzModes) bigArg() int         { return int(m >> 33 & (1<<21 - 1)) }

// callMode shapes one call: bit 0 runs it on the conn instead of the db,
// bit 1 passes argvlen = NULL (NUL-terminated strings), bit 2 passes empty
// arguments as NULL pointers (allowed), bits 3..5 break it in one way
// (damage*) and bits 6..7 pick the handle (handle*).
type callMode uint8

func (c callMode) onConn() bool    { return c&1 != 0 }
func (c callMode) noLens() bool    { return c&2 != 0 }
func (c callMode) nullEmpty() bool { return c&4 != 0 }
func (c callMode) damage() int     { return int(c >> 3 & 7) }
func (c callMode) handleKind() int { return int(c >> 6) }
func mode(conn, noLens, nullEmpty bool, damage, handle int) callMode {
	m := callMode(damage<<3 | handle<<6)
	if conn {
		m |= 1
	}
	if noLens {
		m |= 2
	}
	if nullEmpty {
		m |= 4
	}
	return m
}

// Damage kinds (0..2: none).
const (
	damageNullWithLen = 3 // an argument NULL with a length above 0
	damageNullReply   = 4 // reply = NULL
	damageArgc        = 5 // argc 0, -1 or INT_MIN
	damageNullArgv    = 6 // argv = NULL
	damageHugeLen     = 7 // a length of REDLITE_MAX_ARG_LEN + 1, twice it or SIZE_MAX
)

// Handle kinds (0, 1: the right handle).
const (
	handleBogus  = 2 // 0, a number never issued, or the other kind of handle
	handleClosed = 3 // a conn closed before the calls
)

// fuzzEnv is what the calls of one input share.
type fuzzEnv struct {
	db, conn, closedConn cHandle
	resp3                bool // the db was opened with protocol 3
	free                 bool // free the replies (false: the leak test's control)
	// dbClosed is set when a blocking call on the db handle had to be
	// ended by closing the database: from then on CLOSED is an answer.
	dbClosed atomic.Bool
}

// fuzzCommandOnce runs one input on a fresh in-memory database and returns
// the first contract violation. free false keeps every reply (the leak
// test's control).
func fuzzCommandOnce(modeWord uint64, script []byte, free bool) error {
	m := fuzzModes(modeWord)
	e := &fuzzEnv{resp3: m.resp3(), free: free}
	proto := 2
	if e.resp3 {
		proto = 3
	}
	var st int
	if e.db, st = cOpen(proto); st != cOK {
		return fmt.Errorf("redlite_open: %d", st)
	}
	if e.conn, st = cConnOpen(e.db); st != cOK {
		return fmt.Errorf("redlite_conn_open: %d", st)
	}
	if e.closedConn, st = cConnOpen(e.db); st != cOK || cConnClose(e.closedConn) != cOK {
		return fmt.Errorf("a conn to close: %d", st)
	}
	lines := bytes.Split(script, []byte("\n"))
	if len(lines) > fuzzMaxCalls {
		lines = lines[:fuzzMaxCalls]
	}
	var failure error
	for i, line := range lines {
		argv, err := resp.SplitArgs(line)
		if err != nil {
			argv = bytes.Split(line, []byte(" "))
		}
		if i == 0 && m.bigArg() > 0 && len(argv) > 0 {
			last := argv[len(argv)-1]
			argv[len(argv)-1] = append(last[:len(last):len(last)], bytes.Repeat([]byte("x"), m.bigArg())...)
		}
		if !fuzzCallAllowed(argv) {
			continue
		}
		if err := e.limitWork(); err != nil {
			failure = err
			break
		}
		if err := e.call(m.call(i), i, argv); err != nil {
			failure = fmt.Errorf("call %d %q (mode %#02x): %w", i, truncArgv(argv), uint8(m.call(i)), err)
			break
		}
	}
	closed := e.dbClosed.Load()
	if st := cConnClose(e.conn); st != cOK && !(closed && st == cClosed) {
		return firstErr(failure, fmt.Errorf("redlite_conn_close: %d", st))
	}
	if st := cClose(e.db); st != cOK && !(closed && st == cClosed) {
		return firstErr(failure, fmt.Errorf("redlite_close: %d", st))
	}
	if failure != nil {
		return failure
	}
	// Closed handles: CLOSED and no reply.
	args := newCArgs(bytesArgv("PING"), nil, false)
	defer args.free()
	for _, c := range []cCall{{h: e.db, argc: 1, args: args}, {h: e.conn, conn: true, argc: 1, args: args}} {
		if r := c.run(); r.status != cClosed || r.reply != nil {
			cReplyFree(r.reply)
			return fmt.Errorf("PING on a closed handle: status %d, reply %v", r.status, r.reply != nil)
		}
	}
	return nil
}

// limitWork keeps the work one input can ask for small, as FuzzSessionDo
// does: strings and bit offsets stay within 1 MB, whatever an earlier
// CONFIG SET did.
func (e *fuzzEnv) limitWork() error {
	if e.dbClosed.Load() {
		return nil
	}
	args := newCArgs(bytesArgv("CONFIG", "SET", "proto-max-bulk-len", "1mb"), nil, false)
	defer args.free()
	r := cCall{h: e.db, argc: 4, args: args}.run()
	cReplyFree(r.reply)
	if r.status != cOK && !e.dbClosed.Load() {
		return fmt.Errorf("CONFIG SET proto-max-bulk-len: status %d", r.status)
	}
	return nil
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// call makes call number i of an input, shaped by cm, and checks what it
// returned against the header.
func (e *fuzzEnv) call(cm callMode, i int, argv [][]byte) error {
	shapes := make([]argShape, len(argv))
	argsBad := false // the header forbids what the arguments are
	if cm.nullEmpty() {
		for j, a := range argv {
			if len(a) == 0 {
				shapes[j].null = true
				argsBad = argsBad || cm.noLens() // strlen(NULL) is no length
			}
		}
	}
	c := cCall{h: e.db, conn: cm.onConn(), argc: len(argv)}
	if c.conn {
		c.h = e.conn
	}
	damage := cm.damage()
	if len(argv) == 0 {
		damage = damageArgc
	}
	victim := i % max(len(argv), 1) // the argument a damage applies to
	switch damage {
	case damageNullWithLen:
		shapes[victim] = argShape{null: true, over: true, len: uint64(max(len(argv[victim]), 1))}
		argsBad = true
	case damageNullReply:
		c.nullReply = true
	case damageArgc:
		c.argc = []int{0, -1, math.MinInt32}[i%3]
		argsBad = true
	case damageNullArgv:
		c.nullArgv = true
		argsBad = true
	case damageHugeLen:
		if !cm.noLens() { // only argvlen carries lengths
			shapes[victim].over = true
			shapes[victim].len = []uint64{cMaxArgLen + 1, math.MaxUint64, cMaxArgLen << 1}[i%3]
			argsBad = true
		}
	}
	otherKind := false
	switch cm.handleKind() {
	case handleBogus:
		switch i % 3 {
		case 0:
			c.h = 0
		case 1:
			c.h = 1 << 40 // never issued
		case 2:
			otherKind = true
			if c.conn {
				c.h = e.db
			} else {
				c.h = e.conn
			}
		}
	case handleClosed:
		c.h, c.conn = e.closedConn, true
	}
	c.args = newCArgs(argv, shapes, cm.noLens())
	defer c.args.free()

	// A blocking command must not wait for ever: on a conn it is
	// interrupted (it answers as on timeout), on the db the database is
	// closed (documented to end the wait).
	var stop func()
	if cm.handleKind() < handleBogus && !argsBad && !c.nullReply && isBlocking(argv) {
		if c.conn {
			stop = every(time.Millisecond, func() { cConnInterrupt(e.conn) })
		} else {
			stop = after(20*time.Millisecond, func() {
				e.dbClosed.Store(true)
				cClose(e.db)
			})
		}
	}
	r := c.run()
	if stop != nil {
		stop()
	}
	if r.reply != nil && e.free {
		defer cReplyFree(r.reply)
	}
	if r.untouched {
		return fmt.Errorf("status %d left *reply unwritten", r.status)
	}
	closed := e.dbClosed.Load()
	switch {
	case c.nullReply && cm.handleKind() == handleClosed:
		return want(r, cBadArg, cClosed) // the header does not rank the two
	case c.nullReply:
		return want(r, cBadArg)
	case cm.handleKind() == handleBogus && otherKind && closed:
		return want(r, cBadArg, cClosed) // the other handle is closed now
	case cm.handleKind() == handleBogus:
		return want(r, cBadArg)
	case cm.handleKind() == handleClosed && argsBad:
		return want(r, cClosed, cBadArg)
	case cm.handleKind() == handleClosed:
		return want(r, cClosed)
	case argsBad && closed:
		return want(r, cBadArg, cClosed)
	case argsBad:
		return want(r, cBadArg)
	}
	if r.reply == nil {
		if r.status == cClosed && closed {
			return nil
		}
		return fmt.Errorf("status %d without a reply", r.status)
	}
	// A conn may have sent HELLO 3, whatever the database's protocol.
	info, err := checkReply(r.reply, c.conn || e.resp3)
	if err != nil {
		return fmt.Errorf("status %d: %v", r.status, err)
	}
	switch {
	case info.typ != replyError:
		return want(r, cOK)
	case strings.HasPrefix(info.text, "WRONGTYPE"):
		return want(r, cWrongType)
	case strings.HasPrefix(info.text, "ERR internal error"), strings.HasPrefix(info.text, "ERR storage error"):
		return fmt.Errorf("status %d: %s", r.status, info.text)
	case closed:
		return want(r, cErr, cClosed)
	}
	return want(r, cErr)
}

// replyError is REDLITE_REPLY_ERROR.
const replyError = 6

// want checks the status is one of ok, and that the statuses that mean
// "not run" came without a reply.
func want(r cResult, ok ...int) error {
	for _, st := range ok {
		if r.status != st {
			continue
		}
		if st == cBadArg && r.reply != nil {
			return fmt.Errorf("BADARG with a reply")
		}
		return nil
	}
	return fmt.Errorf("status %d, want one of %v", r.status, ok)
}

func isBlocking(argv [][]byte) bool {
	if len(argv) == 0 {
		return false
	}
	c := core.LookupCommand(argv[0])
	return c != nil && c.Flags&core.FlagBlocking != 0
}

// fuzzCallAllowed drops what would make one input cost unbounded time or
// memory rather than test the entry point (as FuzzSessionDo does): random
// elements asked for millions of times with repetition.
func fuzzCallAllowed(argv [][]byte) bool {
	if len(argv) > 2 {
		switch strings.ToLower(string(argv[0])) {
		case "hrandfield", "srandmember", "zrandmember":
			if n, ok := core.ParseInt(argv[2]); ok && n < -10000 {
				return false
			}
		}
	}
	return true
}

// every runs fn every d until the returned stop is called.
func every(d time.Duration, fn func()) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fn()
			}
		}
	}()
	return func() { close(done); <-finished }
}

// after runs fn once after d unless stop is called first; stop waits for
// a running fn.
func after(d time.Duration, fn func()) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-done:
		case <-time.After(d):
			fn()
		}
	}()
	return func() { close(done); <-finished }
}

func truncArgv(argv [][]byte) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if len(a) > 40 {
			out[i] = fmt.Sprintf("%s... (%d bytes)", a[:40], len(a))
		} else {
			out[i] = string(a)
		}
	}
	return out
}

type commandSeed struct {
	modes  uint64
	script []byte
}

// seedModes are the mode words the seeds cycle through: every call mode
// and handle kind, RESP3, and a padded first argument.
var seedModes = func() []uint64 {
	word := func(a, b, c, d callMode) uint64 {
		return uint64(a) | uint64(b)<<8 | uint64(c)<<16 | uint64(d)<<24
	}
	conn := mode(true, false, false, 0, 0)
	db := mode(false, false, false, 0, 0)
	out := []uint64{
		0,
		word(conn, conn, conn, conn),
		word(db, conn, db, conn) | 1<<32,
		word(mode(false, true, false, 0, 0), mode(true, true, true, 0, 0), mode(false, false, true, 0, 0), conn),
		word(db, conn, db, conn) | uint64(1<<20)<<33,
	}
	for d := damageNullWithLen; d <= damageHugeLen; d++ {
		out = append(out, word(mode(false, false, false, d, 0), mode(true, false, false, d, 0),
			mode(false, true, false, d, 0), mode(true, true, true, d, 0)))
	}
	for h := handleBogus; h <= handleClosed; h++ {
		out = append(out, word(mode(false, false, false, 0, h), mode(true, false, false, 0, h),
			mode(false, false, false, damageNullArgv, h), mode(true, false, false, damageNullReply, h)))
	}
	return out
}()

// commandSeeds: a few groups of commands from every differential script,
// each with one of seedModes, and inputs for what the scripts lack (NUL
// bytes, empty arguments, blocking commands that would wait for ever).
func commandSeeds(tb testing.TB) []commandSeed {
	files, err := filepath.Glob("../tests/diff/*.txt")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no differential scripts for seeds: %v", err)
	}
	var seeds []commandSeed
	add := func(script string) {
		seeds = append(seeds, commandSeed{seedModes[len(seeds)%len(seedModes)], []byte(script)})
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		var cmds []string
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' || line[0] == '!' {
				continue // comments and directives (!conn, !sleep, !sort...)
			}
			cmds = append(cmds, line)
		}
		// The first, a middle and the last group of each script.
		for _, at := range []int{0, len(cmds) / 2, len(cmds) - fuzzMaxCalls} {
			at = max(at, 0)
			add(strings.Join(cmds[at:min(at+fuzzMaxCalls, len(cmds))], "\n"))
		}
	}
	for _, s := range []string{
		"SET k \"a\\x00b\"\nGET k\nAPPEND k \"\\x00\"\nSTRLEN k",
		"SET \"\" \"\"\nGET \"\"\nHSET h \"\" \"\"\nHGETALL h",
		"\"\"\n\n \nPING \"\"",
		"BLPOP nothing 0\nBRPOP nothing 0\nXREAD BLOCK 0 STREAMS s $\nBZPOPMIN z 0",
		"HELLO 3\nHSET h f v\nHGETALL h\nZADD z 1.5 m\nZSCORE z m\nSET b 1\nEXPIRE b 100 NX\nHELLO 2",
		"MULTI\nBLPOP q 0\nSET a 1\nEXEC\nWATCH a\nMULTI\nINCR a\nEXEC",
		"SUBSCRIBE c\nPING\nGET k\nUNSUBSCRIBE\nRESET\nQUIT\nSELECT 15\nGET k",
		"CONFIG SET proto-max-bulk-len 2gb\nSETRANGE s 2000000 x\nSETBIT b 9000000 1\nCOMMAND COUNT",
	} {
		for _, m := range seedModes {
			seeds = append(seeds, commandSeed{m, []byte(s)})
		}
	}
	return seeds
}
