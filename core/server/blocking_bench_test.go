package server_test

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// BenchmarkServerGetSetIdleBlocked measures what idle blocked clients cost
// the others over the network: one client's GET/SET round trips with no
// blocked client, and with 50 clients blocked in BLPOP on keys nobody
// writes. Compare the sub-benchmarks' ns/op or cpu-ns/op (make bench
// reports them).
func BenchmarkServerGetSetIdleBlocked(b *testing.B) {
	for _, idle := range []int{0, 50} {
		b.Run("blocked="+strconv.Itoa(idle), func(b *testing.B) {
			addr, _ := startRedlite(b)
			for i := 0; i < idle; i++ {
				c := dialRaw(b, addr)
				c.send(resp.EncodeCommand([]byte("BLPOP"), []byte("idle:"+strconv.Itoa(i)), []byte("0")))
			}
			deadline := time.Now().Add(10 * time.Second)
			for infoField(b, addr, "clients", "blocked_clients") != strconv.Itoa(idle) {
				if time.Now().After(deadline) {
					b.Fatalf("the %d clients did not block", idle)
				}
				time.Sleep(time.Millisecond)
			}
			c := dialRaw(b, addr)
			set := [][]byte{[]byte("SET"), nil, []byte("value")}
			get := [][]byte{[]byte("GET"), nil}
			keys := make([][]byte, 1000)
			for i := range keys {
				keys[i] = []byte("key:" + strconv.Itoa(i))
				set[1] = keys[i]
				c.doBytes(set)
			}
			var before syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				argv := get
				if i%2 == 0 {
					argv = set
				}
				argv[1] = keys[i%len(keys)]
				if _, v := c.doBytes(argv); v.IsError() {
					b.Fatal(string(v.Str))
				}
			}
			b.StopTimer()
			// The process' CPU time per command, client and server
			// together: a busy machine disturbs it less than ns/op.
			var after syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
			ns := syscall.TimevalToNsec(after.Utime) + syscall.TimevalToNsec(after.Stime) -
				syscall.TimevalToNsec(before.Utime) - syscall.TimevalToNsec(before.Stime)
			b.ReportMetric(float64(ns)/float64(b.N), "cpu-ns/op")
		})
	}
}
