package core

import (
	"strconv"
	"testing"

	"github.com/redlite/redlite/core/resp"
)

// The cost of the watch_absent triggers on the write path: key creation
// (the triggers fire on INSERT) and overwrites (they do not fire) with and
// without a WATCH on a missing key held by another session; and the
// optimistic WATCH/MULTI/EXEC loop on a missing key (WATCH writes) and on
// an existing one (WATCH only reads).
func BenchmarkWatchAbsentCost(b *testing.B) {
	for _, held := range []bool{false, true} {
		name := "off"
		if held {
			name = "on"
		}
		b.Run("SetNew/"+name, func(b *testing.B) {
			s := benchSession(b)
			if held {
				w := s.store.NewSession()
				defer w.Close()
				expectOK(b, do(w, "WATCH", "absent"))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if v := do(s, "SET", "key:"+strconv.Itoa(i), "value"); v.IsError() {
					b.Fatal(string(v.Str))
				}
			}
		})
		b.Run("SetExisting/"+name, func(b *testing.B) {
			s := benchSession(b)
			if held {
				w := s.store.NewSession()
				defer w.Close()
				expectOK(b, do(w, "WATCH", "absent"))
			}
			for i := 0; i < 1000; i++ {
				do(s, "SET", "key:"+strconv.Itoa(i), "value")
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if v := do(s, "SET", "key:"+strconv.Itoa(i%1000), "value"); v.IsError() {
					b.Fatal(string(v.Str))
				}
			}
		})
	}
	for _, absent := range []bool{false, true} {
		name := "present"
		if absent {
			name = "absent"
		}
		b.Run("WatchExec/"+name, func(b *testing.B) {
			s := benchSession(b)
			if !absent {
				do(s, "SET", "w", "0")
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				do(s, "WATCH", "w")
				do(s, "GET", "w")
				do(s, "MULTI")
				do(s, "SET", "other", "1")
				if v := do(s, "EXEC"); v.Kind != resp.Array {
					b.Fatal("EXEC failed")
				}
			}
		})
	}
}
