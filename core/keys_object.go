package core

import (
	"math"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// OBJECT: introspection answers in the shapes clients and GUI tools expect.
// redlite stores no Redis objects, so ENCODING names the encoding Redis
// would use for a value of that size, REFCOUNT follows Redis' shared
// integers, and access times and frequencies, which redlite does not track
// (reads would have to write), read as 0.

func init() {
	const g = "generic"
	sub := func(summary, since, note string, run func(c *Call) resp.Value) *Command {
		return &Command{Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
			Summary: summary, Since: since, Complexity: "O(1)", Note: note, Run: run}
	}
	register(&Command{Name: "object", Arity: -2, Group: g,
		Summary: "A container for object introspection commands", Since: "2.2.3", Complexity: "Depends on subcommand.",
		Subcommands: map[string]*Command{
			"encoding": sub("Inspect the internal encoding of a Redis object", "2.2.3",
				"The encoding Redis would use for a value of this size.", cmdObjectEncoding),
			"refcount": sub("Get the number of references to the value of the key", "2.2.3",
				"2147483647 for strings Redis would store as shared integers, otherwise 1.", cmdObjectRefcount),
			"idletime": sub("Get the time since a Redis object was last accessed", "2.2.3",
				"Access times are not tracked (every read would have to write): always 0, so every key looks just used, and tools that remove idle keys by it remove none. Under an LFU maxmemory-policy, Redis' error.", cmdObjectIdletime),
			"freq": sub("Get the logarithmic access frequency counter of a Redis object", "4.0.0",
				"Access frequencies are not tracked (every read would have to write): always 0 under an LFU maxmemory-policy, so no key looks hot; without one, Redis' error.", cmdObjectFreq),
			"help": {Arity: 2, Flags: FlagLoading | FlagStale, Summary: "Show helpful text about the different subcommands",
				Since: "6.2.0", Complexity: "O(1)", Run: cmdObjectHelp},
		}})
}

// defaultEncodings answer OBJECT ENCODING for a type whose family has not
// registered an encoding function: the name Redis 7.0 gives a small value.
var defaultEncodings = map[int64]string{
	TypeString: "embstr", TypeList: "quicklist", TypeSet: "hashtable",
	TypeZSet: "listpack", TypeHash: "listpack", TypeStream: "stream",
}

func cmdObjectEncoding(c *Call) resp.Value {
	k, ok := c.lookup(c.Args[2])
	if !ok {
		return resp.NilValue()
	}
	if ops := typeRegistry[k.Type]; ops != nil && ops.encoding != nil {
		return resp.BulkString(ops.encoding(c.Tx, k))
	}
	return resp.BulkString(defaultEncodings[k.Type])
}

// sharedIntegers is Redis' OBJ_SHARED_INTEGERS: strings holding 0..9999 point
// at one shared object, whose refcount reads as INT_MAX.
const sharedIntegers = 10000

func cmdObjectRefcount(c *Call) resp.Value {
	k, ok := c.lookup(c.Args[2])
	if !ok {
		return resp.NilValue()
	}
	if k.Type == TypeString && usesSharedIntegers(c.store) {
		var val []byte
		c.queryRow(`SELECT value FROM keys WHERE id = ?`, args(k.ID), func(r *rows) { val = r.bytes(0) })
		if n, ok := ParseInt(val); ok && n >= 0 && n < sharedIntegers {
			return resp.IntValue(math.MaxInt32)
		}
	}
	return resp.IntValue(1)
}

// usesSharedIntegers mirrors Redis: with a maxmemory limit and an LRU or LFU
// policy every value needs its own access data, so integers are not shared.
func usesSharedIntegers(db *DB) bool {
	maxmem, _ := db.Config.Get("maxmemory")
	return maxmem == "0" || !(strings.Contains(maxmemoryPolicy(db), "lru") || lfuPolicy(db))
}

func maxmemoryPolicy(db *DB) string {
	p, _ := db.Config.Get("maxmemory-policy")
	return p
}

func lfuPolicy(db *DB) bool { return strings.Contains(maxmemoryPolicy(db), "lfu") }

func cmdObjectIdletime(c *Call) resp.Value {
	if _, ok := c.lookup(c.Args[2]); !ok {
		return resp.NilValue()
	}
	if lfuPolicy(c.store) {
		return resp.Err("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
	}
	return resp.IntValue(0)
}

func cmdObjectFreq(c *Call) resp.Value {
	if _, ok := c.lookup(c.Args[2]); !ok {
		return resp.NilValue()
	}
	if !lfuPolicy(c.store) {
		return resp.Err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
	}
	return resp.IntValue(0)
}

func cmdObjectHelp(c *Call) resp.Value {
	return helpReply("OBJECT", []string{
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
	})
}
