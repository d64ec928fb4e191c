package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The pool hands out the idle reader in the lowest slot, and take waits
// while every reader is in use.
func TestReaderPoolLowestSlotFirst(t *testing.T) {
	a, b := &sqlConn{}, &sqlConn{}
	p := newReaderPool(2)
	p.put(a)
	p.put(b)
	require.Same(t, a, p.take())
	require.Same(t, b, p.take())
	p.put(b) // b goes to the lowest free slot, ahead of a's return
	p.put(a)
	require.Same(t, b, p.take())
	require.Same(t, a, p.take())
	got := make(chan *sqlConn)
	go func() { got <- p.take() }()
	select {
	case <-got:
		t.Fatal("take returned with no idle reader")
	case <-time.After(20 * time.Millisecond):
	}
	p.put(a)
	require.Same(t, a, <-got)
	done := make(chan []*sqlConn)
	go func() { done <- p.takeAll() }()
	p.put(a)
	select {
	case <-done:
		t.Fatal("takeAll returned with a reader in use")
	case <-time.After(20 * time.Millisecond):
	}
	p.put(b)
	require.ElementsMatch(t, []*sqlConn{a, b}, <-done)
}

// Visiting the idle readers (as the checkpointer does to cool them) leaves
// each in its slot, even while the first reader is in use: the reader that
// serves the reads stays first, with its warm cache.
func TestReaderPoolEachIdleKeepsOrder(t *testing.T) {
	a, b, c := &sqlConn{}, &sqlConn{}, &sqlConn{}
	p := newReaderPool(3)
	p.putAll([]*sqlConn{a, b, c})
	require.Same(t, a, p.take())
	var seen []*sqlConn
	p.eachIdle(func(r *sqlConn) { seen = append(seen, r) })
	require.Equal(t, []*sqlConn{b, c}, seen)
	p.put(a)
	require.Same(t, a, p.take())
	p.put(a)
	// A waiter that found every slot empty while eachIdle held them is woken.
	all := p.takeAll()
	got := make(chan *sqlConn)
	go func() { got <- p.take() }()
	time.Sleep(10 * time.Millisecond)
	p.putAll(all)
	require.Same(t, a, <-got)
}

// Many goroutines sharing few readers: every take gets a reader no one
// else holds, and no waiter is left asleep.
func TestReaderPoolUnderContention(t *testing.T) {
	const readers, goroutines, rounds = 2, 8, 2000
	p := newReaderPool(readers)
	for i := 0; i < readers; i++ {
		p.put(&sqlConn{})
	}
	held := make(map[*sqlConn]bool)
	var mu = make(chan struct{}, 1)
	done := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < rounds; i++ {
				c := p.take()
				mu <- struct{}{}
				if held[c] {
					<-mu
					t.Error("a reader was handed out twice")
					return
				}
				held[c] = true
				<-mu
				mu <- struct{}{}
				delete(held, c)
				<-mu
				p.put(c)
			}
		}()
	}
	for g := 0; g < goroutines; g++ {
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("a goroutine never got a reader")
		}
	}
	require.Len(t, p.takeAll(), readers)
}
