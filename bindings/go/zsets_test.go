package redlite

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestZSets(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		n, err := db.ZAdd(ctx, "z", Z{1, "a"}, Z{2, "b"}, Z{3, "c"}, Z{Score: 2, Member: 7})
		require.NoError(t, err)
		assert.Equal(t, int64(4), n)
		_, err = db.ZAdd(ctx, "z", Z{1, struct{}{}})
		require.Error(t, err)
		_, err = db.ZAdd(ctx, "z")
		requireCode(t, err, "ERR", "wrong number of arguments for 'zadd' command")

		n, _ = db.ZAddNX(ctx, "z", Z{10, "a"}, Z{4, "d"})
		assert.Equal(t, int64(1), n)
		n, _ = db.ZAddXX(ctx, "z", Z{1.5, "a"}, Z{9, "new"})
		assert.Equal(t, int64(0), n)
		n, _ = db.ZAddGT(ctx, "z", Z{0, "a"}, Z{5, "d"})
		assert.Equal(t, int64(0), n)
		n, _ = db.ZAddLT(ctx, "z", Z{1, "a"})
		assert.Equal(t, int64(0), n)
		n, err = db.ZAddArgs(ctx, "z", ZAddArgs{Ch: true, GT: true, Members: []Z{{6, "d"}, {0, "c"}}})
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		_, err = db.ZAddArgs(ctx, "z", ZAddArgs{NX: true, XX: true, Members: []Z{{1, "a"}}})
		requireCode(t, err, "ERR", "XX and NX options at the same time are not compatible")
		f, err := db.ZAddArgsIncr(ctx, "z", ZAddArgs{Members: []Z{{0.5, "a"}}})
		require.NoError(t, err)
		assert.Equal(t, 1.5, f)
		_, err = db.ZAddArgsIncr(ctx, "z", ZAddArgs{NX: true, Members: []Z{{1, "a"}}})
		require.ErrorIs(t, err, Nil)
		_, err = db.ZAddArgsIncr(ctx, "z", ZAddArgs{Members: []Z{{1, struct{}{}}}})
		require.Error(t, err)

		f, err = db.ZIncrBy(ctx, "z", 2.5, "b")
		require.NoError(t, err)
		assert.Equal(t, 4.5, f)
		f, err = db.ZScore(ctx, "z", "a")
		require.NoError(t, err)
		assert.Equal(t, 1.5, f)
		_, err = db.ZScore(ctx, "z", "missing")
		require.ErrorIs(t, err, Nil)
		fs, err := db.ZMScore(ctx, "z", "a", "missing", "d")
		require.NoError(t, err)
		assert.Equal(t, []float64{1.5, 0, 6}, fs)
		_, err = db.ZMScore(ctx, "z")
		requireCode(t, err, "ERR", "wrong number of arguments")

		// a 1.5, 7 2, c 3, b 4.5, d 6
		r, err := db.ZRank(ctx, "z", "c")
		require.NoError(t, err)
		assert.Equal(t, int64(2), r)
		r, _ = db.ZRevRank(ctx, "z", "c")
		assert.Equal(t, int64(2), r)
		_, err = db.ZRank(ctx, "z", "missing")
		require.ErrorIs(t, err, Nil)
		_, err = db.ZRevRank(ctx, "z", "missing")
		require.ErrorIs(t, err, Nil)
		n, _ = db.ZCard(ctx, "z")
		assert.Equal(t, int64(5), n)
		n, _ = db.ZCount(ctx, "z", "(1.5", "4.5")
		assert.Equal(t, int64(3), n)
		n, _ = db.ZCount(ctx, "z", "-inf", "+inf")
		assert.Equal(t, int64(5), n)
		_, err = db.ZCount(ctx, "z", "x", "1")
		requireCode(t, err, "ERR", "min or max is not a float")

		ms, err := db.ZRange(ctx, "z", 0, -1)
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "7", "c", "b", "d"}, ms)
		zs, err := db.ZRangeWithScores(ctx, "z", 0, 1)
		require.NoError(t, err)
		assert.Equal(t, []Z{{1.5, "a"}, {2, "7"}}, zs)
		ms, _ = db.ZRevRange(ctx, "z", 0, 1)
		assert.Equal(t, []string{"d", "b"}, ms)
		zs, _ = db.ZRevRangeWithScores(ctx, "z", 0, 0)
		assert.Equal(t, []Z{{6, "d"}}, zs)
		zs, err = db.ZRangeWithScores(ctx, "none", 0, -1)
		require.NoError(t, err)
		assert.Empty(t, zs)

		ms, err = db.ZRangeByScore(ctx, "z", &ZRangeBy{Min: "2", Max: "(6"})
		require.NoError(t, err)
		assert.Equal(t, []string{"7", "c", "b"}, ms)
		ms, _ = db.ZRangeByScore(ctx, "z", &ZRangeBy{Min: "-inf", Max: "+inf", Offset: 1, Count: 2})
		assert.Equal(t, []string{"7", "c"}, ms)
		zs, _ = db.ZRangeByScoreWithScores(ctx, "z", &ZRangeBy{Min: "3", Max: "4.5"})
		assert.Equal(t, []Z{{3, "c"}, {4.5, "b"}}, zs)
		ms, _ = db.ZRevRangeByScore(ctx, "z", &ZRangeBy{Min: "2", Max: "4.5"})
		assert.Equal(t, []string{"b", "c", "7"}, ms)
		zs, _ = db.ZRevRangeByScoreWithScores(ctx, "z", &ZRangeBy{Min: "-inf", Max: "+inf", Count: 1})
		assert.Equal(t, []Z{{6, "d"}}, zs)
		_, err = db.ZRangeByScore(ctx, "z", &ZRangeBy{Min: "a", Max: "b"})
		requireCode(t, err, "ERR", "min or max is not a float")

		n, err = db.ZRem(ctx, "z", "7", "missing", []string{"a"})
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		_, err = db.ZRem(ctx, "z", struct{}{})
		require.Error(t, err)

		require.NoError(t, db.Set(ctx, "s", "v"))
		_, err = db.ZAdd(ctx, "s", Z{1, "a"})
		require.ErrorIs(t, err, ErrWrongType)
		_, err = db.ZScore(ctx, "s", "a")
		require.ErrorIs(t, err, ErrWrongType)
	})
}

