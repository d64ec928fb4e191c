package vectors

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// How long a !send may take to block and a !recv to get its reply: far
// beyond what any step needs, so a loaded machine is never a failure.
const replayWait = 30 * time.Second

// TestReplayThroughSession replays every vectors file through
// core.Session.Do, the path the Go binding and the C ABI run, on a fresh
// in-memory database per file: each reply, encoded for the session's
// protocol as the server would send it, must be the tree redis-server
// gave. The C, Python and Node runners do the same through their bindings
// (tests/vectors/README.md).
func TestReplayThroughSession(t *testing.T) {
	ex, err := ReadExclusions(filepath.Join(vectorsDir, ExclusionsFile))
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(vectorsDir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var ran, excluded int
	for _, path := range files {
		f, err := Read(path)
		require.NoError(t, err)
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			r, x := replayFile(t, name, f, ex)
			ran += r
			excluded += x
		})
	}
	for _, e := range ex.Unused() {
		t.Errorf("%s: the exclusion matches no compared step", e)
	}
	t.Logf("vectors (Go, core.Session): %d files, %d replies compared, %d excluded", len(files), ran, excluded)
}

// pending is a !send in flight.
type pending struct{ done chan resp.Value }

type replayConn struct {
	s    *core.Session
	sent *pending
}

func replayFile(t *testing.T, name string, f *File, ex *Exclusions) (ran, excluded int) {
	db, err := core.Open(core.Options{Path: core.MemoryPath})
	require.NoError(t, err)
	defer db.Close()
	for _, c := range f.Requires {
		if core.LookupCommand([]byte(c)) == nil {
			n := 0
			for _, s := range f.Steps {
				if s.Compare != "" && s.Compare != CompareNone {
					n++
				}
			}
			t.Logf("%s: %d steps excluded: needs %s, which is not implemented", name, n, c)
			return 0, n
		}
	}
	admin := db.NewSession()
	defer admin.Close()
	conns := map[string]*replayConn{}
	get := func(n string) *replayConn {
		if c, ok := conns[n]; ok {
			return c
		}
		c := &replayConn{s: db.NewSession()}
		conns[n] = c
		return c
	}
	defer func() {
		for _, c := range conns {
			if c.sent != nil {
				// A blocked command the script never read: closing the DB
				// ends its wait.
				continue
			}
			c.s.Close()
		}
	}()
	for _, s := range f.Steps {
		where := fmt.Sprintf("%s line %d", name, s.Line)
		switch s.Op {
		case OpSleep:
			time.Sleep(time.Duration(s.Ms) * time.Millisecond)
			continue
		case OpSend:
			c := get(s.Conn)
			require.Nil(t, c.sent, "%s: a second !send before !recv", where)
			before := blockedClients(t, admin)
			p := &pending{done: make(chan resp.Value, 1)}
			c.sent = p
			argv := argvBytes(s.Argv)
			sess := c.s
			go func() { p.done <- sess.Do(argv) }()
			waitBlockedOrDone(t, admin, p, before, where)
			continue
		}
		c := get(s.Conn)
		var v resp.Value
		if s.Op == OpRecv {
			if c.sent != nil {
				select {
				case v = <-c.sent.done:
				case <-time.After(replayWait):
					t.Fatalf("%s: the sent command did not answer", where)
				}
				c.sent = nil
			} else {
				msg, ok, err := c.s.NextMessage(replayWait)
				require.NoError(t, err, "%s: no message", where)
				require.True(t, ok, "%s: no message came", where)
				v = msg
			}
		} else {
			v = c.s.Do(argvBytes(s.Argv))
		}
		if s.Compare == CompareNone {
			continue
		}
		got, err := ReadReply(bufio.NewReader(bytes.NewReader(resp.Append(nil, v, c.s.Proto))))
		require.NoError(t, err, where)
		if reason, ok := ex.Match(name, s.Line); ok {
			excluded++
			t.Logf("%s excluded: %s", where, reason)
			continue
		}
		ran++
		if msg := CompareStep(s, got); msg != "" {
			t.Errorf("%s: %s", where, msg)
		}
	}
	return ran, excluded
}

func argvBytes(a []Bytes) [][]byte {
	out := make([][]byte, len(a))
	for i, b := range a {
		out[i] = b
	}
	return out
}

var blockedRE = regexp.MustCompile(`(?m)^blocked_clients:(\d+)\r?$`)

func blockedClients(t *testing.T, admin *core.Session) int {
	v := admin.Do([][]byte{[]byte("INFO"), []byte("clients")})
	m := blockedRE.FindSubmatch(v.Str)
	require.NotNil(t, m, "no blocked_clients in INFO clients: %q", v.Str)
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// waitBlockedOrDone waits until the sent command answered or blocked, as
// cmd/genvectors did when it recorded the script: the script's !sleep
// orders them on a quiet machine, this on a loaded one.
func waitBlockedOrDone(t *testing.T, admin *core.Session, p *pending, before int, where string) {
	deadline := time.Now().Add(replayWait)
	for time.Now().Before(deadline) {
		select {
		case v := <-p.done:
			p.done <- v
			return
		default:
		}
		if blockedClients(t, admin) > before {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s: the sent command neither answered nor blocked", where)
}

func TestCompareStep(t *testing.T) {
	bulk := func(s string) Reply { return Reply{Kind: KindBulk, Str: []byte(s)} }
	arr := func(e ...Reply) Reply { return Reply{Kind: KindArray, Elems: e} }
	want := arr(bulk("a"), bulk("b"))
	two := 2
	cases := []struct {
		step Step
		got  Reply
		ok   bool
	}{
		{Step{Compare: CompareExact, Reply: &want}, arr(bulk("a"), bulk("b")), true},
		{Step{Compare: CompareExact, Reply: &want}, arr(bulk("b"), bulk("a")), false},
		{Step{Compare: CompareExact, Reply: &want}, Reply{Kind: KindSet, Elems: want.Elems}, false},
		{Step{Compare: CompareSort, Reply: &want}, arr(bulk("b"), bulk("a")), true},
		{Step{Compare: CompareSort, Reply: &want}, arr(bulk("b"), bulk("b")), false},
		{Step{Compare: CompareSortPairs, Reply: &want}, arr(bulk("b"), bulk("a")), false},
		{Step{Compare: CompareType, Shape: &Shape{Kind: KindArray, Len: &two}}, arr(bulk("x"), bulk("y")), true},
		{Step{Compare: CompareType, Shape: &Shape{Kind: KindArray, Len: &two}}, arr(bulk("x")), false},
		{Step{Compare: CompareType, Shape: &Shape{Kind: KindError, Code: "ERR"}}, Reply{Kind: KindError, Str: []byte("WRONGTYPE x")}, false},
	}
	for i, c := range cases {
		msg := CompareStep(c.step, c.got)
		assert.Equal(t, c.ok, msg == "", "case %d: %s", i, msg)
	}
}

func TestExclusions(t *testing.T) {
	ex, err := ParseExclusions("x", []byte("# c\n\na.json 3 why not\nb.json 7 because\n"))
	require.NoError(t, err)
	r, ok := ex.Match("a.json", 3)
	assert.True(t, ok)
	assert.Equal(t, "why not", r)
	_, ok = ex.Match("a.json", 4)
	assert.False(t, ok)
	assert.Equal(t, []string{"b.json 7"}, ex.Unused())
	for _, bad := range []string{"a.json\n", "a.json x why\n", "a.json 3\n", "a.json 3 r\na.json 3 again\n"} {
		_, err := ParseExclusions("x", []byte(bad))
		assert.Error(t, err, strings.TrimSpace(bad))
	}
}
