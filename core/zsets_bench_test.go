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

// Sorted set costs at 1,000 and 1,000,000 elements. ZADD, ZSCORE and
// ranges of 10 by rank (at either end) or by score must stay within 2x of
// their 1,000-element cost. ZRANK and a rank range in the middle walk the
// index, so they grow with N (documented in the command table); the scale
// benchmark measures them for the record.
//
//	go test -run '^$' -bench ZSetRatio -benchtime 1x ./core   (what make bench runs)
//	go test -run '^$' -bench ZSetScale ./core
//
// Knobs, to see where the time goes: ZBENCH_CACHE=MiB sets SQLite's page
// cache per connection (default: Open's); ZBENCH_WARM=1 reads every page
// on every connection before each measurement; ZBENCH_NOCKPT=1 turns off
// WAL auto-checkpoints, which at 1M elements copy far more distinct pages.

var (
	benchCacheMB, _ = strconv.Atoi(os.Getenv("ZBENCH_CACHE"))
	benchWarm       = os.Getenv("ZBENCH_WARM") != ""
	benchNoCkpt     = os.Getenv("ZBENCH_NOCKPT") != ""
)

func zbenchSession(b *testing.B) *Session {
	db, err := Open(Options{Path: b.TempDir() + "/bench.db", CacheMB: benchCacheMB})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if benchNoCkpt {
		for _, c := range db.all {
			if err := c.execScript("PRAGMA wal_autocheckpoint = 0"); err != nil {
				b.Fatal(err)
			}
		}
	}
	s := db.NewSession()
	b.Cleanup(s.Close)
	return s
}

// fillZSet makes key a sorted set of members m1..mN with scores spread
// over 0..N-1 in an order unrelated to the members', in one statement.
func fillZSet(b testing.TB, s *Session, key string, n int) {
	v := zWrite(s, func(tx *Tx) resp.Value {
		id := tx.createKey([]byte(key), TypeZSet, 0, nil)
		tx.exec(`WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < ?2)
			INSERT INTO zsets(key_id, h, member, score)
			SELECT ?1, redlite_member_hash(`+sqlMemberHashSalt+`, CAST('m' || x AS BLOB)), CAST('m' || x AS BLOB), (x * 7919) % ?2 FROM cnt`, id, n)
		tx.exec(`UPDATE keys SET count = ? WHERE id = ?`, n, id)
		return resp.OK()
	})
	if v.IsError() {
		b.Fatal(string(v.Str))
	}
}

