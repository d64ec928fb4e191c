package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The pool hands out the reader returned last, and take waits while every
// reader is in use.
func TestReaderPoolLastInFirstOut(t *testing.T) {
	a, b := &sqlConn{}, &sqlConn{}
	p := newReaderPool(2)
	p.put(a)
	p.put(b)
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
	p.put(a)
	require.Equal(t, []*sqlConn{a}, p.takeIdle())
	require.Empty(t, p.takeIdle())
	done := make(chan []*sqlConn)
	go func() { done <- p.takeAll() }()
	p.putAll([]*sqlConn{a})
	select {
	case <-done:
		t.Fatal("takeAll returned with a reader in use")
	case <-time.After(20 * time.Millisecond):
	}
	p.put(b)
	require.ElementsMatch(t, []*sqlConn{a, b}, <-done)
}
