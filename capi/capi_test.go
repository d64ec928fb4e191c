package main

import (
	"math"
	"strconv"
	"testing"
	"unsafe"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// The C side (every exported function, threads, fork, Valgrind) is tested by
// tests/c/test_capi.c. These tests cover what C cannot reach easily: reply
// kinds no command produces yet, and the status classification.

// cReply mirrors struct redlite_reply on LP64 (test files cannot use cgo).
type cReply struct {
	typ      int32
	_        int32
	integer  int64
	dval     float64
	len      uintptr
	str      *byte
	vtype    [4]byte
	_        [4]byte
	elements uintptr
	element  **cReply
}

func asReply(t *testing.T, v resp.Value, proto int) *cReply {
	t.Helper()
	if uintptr(nodeSize) != unsafe.Sizeof(cReply{}) {
		t.Fatalf("redlite_reply is %d bytes, the mirror %d", nodeSize, unsafe.Sizeof(cReply{}))
	}
	r := newReply(v, proto)
	if r == nil {
		t.Fatal("newReply returned NULL")
	}
	// The tree is C memory, never freed here: the test process ends soon.
	return (*cReply)(unsafe.Pointer(r))
}

func (r *cReply) text() string {
	if r.str == nil {
		return "<NULL>"
	}
	b := unsafe.Slice(r.str, r.len+1)
	if b[r.len] != 0 {
		return "<not NUL-terminated>"
	}
	return string(b[:r.len])
}

func (r *cReply) elem(i int) *cReply {
	return unsafe.Slice(r.element, r.elements)[i]
}

const (
	tString, tArray, tInteger, tNil, tStatus, tError, tDouble, tBool, tMap, tSet = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	tPush, tBigNum, tVerb                                                        = 12, 13, 14
)

func TestReplyKinds(t *testing.T) {
	cases := []struct {
		v          resp.Value
		proto      int
		typ        int32
		str        string
		integer    int64
		dval       float64
		aggregates bool
	}{
		{resp.NilValue(), 2, tNil, "<NULL>", 0, 0, false},
		{resp.NilArrayValue(), 2, tNil, "<NULL>", 0, 0, false},
		{resp.NilArrayValue(), 3, tNil, "<NULL>", 0, 0, false},
		{resp.StatusValue("OK"), 2, tStatus, "OK", 0, 0, false},
		{resp.Err("ERR x"), 3, tError, "ERR x", 0, 0, false},
		{resp.IntValue(-7), 2, tInteger, "<NULL>", -7, 0, false},
		{resp.BulkString("a\x00b"), 2, tString, "a\x00b", 0, 0, false},
		{resp.BulkValue([]byte{}), 2, tString, "", 0, 0, false},
		{resp.DoubleValue(1.5), 3, tDouble, "1.5", 0, 1.5, false},
		{resp.DoubleValue(1.5), 2, tString, "1.5", 0, 0, false},
		{resp.DoubleValue(math.Inf(-1)), 3, tDouble, "-inf", 0, math.Inf(-1), false},
		{resp.Value{Kind: resp.Bool, Int: 1}, 3, tBool, "<NULL>", 1, 0, false},
		{resp.Value{Kind: resp.Bool, Int: 1}, 2, tInteger, "<NULL>", 1, 0, false},
		{resp.Value{Kind: resp.BigNum, Str: []byte("123456789012345678901234567890")}, 3, tBigNum, "123456789012345678901234567890", 0, 0, false},
		{resp.Value{Kind: resp.BigNum, Str: []byte("12")}, 2, tString, "12", 0, 0, false},
		{resp.Value{Kind: resp.Verbatim, Str: []byte("hi\n")}, 3, tVerb, "hi\n", 0, 0, false},
		{resp.Value{Kind: resp.Verbatim, Str: []byte("hi\n")}, 2, tString, "hi\n", 0, 0, false},
		{resp.Value{Kind: resp.Kind(200)}, 2, tError, string(errUnknownKind), 0, 0, false},
	}
	for i, c := range cases {
		r := asReply(t, c.v, c.proto)
		if r.typ != c.typ || r.text() != c.str || r.integer != c.integer || r.elements != 0 || r.element != nil {
			t.Errorf("case %d (%s, RESP%d): type %d str %q int %d elements %d", i, c.v.Kind, c.proto, r.typ, r.text(), r.integer, r.elements)
		}
		if c.dval != 0 && float64(r.dval) != c.dval {
			t.Errorf("case %d: dval %v", i, r.dval)
		}
		if c.typ == tVerb && string(r.vtype[:]) != "txt\x00" {
			t.Errorf("case %d: vtype %q", i, r.vtype)
		}
	}
}

func TestReplyAggregates(t *testing.T) {
	nested := resp.ArrayValue([]resp.Value{
		resp.BulkString("a"),
		resp.MapValue([]resp.Value{resp.BulkString("k"), resp.IntValue(1), resp.BulkString("k2"), resp.SetValue(nil)}),
		resp.ArrayValue(nil),
		resp.Value{Kind: resp.Push, Elems: []resp.Value{resp.BulkString("message"), resp.DoubleValue(2)}},
		resp.SetValue([]resp.Value{resp.BulkString("x")}),
	})
	for _, proto := range []int{2, 3} {
		r := asReply(t, nested, proto)
		want := func(r3, r2 int32) int32 {
			if proto == 3 {
				return r3
			}
			return r2
		}
		if r.typ != tArray || r.elements != 5 {
			t.Fatalf("RESP%d root: type %d elements %d", proto, r.typ, r.elements)
		}
		if e := r.elem(0); e.typ != tString || e.text() != "a" {
			t.Errorf("RESP%d [0]: %d %q", proto, e.typ, e.text())
		}
		m := r.elem(1)
		if m.typ != want(tMap, tArray) || m.elements != 4 || m.elem(0).text() != "k" || m.elem(1).integer != 1 ||
			m.elem(2).text() != "k2" || m.elem(3).typ != want(tSet, tArray) || m.elem(3).elements != 0 || m.elem(3).element != nil {
			t.Errorf("RESP%d map: type %d elements %d", proto, m.typ, m.elements)
		}
		if e := r.elem(2); e.typ != tArray || e.elements != 0 || e.element != nil {
			t.Errorf("RESP%d empty array: %d %d", proto, e.typ, e.elements)
		}
		p := r.elem(3)
		if p.typ != want(tPush, tArray) || p.elements != 2 || p.elem(0).text() != "message" ||
			p.elem(1).typ != want(tDouble, tString) || p.elem(1).text() != "2" {
			t.Errorf("RESP%d push: type %d", proto, p.typ)
		}
		if s := r.elem(4); s.typ != want(tSet, tArray) || s.elements != 1 || s.elem(0).text() != "x" {
			t.Errorf("RESP%d set: type %d", proto, s.typ)
		}
	}
}

// The whole tree lies inside one block: the root is the block, and every
// node and string is within its bounds.
func TestReplyIsOneBlock(t *testing.T) {
	elems := make([]resp.Value, 50)
	for i := range elems {
		elems[i] = resp.ArrayValue([]resp.Value{resp.BulkString(strconv.Itoa(i)), resp.IntValue(int64(i))})
	}
	v := resp.ArrayValue(elems)
	var z replySize
	z.add(v, 2)
	size := uintptr(z.nodes*nodeSize + z.ptrs*ptrSize + z.strs)
	r := asReply(t, v, 2)
	lo, hi := uintptr(unsafe.Pointer(r)), uintptr(unsafe.Pointer(r))+size
	var walk func(n *cReply)
	walk = func(n *cReply) {
		p := uintptr(unsafe.Pointer(n))
		if p < lo || p+unsafe.Sizeof(*n) > hi {
			t.Fatalf("node outside the block")
		}
		if n.str != nil {
			s := uintptr(unsafe.Pointer(n.str))
			if s < lo || s+n.len+1 > hi {
				t.Fatalf("string outside the block")
			}
		}
		for i := 0; i < int(n.elements); i++ {
			walk(n.elem(i))
		}
	}
	walk(r)
	if r.elem(49).elem(0).text() != "49" || r.elem(49).elem(1).integer != 49 {
		t.Fatal("wrong contents")
	}
}

func TestClassify(t *testing.T) {
	cases := map[string]status{
		"ERR wrong number of arguments for 'get' command":          stErr,
		"WRONGTYPE Operation against a key holding the wrong kind": stWrongType,
		"EXECABORT Transaction discarded":                          stErr,
		"ERR " + core.ErrClosed.Error():                            stClosed,
		"ERR storage error: database is locked":                    stBusy,
		"ERR storage error: disk I/O error":                        stIOErr,
		"ERR storage error: database or disk is full":              stIOErr,
		"ERR storage error: out of memory":                         stNoMem,
		"ERR storage error: constraint failed":                     stErr,
		"ERR database is locked":                                   stErr, // only storage errors are SQLite's
	}
	for msg, want := range cases {
		if got := classify(resp.Err(msg)); got != want {
			t.Errorf("%q: %d, want %d", msg, got, want)
		}
	}
	if classify(resp.NilValue()) != stOK || classify(resp.StatusValue("ERR not an error")) != stOK {
		t.Error("non-error replies must be OK")
	}
}

func TestFormatScoreRoundTrips(t *testing.T) {
	for _, f := range []float64{0, -0.0, 0.1, 1.5, -3, 1e300, 5e-324, math.MaxFloat64, 1 / 3.0, math.Inf(1), math.Inf(-1)} {
		g, ok := core.ParseFloat([]byte(formatScore(f)))
		if !ok || g != f {
			t.Errorf("%v -> %q -> %v %v", f, formatScore(f), g, ok)
		}
	}
}

func TestDBLevelRefused(t *testing.T) {
	refused := [][]string{{"select", "1"}, {"MULTI"}, {"Exec"}, {"watch", "k"}, {"hello", "3"}, {"auth", "x"},
		{"subscribe", "c"}, {"PSUBSCRIBE", "c*"}, {"client", "setname", "x"}, {"CLIENT", "REPLY", "OFF"}, {"reset"}, {"quit"}}
	for _, argv := range refused {
		if _, ok := dbLevelRefused(bytesArgv(argv...)); !ok {
			t.Errorf("%v runs on the db handle", argv)
		}
	}
	allowed := [][]string{{"get", "k"}, {"client", "id"}, {"client", "list"}, {"client"}, {"publish", "c", "m"}, {"nosuch"}}
	for _, argv := range allowed {
		if _, ok := dbLevelRefused(bytesArgv(argv...)); ok {
			t.Errorf("%v is refused on the db handle", argv)
		}
	}
}

func bytesArgv(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, a := range s {
		out[i] = []byte(a)
	}
	return out
}

func TestHandleTable(t *testing.T) {
	if _, st := lookup(0); st != stBadArg {
		t.Error("0 is not a handle")
	}
	id := register("x")
	if h, st := lookup(id); st != stOK || h != "x" {
		t.Error("registered handle not found")
	}
	if _, st := lookupDB(id); st != stBadArg {
		t.Error("a handle of another kind must be BADARG")
	}
	unregister(id)
	if _, st := lookup(id); st != stClosed {
		t.Error("a closed handle must be CLOSED")
	}
	if _, st := lookup(id + 1000); st != stBadArg {
		t.Error("a never issued handle must be BADARG")
	}
	if next := register("y"); next == id {
		t.Error("handles must never be reused")
	}

	// Numbers handleBuckets apart share a list: each stays itself.
	ids := make([]uint64, 2*handleBuckets+1)
	for i := range ids {
		ids[i] = register(i)
	}
	for i := 0; i < len(ids); i += 2 {
		unregister(ids[i])
	}
	for i, id := range ids {
		h, st := lookup(id)
		switch {
		case i%2 == 0 && st != stClosed:
			t.Errorf("handle %d: status %d after unregister, want CLOSED", id, st)
		case i%2 == 1 && (st != stOK || h != i):
			t.Errorf("handle %d: %v, status %d, want %d", id, h, st, i)
		}
	}
	for i := 1; i < len(ids); i += 2 {
		unregister(ids[i])
	}
}

func argvOf(s ...string) [][]byte { return bytesArgv(s...) }

func runOK(t *testing.T, tg target, typed bool, argv ...string) resp.Value {
	t.Helper()
	var out resp.Value
	st := tg.run(argvOf(argv...), typed, func(v resp.Value, _ int) status {
		out = v
		return classify(v)
	})
	if st != stOK {
		t.Fatalf("%v: status %d, reply %v", argv, st, out)
	}
	return out
}

// The handle logic under the race detector: db-level calls from many
// goroutines, conns used, interrupted and closed from other goroutines, and
// the db closed while all of that runs.
func TestHandlesConcurrently(t *testing.T) {
	d, err := openDB(core.Options{Path: t.TempDir() + "/h.db"}, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	db := target{d: d}
	runOK(t, db, true, "SET", "n", "0")

	done := make(chan struct{})
	var workers []chan struct{}
	start := func(fn func()) {
		ch := make(chan struct{})
		workers = append(workers, ch)
		go func() {
			defer close(ch)
			fn()
		}()
	}
	for range 4 {
		start(func() {
			for i := 0; i < 50; i++ {
				runOK(t, db, true, "INCR", "n")
			}
		})
	}
	for g := range 4 {
		start(func() {
			c, st := d.openConn()
			if st != stOK {
				t.Error("openConn", st)
				return
			}
			conn := target{c: c}
			runOK(t, conn, false, "SELECT", strconv.Itoa(g+1))
			for i := 0; i < 30; i++ {
				runOK(t, conn, true, "INCR", "mine")
			}
			if v := runOK(t, conn, true, "GET", "mine"); string(v.Str) != "30" {
				t.Errorf("conn %d: %q", g, v.Str)
			}
			if c.close() != stOK || c.close() != stClosed {
				t.Error("conn close")
			}
		})
	}
	// A conn shared by goroutines: its calls are serialized.
	shared, _ := d.openConn()
	for range 3 {
		start(func() {
			for i := 0; i < 20; i++ {
				runOK(t, target{c: shared}, true, "INCR", "shared")
			}
		})
	}
	// Interrupts of a conn that is not waiting are no-ops.
	start(func() {
		for i := 0; i < 100; i++ {
			shared.interrupt()
		}
	})
	for _, w := range workers {
		<-w
	}
	if v := runOK(t, db, true, "GET", "n"); string(v.Str) != "200" {
		t.Errorf("n = %q", v.Str)
	}
	if v := runOK(t, target{c: shared}, true, "GET", "shared"); string(v.Str) != "60" {
		t.Errorf("shared = %q", v.Str)
	}

	// Close the db while calls keep coming: they end with OK or CLOSED.
	for range 3 {
		go func() {
			for {
				st := db.run(argvOf("INCR", "late"), true, func(v resp.Value, _ int) status { return classify(v) })
				if st == stClosed {
					done <- struct{}{}
					return
				}
				if st != stOK {
					t.Error("late call", st)
				}
			}
		}()
	}
	if d.close() != stOK || d.close() != stClosed {
		t.Error("db close")
	}
	for range 3 {
		<-done
	}
	if st := (target{c: shared}).run(argvOf("PING"), false, nil); st != stClosed {
		t.Errorf("conn of a closed db: %d", st)
	}
}

// Sessions the db handle creates after requirepass is set are
// authenticated too (the capi C test cannot force a new pooled session).
func TestPooledSessionsAuthenticated(t *testing.T) {
	d, err := openDB(core.Options{Path: core.MemoryPath}, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	runOK(t, target{d: d}, false, "CONFIG", "SET", "requirepass", "pw")
	var held []*core.Session
	for range 3 {
		s, st := d.acquire()
		if st != stOK || !s.Authenticated() || s.DBIndex() != 3 {
			t.Fatalf("pooled session: status %d, authenticated %v, db %d", st, s.Authenticated(), s.DBIndex())
		}
		held = append(held, s)
	}
	for _, s := range held {
		d.release(s)
	}
	c, _ := d.openConn()
	if c.s.Authenticated() {
		t.Error("a conn must AUTH like a client")
	}
}

// argv copies every argument, whatever the number and the sizes (the views
// held in place and those after them, the packed blocks and the separate
// allocations), and each copy's capacity ends with it, so an append by the
// core cannot write into the next argument.
func TestArgvBuild(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 8, 9, 20} {
		for _, size := range []int{0, 1, 15, 16, 17, 40, 100} {
			want := make([]string, n)
			for i := range want {
				b := make([]byte, size)
				for j := range b {
					b[j] = byte('a' + (i+j)%26)
				}
				want[i] = string(b)
			}
			var a argv
			a.reserve(n)
			for _, w := range want {
				a.lit(w)
			}
			got, ok := a.build()
			if !ok || len(got) != n || cap(got) != n {
				t.Fatalf("n=%d size=%d: ok=%v len=%d cap=%d", n, size, ok, len(got), cap(got))
			}
			for i, g := range got {
				if string(g) != want[i] || cap(g) != len(g) {
					t.Fatalf("n=%d size=%d: argument %d is %q (cap %d), want %q", n, size, i, g, cap(g), want[i])
				}
				if size > 0 && unsafe.StringData(want[i]) == &g[0] {
					t.Fatalf("n=%d size=%d: argument %d was not copied", n, size, i)
				}
			}
		}
	}
	var empty argv
	if _, ok := empty.build(); ok {
		t.Error("an argv without arguments must not build")
	}
	var bad argv
	bad.lit("GET")
	bad.bad = true
	if _, ok := bad.build(); ok {
		t.Error("an argv with an invalid argument must not build")
	}
}
