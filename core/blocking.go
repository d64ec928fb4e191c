package core

import (
	"math"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK...) are written as a
// "try" that runs in a write transaction and either serves the client or
// finds nothing. Call.block runs the try, and while it finds nothing waits
// for a write to one of the keys, the timeout, CLIENT UNBLOCK, the client's
// disconnection or Close.
//
// Waiters are served first come, first served, as Redis serves the client
// that has waited longest. A write to a key wakes only the first waiter on
// it. A woken waiter tries in its own transaction, then passes the wake-up
// on to the waiter behind it on every key that still exists, whether it was
// served or not: a list emptied by the pops stops the chain, a stream keeps
// it going (every XREAD is served) and a key of another type than a waiter
// wants does not stall the waiters behind. Writes made by other processes
// arrive through the cross-process poller (xproc.go) and start the same
// chain.

// waiter is a session blocked in a command.
type waiter struct {
	wake   chan struct{} // buffered(1): a signal is never lost, never blocks
	reason atomic.Int32  // set by CLIENT UNBLOCK, see unblock*
	db     int
	keys   []string
}

const (
	unblockNone int32 = iota
	unblockTimeout
	unblockError
)

func newWaiter(db int, keys [][]byte) *waiter {
	w := &waiter{wake: make(chan struct{}, 1), db: db, keys: make([]string, len(keys))}
	for i, k := range keys {
		w.keys[i] = string(k)
	}
	return w
}

func (w *waiter) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// pending consumes a wake-up that arrived and was not acted on.
func (w *waiter) pending() bool {
	select {
	case <-w.wake:
		return true
	default:
		return false
	}
}

type waitKey struct {
	db  int
	key string
}

// waitRegistry maps keys to the sessions blocked on them, in arrival order.
type waitRegistry struct {
	mu    sync.Mutex
	byKey map[waitKey][]*waiter
	all   map[*waiter]struct{}
}

func (r *waitRegistry) add(w *waiter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byKey == nil {
		r.byKey = map[waitKey][]*waiter{}
		r.all = map[*waiter]struct{}{}
	}
	for _, k := range w.keys {
		wk := waitKey{w.db, k}
		list := r.byKey[wk]
		if len(list) > 0 && list[len(list)-1] == w {
			continue // the same key twice in one command
		}
		r.byKey[wk] = append(list, w)
	}
	r.all[w] = struct{}{}
}

func (r *waitRegistry) remove(w *waiter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked(w)
}

func (r *waitRegistry) removeLocked(w *waiter) {
	for _, k := range w.keys {
		wk := waitKey{w.db, k}
		list := r.byKey[wk]
		for i, x := range list {
			if x == w {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(r.byKey, wk)
		} else {
			r.byKey[wk] = list
		}
	}
	delete(r.all, w)
}

// signal wakes the first session blocked on key; db < 0 wakes every
// session (FLUSHALL, SWAPDB).
func (r *waitRegistry) signal(db int, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if db < 0 {
		for w := range r.all {
			w.signal()
		}
		return
	}
	if list := r.byKey[waitKey{db, key}]; len(list) > 0 {
		list[0].signal()
	}
}

// passOn wakes, for each of keys, the session blocked on it right after w
// (the first one if w is not on it).
func (r *waitRegistry) passOn(w *waiter, keys []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		if next := r.nextLocked(w, k); next != nil {
			next.signal()
		}
	}
}

func (r *waitRegistry) nextLocked(w *waiter, key string) *waiter {
	list := r.byKey[waitKey{w.db, key}]
	for i, x := range list {
		if x == w {
			if i+1 < len(list) {
				return list[i+1]
			}
			return nil
		}
	}
	if len(list) > 0 {
		return list[0]
	}
	return nil
}

// behind reports whether some session waits on key after w.
func (r *waitRegistry) behind(w *waiter, key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.nextLocked(w, key) != nil
}

// has reports whether some session waits on key.
func (r *waitRegistry) has(db int, key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.byKey[waitKey{db, key}]) > 0
}

// keys lists the keys sessions wait on.
func (r *waitRegistry) keys() []waitKey {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]waitKey, 0, len(r.byKey))
	for k := range r.byKey {
		out = append(out, k)
	}
	return out
}

