package redlite

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receive reads one message from ch or fails after a generous timeout.
func receive(t *testing.T, ch <-chan *Message) *Message {
	t.Helper()
	select {
	case m, ok := <-ch:
		require.True(t, ok, "channel closed")
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message")
		return nil
	}
}

func TestPubSubChannel(t *testing.T) {
	db := openDB(t)
	sub, err := db.Subscribe(ctx, "news", "sport")
	require.NoError(t, err)
	defer sub.Close()
	ch := sub.Channel()

	n, err := db.Publish(ctx, "news", "hello")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	n, _ = db.Publish(ctx, "weather", "ignored")
	assert.Equal(t, int64(0), n)
	_, err = db.Publish(ctx, "sport", []byte{0, 1})
	require.NoError(t, err)
	assert.Equal(t, &Message{Channel: "news", Payload: "hello"}, receive(t, ch))
	assert.Equal(t, &Message{Channel: "sport", Payload: "\x00\x01"}, receive(t, ch))

	require.NoError(t, sub.PSubscribe(ctx, "user:*"))
	require.NoError(t, sub.SSubscribe(ctx, "shard"))
	_, err = db.Publish(ctx, "user:42", "login")
	require.NoError(t, err)
	assert.Equal(t, &Message{Pattern: "user:*", Channel: "user:42", Payload: "login"}, receive(t, ch))
	n, err = db.SPublish(ctx, "shard", "s")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, &Message{Channel: "shard", Payload: "s"}, receive(t, ch))

	chans, err := db.PubSubChannels(ctx, "")
	require.NoError(t, err)
	sort.Strings(chans)
	assert.Equal(t, []string{"news", "sport"}, chans)
	chans, _ = db.PubSubChannels(ctx, "n*")
	assert.Equal(t, []string{"news"}, chans)
	counts, err := db.PubSubNumSub(ctx, "news", "nobody")
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"news": 1, "nobody": 0}, counts)
	np, err := db.PubSubNumPat(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), np)
	shards, err := db.PubSubShardChannels(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, []string{"shard"}, shards)
	counts, _ = db.PubSubShardNumSub(ctx, "shard")
	assert.Equal(t, map[string]int64{"shard": 1}, counts)

	// Unsubscribing everything keeps the channel open; a new subscription
	// delivers again.
	require.NoError(t, sub.Unsubscribe(ctx))
	require.NoError(t, sub.PUnsubscribe(ctx))
	require.NoError(t, sub.SUnsubscribe(ctx, "shard"))
	n, _ = db.Publish(ctx, "news", "lost")
	assert.Equal(t, int64(0), n)
	require.NoError(t, sub.Subscribe(ctx, "again"))
	_, _ = db.Publish(ctx, "again", "back")
	assert.Equal(t, &Message{Channel: "again", Payload: "back"}, receive(t, ch))

	require.NoError(t, sub.Close())
	select {
	case _, ok := <-ch:
		assert.False(t, ok)
	case <-time.After(10 * time.Second):
		t.Fatal("Channel() not closed by Close")
	}
	assert.NoError(t, sub.Err())
	require.ErrorIs(t, sub.Close(), ErrSubscriptionClosed)
	require.ErrorIs(t, sub.Subscribe(ctx, "x"), ErrSubscriptionClosed)
	n, _ = db.Publish(ctx, "again", "nobody")
	assert.Equal(t, int64(0), n)
}

func TestPubSubReceiveMessage(t *testing.T) {
	db := openDB(t)
	sub, err := db.PSubscribe(ctx, "a.*")
	require.NoError(t, err)
	defer sub.Close()
	_, err = sub.ReceiveTimeout(ctx, 20*time.Millisecond)
	require.ErrorIs(t, err, Nil)
	go func() {
		time.Sleep(20 * time.Millisecond)
		_, _ = db.Publish(ctx, "a.b", "1")
	}()
	m, err := sub.ReceiveMessage(ctx)
	require.NoError(t, err)
	assert.Equal(t, &Message{Pattern: "a.*", Channel: "a.b", Payload: "1"}, m)

	cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, err = sub.ReceiveMessage(cctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// ReceiveMessage and Channel() take from the same stream.
	_, _ = db.Publish(ctx, "a.1", "first")
	_, _ = db.Publish(ctx, "a.2", "second")
	m, err = sub.ReceiveMessage(ctx)
	require.NoError(t, err)
	assert.Equal(t, "first", m.Payload)
	assert.Equal(t, "second", receive(t, sub.Channel()).Payload)

	// Close ends a waiting ReceiveMessage.
	done := make(chan error)
	go func() { _, err := sub.ReceiveMessage(ctx); done <- err }()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, sub.Close())
	select {
	case err := <-done:
		require.ErrorIs(t, err, ErrSubscriptionClosed)
	case <-time.After(10 * time.Second):
		t.Fatal("ReceiveMessage not ended by Close")
	}
}

