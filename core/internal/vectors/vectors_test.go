package vectors

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/internal/diffscript"
)

const (
	diffDir    = "../../../tests/diff"
	vectorsDir = "../../../tests/vectors"
)

// TestVectorsAreCurrent fails when a script of tests/diff changed (a line
// added, removed, moved or edited, a directive changed) without `make
// vectors`: every vectors file must hold exactly its script's steps, each
// with the reply its comparison needs, written exactly as the generator
// writes it. It needs no redis-server.
func TestVectorsAreCurrent(t *testing.T) {
	files, err := diffscript.Files(diffDir)
	require.NoError(t, err)
	want := map[string]bool{}
	for _, file := range files {
		name := filepath.Base(file)
		out := strings.TrimSuffix(name, ".txt") + ".json"
		want[out] = true
		t.Run(name, func(t *testing.T) {
			stale := "tests/vectors/" + out + " is stale: run `make vectors`"
			lines, err := diffscript.ParseFile(file)
			require.NoError(t, err)
			skel, err := Skeleton(lines)
			require.NoError(t, err)
			path := filepath.Join(vectorsDir, out)
			f, err := Read(path)
			require.NoError(t, err, stale)
			assert.Equal(t, name, f.Script, stale)
			assert.Equal(t, "7.0.15", f.Redis, "the vectors come from redis-server 7.0.15")
			assert.Equal(t, diffscript.Requires(lines), f.Requires, stale)
			require.Equal(t, len(skel), len(f.Steps), stale)
			for i, s := range f.Steps {
				got := s
				got.Reply, got.Shape, got.Resp = nil, nil, 0
				require.True(t, reflect.DeepEqual(skel[i], got), "%s\nscript:  %+v\nvectors: %+v", stale, skel[i], got)
				switch s.Compare {
				case CompareExact, CompareSort, CompareSortPairs:
					require.NotNil(t, s.Reply, "%s line %d: no reply", out, s.Line)
					require.Nil(t, s.Shape, "%s line %d", out, s.Line)
				case CompareType:
					require.NotNil(t, s.Shape, "%s line %d: no shape", out, s.Line)
					require.Nil(t, s.Reply, "%s line %d", out, s.Line)
				default:
					require.True(t, s.Reply == nil && s.Shape == nil, "%s line %d: a reply nothing compares", out, s.Line)
				}
				require.Contains(t, []int{0, 3}, s.Resp, "%s line %d", out, s.Line)
			}
			// Written exactly as the generator writes it.
			tmp := filepath.Join(t.TempDir(), out)
			require.NoError(t, Write(tmp, f))
			a, _ := os.ReadFile(path)
			b, _ := os.ReadFile(tmp)
			require.True(t, bytes.Equal(a, b), "%s was edited by hand: run `make vectors`", path)
		})
	}
	all, err := filepath.Glob(filepath.Join(vectorsDir, "*.json"))
	require.NoError(t, err)
	for _, p := range all {
		assert.True(t, want[filepath.Base(p)], "%s has no script in tests/diff: run `make vectors`", p)
	}
}

func TestSkeleton(t *testing.T) {
	lines, err := diffscript.Parse("t.txt", []byte("# c\n!requires get\nSET k \"a\\xffb\"\n!conn 1\n!send BLPOP q 0\n!sleep 50\n!conn 0\n!sort SMEMBERS s\n!type TIME\n!skip ACL HELP\n!conn 1\n!recv\n!sortpairs HGETALL h\n"))
	require.NoError(t, err)
	got, err := Skeleton(lines)
	require.NoError(t, err)
	b := func(ss ...string) []Bytes {
		out := make([]Bytes, len(ss))
		for i, s := range ss {
			out[i] = Bytes(s)
		}
		return out
	}
	assert.Equal(t, []Step{
		{Line: 3, Op: OpCommand, Conn: "0", Argv: b("SET", "k", "a\xffb"), Compare: CompareExact},
		{Line: 5, Op: OpSend, Conn: "1", Argv: b("BLPOP", "q", "0")},
		{Line: 6, Op: OpSleep, Ms: 50},
		{Line: 8, Op: OpCommand, Conn: "0", Argv: b("SMEMBERS", "s"), Compare: CompareSort},
		{Line: 9, Op: OpCommand, Conn: "0", Argv: b("TIME"), Compare: CompareType},
		{Line: 10, Op: OpCommand, Conn: "0", Argv: b("ACL", "HELP"), Compare: CompareNone},
		{Line: 12, Op: OpRecv, Conn: "1", Compare: CompareExact},
		{Line: 13, Op: OpCommand, Conn: "1", Argv: b("HGETALL", "h"), Compare: CompareSortPairs},
	}, got)
	for _, bad := range []string{"!conn\n", "!sleep x\n", "!sleep -1\n"} {
		lines, err := diffscript.Parse("t.txt", []byte(bad))
		require.NoError(t, err)
		_, err = Skeleton(lines)
		assert.Error(t, err, bad)
	}
	_, err = diffscript.Parse("t.txt", []byte("!bogus x\n"))
	assert.Error(t, err)
}

