package core

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		// Redis never matches the empty string against a non-empty pattern
		// (KEYS ** does not list the empty key; PSUBSCRIBE * misses PUBLISH "").
		{"*", "", false}, {"", "", true}, {"", "a", false}, {"*", "anything", true}, {"h?llo", "hello", true}, {"h?llo", "hllo", false},
		{"h*llo", "heeeello", true}, {"h[ae]llo", "hallo", true}, {"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true}, {"h[^e]llo", "hello", false}, {"h[a-b]llo", "hbllo", true},
		{"h[b-a]llo", "hallo", true}, {"h\\*llo", "h*llo", true}, {"h\\*llo", "hello", false},
		{"a*b*c", "abc", true}, {"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false},
		{"[abc", "a", true}, {"[abc", "d", false}, {"ab\\", "ab\\", true}, {"*a", "ba", true},
		{"user:*:name", "user:42:name", true}, {"user:*:name", "user:42:mail", false},
		{"[\\]]", "]", true}, {"**a", "xa", true}, {"a?", "a", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, GlobMatch([]byte(c.pattern), []byte(c.s), false), "%q ~ %q", c.pattern, c.s)
	}
	assert.True(t, GlobMatch([]byte("HELLO*"), []byte("hello world"), true))
	assert.True(t, GlobMatch([]byte("[A-C]x"), []byte("bx"), true))
}

func TestGlobHostilePatternIsLinear(t *testing.T) {
	pattern := []byte(strings.Repeat("*a", 200) + "b")
	s := []byte(strings.Repeat("a", 5000))
	start := time.Now()
	require.False(t, GlobMatch(pattern, s, false))
	require.Less(t, time.Since(start), time.Second)
}

func TestGlobPrefix(t *testing.T) {
	p, exact := globPrefix([]byte("user:\\*x*"))
	assert.Equal(t, "user:*x", string(p))
	assert.False(t, exact)
	p, exact = globPrefix([]byte("plain"))
	assert.Equal(t, "plain", string(p))
	assert.True(t, exact)
	assert.Equal(t, "ac", string(prefixEnd([]byte("ab"))))
	assert.Equal(t, "b", string(prefixEnd([]byte("a\xff"))))
	assert.Nil(t, prefixEnd([]byte("\xff\xff")))
}

func FuzzGlobMatch(f *testing.F) {
	f.Add([]byte("*a?[b-c]\\"), []byte("xab"))
	f.Add([]byte("[^"), []byte("q"))
	f.Fuzz(func(t *testing.T, pattern, s []byte) {
		got := GlobMatch(pattern, s, false)
		if p, exact := globPrefix(pattern); exact {
			// A pattern without wildcards matches exactly its literal.
			if got != (string(p) == string(s)) {
				t.Fatalf("literal pattern %q vs %q: %v", pattern, s, got)
			}
		}
	})
}
