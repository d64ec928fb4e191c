package redlite

import (
	"context"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Sorted set commands.

// Z is a sorted set member and its score. Member is converted like a value
// when sent and is a string in replies.
type Z struct {
	Score  float64
	Member any
}

// ZWithKey is a popped member with the key it came from (BZPopMin).
type ZWithKey struct {
	Z
	Key string
}

// ZAddArgs are ZADD's options and members.
type ZAddArgs struct {
	NX, XX, LT, GT, Ch bool
	Members            []Z
}

func zaddArgv(key string, args ZAddArgs, incr bool) (argv, error) {
	a := newArgv("zadd", 7+2*len(args.Members)).s(key)
	for _, o := range []struct {
		on   bool
		word string
	}{{args.NX, "nx"}, {args.XX, "xx"}, {args.GT, "gt"}, {args.LT, "lt"}, {args.Ch, "ch"}, {incr, "incr"}} {
		if o.on {
			a = a.s(o.word)
		}
	}
	for _, m := range args.Members {
		b, err := valueBytes(m.Member)
		if err != nil {
			return nil, err
		}
		a = append(a.f(m.Score), b)
	}
	return a, nil
}

// ZAdd adds members or updates their scores and returns how many were new.
func (c cmds) ZAdd(ctx context.Context, key string, members ...Z) (int64, error) {
	return c.ZAddArgs(ctx, key, ZAddArgs{Members: members})
}

// ZAddNX adds members that are not in the set yet.
func (c cmds) ZAddNX(ctx context.Context, key string, members ...Z) (int64, error) {
	return c.ZAddArgs(ctx, key, ZAddArgs{NX: true, Members: members})
}

// ZAddXX updates members already in the set; it adds none.
func (c cmds) ZAddXX(ctx context.Context, key string, members ...Z) (int64, error) {
	return c.ZAddArgs(ctx, key, ZAddArgs{XX: true, Members: members})
}

// ZAddGT adds members, and updates existing ones only to a greater score.
func (c cmds) ZAddGT(ctx context.Context, key string, members ...Z) (int64, error) {
	return c.ZAddArgs(ctx, key, ZAddArgs{GT: true, Members: members})
}

// ZAddLT adds members, and updates existing ones only to a lower score.
func (c cmds) ZAddLT(ctx context.Context, key string, members ...Z) (int64, error) {
	return c.ZAddArgs(ctx, key, ZAddArgs{LT: true, Members: members})
}

// ZAddArgs is ZADD with every option; it returns the number added (or
// changed, with Ch).
func (c cmds) ZAddArgs(ctx context.Context, key string, args ZAddArgs) (int64, error) {
	a, err := zaddArgv(key, args, false)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// ZAddArgsIncr is ZADD ... INCR with one member: it returns the new score,
// or Nil when NX/XX/GT/LT prevented the update.
func (c cmds) ZAddArgsIncr(ctx context.Context, key string, args ZAddArgs) (float64, error) {
	a, err := zaddArgv(key, args, true)
	if err != nil {
		return 0, err
	}
	return toFloat(c.run(ctx, a))
}

// ZIncrBy adds increment to member's score and returns the new score.
func (c cmds) ZIncrBy(ctx context.Context, key string, increment float64, member string) (float64, error) {
	return toFloat(c.run(ctx, newArgv("zincrby", 3).s(key).f(increment).s(member)))
}

// ZScore returns member's score, or Nil.
func (c cmds) ZScore(ctx context.Context, key, member string) (float64, error) {
	return toFloat(c.run(ctx, newArgv("zscore", 2).s(key, member)))
}

// ZMScore returns the scores of members; a missing member's is 0 (as in
// go-redis).
func (c cmds) ZMScore(ctx context.Context, key string, members ...string) ([]float64, error) {
	v, err := c.run(ctx, newArgv("zmscore", 1+len(members)).s(key).s(members...))
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(v.Elems))
	for i, e := range v.Elems {
		if isNil(e) {
			continue
		}
		if out[i], err = floatOf(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ZRank returns member's rank by ascending score, or Nil.
func (c cmds) ZRank(ctx context.Context, key, member string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zrank", 2).s(key, member)))
}

// ZRevRank returns member's rank by descending score, or Nil.
func (c cmds) ZRevRank(ctx context.Context, key, member string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zrevrank", 2).s(key, member)))
}

// ZCard returns the number of members.
func (c cmds) ZCard(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zcard", 1).s(key)))
}

// ZCount counts members with scores between min and max ("-inf", "(1.5"...).
func (c cmds) ZCount(ctx context.Context, key, min, max string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zcount", 3).s(key, min, max)))
}

// ZLexCount counts members between min and max in lexical order ("[a",
// "(b", "-", "+").
func (c cmds) ZLexCount(ctx context.Context, key, min, max string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zlexcount", 3).s(key, min, max)))
}

// toZs reads members with scores, flat or in pairs.
func toZs(v resp.Value, err error) ([]Z, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	return zsOf(v)
}

func zsOf(v resp.Value) ([]Z, error) {
	flat := pairsOf(v)
	out := make([]Z, 0, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		score, err := floatOf(flat[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, Z{Member: string(flat[i].Str), Score: score})
	}
	return out, nil
}

// ZRange returns the members ranked start to stop (inclusive; negative
// counts from the end), by ascending score.
func (c cmds) ZRange(ctx context.Context, key string, start, stop int64) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("zrange", 3).s(key).i(start).i(stop)))
}

// ZRangeWithScores is ZRange with the scores.
func (c cmds) ZRangeWithScores(ctx context.Context, key string, start, stop int64) ([]Z, error) {
	return toZs(c.run(ctx, newArgv("zrange", 4).s(key).i(start).i(stop).s("withscores")))
}

// ZRevRange is ZRange by descending score.
func (c cmds) ZRevRange(ctx context.Context, key string, start, stop int64) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("zrevrange", 3).s(key).i(start).i(stop)))
}

