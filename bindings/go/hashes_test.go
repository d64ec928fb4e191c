package redlite

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		n, err := db.HSet(ctx, "h", "a", 1, "b", "two")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, err = db.HSet(ctx, "h", map[string]any{"b": 2, "c": 3.5})
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = db.HSet(ctx, "h", []string{"d", "4"})
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = db.HSet(ctx, "h", map[string]string{"e": "5"})
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		ok, err := db.HMSet(ctx, "h", "f", []byte{0, 1})
		require.NoError(t, err)
		assert.True(t, ok)
		_, err = db.HSet(ctx, "h", "odd")
		require.ErrorContains(t, err, "pairs")
		_, err = db.HMSet(ctx, "h", "odd")
		require.ErrorContains(t, err, "pairs")
		_, err = db.HSet(ctx, "h")
		requireCode(t, err, "ERR", "wrong number of arguments for 'hset' command")

		v, err := db.HGet(ctx, "h", "b")
		require.NoError(t, err)
		assert.Equal(t, "2", v)
		_, err = db.HGet(ctx, "h", "missing")
		require.ErrorIs(t, err, Nil)
		_, err = db.HGet(ctx, "nokey", "a")
		require.ErrorIs(t, err, Nil)
		b, err := db.HGetBytes(ctx, "h", "f")
		require.NoError(t, err)
		assert.Equal(t, []byte{0, 1}, b)
		_, err = db.HGetBytes(ctx, "h", "missing")
		require.ErrorIs(t, err, Nil)

		vals, err := db.HMGet(ctx, "h", "a", "missing", "c")
		require.NoError(t, err)
		assert.Equal(t, []any{"1", nil, "3.5"}, vals)
		all, err := db.HGetAll(ctx, "h")
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"a": "1", "b": "2", "c": "3.5", "d": "4", "e": "5", "f": "\x00\x01"}, all)
		all, err = db.HGetAll(ctx, "nokey")
		require.NoError(t, err)
		assert.Empty(t, all)

		ok, err = db.HSetNX(ctx, "h", "a", "x")
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = db.HSetNX(ctx, "h", "g", "x")
		require.NoError(t, err)
		assert.True(t, ok)
		_, err = db.HSetNX(ctx, "h", "g", struct{}{})
		require.Error(t, err)

		ok, _ = db.HExists(ctx, "h", "g")
		assert.True(t, ok)
		ok, _ = db.HExists(ctx, "h", "zz")
		assert.False(t, ok)
		n, _ = db.HLen(ctx, "h")
		assert.Equal(t, int64(7), n)
		n, _ = db.HStrLen(ctx, "h", "c")
		assert.Equal(t, int64(3), n)
		n, _ = db.HStrLen(ctx, "h", "missing")
		assert.Equal(t, int64(0), n)

		keys, err := db.HKeys(ctx, "h")
		require.NoError(t, err)
		sort.Strings(keys)
		assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g"}, keys)
		hv, err := db.HVals(ctx, "h")
		require.NoError(t, err)
		sort.Strings(hv)
		assert.Equal(t, []string{"\x00\x01", "1", "2", "3.5", "4", "5", "x"}, hv)
		keys, err = db.HKeys(ctx, "nokey")
		require.NoError(t, err)
		assert.Empty(t, keys)

		n, err = db.HIncrBy(ctx, "h", "a", 10)
		require.NoError(t, err)
		assert.Equal(t, int64(11), n)
		f, err := db.HIncrByFloat(ctx, "h", "c", 0.25)
		require.NoError(t, err)
		assert.Equal(t, 3.75, f)
		_, err = db.HIncrBy(ctx, "h", "g", 1)
		requireCode(t, err, "ERR", "hash value is not an integer")
		_, err = db.HIncrByFloat(ctx, "h", "g", 1)
		requireCode(t, err, "ERR", "hash value is not a float")

		n, err = db.HDel(ctx, "h", "a", "missing", "b")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)

		// WRONGTYPE both ways.
		require.NoError(t, db.Set(ctx, "s", "v"))
		_, err = db.HSet(ctx, "s", "a", 1)
		require.ErrorIs(t, err, ErrWrongType)
		requireCode(t, err, "WRONGTYPE", "Operation against a key holding the wrong kind of value")
		_, err = db.Get(ctx, "h")
		require.ErrorIs(t, err, ErrWrongType)
		typ, _ := db.Type(ctx, "h")
		assert.Equal(t, "hash", typ)

		// Deleting the last field deletes the key.
		_, err = db.HSet(ctx, "one", "f", "v")
		require.NoError(t, err)
		_, err = db.HDel(ctx, "one", "f")
		require.NoError(t, err)
		n, _ = db.Exists(ctx, "one")
		assert.Equal(t, int64(0), n)
	})
}

func TestHashRandomAndScan(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		fields := map[string]string{}
		for i := 0; i < 20; i++ {
			fields[string(rune('a'+i))] = string(rune('A' + i))
		}
		_, err := db.HSet(ctx, "h", fields)
		require.NoError(t, err)

		some, err := db.HRandField(ctx, "h", 5)
		require.NoError(t, err)
		assert.Len(t, some, 5)
		for _, f := range some {
			assert.Contains(t, fields, f)
		}
		rep, err := db.HRandField(ctx, "h", -30)
		require.NoError(t, err)
		assert.Len(t, rep, 30)
		kvs, err := db.HRandFieldWithValues(ctx, "h", 3)
		require.NoError(t, err)
		require.Len(t, kvs, 3)
		for _, kv := range kvs {
			assert.Equal(t, fields[kv.Key], kv.Value)
		}
		none, err := db.HRandField(ctx, "nokey", 3)
		require.NoError(t, err)
		assert.Empty(t, none)

		got := map[string]string{}
		var cursor uint64
		for rounds := 0; ; rounds++ {
			require.Less(t, rounds, 100)
			page, next, err := db.HScan(ctx, "h", cursor, "", 4)
			require.NoError(t, err)
			require.Equal(t, 0, len(page)%2)
			for i := 0; i < len(page); i += 2 {
				got[page[i]] = page[i+1]
			}
			if cursor = next; cursor == 0 {
				break
			}
		}
		assert.Equal(t, fields, got)
		page, _, err := db.HScan(ctx, "h", 0, "[ab]", 100)
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"a", "A", "b", "B"}, page)
	})
}
