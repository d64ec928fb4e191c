package core

import (
	"fmt"
	"testing"

	"github.com/redlite/redlite/core/resp"
)

// BenchmarkGetFloor is the SQLite floor of a pipelined GET, the number the
// server's -P 16 GET is measured against in bench/PROFILE.md: redis-
// benchmark's key space (100,000 keys "key:%012d", 3-byte values), 16
// lookups per read transaction, each 16 in one call into C, no RESP, no
// network, no command dispatch. ns/op is per key.
func BenchmarkGetFloor(b *testing.B) {
	s := benchSession(b)
	const keys = 100000
	for i := 0; i < keys; i += 1000 {
		argv := [][]byte{[]byte("MSET")}
		for j := i; j < i+1000; j++ {
			argv = append(argv, []byte(fmt.Sprintf("key:%012d", j)), []byte("xxx"))
		}
		if v := s.Do(argv); v.IsError() {
			b.Fatal(string(v.Str))
		}
	}
	names := make([][]byte, keys)
	for i := range names {
		names[i] = []byte(fmt.Sprintf("key:%012d", i))
	}
	db := s.store
	batch := make([][]byte, 16)
	rows := make([]stringRow, 16)
	x := uint32(1)
	b.ResetTimer()
	for i := 0; i < b.N; i += len(batch) {
		for j := range batch {
			x = x*1103515245 + 12345
			batch[j] = names[(x>>8)%keys]
		}
		s.tx.begin(db, s)
		db.read(&s.tx, func(tx *Tx) (v resp.Value) {
			tx.readStrings(batch, rows)
			if tx.err != nil || !rows[0].found {
				b.Fatal("lookup failed", tx.err)
			}
			return v
		})
	}
}