// ParseTimeout reads a blocking command's timeout: seconds as a float, 0
// meaning forever. Redis 7.0 parses it as a long double, converts it to
// whole milliseconds rounding up, and calls a value that does not fit a
// long long (inf, 1e20) negative; redlite gives the same answers.
func ParseTimeout(b []byte) (time.Duration, resp.Value, bool) {
	secs, ok := parseWideFloat(b)
	if !ok {
		return 0, resp.Err("ERR timeout is not a float or out of range"), false
	}
	errNegative := resp.Err("ERR timeout is negative")
	if secs.IsInf() {
		return 0, errNegative, false
	}
	ms := new(big.Float).SetPrec(longDouble).Mul(secs, big.NewFloat(1000))
	n, acc := ms.Int(nil)
	if acc == big.Below {
		n.Add(n, big.NewInt(1)) // ceil
	}
	if !n.IsInt64() || n.Sign() < 0 {
		return 0, errNegative, false
	}
	msec := n.Int64()
	if msec > math.MaxInt64/int64(time.Millisecond) {
		return 0, resp.Value{}, true // beyond ~292 years: forever
	}
	return time.Duration(msec) * time.Millisecond, resp.Value{}, true
}

// parseWideFloat parses like strtold: ParseFloat's rules, but values
// beyond a double's range (up to a long double's) are accepted.
func parseWideFloat(b []byte) (*big.Float, bool) {
	if f, ok := ParseFloat(b); ok {
		return new(big.Float).SetPrec(longDouble).SetFloat64(f), true
	}
	s := string(b)
	if len(s) == 0 || isSpaceByte(s[0]) || strings.ContainsRune(s, '_') {
		return nil, false
	}
	f, _, err := big.ParseFloat(s, 10, longDouble, big.ToNearestEven)
	if err != nil || f.IsInf() {
		return nil, false
	}
	// A long double holds magnitudes from 2^-16445 to 2^16384.
	if exp := f.MantExp(nil); exp > 16384 || (f.Sign() != 0 && exp < -16444) {
		return nil, false
	}
	return f, true
}

var errUnblocked = resp.Err("UNBLOCKED client unblocked via CLIENT UNBLOCK")

// block serves a blocking command. try runs in a write transaction and
// returns (reply, true) once it could serve the client; an error reply also
// ends the wait. While try finds nothing, block waits for a write to one of
// keys in the session's database, up to timeout (0 = forever), and tries
// again. Inside MULTI/EXEC or an interactive transaction it tries once and
// answers onTimeout, as Redis does.
func (c *Call) block(keys [][]byte, timeout time.Duration, try func(tx *Tx) (resp.Value, bool), onTimeout resp.Value) resp.Value {
	var out resp.Value
	served := false
	if out = c.Write(func(tx *Tx) resp.Value {
		v, ok := try(tx)
		served = ok
		return v
	}); served || out.IsError() {
		return out
	}
	if c.inTx {
		return onTimeout
	}
	db, s := c.S.store, c.S
	w := newWaiter(s.db, keys)
	db.waiters.add(w)
	db.blockedWaiters.Add(1)
	s.blocked.Store(w)
	db.xp.interestChanged()
	var gone <-chan struct{}
	if s.Info != nil && s.Info.Watch != nil {
		g, stop := s.Info.Watch()
		defer stop()
		gone = g
	}
	// leave unregisters w; with a wake-up it did not act on, the waiter
	// behind it gets it instead.
	leave := func(forward bool) {
		s.blocked.Store(nil)
		if forward || w.pending() {
			db.waiters.passOn(w, w.keys)
		}
		db.waiters.remove(w)
		db.blockedWaiters.Add(-1)
		db.xp.waiterLeft()
	}
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	register, woken := true, false
	for {
		// Registered before this try, so a write that lands after it
		// finds nothing still wakes us.
		var still []string // keys that exist after the try, with waiters behind
		served = false
		out = c.Write(func(tx *Tx) resp.Value {
			still = still[:0] // a retried transaction starts over
			if register {
				db.xp.registerWaits(tx, w.db, keys)
			}
			v, ok := try(tx)
			served = ok
			if woken {
				for _, k := range w.keys {
					if db.waiters.behind(w, k) {
						if _, exists := tx.lookup([]byte(k)); exists {
							still = append(still, k)
						}
					}
				}
			}
			return v
		})
		register = false
		if served || out.IsError() {
			if out.IsError() && !served {
				// The try may have failed before it looked: let the
				// next waiter look for itself.
				still = w.keys
			}
			if woken {
				db.waiters.passOn(w, still)
			}
			leave(false)
			return out
		}
		if woken {
			db.waiters.passOn(w, still)
		}
		select {
		case <-w.wake:
			switch w.reason.Load() {
			case unblockTimeout:
				leave(true)
				return onTimeout
			case unblockError:
				leave(true)
				return errUnblocked
			}
			woken = true
		case <-timer:
			leave(false)
			return onTimeout
		case <-s.cancel:
			leave(false)
			return onTimeout
		case <-gone:
			leave(false)
			return onTimeout
		case <-db.closing:
			leave(false)
			return errClosedReply
		}
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
