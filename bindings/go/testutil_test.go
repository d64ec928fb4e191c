package redlite

import (
	"bufio"
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

var ctx = context.Background()

// openDB opens a database file in a temporary directory, closed when the
// test ends.
func openDB(t testing.TB, opts ...Option) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "test.db"), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// requireCode checks err is an error reply with the given code whose text
// contains want.
func requireCode(t testing.TB, err error, code, want string) {
	t.Helper()
	var re *Error
	require.ErrorAs(t, err, &re)
	require.Equal(t, code, re.Code)
	require.Contains(t, re.Error(), want)
}

// parseReply reads one RESP reply from text.
func parseReply(t testing.TB, text string) resp.Value {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(strings.NewReader(text)))
	require.NoError(t, err)
	return v
}

func inf(sign int) float64 { return math.Inf(sign) }
