package redlite

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetSet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.Get(ctx, "k")
		require.ErrorIs(t, err, Nil)
		_, err = db.GetBytes(ctx, "k")
		require.ErrorIs(t, err, Nil)

		require.NoError(t, db.Set(ctx, "k", "v"))
		v, err := db.Get(ctx, "k")
		require.NoError(t, err)
		assert.Equal(t, "v", v)

		// Binary safe, empty values included.
		bin := []byte{0, 1, 0xff, '\r', '\n'}
		require.NoError(t, db.Set(ctx, "bin\x00key", bin))
		b, err := db.GetBytes(ctx, "bin\x00key")
		require.NoError(t, err)
		assert.Equal(t, bin, b)
		require.NoError(t, db.Set(ctx, "empty", ""))
		b, err = db.GetBytes(ctx, "empty")
		require.NoError(t, err)
		assert.Equal(t, []byte{}, b)

		// Values convert as go-redis converts them.
		require.NoError(t, db.Set(ctx, "n", 42))
		v, _ = db.Get(ctx, "n")
		assert.Equal(t, "42", v)
		require.NoError(t, db.Set(ctx, "f", 1.5))
		v, _ = db.Get(ctx, "f")
		assert.Equal(t, "1.5", v)
		require.NoError(t, db.Set(ctx, "b", true))
		v, _ = db.Get(ctx, "b")
		assert.Equal(t, "1", v)
		err = db.Set(ctx, "bad", struct{}{})
		require.ErrorContains(t, err, "can't marshal struct {}")
	})
}

func TestSetOptions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		require.ErrorIs(t, db.Set(ctx, "k", "v", XX()), Nil)
		_, err := db.Get(ctx, "k")
		require.ErrorIs(t, err, Nil)
		require.NoError(t, db.Set(ctx, "k", "v1", NX()))
		require.ErrorIs(t, db.Set(ctx, "k", "v2", NX()), Nil)
		require.NoError(t, db.Set(ctx, "k", "v3", XX()))
		v, _ := db.Get(ctx, "k")
		assert.Equal(t, "v3", v)

		// Each expiry option takes effect (exact TTLs are checked with the
		// keys family's TTL in keys_test.go).
		for _, opt := range []func() SetOption{
			func() SetOption { return EX(time.Second) },
			func() SetOption { return PX(300 * time.Millisecond) },
			func() SetOption { return EXAT(time.Now().Add(time.Second)) },
			func() SetOption { return PXAT(time.Now().Add(300 * time.Millisecond)) },
		} {
			o := opt()
			require.NoError(t, db.Set(ctx, "exp", "v", o))
			require.NoError(t, db.Set(ctx, "exp", "w", KeepTTL()))
			_, err := db.Get(ctx, "exp")
			require.NoError(t, err)
			require.Eventually(t, func() bool {
				_, err := db.Get(ctx, "exp")
				return err == Nil
			}, 5*time.Second, 10*time.Millisecond, "option %v", o)
		}

		// Expired keys are gone.
		require.NoError(t, db.Set(ctx, "short", "v", PX(time.Millisecond)))
		time.Sleep(5 * time.Millisecond)
		_, err = db.Get(ctx, "short")
		require.ErrorIs(t, err, Nil)

		requireCode(t, db.Set(ctx, "k", "v", EX(0)), "ERR", "invalid expire time in 'set' command")
		requireCode(t, db.Set(ctx, "k", "v", NX(), XX()), "ERR", "syntax error")
	})
}

func TestSetVariants(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.SetGet(ctx, "k", "v1")
		require.ErrorIs(t, err, Nil)
		old, err := db.SetGet(ctx, "k", "v2", XX())
		require.NoError(t, err)
		assert.Equal(t, "v1", old)
		old, err = db.SetGet(ctx, "k", "v3", NX())
		require.NoError(t, err) // not set: GET still answers the current value
		assert.Equal(t, "v2", old)

		ok, err := db.SetNX(ctx, "nx", "a", 0)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = db.SetNX(ctx, "nx", "b", time.Minute)
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = db.SetXX(ctx, "missing", "a", 0)
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = db.SetXX(ctx, "nx", "c", 1500*time.Millisecond)
		require.NoError(t, err)
		assert.True(t, ok)
		v, _ := db.Get(ctx, "nx")
		assert.Equal(t, "c", v)

		require.NoError(t, db.SetEx(ctx, "ex", "v", time.Minute))
		requireCode(t, db.SetEx(ctx, "ex", "v", 0), "ERR", "invalid expire time")

		_, err = db.GetSet(ctx, "gs", "1")
		require.ErrorIs(t, err, Nil)
		old, err = db.GetSet(ctx, "gs", 2)
		require.NoError(t, err)
		assert.Equal(t, "1", old)

		v, err = db.GetEx(ctx, "gs", time.Minute)
		require.NoError(t, err)
		assert.Equal(t, "2", v)
		v, err = db.GetEx(ctx, "gs", 0)
		require.NoError(t, err)
		assert.Equal(t, "2", v)
		v, err = db.GetEx(ctx, "gs", -1)
		require.NoError(t, err)
		assert.Equal(t, "2", v)
		_, err = db.GetEx(ctx, "none", time.Second)
		require.ErrorIs(t, err, Nil)

		v, err = db.GetDel(ctx, "gs")
		require.NoError(t, err)
		assert.Equal(t, "2", v)
		_, err = db.GetDel(ctx, "gs")
		require.ErrorIs(t, err, Nil)
	})
}