// warmZSet reads every page of the sorted set tables on every connection.
func warmZSet(b *testing.B, db *DB) {
	for _, c := range db.all {
		for _, q := range []string{
			`SELECT sum(length(member)), sum(score) FROM zsets`,
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

// zbenchOp is one measured command; argv gets a random source, the set's
// size and a sequence number.
type zbenchOp struct {
	name string
	argv func(r *rand.Rand, n, i int) []string
}

var zbenchOps = []zbenchOp{
	{"ZADD (update a score)", func(r *rand.Rand, n, _ int) []string {
		return []string{"ZADD", "z", strconv.Itoa(r.Intn(n)), "m" + strconv.Itoa(1+r.Intn(n))}
	}},
	{"ZSCORE", func(r *rand.Rand, n, _ int) []string { return []string{"ZSCORE", "z", "m" + strconv.Itoa(1+r.Intn(n))} }},
	{"ZRANGE 0 9 WITHSCORES", func(*rand.Rand, int, int) []string { return []string{"ZRANGE", "z", "0", "9", "WITHSCORES"} }},
	{"ZRANGE -10 -1 WITHSCORES", func(*rand.Rand, int, int) []string { return []string{"ZRANGE", "z", "-10", "-1", "WITHSCORES"} }},
	{"ZREVRANGE 0 9 WITHSCORES", func(*rand.Rand, int, int) []string { return []string{"ZREVRANGE", "z", "0", "9", "WITHSCORES"} }},
	{"ZRANGE BYSCORE LIMIT 0 10", func(r *rand.Rand, n, _ int) []string {
		return []string{"ZRANGE", "z", strconv.Itoa(r.Intn(n)), "+inf", "BYSCORE", "LIMIT", "0", "10", "WITHSCORES"}
	}},
	{"ZRANGEBYSCORE (10 wide)", func(r *rand.Rand, n, _ int) []string {
		lo := r.Intn(n - 10)
		return []string{"ZRANGEBYSCORE", "z", strconv.Itoa(lo), "(" + strconv.Itoa(lo+10)}
	}},
	// Last: it grows the sets, by some 25,000 members.
	{"ZADD (new member)", func(r *rand.Rand, n, i int) []string {
		return []string{"ZADD", "z", strconv.Itoa(r.Intn(n)), "new" + strconv.Itoa(i)}
	}},
}

// BenchmarkZSetRatio measures each operation on a 1,000- and a
// 1,000,000-element sorted set in alternating rounds, so the load of a
// shared machine falls on both alike, and reports the median wall and CPU
// time of each and their ratios (as markdown table rows in the log, for
// make bench).
func BenchmarkZSetRatio(b *testing.B) {
	sizes := []int{1000, 1000000}
	sess := make([]*Session, len(sizes))
	for i, n := range sizes {
		sess[i] = zbenchSession(b)
		fillZSet(b, sess[i], "z", n)
	}
	const rounds, perRound, warmCalls = 15, 300, 20000
	seq := 0
	for _, o := range zbenchOps {
		if benchWarm {
			for _, s := range sess {
				warmZSet(b, s.store)
			}
		}
		// Untimed calls first: the measured ones find the page caches in
		// the state this kind of traffic keeps them in.
		for i, n := range sizes {
			rng := rand.New(rand.NewSource(-1))
			for k := 0; k < warmCalls; k++ {
				seq++
				if v := do(sess[i], o.argv(rng, n, seq)...); v.IsError() {
					b.Fatal(string(v.Str))
				}
			}
		}
		wall := make([][]float64, len(sizes))
		cpu := make([][]float64, len(sizes))
		for round := 0; round < rounds; round++ {
			for i, n := range sizes {
				rng := rand.New(rand.NewSource(int64(round)))
				start, startCPU := time.Now(), cpuTime()
				for k := 0; k < perRound; k++ {
					seq++
					if v := do(sess[i], o.argv(rng, n, seq)...); v.IsError() {
						b.Fatal(string(v.Str))
					}
				}
				wall[i] = append(wall[i], float64(time.Since(start).Nanoseconds())/perRound)
				cpu[i] = append(cpu[i], float64((cpuTime()-startCPU).Nanoseconds())/perRound)
			}
		}
		w0, w1, c0, c1 := median(wall[0]), median(wall[1]), median(cpu[0]), median(cpu[1])
		b.Logf("| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |", o.name, w0/1000, w1/1000, w1/w0, c0/1000, c1/1000, c1/c0)
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// BenchmarkZSetScale runs every operation as a standard benchmark at both
// sizes, plus the two that grow with N.
func BenchmarkZSetScale(b *testing.B) {
	for _, n := range []int{1000, 1000000} {
		s := zbenchSession(b)
		fillZSet(b, s, "z", n)
		ops := append(append([]zbenchOp(nil), zbenchOps...),
			zbenchOp{"ZRANK (grows with N)", func(r *rand.Rand, n, _ int) []string {
				return []string{"ZRANK", "z", "m" + strconv.Itoa(1+r.Intn(n))}
			}},
			zbenchOp{"ZRANGE mid-rank (grows with N)", func(_ *rand.Rand, n, _ int) []string {
				return []string{"ZRANGE", "z", strconv.Itoa(n / 2), strconv.Itoa(n/2 + 9)}
			}})
		for _, o := range ops {
			b.Run(fmt.Sprintf("%s/%d", o.name, n), func(b *testing.B) {
				if benchWarm {
					warmZSet(b, s.store)
				}
				rng := rand.New(rand.NewSource(1))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if v := do(s, o.argv(rng, n, i)...); v.IsError() {
						b.Fatal(string(v.Str))
					}
				}
			})
		}
	}
}
