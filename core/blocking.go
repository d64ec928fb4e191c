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
// for a write to one of the keys, the timeout, CLIENT UNBLOCK or Close.

// waiter is a session blocked in a command.
type waiter struct {
	wake   chan struct{} // buffered(1): a signal is never lost, never blocks
	reason atomic.Int32  // set by CLIENT UNBLOCK, see unblock*
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

type waitKey struct {
	db  int
	key string
}

// waitRegistry maps keys to the sessions blocked on them, in arrival order.
type waitRegistry struct {
	mu    sync.Mutex
	byKey map[waitKey][]*waiter
	all   map[*waiter]int // waiter -> number of keys it is registered on
}

func (r *waitRegistry) add(db int, keys [][]byte, w *waiter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byKey == nil {
		r.byKey = map[waitKey][]*waiter{}
		r.all = map[*waiter]int{}
	}
	for _, k := range keys {
		wk := waitKey{db, string(k)}
		r.byKey[wk] = append(r.byKey[wk], w)
	}
	r.all[w] = len(keys)
}

func (r *waitRegistry) remove(db int, keys [][]byte, w *waiter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		wk := waitKey{db, string(k)}
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

// signal wakes the sessions blocked on key; db < 0 wakes every session
// (FLUSHALL, SWAPDB).
func (r *waitRegistry) signal(db int, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if db < 0 {
		for w := range r.all {
			w.signal()
		}
		return
	}
	for _, w := range r.byKey[waitKey{db, key}] {
		w.signal()
	}
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
	attempt := func() bool {
		served := false
		out = c.Write(func(tx *Tx) resp.Value {
			v, ok := try(tx)
			served = ok
			return v
		})
		return served || out.IsError()
	}
	if attempt() {
		return out
	}
	if c.inTx {
		return onTimeout
	}
	db, s := c.S.store, c.S
	dbIndex := s.db
	w := newWaiter()
	db.waiters.add(dbIndex, keys, w)
	db.blockedWaiters.Add(1)
	s.blocked.Store(w)
	defer func() {
		s.blocked.Store(nil)
		db.blockedWaiters.Add(-1)
		db.waiters.remove(dbIndex, keys, w)
	}()
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		// Registered before this try, so a write that lands after it
		// finds nothing still wakes us.
		if attempt() {
			return out
		}
		select {
		case <-w.wake:
			switch w.reason.Load() {
			case unblockTimeout:
				return onTimeout
			case unblockError:
				return errUnblocked
			}
		case <-timer:
			return onTimeout
		case <-s.cancel:
			return onTimeout
		case <-db.closing:
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
