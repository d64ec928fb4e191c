package core

import (
	"strconv"
	"testing"
	"time"
)

// collOp is one measured list or set command. argv builds the i-th call;
// undo, run untimed after each round of calls, puts the key back to its
// size so every round measures the same size.
type collOp struct {
	name string
	argv func(n, i int) []string
	undo func(from, count int) []string
}

func pushed(cmd string) func(from, count int) []string {
	return func(from, count int) []string {
		argv := []string{cmd, "list"}
		for j := 0; j < count; j++ {
			argv = append(argv, "back:"+strconv.Itoa(from+j))
		}
		return argv
	}
}

var collOps = []collOp{
	{"LPUSH", func(_, i int) []string { return []string{"LPUSH", "list", "v" + strconv.Itoa(i)} },
		func(_, count int) []string { return []string{"LPOP", "list", strconv.Itoa(count)} }},
	{"RPUSH", func(_, i int) []string { return []string{"RPUSH", "list", "v" + strconv.Itoa(i)} },
		func(_, count int) []string { return []string{"RPOP", "list", strconv.Itoa(count)} }},
	{"LPOP", func(int, int) []string { return []string{"LPOP", "list"} }, pushed("LPUSH")},
	{"RPOP", func(int, int) []string { return []string{"RPOP", "list"} }, pushed("RPUSH")},
	{"LINDEX -1", func(int, int) []string { return []string{"LINDEX", "list", "-1"} }, nil},
	{"SADD (new member)", func(_, i int) []string { return []string{"SADD", "set", "new:" + strconv.Itoa(i)} },
		func(from, count int) []string {
			argv := []string{"SREM", "set"}
			for j := 0; j < count; j++ {
				argv = append(argv, "new:"+strconv.Itoa(from+j))
			}
			return argv
		}},
	{"SISMEMBER", func(n, i int) []string { return []string{"SISMEMBER", "set", "element:" + strconv.Itoa((i*7919)%n)} }, nil},
}

// BenchmarkCollectionRatio is BenchmarkZSetRatio for lists and sets: each
// command on a 1,000- and a 1,000,000-element key in alternating rounds,
// the median wall and CPU time of each and their ratios, as markdown table
// rows in the log (make bench).
func BenchmarkCollectionRatio(b *testing.B) {
	sizes := []int{1000, 1000000}
	sess := make([]*Session, len(sizes))
	for i, n := range sizes {
		sess[i] = benchSession(b)
		fill(b, sess[i], "RPUSH", "list", 0, n)
		fill(b, sess[i], "SADD", "set", 0, n)
	}
	// Untimed calls first, as in BenchmarkZSetRatio, so the measured ones
	// find the page caches as this traffic keeps them; fewer for the
	// commands that change the key (a pop must not empty the small list).
	const rounds, perRound, warmReads, warmWrites = 15, 300, 20000, 500
	seq := 0
	run := func(s *Session, o collOp, n, calls int) {
		first := seq
		for k := 0; k < calls; k++ {
			seq++
			if v := do(s, o.argv(n, seq)...); v.IsError() {
				b.Fatal(string(v.Str))
			}
		}
		if o.undo != nil {
			if v := do(s, o.undo(first+1, calls)...); v.IsError() {
				b.Fatal(string(v.Str))
			}
		}
	}
	for _, o := range collOps {
		warm := warmReads
		if o.undo != nil {
			warm = warmWrites
		}
		for i, n := range sizes {
			run(sess[i], o, n, warm)
		}
		wall := make([][]float64, len(sizes))
		cpu := make([][]float64, len(sizes))
		for round := 0; round < rounds; round++ {
			for i, n := range sizes {
				first := seq
				start, startCPU := time.Now(), cpuTime()
				for k := 0; k < perRound; k++ {
					seq++
					if v := do(sess[i], o.argv(n, seq)...); v.IsError() {
						b.Fatal(string(v.Str))
					}
				}
				wall[i] = append(wall[i], float64(time.Since(start).Nanoseconds())/perRound)
				cpu[i] = append(cpu[i], float64((cpuTime()-startCPU).Nanoseconds())/perRound)
				if o.undo != nil {
					if v := do(sess[i], o.undo(first+1, perRound)...); v.IsError() {
						b.Fatal(string(v.Str))
					}
				}
			}
		}
		w0, w1, c0, c1 := median(wall[0]), median(wall[1]), median(cpu[0]), median(cpu[1])
		b.Logf("| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |", o.name, w0/1000, w1/1000, w1/w0, c0/1000, c1/1000, c1/c0)
	}
	for i, n := range sizes {
		if v := do(sess[i], "LLEN", "list"); v.Int != int64(n) {
			b.Fatalf("list of %d ends with %d elements", n, v.Int)
		}
		if v := do(sess[i], "SCARD", "set"); v.Int != int64(n) {
			b.Fatalf("set of %d ends with %d members", n, v.Int)
		}
	}
}
