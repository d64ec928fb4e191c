package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKeyspaceHitsAndMisses: INFO's keyspace_hits and keyspace_misses count
// the keys read commands look up, whatever their type, as Redis does; write
// commands do not count, and the key-miss events' own lookups do not either.
func TestKeyspaceHitsAndMisses(t *testing.T) {
	s := newTestSession(t)
	stats := &s.store.stats
	expectOK(t, do(s, "SET", "s", "v"))
	expectInt(t, 1, do(s, "HSET", "h", "f", "v"))
	expectInt(t, 1, do(s, "SADD", "set", "m"))
	expectInt(t, 1, do(s, "ZADD", "z", "1", "m"))
	expectInt(t, 1, do(s, "RPUSH", "l", "a"))
	require.Zero(t, stats.hits.Load(), "writes are not reads")
	require.Zero(t, stats.misses.Load())

	reads := []struct {
		argv []string
		hit  bool
	}{
		{[]string{"GET", "s"}, true}, {[]string{"GET", "nope"}, false},
		{[]string{"STRLEN", "s"}, true}, {[]string{"GETBIT", "nope", "1"}, false},
		{[]string{"HGET", "h", "f"}, true}, {[]string{"HGET", "nope", "f"}, false},
		{[]string{"HGETALL", "h"}, true}, {[]string{"HGETALL", "nope"}, false},
		{[]string{"SISMEMBER", "set", "m"}, true}, {[]string{"SMEMBERS", "nope"}, false},
		{[]string{"ZSCORE", "z", "m"}, true}, {[]string{"ZSCORE", "nope", "m"}, false},
		{[]string{"LRANGE", "l", "0", "-1"}, true}, {[]string{"LLEN", "nope"}, false},
		{[]string{"TYPE", "h"}, true}, {[]string{"EXISTS", "nope"}, false},
	}
	for _, r := range reads {
		hits, misses := stats.hits.Load(), stats.misses.Load()
		v := do(s, r.argv...)
		require.False(t, v.IsError(), "%v: %s", r.argv, show(v))
		if r.hit {
			require.Equal(t, hits+1, stats.hits.Load(), "%v counts a hit", r.argv)
			require.Equal(t, misses, stats.misses.Load(), "%v", r.argv)
		} else {
			require.Equal(t, misses+1, stats.misses.Load(), "%v counts a miss", r.argv)
			require.Equal(t, hits, stats.hits.Load(), "%v", r.argv)
		}
	}

	// With key-miss events on, a miss is still counted once.
	expectOK(t, do(s, "CONFIG", "SET", "notify-keyspace-events", "Em"))
	misses := stats.misses.Load()
	expectNil(t, do(s, "GET", "nope"))
	require.Equal(t, misses+1, stats.misses.Load())
}
