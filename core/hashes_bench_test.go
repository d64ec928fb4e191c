package core

import (
	"fmt"
	"testing"
)

// Hash hot paths through Session.Do (see perf_bench_test.go).

func benchDo(b *testing.B, s *Session, argv [][]byte) {
	if v := s.Do(argv); v.IsError() {
		b.Fatal(string(v.Str))
	}
}

// BenchmarkHSetExisting overwrites one field, as redis-benchmark's HSET does.
func BenchmarkHSetExisting(b *testing.B) {
	s := benchSession(b)
	argv := [][]byte{[]byte("HSET"), []byte("myhash"), []byte("element"), []byte("value")}
	benchDo(b, s, argv)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkHSetNewField adds fields to one hash.
func BenchmarkHSetNewField(b *testing.B) {
	s := benchSession(b)
	argv := [][]byte{[]byte("HSET"), []byte("myhash"), nil, []byte("value")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = []byte(fmt.Sprintf("field:%d", i))
		benchDo(b, s, argv)
	}
}

// BenchmarkHSetNewKey creates small hashes.
func BenchmarkHSetNewKey(b *testing.B) {
	s := benchSession(b)
	argv := [][]byte{[]byte("HSET"), nil, []byte("name"), []byte("value")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[1] = []byte(fmt.Sprintf("user:%d", i))
		benchDo(b, s, argv)
	}
}

func BenchmarkHGet(b *testing.B) {
	s := benchSession(b)
	for i := 0; i < 1000; i++ {
		benchDo(b, s, [][]byte{[]byte("HSET"), []byte("myhash"), []byte(fmt.Sprintf("field:%d", i)), []byte("value")})
	}
	argv := [][]byte{[]byte("HGET"), []byte("myhash"), nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = []byte(fmt.Sprintf("field:%d", i%1000))
		benchDo(b, s, argv)
	}
}

func BenchmarkHIncrBy(b *testing.B) {
	s := benchSession(b)
	argv := [][]byte{[]byte("HINCRBY"), []byte("myhash"), []byte("counter"), []byte("1")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}