func TestPubSubErrors(t *testing.T) {
	db := openDB(t)
	_, err := db.Subscribe(ctx)
	require.Error(t, err)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = db.Subscribe(cctx, "x")
	require.ErrorIs(t, err, context.Canceled)
	sub, err := db.SSubscribe(ctx, "s")
	require.NoError(t, err)
	require.Error(t, sub.Subscribe(ctx))
	require.Error(t, sub.PSubscribe(ctx))
	require.Error(t, sub.SSubscribe(ctx))
	_, err = db.Publish(ctx, "x", struct{}{})
	require.Error(t, err)
	_, err = db.SPublish(ctx, "x", struct{}{})
	require.Error(t, err)

	// The DB closing ends Channel() with ErrClosed.
	ch := sub.Channel()
	require.NoError(t, db.Close())
	select {
	case _, ok := <-ch:
		assert.False(t, ok)
	case <-time.After(10 * time.Second):
		t.Fatal("Channel() not closed by DB.Close")
	}
	require.ErrorIs(t, sub.Err(), ErrClosed)
	_, err = db.Subscribe(ctx, "x")
	require.ErrorIs(t, err, ErrClosed)
}

// TestPubSubConcurrent publishes from many goroutines to several
// subscribers; every message arrives, in order per publisher.
func TestPubSubConcurrent(t *testing.T) {
	db := openDB(t)
	const subscribers, publishers, each = 3, 4, 50
	var subs []*PubSub
	for i := 0; i < subscribers; i++ {
		s, err := db.Subscribe(ctx, "bus")
		require.NoError(t, err)
		defer s.Close()
		subs = append(subs, s)
	}
	var wg sync.WaitGroup
	for p := 0; p < publishers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				n, err := db.Publish(ctx, "bus", fmt.Sprintf("%d:%d", p, i))
				assert.NoError(t, err)
				assert.Equal(t, int64(subscribers), n)
			}
		}(p)
	}
	for _, s := range subs {
		last := map[int]int{}
		ch := s.Channel()
		for k := 0; k < publishers*each; k++ {
			m := receive(t, ch)
			var p, i int
			_, err := fmt.Sscanf(m.Payload, "%d:%d", &p, &i)
			require.NoError(t, err)
			if prev, ok := last[p]; ok {
				require.Equal(t, prev+1, i, "publisher %d out of order", p)
			}
			last[p] = i
		}
	}
	wg.Wait()
}

func TestPubSubEnds(t *testing.T) {
	// No subscription left: the DB closing still ends Channel().
	db := openDB(t)
	sub, err := db.Subscribe(ctx, "x")
	require.NoError(t, err)
	defer sub.Close()
	require.NoError(t, sub.Unsubscribe(ctx))
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, db.Close())
	select {
	case _, ok := <-sub.Channel():
		assert.False(t, ok)
	case <-time.After(10 * time.Second):
		t.Fatal("Channel() not closed by DB.Close")
	}
	require.ErrorIs(t, sub.Err(), ErrClosed)
	_, err = sub.ReceiveMessage(ctx)
	require.ErrorIs(t, err, ErrClosed)

	// A reader that falls behind past client-output-buffer-limit pubsub
	// loses its subscriptions, and is told so.
	db = openDB(t)
	require.NoError(t, db.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 4096 0 0"))
	slow, err := db.Subscribe(ctx, "flood")
	require.NoError(t, err)
	defer slow.Close()
	payload := string(make([]byte, 1024))
	for i := 0; i < messageBuffer+50; i++ {
		_, err := db.Publish(ctx, "flood", payload)
		require.NoError(t, err)
	}
	got := 0
	for range slow.Channel() {
		got++
	}
	assert.Less(t, got, messageBuffer+50)
	require.ErrorContains(t, slow.Err(), "client-output-buffer-limit")
	n, _ := db.Publish(ctx, "flood", "x")
	assert.Equal(t, int64(0), n)
}
