package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStatementsAreNotReprepared runs hot statements of several kinds (a
// bound LIMIT, ORDER BY, a join, a max() subquery) repeatedly with
// changing arguments and counts the authorizer's calls, which SQLite makes
// only while compiling: after the first run there must be none. Without
// the query planner stability guarantee every one of these is compiled
// again on each run (mattn clears the bindings before each).
func TestStatementsAreNotReprepared(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 3, do(s, "SADD", "s", "a", "b", "c"))
	expectInt(t, 2, do(s, "ZADD", "z", "1", "a", "2", "b"))
	expectInt(t, 2, do(s, "HSET", "h", "a", "1", "b", "2"))
	sk, _ := lookupForTest(t, s, "s")
	zk, _ := lookupForTest(t, s, "z")
	hk, _ := lookupForTest(t, s, "h")
	type stmt struct {
		q    string
		args func(i int) []any
	}
	stmts := []stmt{
		{sqlLookupKey, func(i int) []any { return args(0, []byte{byte(i)}) }},
		{sqlSetIsMember, func(i int) []any { return args(i, []byte("a"), 0, []byte("s")) }},
		{setRows.scan, func(i int) []any { return args(sk.ID, i) }},
		{setRows.bucket, func(i int) []any { return args(sk.ID, i, 1<<62, i) }},
		{setRows.offset, func(i int) []any { return args(sk.ID, i) }},
		{zsetRows.shuffled, func(i int) []any { return args(zk.ID, i+1) }},
		{`SELECT member, score FROM zsets WHERE key_id = ? ORDER BY score, member LIMIT ? OFFSET ?`,
			func(i int) []any { return args(zk.ID, i+1, i) }},
		{sqlHashField, func(i int) []any { return args([]byte{byte(i)}, 0, []byte("h")) }},
		{sqlHashDump, func(i int) []any { return args(0, []byte{byte(i)}) }},
		{sqlHashInsert, func(i int) []any { return args(hk.ID, []byte("a"), []byte{byte(i)}) }},
		{`SELECT id, db, key FROM keys WHERE expire_at <= ? ORDER BY expire_at LIMIT ?`, func(i int) []any { return args(i, i+1) }},
	}
	require.NoError(t, s.store.w.exclusive(func(c *sqlConn) error {
		run := func(st stmt, i int) {
			r, err := c.query(st.q, st.args(i)...)
			require.NoError(t, err, st.q)
			for r.next() {
			}
			require.NoError(t, r.close(), st.q)
		}
		for _, st := range stmts {
			run(st, 0)
			compiles := 0
			c.c.RegisterAuthorizer(func(int, string, string, string) int { compiles++; return 0 })
			run(st, 1) // registering an authorizer expires every statement
			require.NotZero(t, compiles, "the authorizer sees compiling")
			compiles = 0
			for i := 2; i < 6; i++ {
				run(st, i)
			}
			c.c.RegisterAuthorizer(nil)
			require.Zero(t, compiles, "compiled again on every run: %s", st.q)
		}
		return nil
	}))
}