func TestReadReply(t *testing.T) {
	in := "+OK\r\n-ERR bad\r\n:-5\r\n$3\r\na\x00b\r\n$-1\r\n*-1\r\n_\r\n#t\r\n#f\r\n,1.5\r\n,inf\r\n(123456789012345678901\r\n" +
		"=7\r\ntxt:abc\r\n*2\r\n$0\r\n\r\n:1\r\n%1\r\n+k\r\n$1\r\nv\r\n~1\r\n:2\r\n>2\r\n$7\r\nmessage\r\n$1\r\nx\r\n"
	br := bufio.NewReader(strings.NewReader(in))
	want := []Reply{
		{Kind: KindStatus, Str: []byte("OK")},
		{Kind: KindError, Str: []byte("ERR bad")},
		{Kind: KindInt, Int: -5},
		{Kind: KindBulk, Str: []byte("a\x00b")},
		{Kind: KindNil},
		{Kind: KindNilArray},
		{Kind: KindNil},
		{Kind: KindBool, Bool: true},
		{Kind: KindBool},
		{Kind: KindDouble, Str: []byte("1.5")},
		{Kind: KindDouble, Str: []byte("inf")},
		{Kind: KindBigNum, Str: []byte("123456789012345678901")},
		{Kind: KindVerbatim, Format: "txt", Str: []byte("abc")},
		{Kind: KindArray, Elems: []Reply{{Kind: KindBulk, Str: []byte{}}, {Kind: KindInt, Int: 1}}},
		{Kind: KindMap, Elems: []Reply{{Kind: KindStatus, Str: []byte("k")}, {Kind: KindBulk, Str: []byte("v")}}},
		{Kind: KindSet, Elems: []Reply{{Kind: KindInt, Int: 2}}},
		{Kind: KindPush, Elems: []Reply{{Kind: KindBulk, Str: []byte("message")}, {Kind: KindBulk, Str: []byte("x")}}},
	}
	for _, w := range want {
		got, err := ReadReply(br)
		require.NoError(t, err)
		assert.Equal(t, w, got)
		// Through JSON and back.
		d, err := json.Marshal(got)
		require.NoError(t, err)
		var back Reply
		require.NoError(t, json.Unmarshal(d, &back))
		if IsAggregate(w.Kind) && back.Elems == nil {
			back.Elems = []Reply{}
		}
		assert.Equal(t, string(d), string(must(json.Marshal(back))))
	}
	for _, bad := range []string{"?x\r\n", "+OK\n", ":x\r\n", "#x\r\n", "=2\r\nab\r\n", "%-1\r\n", "$3\r\nabcd\r\n"} {
		_, err := ReadReply(bufio.NewReader(strings.NewReader(bad)))
		assert.Error(t, err, "%q", bad)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestBytesJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "a\x00b", "<&>", "é", "\xff\xfe", "a\x80"} {
		d, err := json.Marshal(Bytes(s))
		require.NoError(t, err)
		if strings.Contains(s, "\xff") || strings.Contains(s, "\x80") {
			assert.Contains(t, string(d), `"b64"`)
		} else {
			assert.NotContains(t, string(d), `b64`)
		}
		var back Bytes
		require.NoError(t, json.Unmarshal(d, &back))
		assert.Equal(t, s, string(back))
	}
	assert.Equal(t, `"<&>"`, string(must(Bytes("<&>").MarshalJSON())))
	var b Bytes
	assert.Error(t, json.Unmarshal([]byte(`{"x":1}`), &b))
	assert.Error(t, json.Unmarshal([]byte(`{"b64":"!!"}`), &b))
}

func TestCanonicalAndShape(t *testing.T) {
	bulk := func(s string) Reply { return Reply{Kind: KindBulk, Str: []byte(s)} }
	arr := func(e ...Reply) Reply { return Reply{Kind: KindArray, Elems: e} }
	// SCAN's [cursor, [keys]]: both levels sorted.
	got := Canonical(arr(arr(bulk("b"), bulk("a")), bulk("0")), false)
	assert.Equal(t, arr(arr(bulk("a"), bulk("b")), bulk("0")), got)
	// Pairs stay together.
	got = Canonical(arr(bulk("f2"), bulk("1"), bulk("f1"), bulk("2")), true)
	assert.Equal(t, arr(bulk("f1"), bulk("2"), bulk("f2"), bulk("1")), got)
	m := Reply{Kind: KindMap, Elems: []Reply{bulk("z"), bulk("1"), bulk("a"), bulk("2")}}
	assert.Equal(t, []Reply{bulk("a"), bulk("2"), bulk("z"), bulk("1")}, Canonical(m, false).Elems)
	assert.Equal(t, bulk("x"), Canonical(bulk("x"), false))

	three := 3
	assert.Equal(t, Shape{Kind: KindArray, Len: &three}, ShapeOf(arr(bulk("a"), bulk("b"), bulk("c"))))
	assert.Equal(t, Shape{Kind: KindError, Code: "WRONGTYPE"}, ShapeOf(Reply{Kind: KindError, Str: []byte("WRONGTYPE Operation")}))
	assert.Equal(t, Shape{Kind: KindBulk}, ShapeOf(bulk("x")))
}
