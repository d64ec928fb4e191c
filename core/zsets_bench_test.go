package core

import (
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Sorted set costs at 1,000 and 1,000,000 elements: ZADD, ZSCORE and
// ranges of 10 by rank (at either end) or by score must not grow more than
// 2x with the set. ZRANK and a rank range in the middle walk the index, so
// they grow with N (documented in the command table); they are measured
// for the record.
//
//	go test -run '^$' -bench ZSetScale -benchtime 2000x ./core

// fillZSet makes key a sorted set of members m1..mN with scores spread
// over 0..N-1 in an order unrelated to the members', in one statement.
func fillZSet(b *testing.B, s *Session, key string, n int) {
	v := zWrite(s, func(tx *Tx) resp.Value {
		id := tx.createKey([]byte(key), TypeZSet, 0, nil)
		tx.exec(`WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < ?)
			INSERT INTO zsets(key_id, member, score) SELECT ?, CAST('m' || x AS BLOB), (x * 7919) % ? FROM cnt`, n, id, n)
		tx.exec(`UPDATE keys SET count = ? WHERE id = ?`, n, id)
		return resp.OK()
	})
	if v.IsError() {
		b.Fatal(string(v.Str))
	}
}

func BenchmarkZSetScale(b *testing.B) {
	for _, n := range []int{1000, 1000000} {
		s := benchSessionCache(b, benchCacheMB)
		fillZSet(b, s, "z", n)
		rng := rand.New(rand.NewSource(1))
		member := func() []byte { return []byte("m" + strconv.Itoa(1+rng.Intn(n))) }
		run := func(name string, argv func(i int) [][]byte) {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				if benchWarm {
					warmZSet(b, s.store)
					b.ResetTimer()
				}
				for i := 0; i < b.N; i++ {
					if v := s.Do(argv(i)); v.IsError() {
						b.Fatal(string(v.Str))
					}
				}
			})
		}
		bs := func(parts ...string) [][]byte {
			out := make([][]byte, len(parts))
			for i, p := range parts {
				out[i] = []byte(p)
			}
			return out
		}
		run("ZADD-update", func(int) [][]byte {
			return [][]byte{[]byte("ZADD"), []byte("z"), []byte(strconv.Itoa(rng.Intn(n))), member()}
		})
		run("ZADD-new", func(i int) [][]byte {
			return [][]byte{[]byte("ZADD"), []byte("z"), []byte(strconv.Itoa(rng.Intn(n))), []byte("new" + strconv.Itoa(i))}
		})
		run("ZSCORE", func(int) [][]byte { return [][]byte{[]byte("ZSCORE"), []byte("z"), member()} })
		run("ZRANGE-rank-head", func(int) [][]byte { return bs("ZRANGE", "z", "0", "9", "WITHSCORES") })
		run("ZRANGE-rank-tail", func(int) [][]byte { return bs("ZRANGE", "z", "-10", "-1", "WITHSCORES") })
		run("ZREVRANGE-top10", func(int) [][]byte { return bs("ZREVRANGE", "z", "0", "9", "WITHSCORES") })
		run("ZRANGE-byscore", func(int) [][]byte {
			lo := rng.Intn(n)
			return bs("ZRANGE", "z", strconv.Itoa(lo), "+inf", "BYSCORE", "LIMIT", "0", "10", "WITHSCORES")
		})
		run("ZRANGEBYSCORE-window", func(int) [][]byte {
			lo := rng.Intn(n - 10)
			return bs("ZRANGEBYSCORE", "z", strconv.Itoa(lo), "("+strconv.Itoa(lo+10))
		})
		run("ZRANK-random(O(N))", func(int) [][]byte { return [][]byte{[]byte("ZRANK"), []byte("z"), member()} })
		run("ZRANGE-rank-middle(O(N))", func(int) [][]byte {
			return bs("ZRANGE", "z", strconv.Itoa(n/2), strconv.Itoa(n/2+9))
		})
	}
}

var benchCacheMB, _ = strconv.Atoi(os.Getenv("ZBENCH_CACHE"))

func benchSessionCache(b *testing.B, mb int) *Session {
	db, err := Open(Options{Path: b.TempDir() + "/bench.db", CacheMB: mb})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if os.Getenv("ZBENCH_NOCKPT") != "" {
		for _, c := range db.all {
			if err := c.execScript("PRAGMA wal_autocheckpoint = 0"); err != nil {
				b.Fatal(err)
			}
		}
	}
	if benchMmap {
		for _, c := range db.all {
			if err := c.execScript("PRAGMA mmap_size = 1073741824"); err != nil {
				b.Fatal(err)
			}
		}
	}
	s := db.NewSession()
	b.Cleanup(s.Close)
	return s
}