func TestZSetScores(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.ZAdd(ctx, "z", Z{math.Inf(1), "top"}, Z{math.Inf(-1), "bottom"}, Z{0.1, "tenth"}, Z{1e300, "huge"})
		require.NoError(t, err)
		zs, err := db.ZRangeWithScores(ctx, "z", 0, -1)
		require.NoError(t, err)
		assert.Equal(t, []Z{{math.Inf(-1), "bottom"}, {0.1, "tenth"}, {1e300, "huge"}, {math.Inf(1), "top"}}, zs)
		f, err := db.ZScore(ctx, "z", "top")
		require.NoError(t, err)
		assert.True(t, math.IsInf(f, 1))
		_, err = db.ZIncrBy(ctx, "z", math.Inf(-1), "top")
		requireCode(t, err, "ERR", "resulting score is not a number (NaN)")
	})
}

func TestZSetLexAndArgs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.ZAdd(ctx, "lex", Z{0, "a"}, Z{0, "b"}, Z{0, "c"}, Z{0, "d"}, Z{0, "e"})
		require.NoError(t, err)
		n, err := db.ZLexCount(ctx, "lex", "[b", "(e")
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		_, err = db.ZLexCount(ctx, "lex", "b", "e")
		requireCode(t, err, "ERR", "min or max not valid string range item")
		ms, err := db.ZRangeByLex(ctx, "lex", &ZRangeBy{Min: "-", Max: "[c"})
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b", "c"}, ms)
		ms, _ = db.ZRevRangeByLex(ctx, "lex", &ZRangeBy{Min: "(a", Max: "+", Count: 2})
		assert.Equal(t, []string{"e", "d"}, ms)

		ms, err = db.ZRangeArgs(ctx, ZRangeArgs{Key: "lex", Start: "[b", Stop: "[d", ByLex: true})
		require.NoError(t, err)
		assert.Equal(t, []string{"b", "c", "d"}, ms)
		ms, _ = db.ZRangeArgs(ctx, ZRangeArgs{Key: "lex", Start: "+", Stop: "-", ByLex: true, Rev: true, Offset: 1, Count: 2})
		assert.Equal(t, []string{"d", "c"}, ms)
		ms, _ = db.ZRangeArgs(ctx, ZRangeArgs{Key: "lex", Start: 0, Stop: 1, Rev: true})
		assert.Equal(t, []string{"e", "d"}, ms)

		_, err = db.ZAdd(ctx, "sc", Z{1, "one"}, Z{2, "two"}, Z{3, "three"})
		require.NoError(t, err)
		zs, err := db.ZRangeArgsWithScores(ctx, ZRangeArgs{Key: "sc", Start: "(1", Stop: "+inf", ByScore: true})
		require.NoError(t, err)
		assert.Equal(t, []Z{{2, "two"}, {3, "three"}}, zs)
		zs, _ = db.ZRangeArgsWithScores(ctx, ZRangeArgs{Key: "sc", Start: 3, Stop: 1, ByScore: true, Rev: true, Count: 1})
		assert.Equal(t, []Z{{3, "three"}}, zs)
		_, err = db.ZRangeArgs(ctx, ZRangeArgs{Key: "sc", Start: 0, Stop: 1, Offset: 1, Count: 1})
		requireCode(t, err, "ERR", "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
		_, err = db.ZRangeArgs(ctx, ZRangeArgs{Key: "sc", Start: struct{}{}})
		require.Error(t, err)
		_, err = db.ZRangeArgsWithScores(ctx, ZRangeArgs{Key: "sc", Start: struct{}{}})
		require.Error(t, err)
		n, err = db.ZRangeStore(ctx, "dst", ZRangeArgs{Key: "sc", Start: 2, Stop: 3, ByScore: true})
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		ms, _ = db.ZRange(ctx, "dst", 0, -1)
		assert.Equal(t, []string{"two", "three"}, ms)
		_, err = db.ZRangeStore(ctx, "dst", ZRangeArgs{Key: "sc", Start: struct{}{}})
		require.Error(t, err)

		n, err = db.ZRemRangeByLex(ctx, "lex", "[a", "[b")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, err = db.ZRemRangeByRank(ctx, "lex", 0, 0)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = db.ZRemRangeByScore(ctx, "sc", "-inf", "(2")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		ms, _ = db.ZRange(ctx, "lex", 0, -1)
		assert.Equal(t, []string{"d", "e"}, ms)
	})
}

