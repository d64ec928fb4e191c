package core

import "sync"

// Subscriber is a session's pub/sub state: its channels, patterns and shard
// channels, and the messages waiting to be delivered.
type Subscriber struct {
	mu       sync.Mutex
	channels map[string]struct{}
	patterns map[string]struct{}
	shards   map[string]struct{}
}

// Count is the number of channels, patterns and shard channels subscribed.
func (s *Subscriber) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.channels) + len(s.patterns) + len(s.shards)
}

// Close drops every subscription.
func (s *Subscriber) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels, s.patterns, s.shards = nil, nil, nil
}

// counts returns the numbers of channels, patterns and shard channels.
func (s *Subscriber) counts() (int, int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.channels), len(s.patterns), len(s.shards)
}
