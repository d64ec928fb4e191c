package core

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCollectionMigrationsKeepData builds a file at schema version 7 (sets
// and hashes as rowid tables, sorted sets keyed by member with an id) and
// opens it: migrations 8 to 10 must keep every member, score, field, value
// and the hashes' order and HSCAN ids, draw the member hash salt, hash
// every member (Check verifies h), and keep the delete triggers.
func TestCollectionMigrationsKeepData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v7.db")
	c, err := openSQLConn("file:" + path)
	require.NoError(t, err)
	require.NoError(t, c.execScript(`CREATE TABLE meta(name TEXT PRIMARY KEY, value) WITHOUT ROWID`))
	for v := 1; v <= 7; v++ {
		require.NoError(t, c.execScript(migrations[v]), "migration %d", v)
	}
	// Key 1 is a set, 2 a sorted set, 3 a hash, 4 a second set; ids
	// interleave across keys as they did in the shared rowid tables.
	require.NoError(t, c.execScript(`INSERT INTO meta VALUES('schema_version', 7);
		INSERT INTO keys(id, db, key, type, version, count) VALUES
			(1, 0, CAST('s' AS BLOB), 3, 1, 3), (2, 0, CAST('z' AS BLOB), 4, 1, 3),
			(3, 0, CAST('h' AS BLOB), 5, 1, 3), (4, 0, CAST('t' AS BLOB), 3, 1, 2);
		INSERT INTO sets(id, key_id, member) VALUES(1, 1, CAST('a' AS BLOB)), (2, 4, CAST('b' AS BLOB)),
			(3, 1, CAST('b' AS BLOB)), (4, 4, CAST('x' AS BLOB)), (5, 1, x'00ff');
		INSERT INTO zsets(key_id, member, score, id) VALUES(2, CAST('b' AS BLOB), 2, 7),
			(2, CAST('a' AS BLOB), 1, 3), (2, CAST('c' AS BLOB), 0.5, 9);
		INSERT INTO hashes(id, key_id, field, value) VALUES(10, 3, CAST('second' AS BLOB), CAST('2' AS BLOB)),
			(4, 3, CAST('first' AS BLOB), CAST('1' AS BLOB)), (12, 3, CAST('third' AS BLOB), CAST('3' AS BLOB));`))
	require.NoError(t, c.close())

	db, err := Open(Options{Path: path})
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check())
	s := db.NewSession()
	defer s.Close()

	require.Equal(t, []string{"\x00\xff", "a", "b"}, sortedStrs(do(s, "SMEMBERS", "s")))
	expectInt(t, 1, do(s, "SISMEMBER", "s", "\x00\xff"))
	expectInt(t, 0, do(s, "SISMEMBER", "s", "x"))
	require.Equal(t, []string{"b"}, sortedStrs(do(s, "SINTER", "s", "t")))
	expectInt(t, 1, do(s, "SADD", "s", "c"))
	expectInt(t, 0, do(s, "SADD", "s", "a"))

	expectFlat(t, []string{"c", "0.5", "a", "1", "b", "2"}, do(s, "ZRANGE", "z", "0", "-1", "WITHSCORES"))
	expectScore(t, "2", do(s, "ZSCORE", "z", "b"))
	expectInt(t, 1, do(s, "ZADD", "z", "4", "d"))

	// Insertion order and HSCAN ids carry over; a new field goes last.
	require.Equal(t, []string{"first", "1", "second", "2", "third", "3"}, strs(do(s, "HGETALL", "h")))
	expectInt(t, 1, do(s, "HSET", "h", "fourth", "4"))
	expectStrings(t, []string{"first", "second", "third", "fourth"}, do(s, "HKEYS", "h"))
	var ids []int64
	inWrite(t, s, func(tx *Tx) {
		tx.query(`SELECT id FROM hashes WHERE key_id = 3 ORDER BY id`, nil, func(r *rows) bool {
			ids = append(ids, r.int(0))
			return true
		})
	})
	require.Equal(t, []int64{4, 10, 12, 13}, ids)

	// The salt is drawn: 16 random bytes in meta.
	inWrite(t, s, func(tx *Tx) {
		require.EqualValues(t, 16, tx.queryInt(`SELECT length(value) FROM meta WHERE name = 'member_hash_salt'`, 0))
		require.EqualValues(t, SchemaVersion(), tx.queryInt(`SELECT value FROM meta WHERE name = 'schema_version'`, 0))
	})

	// The delete triggers took their tables along.
	expectInt(t, 4, do(s, "DEL", "s", "z", "h", "t"))
	inWrite(t, s, func(tx *Tx) {
		for _, table := range []string{"sets", "zsets", "hashes"} {
			require.Zero(t, tx.queryInt(`SELECT count(*) FROM `+table, -1), table)
		}
	})
	require.NoError(t, db.Check())
}
