package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// SQLite must go through the spinning mutex enter installed at init (it
// only can if the configuration came before SQLite initialised), and work
// through it: a write and a read on two connections of one file.
func TestSQLiteMutexesSpin(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "k", "v"))
	expectBulk(t, "v", do(s, "GET", "k"))
	require.True(t, sqliteMutexesSpun(), "SQLite's mutexes bypass the spinning enter")
}