func TestMultiKeyStrings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		require.NoError(t, db.MSet(ctx, "a", 1, "b", "two"))
		require.NoError(t, db.MSet(ctx, []string{"c", "3"}))
		require.NoError(t, db.MSet(ctx, map[string]any{"d": 4}))
		require.NoError(t, db.MSet(ctx, map[string]string{"e": "5"}))
		vals, err := db.MGet(ctx, "a", "b", "missing", "c", "d", "e")
		require.NoError(t, err)
		assert.Equal(t, []any{"1", "two", nil, "3", "4", "5"}, vals)
		require.ErrorContains(t, db.MSet(ctx, "a"), "pairs")
		require.ErrorContains(t, db.MSet(ctx, []string{"a"}), "pairs")

		ok, err := db.MSetNX(ctx, "a", 1, "new", 2)
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = db.MSetNX(ctx, "new", 1, "new2", 2)
		require.NoError(t, err)
		assert.True(t, ok)
		_, err = db.MSetNX(ctx, "x")
		require.ErrorContains(t, err, "pairs")
	})
}

func TestCounters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		n, err := db.Incr(ctx, "c")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, _ = db.IncrBy(ctx, "c", 10)
		assert.Equal(t, int64(11), n)
		n, _ = db.Decr(ctx, "c")
		assert.Equal(t, int64(10), n)
		n, _ = db.DecrBy(ctx, "c", 20)
		assert.Equal(t, int64(-10), n)
		f, err := db.IncrByFloat(ctx, "c", 0.5)
		require.NoError(t, err)
		assert.Equal(t, -9.5, f)
		f, _ = db.IncrByFloat(ctx, "c", 1e3)
		assert.Equal(t, 990.5, f)

		require.NoError(t, db.Set(ctx, "s", "abc"))
		_, err = db.Incr(ctx, "s")
		requireCode(t, err, "ERR", "value is not an integer or out of range")
		_, err = db.IncrByFloat(ctx, "s", 1)
		requireCode(t, err, "ERR", "value is not a valid float")
		require.NoError(t, db.Set(ctx, "max", "9223372036854775807"))
		_, err = db.Incr(ctx, "max")
		requireCode(t, err, "ERR", "increment or decrement would overflow")
	})
}

func TestStringEditing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		n, err := db.Append(ctx, "s", "Hello")
		require.NoError(t, err)
		assert.Equal(t, int64(5), n)
		n, _ = db.Append(ctx, "s", " World")
		assert.Equal(t, int64(11), n)
		n, _ = db.StrLen(ctx, "s")
		assert.Equal(t, int64(11), n)
		n, _ = db.StrLen(ctx, "missing")
		assert.Equal(t, int64(0), n)
		v, err := db.GetRange(ctx, "s", 0, 4)
		require.NoError(t, err)
		assert.Equal(t, "Hello", v)
		v, _ = db.GetRange(ctx, "s", -5, -1)
		assert.Equal(t, "World", v)
		v, err = db.GetRange(ctx, "missing", 0, 10)
		require.NoError(t, err)
		assert.Equal(t, "", v)
		n, err = db.SetRange(ctx, "s", 6, "Redis")
		require.NoError(t, err)
		assert.Equal(t, int64(11), n)
		v, _ = db.Get(ctx, "s")
		assert.Equal(t, "Hello Redis", v)
		_, err = db.SetRange(ctx, "s", -1, "x")
		requireCode(t, err, "ERR", "offset is out of range")

		require.NoError(t, db.MSet(ctx, "k1", "ohmytext", "k2", "mynewtext"))
		lcs, err := db.LCS(ctx, "k1", "k2")
		require.NoError(t, err)
		assert.Equal(t, "mytext", lcs)
		n, err = db.LCSLen(ctx, "k1", "k2")
		require.NoError(t, err)
		assert.Equal(t, int64(6), n)
	})
}
