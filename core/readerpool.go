package core

import (
	"sync/atomic"
)

// readerPool holds the reader connections not in use, one per slot, each
// slot on its own cache line. take returns the idle reader in the lowest
// slot: under light concurrency the same few readers serve every read, so
// their page caches hold the hot pages and their kept read transactions
// (warmread.go) stay in use. Taking and returning a reader touches only its
// slot, not a lock every reading goroutine shares: with reads down to about
// a microsecond, a shared lock's cache line moving between cores cost more
// than the read.
type readerPool struct {
	slots   []readerSlot
	waiters atomic.Int32
	wake    chan struct{} // a token per put while someone waits
}

type readerSlot struct {
	c atomic.Pointer[sqlConn]
	_ [56]byte
}

func newReaderPool(size int) *readerPool {
	return &readerPool{slots: make([]readerSlot, size), wake: make(chan struct{}, size)}
}

// tryTake returns the idle reader in the lowest slot, or nil.
func (p *readerPool) tryTake() *sqlConn {
	for i := range p.slots {
		if p.slots[i].c.Load() != nil {
			if c := p.slots[i].c.Swap(nil); c != nil {
				return c
			}
		}
	}
	return nil
}

// take returns an idle reader, waiting for one if all are in use.
func (p *readerPool) take() *sqlConn {
	for {
		if c := p.tryTake(); c != nil {
			return c
		}
		// Announce the wait before looking again: a put either sees the
		// waiter and sends a token, or happened before the second look.
		p.waiters.Add(1)
		c := p.tryTake()
		if c == nil {
			<-p.wake
		}
		p.waiters.Add(-1)
		if c != nil {
			return c
		}
	}
}

// put returns a reader taken with take (or added at open) to the lowest
// free slot; there is one slot per reader, so one is free.
func (p *readerPool) put(c *sqlConn) { p.putAt(0, c) }

// putAt returns c to slot i if it is free, else to the lowest free slot,
// and wakes a waiter if there is one.
func (p *readerPool) putAt(i int, c *sqlConn) {
	if s := &p.slots[i].c; s.Load() != nil || !s.CompareAndSwap(nil, c) {
		for j := range p.slots {
			s := &p.slots[j].c
			if s.Load() == nil && s.CompareAndSwap(nil, c) {
				break
			}
		}
	}
	if p.waiters.Load() > 0 {
		select {
		case p.wake <- struct{}{}:
		default: // enough tokens are pending to wake every waiter
		}
	}
}

// eachIdle calls fn on every idle reader, taking it out of its slot
// meanwhile and putting it back in the same slot: the readers that serve
// most reads, with the warmest caches, stay first.
func (p *readerPool) eachIdle(fn func(*sqlConn)) {
	for i := range p.slots {
		if c := p.slots[i].c.Swap(nil); c != nil {
			fn(c)
			p.putAt(i, c)
		}
	}
}

// takeAll waits until every reader is idle and removes them all.
func (p *readerPool) takeAll() []*sqlConn {
	cs := make([]*sqlConn, 0, len(p.slots))
	for len(cs) < len(p.slots) {
		cs = append(cs, p.take())
	}
	return cs
}

// putAll returns readers taken with takeAll.
func (p *readerPool) putAll(cs []*sqlConn) {
	for _, c := range cs {
		p.put(c)
	}
}
