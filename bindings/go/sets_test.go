package redlite

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sorted(xs []string) []string {
	sort.Strings(xs)
	return xs
}

func TestSets(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		n, err := db.SAdd(ctx, "s", "a", "b", []string{"c", "a"}, 1)
		require.NoError(t, err)
		assert.Equal(t, int64(4), n)
		_, err = db.SAdd(ctx, "s", struct{}{})
		require.Error(t, err)
		ms, err := db.SMembers(ctx, "s")
		require.NoError(t, err)
		assert.Equal(t, []string{"1", "a", "b", "c"}, sorted(ms))
		mm, err := db.SMembersMap(ctx, "s")
		require.NoError(t, err)
		assert.Equal(t, map[string]struct{}{"1": {}, "a": {}, "b": {}, "c": {}}, mm)
		ms, err = db.SMembers(ctx, "none")
		require.NoError(t, err)
		assert.Empty(t, ms)

		ok, err := db.SIsMember(ctx, "s", 1)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, _ = db.SIsMember(ctx, "s", "zz")
		assert.False(t, ok)
		_, err = db.SIsMember(ctx, "s", struct{}{})
		require.Error(t, err)
		flags, err := db.SMIsMember(ctx, "s", "a", "zz", "c")
		require.NoError(t, err)
		assert.Equal(t, []bool{true, false, true}, flags)
		_, err = db.SMIsMember(ctx, "s", struct{}{})
		require.Error(t, err)
		n, _ = db.SCard(ctx, "s")
		assert.Equal(t, int64(4), n)

		n, err = db.SRem(ctx, "s", "1", "zz")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		_, err = db.SRem(ctx, "s", struct{}{})
		require.Error(t, err)

		m, err := db.SRandMember(ctx, "s")
		require.NoError(t, err)
		assert.Contains(t, []string{"a", "b", "c"}, m)
		rs, err := db.SRandMemberN(ctx, "s", 2)
		require.NoError(t, err)
		assert.Len(t, rs, 2)
		rs, _ = db.SRandMemberN(ctx, "s", -7)
		assert.Len(t, rs, 7)
		_, err = db.SRandMember(ctx, "none")
		require.ErrorIs(t, err, Nil)

		ok, err = db.SMove(ctx, "s", "t", "a")
		require.NoError(t, err)
		assert.True(t, ok)
		ok, _ = db.SMove(ctx, "s", "t", "a")
		assert.False(t, ok)
		_, err = db.SMove(ctx, "s", "t", struct{}{})
		require.Error(t, err)

		p, err := db.SPop(ctx, "t")
		require.NoError(t, err)
		assert.Equal(t, "a", p)
		_, err = db.SPop(ctx, "t")
		require.ErrorIs(t, err, Nil)
		ps, err := db.SPopN(ctx, "s", 5)
		require.NoError(t, err)
		assert.Equal(t, []string{"b", "c"}, sorted(ps))
		n, _ = db.Exists(ctx, "s")
		assert.Equal(t, int64(0), n, "an emptied set is deleted")
	})
}

func TestSetAlgebra(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.SAdd(ctx, "x", "a", "b", "c", "d")
		require.NoError(t, err)
		_, err = db.SAdd(ctx, "y", "c", "d", "e")
		require.NoError(t, err)
		d, err := db.SDiff(ctx, "x", "y")
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b"}, sorted(d))
		i, err := db.SInter(ctx, "x", "y")
		require.NoError(t, err)
		assert.Equal(t, []string{"c", "d"}, sorted(i))
		u, err := db.SUnion(ctx, "x", "y", "none")
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, sorted(u))

		n, err := db.SDiffStore(ctx, "dd", "x", "y")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, err = db.SInterStore(ctx, "ii", "x", "y")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, err = db.SUnionStore(ctx, "uu", "x", "y")
		require.NoError(t, err)
		assert.Equal(t, int64(5), n)
		ms, _ := db.SMembers(ctx, "ii")
		assert.Equal(t, []string{"c", "d"}, sorted(ms))

		n, err = db.SInterCard(ctx, 0, "x", "y")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, _ = db.SInterCard(ctx, 1, "x", "y")
		assert.Equal(t, int64(1), n)
		_, err = db.SInterCard(ctx, -1, "x")
		requireCode(t, err, "ERR", "LIMIT can't be negative")

		var all []string
		var cursor uint64
		for rounds := 0; ; rounds++ {
			require.Less(t, rounds, 100)
			page, next, err := db.SScan(ctx, "uu", cursor, "", 2)
			require.NoError(t, err)
			all = append(all, page...)
			if cursor = next; cursor == 0 {
				break
			}
		}
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, sorted(all))
		page, _, err := db.SScan(ctx, "uu", 0, "[ab]", 100)
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b"}, sorted(page))

		require.NoError(t, db.Set(ctx, "str", "v"))
		_, err = db.SInter(ctx, "x", "str")
		require.ErrorIs(t, err, ErrWrongType)
		_, err = db.SAdd(ctx, "str", "a")
		require.ErrorIs(t, err, ErrWrongType)
	})
}
