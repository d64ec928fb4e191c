package core

import (
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// Key-miss events (notify-keyspace-events 'm'): Redis sends "keymiss" when
// a command reads a key that does not exist (or has expired), through its
// read lookup; write lookups send none. Which keys a command reads that way
// is a property of the command, so it is described here, once, instead of
// in every family's read path: read-only commands read all their keys, a
// few writing commands read some (GETDEL, the sources of the *STORE
// commands...). While 'm' is off all this costs one atomic load per command.
//
// The events go to the subscribers of the process that ran the command: they
// are not recorded in the file for other processes' subscribers, which would
// turn every read that misses into a write.

// keyMissReads returns the positions in argv of the keys cmd reads with
// Redis' read lookup, and how many times it looks each up.
func keyMissReads(cmd *Command, argv [][]byte) (pos []int, times int) {
	switch cmd.Name {
	case "object|encoding", "object|refcount", "object|idletime", "object|freq":
		return nil, 0 // OBJECT looks keys up without notifying
	case "getex", "getdel", "getset", "copy", "sort":
		return []int{1}, 1
	case "set":
		for _, a := range argv[3:] {
			if eqFold(a, "get") {
				return []int{1}, 1
			}
		}
		return nil, 0
	case "bitfield":
		// Only the read-only form (GET alone) reads with the read lookup.
		for _, a := range argv[2:] {
			if eqFold(a, "set") || eqFold(a, "incrby") {
				return nil, 0
			}
		}
		return []int{1}, 1
	case "sunionstore", "sinterstore", "sdiffstore", "zunionstore", "zinterstore", "zdiffstore", "zrangestore", "bitop":
		p, ok := cmd.KeyPositions(argv)
		if !ok || len(p) < 2 {
			return nil, 0
		}
		return p[1:], 1 // every key but the destination
	case "xread":
		// XREAD looks each stream up twice: to resolve its id, then to read.
		p, _ := cmd.KeyPositions(argv)
		return p, 2
	case "xreadgroup":
		p, _ := cmd.KeyPositions(argv)
		return p, 1
	}
	if cmd.Flags&FlagReadOnly == 0 {
		return nil, 0
	}
	p, _ := cmd.KeyPositions(argv)
	return p, 1
}

// keyMissOn reports whether key-miss events are enabled.
func (db *DB) keyMissOn() bool { return db.notifyMask.Load()&notifyKeyMiss != 0 }

// missedKey is a key a command reads that was missing when it started.
type missedKey struct {
	key    []byte
	before bool // no key of another type precedes it (see keyMissFilter)
}

// findMisses looks the read keys up in tx, before the command runs.
func (tx *Tx) findMisses(cmd *Command, argv [][]byte) []missedKey {
	pos, times := keyMissReads(cmd, argv)
	if len(pos) == 0 {
		return nil
	}
	want := groupTypes[cmd.Group]
	var out []missedKey
	clean := true
	for _, p := range pos {
		if p >= len(argv) {
			continue
		}
		k, ok := tx.liveKey(argv[p])
		if ok {
			if want != 0 && k.Type != want {
				clean = false
			}
			continue
		}
		out = append(out, missedKey{argv[p], clean})
	}
	// A command that looks its keys up more than once does it in passes.
	first := len(out)
	for i := 1; i < times; i++ {
		out = append(out, out[:first]...)
	}
	return out
}

// groupTypes is the type a command group's commands expect their keys to
// hold, for the WRONGTYPE rule below.
var groupTypes = map[string]int64{
	"string": TypeString, "bitmap": TypeString, "list": TypeList, "set": TypeSet,
	"sorted-set": TypeZSet, "hash": TypeHash, "stream": TypeStream,
}

// keyMissFilter keeps the misses Redis would have reported given the reply.
// Redis checks arguments before it looks keys up, so a command refused for
// its arguments reports none (but "no such key" comes from the lookup); one
// that stops at a key of the wrong type has looked up only the keys before
// it.
func keyMissFilter(cmd *Command, misses []missedKey, reply resp.Value) []missedKey {
	if reply.Kind != resp.Error {
		return misses
	}
	msg := string(reply.Str)
	if strings.HasPrefix(msg, "WRONGTYPE") {
		out := misses[:0]
		for _, m := range misses {
			if m.before {
				out = append(out, m)
			}
		}
		return out
	}
	if strings.HasPrefix(msg, "ERR") && msg != string(errNoSuchKey.Str) {
		return nil
	}
	return misses
}

// runNotifyingMisses runs c's command inside its transaction and queues its
// key-miss events ahead of the command's own events.
func (c *Call) runNotifyingMisses() resp.Value {
	misses := c.Tx.findMisses(c.Cmd, c.Args)
	if len(misses) == 0 {
		return c.Cmd.Run(c)
	}
	start := len(c.Tx.hooks)
	reply := c.Cmd.Run(c)
	if c.Tx.err != nil {
		return reply
	}
	misses = keyMissFilter(c.Cmd, misses, reply)
	if len(misses) == 0 {
		return reply
	}
	store, db := c.Tx.store, c.Tx.DB
	hooks := make([]func(), 0, len(misses)+len(c.Tx.hooks)-start)
	for _, m := range misses {
		key := append([]byte(nil), m.key...)
		hooks = append(hooks, func() { store.keyMissEvent(db, key) })
	}
	hooks = append(hooks, c.Tx.hooks[start:]...)
	c.Tx.hooks = append(c.Tx.hooks[:start], hooks...)
	return reply
}

// runCustomNotifyingMisses is runNotifyingMisses for a command that runs
// its own transactions (XREAD, XREADGROUP): the keys are looked up in a read
// of their own, and the events sent before the command runs, as Redis sends
// them before a blocking read waits.
func (s *Session) runCustomNotifyingMisses(c *Call) resp.Value {
	if pos, _ := keyMissReads(c.Cmd, c.Args); len(pos) > 0 {
		probe := &Tx{}
		probe.begin(s.store, s)
		var misses []missedKey
		s.store.read(probe, func(tx *Tx) resp.Value {
			misses = tx.findMisses(c.Cmd, c.Args)
			return resp.OK()
		})
		for _, m := range misses {
			s.store.keyMissEvent(probe.DB, m.key)
		}
	}
	return c.Cmd.Run(c)
}

// runCmd runs c's command inside the transaction the caller opened.
func (c *Call) runCmd() resp.Value {
	if c.Tx.store.keyMissOn() {
		return c.runNotifyingMisses()
	}
	return c.Cmd.Run(c)
}

func (db *DB) keyMissEvent(dbIndex int, key []byte) {
	mask := db.notifyMask.Load()
	if mask&notifyKeyMiss != 0 && db.events != nil {
		db.events.keyspaceEvent(dbIndex, mask, "keymiss", key)
	}
}