// ZRevRangeWithScores is ZRevRange with the scores.
func (c cmds) ZRevRangeWithScores(ctx context.Context, key string, start, stop int64) ([]Z, error) {
	return toZs(c.run(ctx, newArgv("zrevrange", 4).s(key).i(start).i(stop).s("withscores")))
}

// ZRangeBy is a score or lexical range with an optional LIMIT (Count 0
// means no limit).
type ZRangeBy struct {
	Min, Max      string
	Offset, Count int64
}

func (c cmds) zRangeBy(ctx context.Context, name, key string, min, max string, opt *ZRangeBy, withScores bool) (resp.Value, error) {
	a := newArgv(name, 7).s(key, min, max)
	if withScores {
		a = a.s("withscores")
	}
	if opt.Offset != 0 || opt.Count != 0 {
		a = a.s("limit").i(opt.Offset).i(opt.Count)
	}
	return c.run(ctx, a)
}

// ZRangeByScore returns members with scores between opt.Min and opt.Max.
func (c cmds) ZRangeByScore(ctx context.Context, key string, opt *ZRangeBy) ([]string, error) {
	return toStrings(c.zRangeBy(ctx, "zrangebyscore", key, opt.Min, opt.Max, opt, false))
}

// ZRangeByScoreWithScores is ZRangeByScore with the scores.
func (c cmds) ZRangeByScoreWithScores(ctx context.Context, key string, opt *ZRangeBy) ([]Z, error) {
	return toZs(c.zRangeBy(ctx, "zrangebyscore", key, opt.Min, opt.Max, opt, true))
}

// ZRevRangeByScore is ZRangeByScore by descending score (from opt.Max down
// to opt.Min).
func (c cmds) ZRevRangeByScore(ctx context.Context, key string, opt *ZRangeBy) ([]string, error) {
	return toStrings(c.zRangeBy(ctx, "zrevrangebyscore", key, opt.Max, opt.Min, opt, false))
}

// ZRevRangeByScoreWithScores is ZRevRangeByScore with the scores.
func (c cmds) ZRevRangeByScoreWithScores(ctx context.Context, key string, opt *ZRangeBy) ([]Z, error) {
	return toZs(c.zRangeBy(ctx, "zrevrangebyscore", key, opt.Max, opt.Min, opt, true))
}

// ZRangeByLex returns members between opt.Min and opt.Max in lexical order.
func (c cmds) ZRangeByLex(ctx context.Context, key string, opt *ZRangeBy) ([]string, error) {
	return toStrings(c.zRangeBy(ctx, "zrangebylex", key, opt.Min, opt.Max, opt, false))
}

// ZRevRangeByLex is ZRangeByLex in reverse order.
func (c cmds) ZRevRangeByLex(ctx context.Context, key string, opt *ZRangeBy) ([]string, error) {
	return toStrings(c.zRangeBy(ctx, "zrevrangebylex", key, opt.Max, opt.Min, opt, false))
}

// ZRangeArgs is the unified ZRANGE: Start and Stop are ranks, scores or lex
// bounds (with ByScore or ByLex); Rev reverses the order (Start is then the
// high end, as in Redis); Count > 0 adds LIMIT Offset Count.
type ZRangeArgs struct {
	Key           string
	Start, Stop   any
	ByScore       bool
	ByLex         bool
	Rev           bool
	Offset, Count int64
}

