package core

import (
	"testing"
)

// Stream hot paths through Session.Do (see perf_bench_test.go).

func bargs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// BenchmarkXAdd appends with an ID from the clock, as a producer does.
func BenchmarkXAdd(b *testing.B) {
	s := benchSession(b)
	argv := bargs("XADD", "mystream", "*", "field", "value")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkXAddCapped appends to a stream kept near 1000 entries.
func BenchmarkXAddCapped(b *testing.B) {
	s := benchSession(b)
	argv := bargs("XADD", "mystream", "MAXLEN", "~", "1000", "*", "field", "value")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkXRange reads 10 entries from the middle of a 10000-entry stream.
func BenchmarkXRange(b *testing.B) {
	s := benchSession(b)
	for i := 0; i < 10000; i++ {
		benchDo(b, s, bargs("XADD", "mystream", "*", "field", "value"))
	}
	argv := bargs("XRANGE", "mystream", "-", "+", "COUNT", "10")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkXReadGroupAck is a worker's cycle: read one new entry, ack it.
func BenchmarkXReadGroupAck(b *testing.B) {
	s := benchSession(b)
	benchDo(b, s, bargs("XGROUP", "CREATE", "jobs", "g", "$", "MKSTREAM"))
	for i := 0; i < b.N; i++ {
		benchDo(b, s, bargs("XADD", "jobs", "*", "job", "payload"))
	}
	read := bargs("XREADGROUP", "GROUP", "g", "worker", "COUNT", "1", "STREAMS", "jobs", ">")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := s.Do(read)
		if v.IsError() || len(v.Elems) == 0 {
			b.Fatal("nothing read")
		}
		id := v.Elems[0].Elems[1].Elems[0].Elems[0].Str
		benchDo(b, s, [][]byte{[]byte("XACK"), []byte("jobs"), []byte("g"), id})
	}
}
