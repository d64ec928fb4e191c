package redlite

import (
	"context"
	"strconv"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Generic key commands.

// Del deletes keys and returns how many existed.
func (c cmds) Del(ctx context.Context, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("del", len(keys)).s(keys...)))
}

// Unlink is Del (redlite frees nothing lazily: the delete commits at once).
func (c cmds) Unlink(ctx context.Context, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("unlink", len(keys)).s(keys...)))
}

// Exists returns how many of keys exist (a key named twice counts twice).
func (c cmds) Exists(ctx context.Context, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("exists", len(keys)).s(keys...)))
}

// Touch returns how many of keys exist, updating their access time.
func (c cmds) Touch(ctx context.Context, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("touch", len(keys)).s(keys...)))
}

// Type returns the type of key: "string", "list", "set", "zset", "hash",
// "stream", or "none" when it does not exist.
func (c cmds) Type(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("type", 1).s(key)))
}

// Rename renames key to newkey, replacing newkey.
func (c cmds) Rename(ctx context.Context, key, newkey string) error {
	return toStatus(c.run(ctx, newArgv("rename", 2).s(key, newkey)))
}

// RenameNX renames key to newkey only if newkey does not exist, and reports
// whether it did.
func (c cmds) RenameNX(ctx context.Context, key, newkey string) (bool, error) {
	return toBool(c.run(ctx, newArgv("renamenx", 2).s(key, newkey)))
}

// Move moves key to database db and reports whether it did.
func (c cmds) Move(ctx context.Context, key string, db int) (bool, error) {
	return toBool(c.run(ctx, newArgv("move", 2).s(key).i(int64(db))))
}

// Copy copies source to destination in database db, replacing destination
// when replace is set; it returns 1 if it copied, 0 if not.
func (c cmds) Copy(ctx context.Context, source, destination string, db int, replace bool) (int64, error) {
	a := newArgv("copy", 5).s(source, destination, "db").i(int64(db))
	if replace {
		a = a.s("replace")
	}
	return toInt(c.run(ctx, a))
}

// Expire sets key to expire after expiration (EXPIRE in seconds, or PEXPIRE
// when expiration is not whole seconds) and reports whether key exists.
func (c cmds) Expire(ctx context.Context, key string, expiration time.Duration) (bool, error) {
	return c.expire(ctx, key, expiration, "")
}

// ExpireNX is Expire only when key has no expiry.
func (c cmds) ExpireNX(ctx context.Context, key string, expiration time.Duration) (bool, error) {
	return c.expire(ctx, key, expiration, "nx")
}

// ExpireXX is Expire only when key has an expiry.
func (c cmds) ExpireXX(ctx context.Context, key string, expiration time.Duration) (bool, error) {
	return c.expire(ctx, key, expiration, "xx")
}

// ExpireGT is Expire only when the new expiry is later than the current one.
func (c cmds) ExpireGT(ctx context.Context, key string, expiration time.Duration) (bool, error) {
	return c.expire(ctx, key, expiration, "gt")
}

// ExpireLT is Expire only when the new expiry is earlier than the current one.
func (c cmds) ExpireLT(ctx context.Context, key string, expiration time.Duration) (bool, error) {
	return c.expire(ctx, key, expiration, "lt")
}

func (c cmds) expire(ctx context.Context, key string, d time.Duration, mode string) (bool, error) {
	var a argv
	if d%time.Second == 0 {
		a = newArgv("expire", 3).s(key).i(int64(d / time.Second))
	} else {
		a = newArgv("pexpire", 3).s(key).i(d.Milliseconds())
	}
	if mode != "" {
		a = a.s(mode)
	}
	return toBool(c.run(ctx, a))
}

// PExpire sets key to expire after expiration, in milliseconds.
func (c cmds) PExpire(ctx context.Context, key string, expiration time.Duration) (bool, error) {
	return toBool(c.run(ctx, newArgv("pexpire", 2).s(key).i(expiration.Milliseconds())))
}

// ExpireAt sets key to expire at tm, to the second.
func (c cmds) ExpireAt(ctx context.Context, key string, tm time.Time) (bool, error) {
	return toBool(c.run(ctx, newArgv("expireat", 2).s(key).i(tm.Unix())))
}

// PExpireAt sets key to expire at tm, to the millisecond.
func (c cmds) PExpireAt(ctx context.Context, key string, tm time.Time) (bool, error) {
	return toBool(c.run(ctx, newArgv("pexpireat", 2).s(key).i(tm.UnixMilli())))
}

