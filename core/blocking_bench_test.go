package core

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// BenchmarkGetSetIdleBlocked measures what idle blocked clients cost the
// others: the same GET/SET mix with no blocked client and with 50 clients
// blocked on keys nobody writes. With waiters, every write to keys pays the
// cross-process triggers and the wake-up bookkeeping, and the poller checks
// the file every pollMax. Compare the two sub-benchmarks' ns/op, or their
// cpu-ns/op (the process' CPU time per command), which a busy machine
// disturbs less.
func BenchmarkGetSetIdleBlocked(b *testing.B) {
	for _, idle := range []int{0, 50} {
		b.Run("blocked="+strconv.Itoa(idle), func(b *testing.B) {
			s := benchSession(b)
			db := s.store
			var waiting []<-chan struct{}
			for i := 0; i < idle; i++ {
				ws := db.NewSession()
				done := make(chan struct{})
				go func() {
					defer close(done)
					defer ws.Close()
					do(ws, "TESTBPOP", "idle:"+strconv.Itoa(i), "0")
				}()
				waiting = append(waiting, done)
			}
			deadline := time.Now().Add(10 * time.Second)
			for db.blockedWaiters.Load() != int64(idle) && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if got := db.blockedWaiters.Load(); got != int64(idle) {
				b.Fatalf("%d clients blocked, want %d", got, idle)
			}
			for i := 0; i < 1000; i++ {
				s.Do([][]byte{[]byte("SET"), []byte(fmt.Sprintf("key:%d", i)), []byte("value")})
			}
			set := [][]byte{[]byte("SET"), nil, []byte("value")}
			get := [][]byte{[]byte("GET"), nil}
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				k := []byte(fmt.Sprintf("key:%d", i%1000))
				argv := get
				if i%2 == 0 {
					argv = set
				}
				argv[1] = k
				if v := s.Do(argv); v.IsError() {
					b.Fatal(string(v.Str))
				}
			}
			cpu.done()
			for i := 0; i < idle; i++ {
				do(s, "INCR", "idle:"+strconv.Itoa(i))
			}
			for _, w := range waiting {
				<-w
			}
		})
	}
}
