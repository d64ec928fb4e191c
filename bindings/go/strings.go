package redlite

import (
	"context"
	"time"
)

// String commands.

// Get returns the value of key, or Nil if it does not exist.
func (c cmds) Get(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, argv{[]byte("get"), []byte(key)}))
}

// GetBytes is Get returning the value's bytes.
func (c cmds) GetBytes(ctx context.Context, key string) ([]byte, error) {
	return toBytes(c.run(ctx, argv{[]byte("get"), []byte(key)}))
}

// SetOption is an option of Set and SetGet: EX, PX, EXAT, PXAT, KeepTTL, NX
// or XX, as in Redis' SET.
type SetOption struct {
	word string
	n    int64
}

// EX expires the key after d, in whole seconds.
func EX(d time.Duration) SetOption { return SetOption{"ex", int64(d / time.Second)} }

// PX expires the key after d, in milliseconds.
func PX(d time.Duration) SetOption { return SetOption{"px", d.Milliseconds()} }

// EXAT expires the key at t, to the second.
func EXAT(t time.Time) SetOption { return SetOption{"exat", t.Unix()} }

// PXAT expires the key at t, to the millisecond.
func PXAT(t time.Time) SetOption { return SetOption{"pxat", t.UnixMilli()} }

// KeepTTL keeps the key's current expiry.
func KeepTTL() SetOption { return SetOption{word: "keepttl"} }

// NX sets the key only if it does not exist.
func NX() SetOption { return SetOption{word: "nx"} }

// XX sets the key only if it exists.
func XX() SetOption { return SetOption{word: "xx"} }

func setArgv(key string, value any, opts []SetOption, get bool) (argv, error) {
	a, err := newArgv("set", 3+2*len(opts)).s(key).v(value)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		a = a.s(o.word)
		switch o.word {
		case "ex", "px", "exat", "pxat":
			a = a.i(o.n)
		}
	}
	if get {
		a = a.s("get")
	}
	return a, nil
}

// Set stores value at key, replacing any value and type. With NX or XX, a
// set that did not happen returns Nil.
func (c cmds) Set(ctx context.Context, key string, value any, opts ...SetOption) error {
	a, err := setArgv(key, value, opts, false)
	if err != nil {
		return err
	}
	return toStatus(c.run(ctx, a))
}

// SetGet is Set with GET: it returns the previous value, or Nil if there was
// none.
func (c cmds) SetGet(ctx context.Context, key string, value any, opts ...SetOption) (string, error) {
	a, err := setArgv(key, value, opts, true)
	if err != nil {
		return "", err
	}
	return toString(c.run(ctx, a))
}

// expiry appends d as EX seconds, or PX milliseconds when d is not whole
// seconds, as go-redis does.
func (a argv) expiry(d time.Duration) argv {
	if d%time.Second == 0 {
		return a.s("ex").i(int64(d / time.Second))
	}
	return a.s("px").i(d.Milliseconds())
}

// SetNX sets key only if it does not exist, expiring after expiration
// unless it is 0, and reports whether it did.
func (c cmds) SetNX(ctx context.Context, key string, value any, expiration time.Duration) (bool, error) {
	return c.setIf(ctx, "nx", key, value, expiration)
}

// SetXX sets key only if it exists, expiring after expiration unless it is
// 0, and reports whether it did.
func (c cmds) SetXX(ctx context.Context, key string, value any, expiration time.Duration) (bool, error) {
	return c.setIf(ctx, "xx", key, value, expiration)
}

func (c cmds) setIf(ctx context.Context, mode, key string, value any, expiration time.Duration) (bool, error) {
	a, err := newArgv("set", 5).s(key).v(value)
	if err != nil {
		return false, err
	}
	if expiration != 0 {
		a = a.expiry(expiration)
	}
	return toBool(c.run(ctx, a.s(mode)))
}

// SetEx stores value at key expiring after expiration.
func (c cmds) SetEx(ctx context.Context, key string, value any, expiration time.Duration) error {
	a, err := newArgv("set", 4).s(key).v(value)
	if err != nil {
		return err
	}
	return toStatus(c.run(ctx, a.expiry(expiration)))
}

