package redlite

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeysDelExists(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		require.NoError(t, db.MSet(ctx, "a", 1, "b", 2, "c", 3))
		n, err := db.Exists(ctx, "a", "b", "a", "missing")
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		n, err = db.Touch(ctx, "a", "missing")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = db.Del(ctx, "a", "missing")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = db.Unlink(ctx, "b", "c")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, _ = db.Exists(ctx, "a", "b", "c")
		assert.Equal(t, int64(0), n)
		_, err = db.Del(ctx)
		requireCode(t, err, "ERR", "wrong number of arguments for 'del' command")
	})
}

func TestKeysTypeRenameCopy(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		typ, err := db.Type(ctx, "missing")
		require.NoError(t, err)
		assert.Equal(t, "none", typ)
		require.NoError(t, db.Set(ctx, "s", "v"))
		typ, _ = db.Type(ctx, "s")
		assert.Equal(t, "string", typ)

		require.NoError(t, db.Rename(ctx, "s", "t"))
		v, err := db.Get(ctx, "t")
		require.NoError(t, err)
		assert.Equal(t, "v", v)
		requireCode(t, db.Rename(ctx, "missing", "x"), "ERR", "no such key")
		require.NoError(t, db.Set(ctx, "u", "other"))
		ok, err := db.RenameNX(ctx, "t", "u")
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = db.RenameNX(ctx, "t", "w")
		require.NoError(t, err)
		assert.True(t, ok)

		n, err := db.Copy(ctx, "w", "u", 0, false)
		require.NoError(t, err)
		assert.Equal(t, int64(0), n)
		n, err = db.Copy(ctx, "w", "u", 0, true)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		v, _ = db.Get(ctx, "u")
		assert.Equal(t, "v", v)
		n, err = db.Copy(ctx, "w", "w", 1, false)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)

		ok, err = db.Move(ctx, "u", 2)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = db.Move(ctx, "u", 2)
		require.NoError(t, err)
		assert.False(t, ok)
		_, err = db.Move(ctx, "w", 0)
		requireCode(t, err, "ERR", "source and destination objects are the same")
		// The moved and copied keys are in their databases.
		require.NoError(t, db.SwapDB(ctx, 0, 2))
		v, _ = db.Get(ctx, "u")
		assert.Equal(t, "v", v)
		require.NoError(t, db.SwapDB(ctx, 0, 2))
	})
}

func TestKeysExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		ttl, err := db.TTL(ctx, "missing")
		require.NoError(t, err)
		assert.Equal(t, time.Duration(-2), ttl)
		require.NoError(t, db.Set(ctx, "k", "v"))
		ttl, _ = db.TTL(ctx, "k")
		assert.Equal(t, time.Duration(-1), ttl)
		pttl, _ := db.PTTL(ctx, "k")
		assert.Equal(t, time.Duration(-1), pttl)

		ok, err := db.Expire(ctx, "k", 100*time.Second)
		require.NoError(t, err)
		assert.True(t, ok)
		ttl, _ = db.TTL(ctx, "k")
		assert.InDelta(t, 100*time.Second, ttl, float64(time.Second))
		ok, _ = db.Expire(ctx, "missing", time.Second)
		assert.False(t, ok)
		// Not whole seconds: PEXPIRE.
		ok, _ = db.Expire(ctx, "k", 2500*time.Millisecond)
		assert.True(t, ok)
		pttl, _ = db.PTTL(ctx, "k")
		assert.InDelta(t, 2500*time.Millisecond, pttl, float64(200*time.Millisecond))

		ok, _ = db.ExpireNX(ctx, "k", time.Hour)
		assert.False(t, ok)
		ok, _ = db.ExpireXX(ctx, "k", time.Hour)
		assert.True(t, ok)
		ok, _ = db.ExpireGT(ctx, "k", time.Minute)
		assert.False(t, ok)
		ok, _ = db.ExpireLT(ctx, "k", time.Minute)
		assert.True(t, ok)
		ok, _ = db.ExpireGT(ctx, "k", 2*time.Minute)
		assert.True(t, ok)
		ttl, _ = db.TTL(ctx, "k")
		assert.InDelta(t, 2*time.Minute, ttl, float64(time.Second))

		ok, _ = db.PExpire(ctx, "k", 90*time.Second)
		assert.True(t, ok)
		pttl, _ = db.PTTL(ctx, "k")
		assert.InDelta(t, 90*time.Second, pttl, float64(time.Second))

		at := time.Now().Add(time.Hour).Truncate(time.Second)
		ok, _ = db.ExpireAt(ctx, "k", at)
		assert.True(t, ok)
		et, err := db.ExpireTime(ctx, "k")
		require.NoError(t, err)
		assert.Equal(t, time.Duration(at.Unix())*time.Second, et)
		atMs := time.Now().Add(time.Hour).Truncate(time.Millisecond)
		ok, _ = db.PExpireAt(ctx, "k", atMs)
		assert.True(t, ok)
		pet, _ := db.PExpireTime(ctx, "k")
		assert.Equal(t, time.Duration(atMs.UnixMilli())*time.Millisecond, pet)

		ok, _ = db.Persist(ctx, "k")
		assert.True(t, ok)
		ok, _ = db.Persist(ctx, "k")
		assert.False(t, ok)
		et, _ = db.ExpireTime(ctx, "k")
		assert.Equal(t, time.Duration(-1), et)
		et, _ = db.PExpireTime(ctx, "missing")
		assert.Equal(t, time.Duration(-2), et)

		// A past time deletes the key.
		ok, _ = db.ExpireAt(ctx, "k", time.Now().Add(-time.Hour))
		assert.True(t, ok)
		n, _ := db.Exists(ctx, "k")
		assert.Equal(t, int64(0), n)

		// The SET expiry options, exactly.
		require.NoError(t, db.Set(ctx, "ex", "v", EX(100*time.Second)))
		ttl, _ = db.TTL(ctx, "ex")
		assert.InDelta(t, 100*time.Second, ttl, float64(time.Second))
		require.NoError(t, db.Set(ctx, "ex", "v", PX(5000*time.Millisecond)))
		pttl, _ = db.PTTL(ctx, "ex")
		assert.InDelta(t, 5*time.Second, pttl, float64(200*time.Millisecond))
		require.NoError(t, db.Set(ctx, "ex", "v", EXAT(at)))
		et, _ = db.ExpireTime(ctx, "ex")
		assert.Equal(t, time.Duration(at.Unix())*time.Second, et)
		require.NoError(t, db.Set(ctx, "ex", "v", PXAT(atMs)))
		pet, _ = db.PExpireTime(ctx, "ex")
		assert.Equal(t, time.Duration(atMs.UnixMilli())*time.Millisecond, pet)
		require.NoError(t, db.Set(ctx, "ex", "w", KeepTTL()))
		pet, _ = db.PExpireTime(ctx, "ex")
		assert.Equal(t, time.Duration(atMs.UnixMilli())*time.Millisecond, pet)
		ok, _ = db.SetNX(ctx, "nx", "v", 1500*time.Millisecond)
		assert.True(t, ok)
		pttl, _ = db.PTTL(ctx, "nx")
		assert.InDelta(t, 1500*time.Millisecond, pttl, float64(200*time.Millisecond))
		require.NoError(t, db.SetEx(ctx, "setex", "v", time.Minute))
		ttl, _ = db.TTL(ctx, "setex")
		assert.InDelta(t, time.Minute, ttl, float64(time.Second))
		_, err = db.GetEx(ctx, "setex", 0)
		require.NoError(t, err)
		ttl, _ = db.TTL(ctx, "setex")
		assert.Equal(t, time.Duration(-1), ttl)
		_, err = db.GetEx(ctx, "setex", 30*time.Second)
		require.NoError(t, err)
		ttl, _ = db.TTL(ctx, "setex")
		assert.InDelta(t, 30*time.Second, ttl, float64(time.Second))

		_, err = db.Expire(ctx, "ex", 0)
		require.NoError(t, err)
		n, _ = db.Exists(ctx, "ex")
		assert.Equal(t, int64(0), n)
		_, err = db.ExpireTime(ctx, "")
		require.NoError(t, err)
	})
}

