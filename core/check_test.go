package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCheckFindsDamage: Check passes on a healthy file and names each kind
// of damage it looks for.
func TestCheckFindsDamage(t *testing.T) {
	cases := []struct {
		name, damage, want string
	}{
		{"count", `UPDATE keys SET count = count + 1 WHERE type = 5`, "hashes: count differs"},
		{"orphan", `INSERT INTO hashes(key_id, field, id, value) VALUES(99999, x'01', 1, x'02')`, "hashes: elements of a missing key"},
		{"wrong type", `INSERT INTO sets(key_id, h, member) SELECT id, 0, x'01' FROM keys WHERE type = 5`, "sets: elements of a missing key or a key of another type"},
		{"set hash", `UPDATE sets SET h = (h + 1) % 9223372036854775807`, "sets: members whose h is not their hash"},
		{"zset hash", `UPDATE zsets SET h = (h + 1) % 9223372036854775807`, "zsets: members whose h is not their hash"},
		{"hash ids", `UPDATE hashes SET id = 1`, "hashes: fields sharing an id"},
		{"empty", `DELETE FROM hashes; UPDATE keys SET count = 0 WHERE type = 5`, "hashes: empty collections"},
		{"keyspace counts", `UPDATE keyspace_counts SET keys = keys + 3`, "keyspace_counts differs"},
		{"string value", `UPDATE keys SET value = NULL WHERE type = 1`, "string keys without a value"},
		{"type", `UPDATE keys SET type = 9 WHERE type = 1`, "unknown key types"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t)
			s := db.NewSession()
			defer s.Close()
			expectInt(t, 2, do(s, "HSET", "h", "a", "1", "b", "2"))
			expectOK(t, do(s, "SET", "s", "v"))
			expectInt(t, 2, do(s, "SADD", "set", "a", "b"))
			expectInt(t, 2, do(s, "ZADD", "z", "1", "a", "2", "b"))
			expectOK(t, do(s, "SELECT", "3"))
			expectOK(t, do(s, "SET", "s3", "v"))
			require.NoError(t, db.Check())
			require.NoError(t, db.w.exclusive(func(c *sqlConn) error {
				// Triggers would repair some damage as it is made.
				return c.execScript(`DROP TRIGGER IF EXISTS keys_count_insert; DROP TRIGGER IF EXISTS keys_count_delete;` + tc.damage)
			}))
			err := db.Check()
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCheckClosed(t *testing.T) {
	db := openTestDB(t)
	require.NoError(t, db.Close())
	require.ErrorIs(t, db.Check(), ErrClosed)
}
