package core

import (
	"math"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT), TTL
// PTTL EXPIRETIME PEXPIRETIME PERSIST. Expire times are absolute unix
// milliseconds in keys.expire_at.

func init() {
	const g = "generic"
	key1 := func(c *Command) *Command {
		c.FirstKey, c.LastKey, c.Step, c.Group = 1, 1, 1, g
		return c
	}
	register(
		key1(&Command{Name: "expire", Arity: -3, Flags: FlagWrite | FlagFast,
			Summary: "Set a key's time to live in seconds", Since: "1.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return expireCommand(c, c.Now, true) }}),
		key1(&Command{Name: "pexpire", Arity: -3, Flags: FlagWrite | FlagFast,
			Summary: "Set a key's time to live in milliseconds", Since: "2.6.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return expireCommand(c, c.Now, false) }}),
		key1(&Command{Name: "expireat", Arity: -3, Flags: FlagWrite | FlagFast,
			Summary: "Set the expiration for a key as a UNIX timestamp", Since: "1.2.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return expireCommand(c, 0, true) }}),
		key1(&Command{Name: "pexpireat", Arity: -3, Flags: FlagWrite | FlagFast,
			Summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds", Since: "2.6.0",
			Complexity: "O(1)", Run: func(c *Call) resp.Value { return expireCommand(c, 0, false) }}),
		key1(&Command{Name: "ttl", Arity: 2, Flags: FlagReadOnly | FlagFast, Exec: ExecRead,
			Summary: "Get the time to live for a key in seconds", Since: "1.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return ttlCommand(c, true, false) }}),
		key1(&Command{Name: "pttl", Arity: 2, Flags: FlagReadOnly | FlagFast, Exec: ExecRead,
			Summary: "Get the time to live for a key in milliseconds", Since: "2.6.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return ttlCommand(c, false, false) }}),
		key1(&Command{Name: "expiretime", Arity: 2, Flags: FlagReadOnly | FlagFast, Exec: ExecRead,
			Summary: "Get the expiration Unix timestamp for a key", Since: "7.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return ttlCommand(c, true, true) }}),
		key1(&Command{Name: "pexpiretime", Arity: 2, Flags: FlagReadOnly | FlagFast, Exec: ExecRead,
			Summary: "Get the expiration Unix timestamp for a key in milliseconds", Since: "7.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return ttlCommand(c, false, true) }}),
		key1(&Command{Name: "persist", Arity: 2, Flags: FlagWrite | FlagFast,
			Summary: "Remove the expiration from a key", Since: "2.2.0", Complexity: "O(1)", Run: cmdPersist}),
	)
}

// The conditions EXPIRE and its siblings accept after the time.
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

func parseExpireFlags(argv [][]byte) (int, resp.Value, bool) {
	flags := 0
	for _, a := range argv {
		switch {
		case eqFold(a, "NX"):
			flags |= expireNX
		case eqFold(a, "XX"):
			flags |= expireXX
		case eqFold(a, "GT"):
			flags |= expireGT
		case eqFold(a, "LT"):
			flags |= expireLT
		default:
			// Redis prints the option in the error with line breaks as spaces.
			opt := strings.NewReplacer("\r", " ", "\n", " ").Replace(string(a))
			return 0, resp.Err("ERR Unsupported option " + opt), false
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		return 0, resp.Err("ERR NX and XX, GT or LT options at the same time are not compatible"), false
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		return 0, resp.Err("ERR GT and LT options at the same time are not compatible"), false
	}
	return flags, resp.Value{}, true
}

// expireCommand is EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: base is the time
// a relative argument counts from (0 for the absolute forms). A time already
// past deletes the key, as Redis does; negative times are allowed.
func expireCommand(c *Call, base int64, unitSec bool) resp.Value {
	flags, errv, ok := parseExpireFlags(c.Args[3:])
	if !ok {
		return errv
	}
	when, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	bad := resp.Err("ERR invalid expire time in '" + c.Cmd.Name + "' command")
	if unitSec {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			return bad
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		return bad
	}
	when += base

	key := c.Args[1]
	k, ok := c.lookupWrite(key)
	if !ok {
		return resp.IntValue(0)
	}
	hasTTL := k.Expire != 0
	switch {
	case flags&expireNX != 0 && hasTTL,
		flags&expireXX != 0 && !hasTTL,
		// No expiry counts as an infinite one: never less than, never greater.
		flags&expireGT != 0 && (!hasTTL || when <= k.Expire),
		flags&expireLT != 0 && hasTTL && when >= k.Expire:
		return resp.IntValue(0)
	}
	if when <= c.Now {
		c.deleteKey(k.ID, key)
		c.notify(notifyGeneric, "del", key)
		return resp.IntValue(1)
	}
	c.setExpire(k.ID, when)
	c.notify(notifyGeneric, "expire", key)
	return resp.IntValue(1)
}

// roundSeconds converts milliseconds to seconds rounding half up, as TTL and
// EXPIRETIME report them, without overflowing near the int64 limit.
func roundSeconds(ms int64) int64 {
	s := ms / 1000
	if ms%1000 >= 500 {
		s++
	}
	return s
}

// ttlCommand is TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key,
// -1 for a key without expiry.
func ttlCommand(c *Call, unitSec, absolute bool) resp.Value {
	k, ok := c.lookup(c.Args[1])
	switch {
	case !ok:
		return resp.IntValue(-2)
	case k.Expire == 0:
		return resp.IntValue(-1)
	}
	v := k.Expire
	if !absolute {
		v = max(k.Expire-c.Now, 0)
	}
	if unitSec {
		v = roundSeconds(v)
	}
	return resp.IntValue(v)
}

func cmdPersist(c *Call) resp.Value {
	key := c.Args[1]
	k, ok := c.lookupWrite(key)
	if !ok || k.Expire == 0 {
		return resp.IntValue(0)
	}
	c.setExpire(k.ID, 0)
	c.notify(notifyGeneric, "persist", key)
	return resp.IntValue(1)
}