func TestKeysScan(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		keys, err := db.Keys(ctx, "*")
		require.NoError(t, err)
		assert.Empty(t, keys)
		_, err = db.RandomKey(ctx)
		require.ErrorIs(t, err, Nil)

		want := []string{}
		for i := 0; i < 30; i++ {
			k := "user:" + string(rune('a'+i%26)) + string(rune('0'+i/26))
			want = append(want, k)
			require.NoError(t, db.Set(ctx, k, i))
		}
		require.NoError(t, db.Set(ctx, "other", "x"))
		sort.Strings(want)
		keys, err = db.Keys(ctx, "user:*")
		require.NoError(t, err)
		sort.Strings(keys)
		assert.Equal(t, want, keys)

		var got []string
		var cursor uint64
		for rounds := 0; ; rounds++ {
			require.Less(t, rounds, 100)
			page, next, err := db.Scan(ctx, cursor, "user:*", 7)
			require.NoError(t, err)
			got = append(got, page...)
			if cursor = next; cursor == 0 {
				break
			}
		}
		sort.Strings(got)
		assert.Equal(t, want, got)

		all, _, err := db.Scan(ctx, 0, "", 1000)
		require.NoError(t, err)
		assert.Len(t, all, 31)
		strs, _, err := db.ScanType(ctx, 0, "", 1000, "string")
		require.NoError(t, err)
		assert.Len(t, strs, 31)
		none, _, err := db.ScanType(ctx, 0, "", 1000, "hash")
		require.NoError(t, err)
		assert.Empty(t, none)
		_, _, err = db.Scan(ctx, 0, "", -1)
		require.NoError(t, err)

		k, err := db.RandomKey(ctx)
		require.NoError(t, err)
		assert.Contains(t, append(want, "other"), k)
	})
}

func TestKeysObject(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		require.NoError(t, db.Set(ctx, "int", 12345))
		require.NoError(t, db.Set(ctx, "short", "abc"))
		enc, err := db.ObjectEncoding(ctx, "int")
		require.NoError(t, err)
		assert.Equal(t, "int", enc)
		enc, _ = db.ObjectEncoding(ctx, "short")
		assert.Equal(t, "embstr", enc)
		_, err = db.ObjectEncoding(ctx, "missing")
		require.ErrorIs(t, err, Nil)
		n, err := db.ObjectRefCount(ctx, "short")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		idle, err := db.ObjectIdleTime(ctx, "short")
		require.NoError(t, err)
		assert.Less(t, idle, 5*time.Second)
	})
}
