package redlite

import "context"

// Hash commands.

// HSet sets fields of the hash at key and returns how many were new. values
// are pairs ("f1", "v1", "f2", "v2"), a []string of pairs, or a
// map[string]any / map[string]string.
func (c cmds) HSet(ctx context.Context, key string, values ...any) (int64, error) {
	a, err := newArgv("hset", 1+len(values)).s(key).pairs(values)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// HMSet is HSet answering true (HMSET's +OK).
func (c cmds) HMSet(ctx context.Context, key string, values ...any) (bool, error) {
	a, err := newArgv("hmset", 1+len(values)).s(key).pairs(values)
	if err != nil {
		return false, err
	}
	return toBool(c.run(ctx, a))
}

// HSetNX sets field only if it does not exist, and reports whether it did.
func (c cmds) HSetNX(ctx context.Context, key, field string, value any) (bool, error) {
	a, err := newArgv("hsetnx", 3).s(key, field).v(value)
	if err != nil {
		return false, err
	}
	return toBool(c.run(ctx, a))
}

// HGet returns the value of field, or Nil.
func (c cmds) HGet(ctx context.Context, key, field string) (string, error) {
	return toString(c.run(ctx, newArgv("hget", 2).s(key, field)))
}

// HGetBytes is HGet returning bytes.
func (c cmds) HGetBytes(ctx context.Context, key, field string) ([]byte, error) {
	return toBytes(c.run(ctx, newArgv("hget", 2).s(key, field)))
}

// HMGet returns the values of fields: a string each, nil for a missing one.
func (c cmds) HMGet(ctx context.Context, key string, fields ...string) ([]any, error) {
	return toAnys(c.run(ctx, newArgv("hmget", 1+len(fields)).s(key).s(fields...)))
}

// HGetAll returns every field and value (an empty map for a missing key).
func (c cmds) HGetAll(ctx context.Context, key string) (map[string]string, error) {
	return toStringMap(c.run(ctx, newArgv("hgetall", 1).s(key)))
}

// HDel deletes fields and returns how many existed.
func (c cmds) HDel(ctx context.Context, key string, fields ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("hdel", 1+len(fields)).s(key).s(fields...)))
}

// HExists reports whether field exists.
func (c cmds) HExists(ctx context.Context, key, field string) (bool, error) {
	return toBool(c.run(ctx, newArgv("hexists", 2).s(key, field)))
}

// HKeys returns the hash's fields.
func (c cmds) HKeys(ctx context.Context, key string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("hkeys", 1).s(key)))
}

// HVals returns the hash's values.
func (c cmds) HVals(ctx context.Context, key string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("hvals", 1).s(key)))
}

// HLen returns the number of fields.
func (c cmds) HLen(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("hlen", 1).s(key)))
}

// HStrLen returns the length of field's value (0 if missing).
func (c cmds) HStrLen(ctx context.Context, key, field string) (int64, error) {
	return toInt(c.run(ctx, newArgv("hstrlen", 2).s(key, field)))
}

// HIncrBy adds incr to the integer in field and returns the result.
func (c cmds) HIncrBy(ctx context.Context, key, field string, incr int64) (int64, error) {
	return toInt(c.run(ctx, newArgv("hincrby", 3).s(key, field).i(incr)))
}

// HIncrByFloat adds incr to the number in field and returns the result.
func (c cmds) HIncrByFloat(ctx context.Context, key, field string, incr float64) (float64, error) {
	return toFloat(c.run(ctx, newArgv("hincrbyfloat", 3).s(key, field).f(incr)))
}

// HRandField returns up to count random fields (count < 0 allows repeats
// and returns exactly -count).
func (c cmds) HRandField(ctx context.Context, key string, count int) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("hrandfield", 2).s(key).i(int64(count))))
}

// HRandFieldWithValues is HRandField with the values.
func (c cmds) HRandFieldWithValues(ctx context.Context, key string, count int) ([]KeyValue, error) {
	return toKeyValues(c.run(ctx, newArgv("hrandfield", 3).s(key).i(int64(count)).s("withvalues")))
}

// HScan returns a page of fields and values, flat (field, value, field,
// value...), and the next cursor (0 at the end).
func (c cmds) HScan(ctx context.Context, key string, cursor uint64, match string, count int64) ([]string, uint64, error) {
	return c.scan(ctx, newArgv("hscan", 6).s(key), cursor, match, count, "")
}
