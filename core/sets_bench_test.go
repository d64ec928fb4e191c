package core

import (
	"fmt"
	"math/rand"
	"testing"
)

// Collection hot paths through Session.Do (see perf_bench_test.go): sets
// here, with the matching ZADD and HSET cases, so one -bench run compares
// the three families' layouts.
//
//	go test -run '^$' -bench 'Random|SAdd|SIsMember|SRandMember|SScan|ZRandMember' ./core

// benchRandomMember is what redis-benchmark -r 100000 sends as a member:
// element: and a random 12-digit number below 100000.
func benchRandomMember(r *rand.Rand) []byte {
	return []byte(fmt.Sprintf("element:%012d", r.Intn(100000)))
}

// fillCollection runs cmd key [prefix...] member ... in batches of 1000,
// n members element:0 .. element:n-1, each preceded by the fixed
// arguments per member (a score for ZADD, nothing for SADD).
func fillCollection(b *testing.B, s *Session, cmd, key string, n int, perMember ...string) {
	for start := 0; start < n; start += 1000 {
		argv := [][]byte{[]byte(cmd), []byte(key)}
		for i := start; i < min(n, start+1000); i++ {
			for _, a := range perMember {
				argv = append(argv, []byte(a))
			}
			argv = append(argv, []byte(fmt.Sprintf("element:%d", i)))
		}
		benchDo(b, s, argv)
	}
}

// BenchmarkSAddRandom is redis-benchmark's SADD: random members of one
// set, most of them new until the set nears 100,000 members.
func BenchmarkSAddRandom(b *testing.B) {
	s := benchSession(b)
	r := rand.New(rand.NewSource(1))
	argv := [][]byte{[]byte("SADD"), []byte("myset"), nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = benchRandomMember(r)
		benchDo(b, s, argv)
	}
}

// BenchmarkSAddNew adds a new member to one set every time.
func BenchmarkSAddNew(b *testing.B) {
	s := benchSession(b)
	argv := [][]byte{[]byte("SADD"), []byte("myset"), nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = []byte(fmt.Sprintf("member:%d", i))
		benchDo(b, s, argv)
	}
}

func BenchmarkSIsMember(b *testing.B) {
	s := benchSession(b)
	fillCollection(b, s, "SADD", "myset", 10000)
	argv := [][]byte{[]byte("SISMEMBER"), []byte("myset"), nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = []byte(fmt.Sprintf("element:%d", i%20000))
		benchDo(b, s, argv)
	}
}

// BenchmarkSRandMember draws one member of a 100,000-member set.
func BenchmarkSRandMember(b *testing.B) {
	s := benchSession(b)
	fillCollection(b, s, "SADD", "myset", 100000)
	argv := [][]byte{[]byte("SRANDMEMBER"), []byte("myset")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkSRandMember10 draws ten distinct members of a 100,000-member set.
func BenchmarkSRandMember10(b *testing.B) {
	s := benchSession(b)
	fillCollection(b, s, "SADD", "myset", 100000)
	argv := [][]byte{[]byte("SRANDMEMBER"), []byte("myset"), []byte("10")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkSScan pages through a 10,000-member set, 100 members a call.
func BenchmarkSScan(b *testing.B) {
	s := benchSession(b)
	fillCollection(b, s, "SADD", "myset", 10000)
	argv := [][]byte{[]byte("SSCAN"), []byte("myset"), []byte("0"), []byte("COUNT"), []byte("100")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := s.Do(argv)
		if v.IsError() {
			b.Fatal(string(v.Str))
		}
		argv[2] = v.Elems[0].Str
	}
}

// BenchmarkZAddRandom is redis-benchmark's ZADD: random scores and members
// of one sorted set.
func BenchmarkZAddRandom(b *testing.B) {
	s := benchSession(b)
	r := rand.New(rand.NewSource(1))
	argv := [][]byte{[]byte("ZADD"), []byte("myzset"), nil, nil}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = []byte(fmt.Sprint(r.Intn(100000)))
		argv[3] = benchRandomMember(r)
		benchDo(b, s, argv)
	}
}

// BenchmarkZRandMember draws one member of a 100,000-member sorted set.
func BenchmarkZRandMember(b *testing.B) {
	s := benchSession(b)
	fillCollection(b, s, "ZADD", "myzset", 100000, "1")
	argv := [][]byte{[]byte("ZRANDMEMBER"), []byte("myzset")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchDo(b, s, argv)
	}
}

// BenchmarkHSetRandom is redis-benchmark's HSET: random fields of one hash.
func BenchmarkHSetRandom(b *testing.B) {
	s := benchSession(b)
	r := rand.New(rand.NewSource(1))
	argv := [][]byte{[]byte("HSET"), []byte("myhash"), nil, []byte("xxx")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[2] = benchRandomMember(r)
		benchDo(b, s, argv)
	}
}
