package core

import "sync"

// readerPool holds the reader connections not in use. It hands out the
// one returned last: under light concurrency a few readers serve every
// read, so their page caches hold the hot pages and their kept read
// transactions (warmread.go) stay in use, instead of every reader in turn
// re-reading the same pages into its own cache.
type readerPool struct {
	mu   sync.Mutex
	cond sync.Cond
	idle []*sqlConn
	size int
}

func newReaderPool(size int) *readerPool {
	p := &readerPool{idle: make([]*sqlConn, 0, size), size: size}
	p.cond.L = &p.mu
	return p
}

// take returns an idle reader, waiting for one if all are in use.
func (p *readerPool) take() *sqlConn {
	p.mu.Lock()
	for len(p.idle) == 0 {
		p.cond.Wait()
	}
	c := p.idle[len(p.idle)-1]
	p.idle[len(p.idle)-1] = nil
	p.idle = p.idle[:len(p.idle)-1]
	p.mu.Unlock()
	return c
}

// put returns a reader taken with take (or added at open).
func (p *readerPool) put(c *sqlConn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	p.cond.Signal()
}

// takeIdle removes and returns the readers not in use, without waiting.
func (p *readerPool) takeIdle() []*sqlConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	cs := append([]*sqlConn(nil), p.idle...)
	clear(p.idle)
	p.idle = p.idle[:0]
	return cs
}

// takeAll waits until every reader is idle and removes them all.
func (p *readerPool) takeAll() []*sqlConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) < p.size {
		p.cond.Wait()
	}
	cs := append([]*sqlConn(nil), p.idle...)
	clear(p.idle)
	p.idle = p.idle[:0]
	return cs
}

// putAll returns readers taken with takeIdle or takeAll, keeping their order.
func (p *readerPool) putAll(cs []*sqlConn) {
	p.mu.Lock()
	p.idle = append(p.idle, cs...)
	p.mu.Unlock()
	p.cond.Broadcast()
}
