package core

import (
	"fmt"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Cost at scale (issue 3): pushing and popping at either end of a list,
// SADD and SISMEMBER must cost about the same on a 1,000,000-element key as
// on a 1,000-element one. Each benchmark runs at both sizes and keeps the
// key's size within 1,000 of it, restoring it with the timer stopped.
//
//	go test -run '^$' -bench '^Benchmark(ListEnds|SetScale)$' -benchtime 100000x ./core
//
// Besides ns/op (wall time, which other processes on a shared machine
// distort), each reports cpu-ns/op: the process' CPU time in the timed part.

// cpuMeter accumulates the process' CPU time while the benchmark timer runs.
type cpuMeter struct {
	b       *testing.B
	total   time.Duration
	started time.Duration
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	return &cpuMeter{b: b, started: cpuTime()}
}

func (m *cpuMeter) pause() {
	m.b.StopTimer()
	m.total += cpuTime() - m.started
}

func (m *cpuMeter) resume() {
	m.started = cpuTime()
	m.b.StartTimer()
}

// done stops the timer and reports cpu-ns/op.
func (m *cpuMeter) done() {
	m.pause()
	m.b.ReportMetric(float64(m.total.Nanoseconds())/float64(m.b.N), "cpu-ns/op")
}

var scaleSizes = []int{1_000, 1_000_000}

// fill runs cmd key <items...> in batches of 1000 until n items are in.
func fill(b *testing.B, s *Session, cmd, key string, from, n int) {
	for i := from; i < from+n; i += 1000 {
		argv := [][]byte{[]byte(cmd), []byte(key)}
		for j := i; j < min(i+1000, from+n); j++ {
			argv = append(argv, []byte("element:"+strconv.Itoa(j)))
		}
		benchDo(b, s, argv)
	}
}

// sinceLast is how many of n iterations ran since the last restore, which
// happens before iterations 1000, 2000...
func sinceLast(n int) int { return n - 1000*((n-1)/1000) }

func BenchmarkListEnds(b *testing.B) {
	for _, size := range scaleSizes {
		s := benchSession(b)
		fill(b, s, "RPUSH", "list", 0, size)
		push := func(cmd, undo string) func(b *testing.B) {
			return func(b *testing.B) {
				argv := [][]byte{[]byte(cmd), []byte("list"), []byte("value")}
				cpu := startCPU(b)
				for i := 0; i < b.N; i++ {
					if i > 0 && i%1000 == 0 {
						cpu.pause()
						benchDo(b, s, [][]byte{[]byte(undo), []byte("list"), []byte("1000")})
						cpu.resume()
					}
					benchDo(b, s, argv)
				}
				cpu.done()
				benchDo(b, s, [][]byte{[]byte(undo), []byte("list"), []byte(strconv.Itoa(sinceLast(b.N)))})
			}
		}
		pop := func(cmd, refill string) func(b *testing.B) {
			return func(b *testing.B) {
				argv := [][]byte{[]byte(cmd), []byte("list")}
				cpu := startCPU(b)
				for i := 0; i < b.N; i++ {
					if i > 0 && i%1000 == 0 {
						cpu.pause()
						fill(b, s, refill, "list", 0, 1000)
						cpu.resume()
					}
					benchDo(b, s, argv)
				}
				cpu.done()
				fill(b, s, refill, "list", 0, sinceLast(b.N))
			}
		}
		b.Run(fmt.Sprintf("LPUSH/%d", size), push("LPUSH", "LPOP"))
		b.Run(fmt.Sprintf("RPUSH/%d", size), push("RPUSH", "RPOP"))
		b.Run(fmt.Sprintf("LPOP/%d", size), pop("LPOP", "LPUSH"))
		b.Run(fmt.Sprintf("RPOP/%d", size), pop("RPOP", "RPUSH"))
		b.Run(fmt.Sprintf("LINDEX-1/%d", size), func(b *testing.B) {
			argv := [][]byte{[]byte("LINDEX"), []byte("list"), []byte("-1")}
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				benchDo(b, s, argv)
			}
			cpu.done()
		})
	}
}

func BenchmarkSetScale(b *testing.B) {
	for _, size := range scaleSizes {
		s := benchSession(b)
		fill(b, s, "SADD", "set", 0, size)
		b.Run(fmt.Sprintf("SADD/%d", size), func(b *testing.B) {
			argv := [][]byte{[]byte("SADD"), []byte("set"), nil}
			added := [][]byte{[]byte("SREM"), []byte("set")}
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				if len(added) == 1002 {
					cpu.pause()
					benchDo(b, s, added)
					added = added[:2]
					cpu.resume()
				}
				argv[2] = []byte("new:" + strconv.Itoa(i))
				added = append(added, argv[2])
				benchDo(b, s, argv)
			}
			cpu.done()
			benchDo(b, s, added)
		})
		b.Run(fmt.Sprintf("SISMEMBER/%d", size), func(b *testing.B) {
			argv := [][]byte{[]byte("SISMEMBER"), []byte("set"), nil}
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				argv[2] = []byte("element:" + strconv.Itoa((i*7919)%size))
				benchDo(b, s, argv)
			}
			cpu.done()
		})
	}
}