var benchMmap = os.Getenv("ZBENCH_MMAP") != ""

var benchWarm = os.Getenv("ZBENCH_WARM") != ""

// warmZSet reads every page of the sorted set tables on every connection,
// so the benchmark measures lookups in a warm page cache.
func warmZSet(b *testing.B, db *DB) {
	for _, c := range db.all {
		for _, q := range []string{
			`SELECT sum(length(member)), sum(score) FROM zsets`,
			`SELECT count(*) FROM zsets INDEXED BY zsets_key_member WHERE key_id > 0`,
			`SELECT count(*) FROM zsets INDEXED BY zsets_key_score WHERE key_id > 0`,
		} {
			r, err := c.query(q)
			if err != nil {
				b.Fatal(err)
			}
			for r.next() {
			}
			if err := r.close(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkZSetRatio measures each operation on a 1,000- and a
// 1,000,000-element sorted set in alternating rounds, so the load of a
// shared machine falls on both alike, and reports the median cost of each
// and their ratio.
//
//	go test -run '^$' -bench ZSetRatio -benchtime 1x ./core
func BenchmarkZSetRatio(b *testing.B) {
	sizes := []int{1000, 1000000}
	sess := make([]*Session, len(sizes))
	for i, n := range sizes {
		sess[i] = benchSessionCache(b, benchCacheMB)
		fillZSet(b, sess[i], "z", n)
		if os.Getenv("ZBENCH_CKPT") != "" {
			if err := sess[i].store.Checkpoint(); err != nil {
				b.Fatal(err)
			}
		}
	}
	type op struct {
		name string
		argv func(rng *rand.Rand, n, i int) []string
	}
	ops := []op{
		{"ZADD-update", func(r *rand.Rand, n, _ int) []string {
			return []string{"ZADD", "z", strconv.Itoa(r.Intn(n)), "m" + strconv.Itoa(1+r.Intn(n))}
		}},
		{"ZADD-new", func(r *rand.Rand, n, i int) []string {
			return []string{"ZADD", "z", strconv.Itoa(r.Intn(n)), "new" + strconv.Itoa(i)}
		}},
		{"ZSCORE", func(r *rand.Rand, n, _ int) []string { return []string{"ZSCORE", "z", "m" + strconv.Itoa(1+r.Intn(n))} }},
		{"ZRANGE-0-9", func(*rand.Rand, int, int) []string { return []string{"ZRANGE", "z", "0", "9", "WITHSCORES"} }},
		{"ZRANGE-tail10", func(*rand.Rand, int, int) []string { return []string{"ZRANGE", "z", "-10", "-1", "WITHSCORES"} }},
		{"ZREVRANGE-0-9", func(*rand.Rand, int, int) []string { return []string{"ZREVRANGE", "z", "0", "9", "WITHSCORES"} }},
		{"ZRANGE-BYSCORE-LIMIT10", func(r *rand.Rand, n, _ int) []string {
			return []string{"ZRANGE", "z", strconv.Itoa(r.Intn(n)), "+inf", "BYSCORE", "LIMIT", "0", "10", "WITHSCORES"}
		}},
	}
	const rounds, perRound = 15, 300
	for _, o := range ops {
		if benchWarm {
			for _, s := range sess {
				warmZSet(b, s.store)
			}
		}
		times := make([][]float64, len(sizes))
		seq := 0
		for round := 0; round < rounds; round++ {
			for i, n := range sizes {
				rng := rand.New(rand.NewSource(int64(round)))
				start := time.Now()
				for k := 0; k < perRound; k++ {
					seq++
					if v := do(sess[i], o.argv(rng, n, seq)...); v.IsError() {
						b.Fatal(string(v.Str))
					}
				}
				times[i] = append(times[i], float64(time.Since(start).Nanoseconds())/perRound)
			}
		}
		small, big := median(times[0]), median(times[1])
		b.Logf("%-24s 1k: %8.0f ns/op   1M: %8.0f ns/op   ratio %.2f", o.name, small, big, big/small)
		b.ReportMetric(big/small, o.name+"-ratio")
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