func (z ZRangeArgs) appendTo(a argv) (argv, error) {
	a, err := a.v(z.Start, z.Stop)
	if err != nil {
		return nil, err
	}
	switch {
	case z.ByScore:
		a = a.s("byscore")
	case z.ByLex:
		a = a.s("bylex")
	}
	if z.Rev {
		a = a.s("rev")
	}
	if z.Offset != 0 || z.Count != 0 {
		a = a.s("limit").i(z.Offset).i(z.Count)
	}
	return a, nil
}

// ZRangeArgs runs ZRANGE with every option.
func (c cmds) ZRangeArgs(ctx context.Context, z ZRangeArgs) ([]string, error) {
	a, err := z.appendTo(newArgv("zrange", 8).s(z.Key))
	if err != nil {
		return nil, err
	}
	return toStrings(c.run(ctx, a))
}

// ZRangeArgsWithScores is ZRangeArgs with the scores.
func (c cmds) ZRangeArgsWithScores(ctx context.Context, z ZRangeArgs) ([]Z, error) {
	a, err := z.appendTo(newArgv("zrange", 9).s(z.Key))
	if err != nil {
		return nil, err
	}
	return toZs(c.run(ctx, a.s("withscores")))
}

// ZRangeStore stores ZRangeArgs' result at dst and returns its size.
func (c cmds) ZRangeStore(ctx context.Context, dst string, z ZRangeArgs) (int64, error) {
	a, err := z.appendTo(newArgv("zrangestore", 9).s(dst, z.Key))
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// ZRem removes members and returns how many were there.
func (c cmds) ZRem(ctx context.Context, key string, members ...any) (int64, error) {
	a, err := keyMembers("zrem", key, members)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// ZRemRangeByRank removes the members ranked start to stop.
func (c cmds) ZRemRangeByRank(ctx context.Context, key string, start, stop int64) (int64, error) {
	return toInt(c.run(ctx, newArgv("zremrangebyrank", 3).s(key).i(start).i(stop)))
}

// ZRemRangeByScore removes the members with scores between min and max.
func (c cmds) ZRemRangeByScore(ctx context.Context, key, min, max string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zremrangebyscore", 3).s(key, min, max)))
}

// ZRemRangeByLex removes the members between min and max in lexical order.
func (c cmds) ZRemRangeByLex(ctx context.Context, key, min, max string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zremrangebylex", 3).s(key, min, max)))
}

// ZPopMin removes and returns the member with the lowest score, or count
// members.
func (c cmds) ZPopMin(ctx context.Context, key string, count ...int64) ([]Z, error) {
	a := newArgv("zpopmin", 2).s(key)
	if len(count) > 0 {
		a = a.i(count[0])
	}
	return toZs(c.run(ctx, a))
}

// ZPopMax removes and returns the member with the highest score, or count
// members.
func (c cmds) ZPopMax(ctx context.Context, key string, count ...int64) ([]Z, error) {
	a := newArgv("zpopmax", 2).s(key)
	if len(count) > 0 {
		a = a.i(count[0])
	}
	return toZs(c.run(ctx, a))
}

func toZWithKey(v resp.Value, err error) (*ZWithKey, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	if len(v.Elems) != 3 {
		return nil, unexpected(v)
	}
	score, err := floatOf(v.Elems[2])
	if err != nil {
		return nil, err
	}
	return &ZWithKey{Key: string(v.Elems[0].Str), Z: Z{Member: string(v.Elems[1].Str), Score: score}}, nil
}

// BZPopMin pops the lowest-scored member of the first non-empty set of
// keys, waiting up to timeout (0: until ctx ends).
func (c cmds) BZPopMin(ctx context.Context, timeout time.Duration, keys ...string) (*ZWithKey, error) {
	return toZWithKey(c.block(ctx, newArgv("bzpopmin", 1+len(keys)).s(keys...).secs(timeout)))
}

// BZPopMax is BZPopMin for the highest score.
func (c cmds) BZPopMax(ctx context.Context, timeout time.Duration, keys ...string) (*ZWithKey, error) {
	return toZWithKey(c.block(ctx, newArgv("bzpopmax", 1+len(keys)).s(keys...).secs(timeout)))
}

func toKeyZs(v resp.Value, err error) (string, []Z, error) {
	if err != nil {
		return "", nil, err
	}
	if isNil(v) {
		return "", nil, Nil
	}
	if len(v.Elems) != 2 {
		return "", nil, unexpected(v)
	}
	zs, err := zsOf(v.Elems[1])
	return string(v.Elems[0].Str), zs, err
}

// ZMPop pops up to count members from the first non-empty set of keys,
// order "MIN" or "MAX"; it returns the key and the members, or Nil.
func (c cmds) ZMPop(ctx context.Context, order string, count int64, keys ...string) (string, []Z, error) {
	return toKeyZs(c.run(ctx, newArgv("zmpop", 4+len(keys)).i(int64(len(keys))).s(keys...).s(order, "count").i(count)))
}

// BZMPop is ZMPop waiting up to timeout.
func (c cmds) BZMPop(ctx context.Context, timeout time.Duration, order string, count int64, keys ...string) (string, []Z, error) {
	a := newArgv("bzmpop", 5+len(keys)).secs(timeout).i(int64(len(keys))).s(keys...).s(order, "count").i(count)
	return toKeyZs(c.block(ctx, a))
}

// ZRandMember returns up to count random members (count < 0: exactly
// -count, repeats allowed).
func (c cmds) ZRandMember(ctx context.Context, key string, count int) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("zrandmember", 2).s(key).i(int64(count))))
}

