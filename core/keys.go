package core

import (
	"bytes"
	"math"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// Generic key commands: DEL UNLINK EXISTS TYPE TOUCH RENAME RENAMENX MOVE
// COPY. The expiry commands are in keys_expire.go, KEYS SCAN RANDOMKEY in
// keys_scan.go and OBJECT in keys_object.go.
//
// A key's contents hang off its keys row by id, so renaming or moving a key
// rewrites one row whatever its size; the id stays and the version moves on,
// so WATCH on either name sees the change.

func init() {
	const g = "generic"
	register(
		&Command{Name: "del", Arity: -2, Flags: FlagWrite, FirstKey: 1, LastKey: -1, Step: 1, Group: g,
			Summary: "Delete a key", Since: "1.0.0",
			Complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
			Run:        cmdDel},
		&Command{Name: "unlink", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: -1, Step: 1, Group: g,
			Summary:    "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
			Since:      "4.0.0",
			Complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
			Note:       "The same as DEL: the elements of a collection are deleted in the command's transaction, O(M) for M elements.",
			Run:        cmdDel},
		&Command{Name: "exists", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1, Group: g,
			Summary: "Determine if a key exists", Since: "1.0.0",
			Complexity: "O(N) where N is the number of keys to check.", Run: cmdExists},
		&Command{Name: "touch", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1, Group: g,
			Summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
			Since:   "3.2.1", Complexity: "O(N) where N is the number of keys that will be touched.",
			Note: "redlite does not track access times (reads would become writes): TOUCH only counts the keys that exist.",
			Run:  cmdExists},
		&Command{Name: "type", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Group: g,
			Summary: "Determine the type stored at key", Since: "1.0.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdType},
		&Command{Name: "rename", Arity: 3, Flags: FlagWrite, FirstKey: 1, LastKey: 2, Step: 1, Group: g,
			Summary: "Rename a key", Since: "1.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return rename(c, false) }},
		&Command{Name: "renamenx", Arity: 3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, Step: 1, Group: g,
			Summary: "Rename a key, only if the new key does not exist", Since: "1.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return rename(c, true) }},
		&Command{Name: "move", Arity: 3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Group: g,
			Summary: "Move a key to another database", Since: "1.0.0", Complexity: "O(1)", Run: cmdMove},
		&Command{Name: "copy", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Step: 1, Group: g,
			Summary: "Copy a key", Since: "6.2.0",
			Complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
			Run:        cmdCopy},
	)
}

var (
	errSameObject = resp.Err("ERR source and destination objects are the same")
	errDBRange    = resp.Err("ERR DB index is out of range")
)

func cmdDel(c *Call) resp.Value {
	n := int64(0)
	for _, key := range c.Args[1:] {
		if k, ok := c.lookupWrite(key); ok {
			c.deleteKey(k.ID, key)
			c.notify(notifyGeneric, "del", key)
			n++
		}
	}
	return resp.IntValue(n)
}

// cmdExists answers EXISTS and TOUCH: a key named twice counts twice.
func cmdExists(c *Call) resp.Value {
	n := int64(0)
	for _, key := range c.Args[1:] {
		if _, ok := c.lookup(key); ok {
			n++
		}
	}
	return resp.IntValue(n)
}

func cmdType(c *Call) resp.Value {
	k, ok := c.lookup(c.Args[1])
	if !ok {
		return resp.StatusValue("none")
	}
	return resp.StatusValue(typeNames[k.Type])
}

func rename(c *Call, nx bool) resp.Value {
	src, dst := c.Args[1], c.Args[2]
	k, ok := c.lookupWrite(src)
	if !ok {
		return errNoSuchKey
	}
	if bytes.Equal(src, dst) {
		if nx {
			return resp.IntValue(0)
		}
		return resp.OK()
	}
	if d, ok := c.lookupWrite(dst); ok {
		if nx {
			return resp.IntValue(0)
		}
		c.deleteKey(d.ID, dst)
	}
	// The row keeps its id (so its contents follow) and gets a new version.
	c.exec(`UPDATE keys SET key = ?, version = version + 1 WHERE id = ?`, dst, k.ID)
	c.keyChanged(src)
	c.keyChanged(dst)
	c.notify(notifyGeneric, "rename_from", src)
	c.notify(notifyGeneric, "rename_to", dst)
	if nx {
		return resp.IntValue(1)
	}
	return resp.OK()
}

// parseInt32Arg parses an argument Redis reads as a C int
// (getIntFromObjectOrReply), with its two errors.
func parseInt32Arg(b []byte) (int64, resp.Value, bool) {
	n, ok := ParseInt(b)
	if !ok {
		return 0, errNotInt, false
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, resp.Err("ERR value is out of range, value must between " +
			strconv.Itoa(math.MinInt32) + " and " + strconv.Itoa(math.MaxInt32)), false
	}
	return n, resp.Value{}, true
}

// parseTargetDB parses the database argument of MOVE and COPY.
func parseTargetDB(b []byte) (int, resp.Value, bool) {
	n, errv, ok := parseInt32Arg(b)
	if !ok {
		return 0, errv, false
	}
	if n < 0 || n >= NumDatabases {
		return 0, errDBRange, false
	}
	return int(n), resp.Value{}, true
}

// inDB runs fn with the transaction switched to database db, so lookups,
// writes, wake-ups and notifications inside fn address that database.
func (tx *Tx) inDB(db int, fn func()) {
	saved := tx.DB
	tx.DB = db
	defer func() { tx.DB = saved }()
	fn()
}

func cmdMove(c *Call) resp.Value {
	key := c.Args[1]
	dstDB, errv, ok := parseTargetDB(c.Args[2])
	if !ok {
		return errv
	}
	if dstDB == c.DB {
		return errSameObject
	}
	k, ok := c.lookupWrite(key)
	if !ok {
		return resp.IntValue(0)
	}
	taken := false
	c.inDB(dstDB, func() { _, taken = c.lookupWrite(key) })
	if taken {
		return resp.IntValue(0)
	}
	c.exec(`UPDATE keys SET db = ?, version = version + 1 WHERE id = ?`, dstDB, k.ID)
	c.keyChanged(key)
	c.notify(notifyGeneric, "move_from", key)
	c.inDB(dstDB, func() {
		c.keyChanged(key)
		c.notify(notifyGeneric, "move_to", key)
	})
	return resp.IntValue(1)
}

func cmdCopy(c *Call) resp.Value {
	src, dst := c.Args[1], c.Args[2]
	dstDB, replace := c.DB, false
	for i := 3; i < len(c.Args); i++ {
		switch a := c.Args[i]; {
		case eqFold(a, "REPLACE"):
			replace = true
		case eqFold(a, "DB") && i+1 < len(c.Args):
			n, errv, ok := parseTargetDB(c.Args[i+1])
			if !ok {
				return errv
			}
			dstDB = n
			i++
		default:
			return errSyntax
		}
	}
	if dstDB == c.DB && bytes.Equal(src, dst) {
		return errSameObject
	}
	k, ok := c.lookupWrite(src)
	if !ok {
		return resp.IntValue(0)
	}
	ops := typeRegistry[k.Type]
	if ops == nil || ops.copyContents == nil {
		// Every data type registers its copy; a missing one is a build
		// without that family, and a half copy must never be written.
		return resp.Err("ERR COPY is not supported for keys of type " + typeNames[k.Type])
	}
	copied := false
	c.inDB(dstDB, func() {
		if d, exists := c.lookupWrite(dst); exists {
			if !replace {
				return
			}
			c.deleteKey(d.ID, dst)
		}
		// The keys row carries the type, expiry, element count and a
		// string's value; the collection's elements follow by id.
		_, id := c.exec(`INSERT INTO keys(db, key, type, expire_at, version, count, value)
			SELECT ?, ?, type, expire_at, 1, count, value FROM keys WHERE id = ?`, c.DB, dst, k.ID)
		if c.err != nil {
			return
		}
		ops.copyContents(c.Tx, k.ID, id)
		c.keyChanged(dst)
		c.notify(notifyGeneric, "copy_to", dst)
		copied = true
	})
	return resp.BoolInt(copied)
}
