package redlite

import (
	"context"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// List commands. The blocking ones (BLPop, BRPop, BLMove, BRPopLPush,
// BLMPop) wait up to timeout (0 waits until ctx ends) and return ctx's
// error when ctx is cancelled or its deadline passes first; Nil on timeout.

func (c cmds) push(ctx context.Context, name, key string, values []any) (int64, error) {
	a, err := newArgv(name, 1+len(values)).s(key).vs(values)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// LPush inserts values at the head of the list and returns its length.
// []string and []any arguments are expanded.
func (c cmds) LPush(ctx context.Context, key string, values ...any) (int64, error) {
	return c.push(ctx, "lpush", key, values)
}

// RPush appends values to the list and returns its length.
func (c cmds) RPush(ctx context.Context, key string, values ...any) (int64, error) {
	return c.push(ctx, "rpush", key, values)
}

// LPushX is LPush only if the list exists.
func (c cmds) LPushX(ctx context.Context, key string, values ...any) (int64, error) {
	return c.push(ctx, "lpushx", key, values)
}

// RPushX is RPush only if the list exists.
func (c cmds) RPushX(ctx context.Context, key string, values ...any) (int64, error) {
	return c.push(ctx, "rpushx", key, values)
}

// LPop removes and returns the first element, or Nil.
func (c cmds) LPop(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("lpop", 1).s(key)))
}

// RPop removes and returns the last element, or Nil.
func (c cmds) RPop(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("rpop", 1).s(key)))
}

// LPopCount removes and returns up to count elements from the head (Nil
// when the list does not exist).
func (c cmds) LPopCount(ctx context.Context, key string, count int) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("lpop", 2).s(key).i(int64(count))))
}

// RPopCount removes and returns up to count elements from the tail.
func (c cmds) RPopCount(ctx context.Context, key string, count int) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("rpop", 2).s(key).i(int64(count))))
}

// LLen returns the length of the list.
func (c cmds) LLen(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("llen", 1).s(key)))
}

// LRange returns the elements from start to stop (inclusive; negative
// indexes count from the end).
func (c cmds) LRange(ctx context.Context, key string, start, stop int64) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("lrange", 3).s(key).i(start).i(stop)))
}

// LIndex returns the element at index, or Nil.
func (c cmds) LIndex(ctx context.Context, key string, index int64) (string, error) {
	return toString(c.run(ctx, newArgv("lindex", 2).s(key).i(index)))
}

// LSet replaces the element at index.
func (c cmds) LSet(ctx context.Context, key string, index int64, value any) error {
	a, err := newArgv("lset", 3).s(key).i(index).v(value)
	if err != nil {
		return err
	}
	return toStatus(c.run(ctx, a))
}

