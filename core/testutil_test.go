package core

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// openTestDB opens a database file in a temporary directory, closed when
// the test ends.
func openTestDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(Options{Path: filepath.Join(t.TempDir(), "test.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// newTestSession opens a fresh database and a session on it.
func newTestSession(t testing.TB) *Session {
	t.Helper()
	s := openTestDB(t).NewSession()
	t.Cleanup(s.Close)
	return s
}

// do runs a command given as strings.
func do(s *Session, argv ...string) resp.Value {
	bs := make([][]byte, len(argv))
	for i, a := range argv {
		bs[i] = []byte(a)
	}
	return s.Do(bs)
}

// The expect helpers check a reply's kind and content in one line.

func expectOK(t testing.TB, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Status, v.Kind, "reply %s", show(v))
	require.Equal(t, "OK", string(v.Str))
}

func expectInt(t testing.TB, want int64, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Int, v.Kind, "reply %s", show(v))
	require.Equal(t, want, v.Int)
}

func expectBulk(t testing.TB, want string, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Bulk, v.Kind, "reply %s", show(v))
	require.Equal(t, want, string(v.Str))
}

func expectNil(t testing.TB, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Nil, v.Kind, "reply %s", show(v))
}

// expectErr checks an error reply starts with prefix ("WRONGTYPE", "ERR syntax").
func expectErr(t testing.TB, prefix string, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Error, v.Kind, "reply %s", show(v))
	require.Contains(t, string(v.Str), prefix)
}

// expectStrings checks an array reply of bulk strings.
func expectStrings(t testing.TB, want []string, v resp.Value) {
	t.Helper()
	require.Contains(t, []resp.Kind{resp.Array, resp.Set}, v.Kind, "reply %s", show(v))
	got := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		got[i] = string(e.Str)
	}
	if want == nil {
		want = []string{}
	}
	require.Equal(t, want, got)
}

func show(v resp.Value) string { return string(resp.Append(nil, v, 3)) }
