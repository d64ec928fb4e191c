package core

import (
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// BenchmarkReadScaling measures how reads scale with goroutines (run it with
// -cpu 1,2): GETs through Session.Do, one session per goroutine, against
// the same point read through mattn's driver on connections of its own
// (no database/sql pool). Besides ns/op it reports the process' CPU time
// per read (cpu-ns/op) and its voluntary context switches per 1,000 reads
// (vcsw/kop): when two goroutines contend for a lock, reads cost more CPU
// or threads sleep; when neither rises, reads scale as far as free cores
// allow, however busy the machine is. The "control" sub-benchmark is pure
// computation: how it scales is what the machine lets any two goroutines
// do at the moment (this one's cores are shared with other work).
func BenchmarkReadScaling(b *testing.B) {
	const keys = 10000
	names := make([][]byte, keys)
	for i := range names {
		names[i] = []byte("key:" + strconv.Itoa(i))
	}
	b.Run("control", func(b *testing.B) {
		measure(b, func(pb *testing.PB) {
			x := uint64(1)
			for pb.Next() {
				for j := 0; j < 500; j++ {
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			sink.Add(x)
		})
	})
	b.Run("redlite", func(b *testing.B) {
		s := benchSession(b)
		for _, k := range names {
			s.Do([][]byte{[]byte("SET"), k, []byte("0123456789abcdef0123456789abcdef")})
		}
		db := s.store
		var next atomic.Int64
		measure(b, func(pb *testing.PB) {
			ss := db.NewSession()
			defer ss.Close()
			i := int(next.Add(1000))
			argv := [][]byte{[]byte("GET"), nil}
			for pb.Next() {
				i++
				argv[1] = names[i%keys]
				if v := ss.Do(argv); v.IsError() {
					b.Error(string(v.Str))
					return
				}
			}
		})
	})
	b.Run("raw", func(b *testing.B) {
		s := benchSession(b)
		for _, k := range names {
			s.Do([][]byte{[]byte("SET"), k, []byte("0123456789abcdef0123456789abcdef")})
		}
		dsn := s.store.dsn()
		var next atomic.Int64
		measure(b, func(pb *testing.PB) {
			c, err := openSQLConn(dsn)
			if err != nil {
				b.Error(err)
				return
			}
			defer c.close()
			i := int(next.Add(1000))
			for pb.Next() {
				i++
				r, err := c.query(`SELECT value FROM keys WHERE db = 0 AND key = ?`, names[i%keys])
				if err == nil {
					if !r.next() {
						b.Error("missing key")
					}
					err = r.close()
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

var sink atomic.Uint64

// measure runs body in parallel and adds the CPU and context switch metrics.
func measure(b *testing.B, body func(pb *testing.PB)) {
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(body)
	b.StopTimer()
	wall := time.Since(start)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(syscall.TimevalToNsec(after.Utime) + syscall.TimevalToNsec(after.Stime) -
		syscall.TimevalToNsec(before.Utime) - syscall.TimevalToNsec(before.Stime))
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(after.Nvcsw-before.Nvcsw)*1000/float64(b.N), "vcsw/kop")
	b.ReportMetric(float64(cpu)/float64(wall), "cores")
}