// GetSet stores value at key and returns the previous value (Nil if none).
func (c cmds) GetSet(ctx context.Context, key string, value any) (string, error) {
	a, err := newArgv("getset", 2).s(key).v(value)
	if err != nil {
		return "", err
	}
	return toString(c.run(ctx, a))
}

// GetEx returns the value of key and sets its expiry: after expiration when
// it is positive, none (PERSIST) when it is 0, unchanged when negative.
func (c cmds) GetEx(ctx context.Context, key string, expiration time.Duration) (string, error) {
	a := newArgv("getex", 3).s(key)
	switch {
	case expiration > 0:
		a = a.expiry(expiration)
	case expiration == 0:
		a = a.s("persist")
	}
	return toString(c.run(ctx, a))
}

// GetDel returns the value of key and deletes it.
func (c cmds) GetDel(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("getdel", 1).s(key)))
}

// MGet returns the values of keys: a string each, nil for a missing key.
func (c cmds) MGet(ctx context.Context, keys ...string) ([]any, error) {
	return toAnys(c.run(ctx, newArgv("mget", len(keys)).s(keys...)))
}

// MSet sets several keys at once; values are pairs ("k1", "v1", "k2", "v2"),
// a []string of pairs, or a map[string]any / map[string]string.
func (c cmds) MSet(ctx context.Context, values ...any) error {
	a, err := newArgv("mset", len(values)).pairs(values)
	if err != nil {
		return err
	}
	return toStatus(c.run(ctx, a))
}

// MSetNX is MSet only if none of the keys exists; it reports whether it set
// them.
func (c cmds) MSetNX(ctx context.Context, values ...any) (bool, error) {
	a, err := newArgv("msetnx", len(values)).pairs(values)
	if err != nil {
		return false, err
	}
	return toBool(c.run(ctx, a))
}

// Incr adds 1 to the integer at key and returns the result.
func (c cmds) Incr(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("incr", 1).s(key)))
}

// Decr subtracts 1 from the integer at key and returns the result.
func (c cmds) Decr(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("decr", 1).s(key)))
}

// IncrBy adds n to the integer at key and returns the result.
func (c cmds) IncrBy(ctx context.Context, key string, n int64) (int64, error) {
	return toInt(c.run(ctx, newArgv("incrby", 2).s(key).i(n)))
}

// DecrBy subtracts n from the integer at key and returns the result.
func (c cmds) DecrBy(ctx context.Context, key string, n int64) (int64, error) {
	return toInt(c.run(ctx, newArgv("decrby", 2).s(key).i(n)))
}

// IncrByFloat adds x to the number at key and returns the result.
func (c cmds) IncrByFloat(ctx context.Context, key string, x float64) (float64, error) {
	return toFloat(c.run(ctx, newArgv("incrbyfloat", 2).s(key).f(x)))
}

// Append appends value to the string at key and returns its new length.
func (c cmds) Append(ctx context.Context, key, value string) (int64, error) {
	return toInt(c.run(ctx, newArgv("append", 2).s(key, value)))
}

// StrLen returns the length of the string at key (0 if missing).
func (c cmds) StrLen(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("strlen", 1).s(key)))
}

// GetRange returns the substring of the value at key between start and end
// (inclusive; negative counts from the end).
func (c cmds) GetRange(ctx context.Context, key string, start, end int64) (string, error) {
	return toString(c.run(ctx, newArgv("getrange", 3).s(key).i(start).i(end)))
}

// SetRange overwrites the value at key from offset and returns its new
// length.
func (c cmds) SetRange(ctx context.Context, key string, offset int64, value string) (int64, error) {
	return toInt(c.run(ctx, newArgv("setrange", 3).s(key).i(offset).s(value)))
}

// LCS returns the longest common subsequence of the strings at key1 and key2.
func (c cmds) LCS(ctx context.Context, key1, key2 string) (string, error) {
	return toString(c.run(ctx, newArgv("lcs", 2).s(key1, key2)))
}

// LCSLen returns the length of the longest common subsequence of the
// strings at key1 and key2.
func (c cmds) LCSLen(ctx context.Context, key1, key2 string) (int64, error) {
	return toInt(c.run(ctx, newArgv("lcs", 3).s(key1, key2, "len")))
}