func TestZSetPops(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.ZAdd(ctx, "z", Z{1, "a"}, Z{2, "b"}, Z{3, "c"}, Z{4, "d"}, Z{5, "e"})
		require.NoError(t, err)
		zs, err := db.ZPopMin(ctx, "z")
		require.NoError(t, err)
		assert.Equal(t, []Z{{1, "a"}}, zs)
		zs, err = db.ZPopMax(ctx, "z", 2)
		require.NoError(t, err)
		assert.Equal(t, []Z{{5, "e"}, {4, "d"}}, zs)
		zs, _ = db.ZPopMin(ctx, "z", 1)
		assert.Equal(t, []Z{{2, "b"}}, zs)
		zs, err = db.ZPopMin(ctx, "none")
		require.NoError(t, err)
		assert.Empty(t, zs)
		zs, _ = db.ZPopMax(ctx, "none", 3)
		assert.Empty(t, zs)

		_, err = db.ZAdd(ctx, "z2", Z{1, "x"}, Z{2, "y"})
		require.NoError(t, err)
		key, zs, err := db.ZMPop(ctx, "MAX", 5, "none", "z2")
		require.NoError(t, err)
		assert.Equal(t, "z2", key)
		assert.Equal(t, []Z{{2, "y"}, {1, "x"}}, zs)
		_, _, err = db.ZMPop(ctx, "MIN", 1, "none")
		require.ErrorIs(t, err, Nil)
		_, _, err = db.ZMPop(ctx, "MIDDLE", 1, "z")
		requireCode(t, err, "ERR", "syntax error")

		zk, err := db.BZPopMin(ctx, time.Second, "none", "z")
		require.NoError(t, err)
		assert.Equal(t, &ZWithKey{Key: "z", Z: Z{3, "c"}}, zk)
		_, err = db.BZPopMax(ctx, 10*time.Millisecond, "z")
		require.ErrorIs(t, err, Nil)
		_, _, err = db.BZMPop(ctx, 10*time.Millisecond, "MIN", 1, "z")
		require.ErrorIs(t, err, Nil)

		got := make(chan *ZWithKey, 1)
		go func() {
			zk, err := db.BZPopMax(ctx, 0, "w")
			assert.NoError(t, err)
			got <- zk
		}()
		time.Sleep(30 * time.Millisecond)
		_, err = db.ZAdd(ctx, "w", Z{1, "lo"}, Z{9, "hi"})
		require.NoError(t, err)
		select {
		case zk := <-got:
			assert.Equal(t, &ZWithKey{Key: "w", Z: Z{9, "hi"}}, zk)
		case <-time.After(10 * time.Second):
			t.Fatal("BZPopMax was not woken")
		}
		key, zs, err = db.BZMPop(ctx, time.Second, "MIN", 2, "w")
		require.NoError(t, err)
		assert.Equal(t, "w", key)
		assert.Equal(t, []Z{{1, "lo"}}, zs)

		cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		_, err = db.BZPopMin(cctx, 0, "w")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		_, _, err = db.BZMPop(cctx, 0, "MAX", 1, "w")
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestZSetAlgebra(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		_, err := db.ZAdd(ctx, "x", Z{1, "a"}, Z{2, "b"}, Z{3, "c"})
		require.NoError(t, err)
		_, err = db.ZAdd(ctx, "y", Z{10, "b"}, Z{20, "c"}, Z{30, "d"})
		require.NoError(t, err)

		ms, err := db.ZUnion(ctx, ZStore{Keys: []string{"x", "y"}})
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b", "c", "d"}, ms)
		zs, err := db.ZUnionWithScores(ctx, ZStore{Keys: []string{"x", "y"}, Weights: []float64{2, 1}, Aggregate: "MAX"})
		require.NoError(t, err)
		assert.Equal(t, []Z{{2, "a"}, {10, "b"}, {20, "c"}, {30, "d"}}, zs)
		ms, err = db.ZInter(ctx, &ZStore{Keys: []string{"x", "y"}})
		require.NoError(t, err)
		assert.Equal(t, []string{"b", "c"}, ms)
		zs, err = db.ZInterWithScores(ctx, &ZStore{Keys: []string{"x", "y"}, Aggregate: "MIN"})
		require.NoError(t, err)
		assert.Equal(t, []Z{{2, "b"}, {3, "c"}}, zs)
		n, err := db.ZInterCard(ctx, 0, "x", "y")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, _ = db.ZInterCard(ctx, 1, "x", "y")
		assert.Equal(t, int64(1), n)
		ms, err = db.ZDiff(ctx, "x", "y")
		require.NoError(t, err)
		assert.Equal(t, []string{"a"}, ms)
		zs, err = db.ZDiffWithScores(ctx, "y", "x")
		require.NoError(t, err)
		assert.Equal(t, []Z{{30, "d"}}, zs)

		n, err = db.ZUnionStore(ctx, "u", &ZStore{Keys: []string{"x", "y"}})
		require.NoError(t, err)
		assert.Equal(t, int64(4), n)
		f, _ := db.ZScore(ctx, "u", "c")
		assert.Equal(t, 23.0, f)
		n, err = db.ZInterStore(ctx, "i", &ZStore{Keys: []string{"x", "y"}, Weights: []float64{1, 0.5}})
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		f, _ = db.ZScore(ctx, "i", "b")
		assert.Equal(t, 7.0, f)
		n, err = db.ZDiffStore(ctx, "d", "x", "y")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		_, err = db.ZUnionStore(ctx, "u", &ZStore{Keys: []string{"x"}, Aggregate: "AVG"})
		requireCode(t, err, "ERR", "syntax error")

		rs, err := db.ZRandMember(ctx, "u", 2)
		require.NoError(t, err)
		assert.Len(t, rs, 2)
		rz, err := db.ZRandMemberWithScores(ctx, "u", -6)
		require.NoError(t, err)
		assert.Len(t, rz, 6)
		scores := map[string]float64{"a": 1, "b": 12, "c": 23, "d": 30}
		for _, z := range rz {
			assert.Equal(t, scores[z.Member.(string)], z.Score)
		}

		got := map[string]string{}
		var cursor uint64
		for rounds := 0; ; rounds++ {
			require.Less(t, rounds, 100)
			page, next, err := db.ZScan(ctx, "u", cursor, "", 1)
			require.NoError(t, err)
			for i := 0; i+1 < len(page); i += 2 {
				got[page[i]] = page[i+1]
			}
			if cursor = next; cursor == 0 {
				break
			}
		}
		assert.Equal(t, map[string]string{"a": "1", "b": "12", "c": "23", "d": "30"}, got)
	})
}
