package core

import (
	"errors"
	"strings"
	"sync/atomic"
)

// Keyspace notification classes, as bits of notify-keyspace-events.
const (
	notifyKeyspace uint32 = 1 << iota // K
	notifyKeyevent                    // E
	notifyGeneric                     // g
	notifyString                      // $
	notifyList                        // l
	notifySet                         // s
	notifyHash                        // h
	notifyZSet                        // z
	notifyExpired                     // x
	notifyEvicted                     // e
	notifyStream                      // t
	notifyKeyMiss                     // m
	notifyModule                      // d
	notifyNew                         // n

	notifyAll = notifyGeneric | notifyString | notifyList | notifySet | notifyHash |
		notifyZSet | notifyExpired | notifyEvicted | notifyStream | notifyModule
)

// notifyLetters maps each flag letter to its bits; the order is the one
// Redis prints them in.
var notifyLetters = []struct {
	letter byte
	bit    uint32
}{
	{'g', notifyGeneric}, {'$', notifyString}, {'l', notifyList}, {'s', notifySet},
	{'h', notifyHash}, {'z', notifyZSet}, {'x', notifyExpired}, {'e', notifyEvicted},
	{'t', notifyStream}, {'d', notifyModule}, {'n', notifyNew},
	{'K', notifyKeyspace}, {'E', notifyKeyevent}, {'m', notifyKeyMiss},
}

func parseNotifyFlags(v string) (uint32, error) {
	var mask uint32
outer:
	for i := 0; i < len(v); i++ {
		if v[i] == 'A' {
			mask |= notifyAll
			continue
		}
		for _, l := range notifyLetters {
			if l.letter == v[i] {
				mask |= l.bit
				continue outer
			}
		}
		return 0, errors.New("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
	}
	return mask, nil
}

// formatNotifyFlags prints flags as Redis 7.0 does: with every class of A
// set it prints "A" and leaves 'n' out (though new-key events stay on).
func formatNotifyFlags(mask uint32) string {
	var sb strings.Builder
	all := mask&notifyAll == notifyAll
	if all {
		sb.WriteByte('A')
	}
	for _, l := range notifyLetters {
		if mask&l.bit == 0 {
			continue
		}
		if all && (l.bit&notifyAll != 0 || l.bit == notifyNew) {
			continue
		}
		sb.WriteByte(l.letter)
	}
	return sb.String()
}

func validateNotifyFlags(v string) error {
	_, err := parseNotifyFlags(v)
	return err
}

func applyNotifyFlags(c *Config, v string) {
	mask, _ := parseNotifyFlags(v)
	c.mu.Lock()
	c.vals["notify-keyspace-events"] = formatNotifyFlags(mask)
	c.mu.Unlock()
	if mask&(notifyKeyspace|notifyKeyevent) == 0 {
		mask = 0 // no channel selected: nothing is ever published
	}
	c.db.notifyMask.Store(mask)
}

// eventSink receives keyspace notifications once their write is committed:
// the pub/sub subsystem implements it. Until notifications are enabled the
// gates below keep the write path from doing any work for it.
type eventSink interface {
	keyspaceEvent(db int, mask uint32, event string, key []byte)
}

// eventGates are the in-memory switches that make events free when off.
type eventGates struct {
	blockedWaiters atomic.Int64  // clients blocked on some key
	notifyMask     atomic.Uint32 // enabled notification classes
}

// notify queues a keyspace notification of class for after commit, if
// notifications of that class are enabled. When another process on the
// file has subscribers, the messages are also recorded for it, in this
// transaction, so they exist exactly when the write does.
func (tx *Tx) notify(class uint32, event string, key []byte) {
	store := tx.store
	mask := store.notifyMask.Load()
	if mask&class == 0 || store.events == nil {
		return
	}
	db, k := tx.DB, append([]byte(nil), key...)
	if tx.write && store.xp.remoteListeners() {
		for _, m := range keyspaceMessages(db, mask, event, k) {
			store.xp.recordMessage(tx, subChannel, m.channel, m.message)
		}
	}
	tx.afterCommit(func() { store.events.keyspaceEvent(db, mask, event, k) })
}

// wantsNew reports whether "new" key events are enabled: writers that
// cannot otherwise tell a new key from an overwrite check first.
func (tx *Tx) wantsNew() bool { return tx.store.notifyMask.Load()&notifyNew != 0 }