// Persist removes key's expiry and reports whether it had one.
func (c cmds) Persist(ctx context.Context, key string) (bool, error) {
	return toBool(c.run(ctx, newArgv("persist", 1).s(key)))
}

// TTL returns the time key has left. As in go-redis, a key without expiry
// gives -1 (time.Duration(-1)) and a missing key -2.
func (c cmds) TTL(ctx context.Context, key string) (time.Duration, error) {
	return toDuration(c.run(ctx, newArgv("ttl", 1).s(key)))(time.Second)
}

// PTTL is TTL to the millisecond.
func (c cmds) PTTL(ctx context.Context, key string) (time.Duration, error) {
	return toDuration(c.run(ctx, newArgv("pttl", 1).s(key)))(time.Millisecond)
}

// ExpireTime returns key's absolute expiry as a duration since the Unix
// epoch, to the second; -1 without expiry, -2 for a missing key.
func (c cmds) ExpireTime(ctx context.Context, key string) (time.Duration, error) {
	return toDuration(c.run(ctx, newArgv("expiretime", 1).s(key)))(time.Second)
}

// PExpireTime is ExpireTime to the millisecond.
func (c cmds) PExpireTime(ctx context.Context, key string) (time.Duration, error) {
	return toDuration(c.run(ctx, newArgv("pexpiretime", 1).s(key)))(time.Millisecond)
}

// toDuration reads an integer in unit, keeping the -1 and -2 markers as
// they are (go-redis' DurationCmd does the same).
func toDuration(v resp.Value, err error) func(unit time.Duration) (time.Duration, error) {
	return func(unit time.Duration) (time.Duration, error) {
		n, err := toInt(v, err)
		if err != nil {
			return 0, err
		}
		if n < 0 {
			return time.Duration(n), nil
		}
		return time.Duration(n) * unit, nil
	}
}

// Keys returns the keys matching a glob pattern. It reads the whole
// keyspace: use Scan on large databases.
func (c cmds) Keys(ctx context.Context, pattern string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("keys", 1).s(pattern)))
}

// Scan returns a page of keys matching match ("" for all) and the cursor of
// the next page, 0 when the iteration is complete. count is a hint of the
// page size (0 for the default).
func (c cmds) Scan(ctx context.Context, cursor uint64, match string, count int64) ([]string, uint64, error) {
	return c.scan(ctx, newArgv("scan", 7), cursor, match, count, "")
}

// ScanType is Scan for keys of one type ("string", "hash"...).
func (c cmds) ScanType(ctx context.Context, cursor uint64, match string, count int64, keyType string) ([]string, uint64, error) {
	return c.scan(ctx, newArgv("scan", 7), cursor, match, count, keyType)
}

// scan runs SCAN or HSCAN/SSCAN/ZSCAN (a already holds the key).
func (c cmds) scan(ctx context.Context, a argv, cursor uint64, match string, count int64, keyType string) ([]string, uint64, error) {
	a = append(a, strconv.AppendUint(nil, cursor, 10))
	if match != "" {
		a = a.s("match", match)
	}
	if count > 0 {
		a = a.s("count").i(count)
	}
	if keyType != "" {
		a = a.s("type", keyType)
	}
	v, err := c.run(ctx, a)
	if err != nil {
		return nil, 0, err
	}
	if v.Kind != resp.Array || len(v.Elems) != 2 {
		return nil, 0, unexpected(v)
	}
	next, err := strconv.ParseUint(string(v.Elems[0].Str), 10, 64)
	if err != nil {
		return nil, 0, err
	}
	items, err := stringsOf(v.Elems[1])
	return items, next, err
}

// RandomKey returns a random key, or Nil when the database is empty.
func (c cmds) RandomKey(ctx context.Context) (string, error) {
	return toString(c.run(ctx, newArgv("randomkey", 0)))
}

// ObjectEncoding returns the encoding Redis would use for key's value
// ("listpack", "hashtable", "int", "embstr"...).
func (c cmds) ObjectEncoding(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("object", 2).s("encoding", key)))
}

// ObjectRefCount returns OBJECT REFCOUNT for key.
func (c cmds) ObjectRefCount(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("object", 2).s("refcount", key)))
}

// ObjectIdleTime returns how long key has not been accessed.
func (c cmds) ObjectIdleTime(ctx context.Context, key string) (time.Duration, error) {
	return toDuration(c.run(ctx, newArgv("object", 2).s("idletime", key)))(time.Second)
}

// ObjectFreq returns key's access frequency (with an LFU maxmemory-policy).
func (c cmds) ObjectFreq(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("object", 2).s("freq", key)))
}
