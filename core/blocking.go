package core

import "sync/atomic"

// waiter is a session blocked in a command (BLPOP, XREAD BLOCK...). Writes
// to the keys it waits on, its timeout, CLIENT UNBLOCK and Close wake it.
type waiter struct {
	wake   chan struct{} // buffered(1): a signal is never lost, never blocks
	reason atomic.Int32  // why it was interrupted, see unblock*
}

const (
	unblockNone int32 = iota
	unblockTimeout
	unblockError
)

func newWaiter() *waiter { return &waiter{wake: make(chan struct{}, 1)} }

func (w *waiter) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// unblock interrupts the command the session is blocked in, as CLIENT
// UNBLOCK does. It reports whether the session was blocked.
func (s *Session) unblock(withError bool) bool {
	w := s.blocked.Load()
	if w == nil {
		return false
	}
	reason := unblockTimeout
	if withError {
		reason = unblockError
	}
	w.reason.Store(reason)
	w.signal()
	return true
}