// ZRandMemberWithScores is ZRandMember with the scores.
func (c cmds) ZRandMemberWithScores(ctx context.Context, key string, count int) ([]Z, error) {
	return toZs(c.run(ctx, newArgv("zrandmember", 3).s(key).i(int64(count)).s("withscores")))
}

// ZStore describes the inputs of ZUNION/ZINTER(STORE): keys, optional
// weights, and the aggregate ("SUM", "MIN" or "MAX"; "" for SUM).
type ZStore struct {
	Keys      []string
	Weights   []float64
	Aggregate string
}

func (z *ZStore) appendTo(a argv) argv {
	a = a.i(int64(len(z.Keys))).s(z.Keys...)
	if len(z.Weights) > 0 {
		a = a.s("weights")
		for _, w := range z.Weights {
			a = a.f(w)
		}
	}
	if z.Aggregate != "" {
		a = a.s("aggregate", z.Aggregate)
	}
	return a
}

// ZUnionStore stores the union of store.Keys at dest and returns its size.
func (c cmds) ZUnionStore(ctx context.Context, dest string, store *ZStore) (int64, error) {
	return toInt(c.run(ctx, store.appendTo(newArgv("zunionstore", 8+len(store.Keys)+len(store.Weights)).s(dest))))
}

// ZInterStore stores the intersection of store.Keys at dest and returns its
// size.
func (c cmds) ZInterStore(ctx context.Context, dest string, store *ZStore) (int64, error) {
	return toInt(c.run(ctx, store.appendTo(newArgv("zinterstore", 8+len(store.Keys)+len(store.Weights)).s(dest))))
}

// ZUnion returns the union of store.Keys.
func (c cmds) ZUnion(ctx context.Context, store ZStore) ([]string, error) {
	return toStrings(c.run(ctx, store.appendTo(newArgv("zunion", 8+len(store.Keys)+len(store.Weights)))))
}

// ZUnionWithScores is ZUnion with the scores.
func (c cmds) ZUnionWithScores(ctx context.Context, store ZStore) ([]Z, error) {
	return toZs(c.run(ctx, store.appendTo(newArgv("zunion", 8+len(store.Keys)+len(store.Weights))).s("withscores")))
}

// ZInter returns the intersection of store.Keys.
func (c cmds) ZInter(ctx context.Context, store *ZStore) ([]string, error) {
	return toStrings(c.run(ctx, store.appendTo(newArgv("zinter", 8+len(store.Keys)+len(store.Weights)))))
}

// ZInterWithScores is ZInter with the scores.
func (c cmds) ZInterWithScores(ctx context.Context, store *ZStore) ([]Z, error) {
	return toZs(c.run(ctx, store.appendTo(newArgv("zinter", 8+len(store.Keys)+len(store.Weights))).s("withscores")))
}

// ZInterCard returns the size of the intersection of keys, counting up to
// limit (0 for no limit).
func (c cmds) ZInterCard(ctx context.Context, limit int64, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zintercard", 3+len(keys)).i(int64(len(keys))).s(keys...).s("limit").i(limit)))
}

// ZDiff returns the members of the first set not in the others.
func (c cmds) ZDiff(ctx context.Context, keys ...string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("zdiff", 1+len(keys)).i(int64(len(keys))).s(keys...)))
}

// ZDiffWithScores is ZDiff with the scores.
func (c cmds) ZDiffWithScores(ctx context.Context, keys ...string) ([]Z, error) {
	return toZs(c.run(ctx, newArgv("zdiff", 2+len(keys)).i(int64(len(keys))).s(keys...).s("withscores")))
}

// ZDiffStore stores ZDiff's result at destination and returns its size.
func (c cmds) ZDiffStore(ctx context.Context, destination string, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("zdiffstore", 2+len(keys)).s(destination).i(int64(len(keys))).s(keys...)))
}

// ZScan returns a page of members and scores, flat (member, score...), and
// the next cursor (0 at the end).
func (c cmds) ZScan(ctx context.Context, key string, cursor uint64, match string, count int64) ([]string, uint64, error) {
	return c.scan(ctx, newArgv("zscan", 6).s(key), cursor, match, count, "")
}
