package redlite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSort(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.RPush(ctx, "l", 3, 1, 2, 10)
		require.NoError(t, err)
		v, err := db.Sort(ctx, "l", nil)
		require.NoError(t, err)
		assert.Equal(t, []string{"1", "2", "3", "10"}, v)
		v, _ = db.Sort(ctx, "l", &Sort{Order: "DESC", Offset: 1, Count: 2})
		assert.Equal(t, []string{"3", "2"}, v)
		v, _ = db.SortRO(ctx, "l", &Sort{Alpha: true})
		assert.Equal(t, []string{"1", "10", "2", "3"}, v)

		require.NoError(t, db.MSet(ctx, "w_1", 30, "w_2", 20, "w_3", 10, "name_1", "one", "name_3", "three"))
		v, _ = db.Sort(ctx, "l", &Sort{By: "w_*", Get: []string{"#", "name_*"}, Offset: 0, Count: 3})
		assert.Equal(t, []string{"10", "", "3", "three", "2", ""}, v)
		vi, err := db.SortInterfaces(ctx, "l", &Sort{By: "nosort", Get: []string{"name_*"}})
		require.NoError(t, err)
		assert.Equal(t, []any{"three", "one", nil, nil}, vi)

		n, err := db.SortStore(ctx, "l", "sorted", &Sort{Order: "DESC"})
		require.NoError(t, err)
		assert.Equal(t, int64(4), n)
		v, _ = db.LRange(ctx, "sorted", 0, -1)
		assert.Equal(t, []string{"10", "3", "2", "1"}, v)

		_, err = db.SAdd(ctx, "s", "b", "a", "c")
		require.NoError(t, err)
		_, err = db.Sort(ctx, "s", nil)
		requireCode(t, err, "ERR", "One or more scores can't be converted into double")
		v, _ = db.Sort(ctx, "s", &Sort{Alpha: true})
		assert.Equal(t, []string{"a", "b", "c"}, v)
		_, err = db.SortRO(ctx, "s", &Sort{Order: "SIDEWAYS"})
		requireCode(t, err, "ERR", "syntax error")
	})
}