// LInsert inserts value before or after (op "BEFORE" or "AFTER") the first
// element equal to pivot; it returns the new length, -1 if pivot was not
// found, 0 if the list does not exist.
func (c cmds) LInsert(ctx context.Context, key, op string, pivot, value any) (int64, error) {
	a, err := newArgv("linsert", 4).s(key, op).v(pivot, value)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// LInsertBefore is LInsert with "BEFORE".
func (c cmds) LInsertBefore(ctx context.Context, key string, pivot, value any) (int64, error) {
	return c.LInsert(ctx, key, "before", pivot, value)
}

// LInsertAfter is LInsert with "AFTER".
func (c cmds) LInsertAfter(ctx context.Context, key string, pivot, value any) (int64, error) {
	return c.LInsert(ctx, key, "after", pivot, value)
}

// LRem removes count elements equal to value (from the head when count >
// 0, the tail when < 0, all when 0) and returns how many it removed.
func (c cmds) LRem(ctx context.Context, key string, count int64, value any) (int64, error) {
	a, err := newArgv("lrem", 3).s(key).i(count).v(value)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// LTrim keeps only the elements from start to stop.
func (c cmds) LTrim(ctx context.Context, key string, start, stop int64) error {
	return toStatus(c.run(ctx, newArgv("ltrim", 3).s(key).i(start).i(stop)))
}

// LPosArgs are LPOS' options; zero values are left out.
type LPosArgs struct {
	Rank, MaxLen int64
}

func (a argv) lposArgs(args LPosArgs) argv {
	if args.Rank != 0 {
		a = a.s("rank").i(args.Rank)
	}
	if args.MaxLen != 0 {
		a = a.s("maxlen").i(args.MaxLen)
	}
	return a
}

// LPos returns the index of the first element equal to value (the
// Rank-th with Rank), or Nil.
func (c cmds) LPos(ctx context.Context, key string, value string, args LPosArgs) (int64, error) {
	return toInt(c.run(ctx, newArgv("lpos", 6).s(key, value).lposArgs(args)))
}

// LPosCount returns the indexes of up to count elements equal to value
// (all of them when count is 0).
func (c cmds) LPosCount(ctx context.Context, key string, value string, count int64, args LPosArgs) ([]int64, error) {
	return toInts(c.run(ctx, newArgv("lpos", 8).s(key, value, "count").i(count).lposArgs(args)))
}

// LMove pops an element from one end of source ("LEFT" or "RIGHT"), pushes
// it at one end of destination and returns it; Nil if source is empty.
func (c cmds) LMove(ctx context.Context, source, destination, srcpos, destpos string) (string, error) {
	return toString(c.run(ctx, newArgv("lmove", 4).s(source, destination, srcpos, destpos)))
}

// RPopLPush is LMove from the right of source to the left of destination.
func (c cmds) RPopLPush(ctx context.Context, source, destination string) (string, error) {
	return toString(c.run(ctx, newArgv("rpoplpush", 2).s(source, destination)))
}

// LMPop pops up to count elements from the first non-empty list of keys,
// from direction "LEFT" or "RIGHT"; it returns the list's key and the
// elements, or Nil when every list is empty.
func (c cmds) LMPop(ctx context.Context, direction string, count int64, keys ...string) (string, []string, error) {
	a := newArgv("lmpop", 4+len(keys)).i(int64(len(keys))).s(keys...).s(direction, "count").i(count)
	return toKeyStrings(c.run(ctx, a))
}

// toKeyStrings reads [key, [elements...]] (LMPOP, BLMPOP).
func toKeyStrings(v resp.Value, err error) (string, []string, error) {
	if err != nil {
		return "", nil, err
	}
	if isNil(v) {
		return "", nil, Nil
	}
	if v.Kind != resp.Array || len(v.Elems) != 2 {
		return "", nil, unexpected(v)
	}
	elems, err := stringsOf(v.Elems[1])
	return string(v.Elems[0].Str), elems, err
}

// BLPop pops the first element of the first non-empty list of keys, waiting
// up to timeout for one; it returns [key, element].
func (c cmds) BLPop(ctx context.Context, timeout time.Duration, keys ...string) ([]string, error) {
	return toStrings(c.block(ctx, newArgv("blpop", 1+len(keys)).s(keys...).secs(timeout)))
}

// BRPop is BLPop from the tail.
func (c cmds) BRPop(ctx context.Context, timeout time.Duration, keys ...string) ([]string, error) {
	return toStrings(c.block(ctx, newArgv("brpop", 1+len(keys)).s(keys...).secs(timeout)))
}

// BLMove is LMove waiting up to timeout for source to have an element: the
// reliable-queue building block (move a job to a processing list).
func (c cmds) BLMove(ctx context.Context, source, destination, srcpos, destpos string, timeout time.Duration) (string, error) {
	return toString(c.block(ctx, newArgv("blmove", 5).s(source, destination, srcpos, destpos).secs(timeout)))
}

// BRPopLPush is RPopLPush waiting up to timeout.
func (c cmds) BRPopLPush(ctx context.Context, source, destination string, timeout time.Duration) (string, error) {
	return toString(c.block(ctx, newArgv("brpoplpush", 3).s(source, destination).secs(timeout)))
}

// BLMPop is LMPop waiting up to timeout.
func (c cmds) BLMPop(ctx context.Context, timeout time.Duration, direction string, count int64, keys ...string) (string, []string, error) {
	a := newArgv("blmpop", 5+len(keys)).secs(timeout).i(int64(len(keys))).s(keys...).s(direction, "count").i(count)
	return toKeyStrings(c.block(ctx, a))
}
