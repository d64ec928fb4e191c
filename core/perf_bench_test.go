package core

import (
	"fmt"
	"path/filepath"
	"testing"
)

// Benchmarks of the engine through Session.Do, the path every binding and
// the server share. The yardstick, raw SQLite through the same driver, is
// in bench/ (make bench).

func benchSession(b *testing.B) *Session {
	db, err := Open(Options{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	s := db.NewSession()
	b.Cleanup(s.Close)
	return s
}

func BenchmarkSet(b *testing.B) {
	s := benchSession(b)
	argv := [][]byte{[]byte("SET"), nil, []byte("value")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[1] = []byte(fmt.Sprintf("key:%d", i%10000))
		if v := s.Do(argv); v.IsError() {
			b.Fatal(string(v.Str))
		}
	}
}

func BenchmarkGet(b *testing.B) {
	s := benchSession(b)
	for i := 0; i < 10000; i++ {
		s.Do([][]byte{[]byte("SET"), []byte(fmt.Sprintf("key:%d", i)), []byte("value")})
	}
	argv := [][]byte{[]byte("GET"), nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[1] = []byte(fmt.Sprintf("key:%d", i%10000))
		if v := s.Do(argv); v.IsError() {
			b.Fatal(string(v.Str))
		}
	}
}

func BenchmarkSetExisting(b *testing.B) {
	s := benchSession(b)
	for i := 0; i < 10000; i++ {
		s.Do([][]byte{[]byte("SET"), []byte(fmt.Sprintf("key:%d", i)), []byte("value")})
	}
	argv := [][]byte{[]byte("SET"), nil, nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[1] = []byte(fmt.Sprintf("key:%d", i%10000))
		argv[2] = changedValue(i)
		if v := s.Do(argv); v.IsError() {
			b.Fatal(string(v.Str))
		}
	}
}
