package redlite

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// Benchmarks against the physical limit of this design: raw
// mattn/go-sqlite3 on a plain key-value table, with the pragmas redlite
// uses (WAL, synchronous=NORMAL, 16 MiB cache), each write its own
// committed transaction and every statement prepared once. Writes run on
// one goroutine (no group commit to share); reads run in parallel, so
// -cpu 1,2 shows how they scale. scripts/bench-go.sh turns the output into
// ratios.

const benchKeys = 10000

var benchValue = []byte("0123456789abcdef0123456789abcdef") // 32 bytes

// benchValueFor is the value the timed loop writes on iteration i: each
// pass over the keys writes a different one, so every write changes the
// stored bytes. SQLite skips writing a row whose new bytes equal the old
// ones, so overwriting with the same value would commit no page at all
// (the raw upsert then measured 4.3 µs against about 10 µs for a commit
// that writes one page; bench/WRITE-PATH.md).
func benchValueFor(i int) []byte {
	if (i/benchKeys)%2 == 0 {
		return benchValueAlt
	}
	return benchValue
}

var benchValueAlt = []byte("fedcba9876543210fedcba9876543210")

func benchKeyNames() []string {
	keys := make([]string, benchKeys)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	return keys
}

func openBenchDB(b *testing.B) *DB {
	b.Helper()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	return db
}

type rawKV struct {
	db        *sql.DB
	set, get  *sql.Stmt
	keys      []string
	keysBytes [][]byte
}

func openRaw(b *testing.B) *rawKV {
	b.Helper()
	dsn := "file:" + filepath.Join(b.TempDir(), "raw.db") +
		"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=30000&_cache_size=-16384"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(4) // redlite's default number of readers
	db.SetMaxIdleConns(4)
	if _, err := db.Exec(`CREATE TABLE kv(key BLOB PRIMARY KEY, value BLOB)`); err != nil {
		b.Fatal(err)
	}
	r := &rawKV{db: db, keys: benchKeyNames()}
	for _, k := range r.keys {
		r.keysBytes = append(r.keysBytes, []byte(k))
	}
	if r.set, err = db.Prepare(`INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`); err != nil {
		b.Fatal(err)
	}
	if r.get, err = db.Prepare(`SELECT value FROM kv WHERE key = ?`); err != nil {
		b.Fatal(err)
	}
	return r
}

// Writes overwrite existing keys, fields and members (the steady state of a
// cache or a counter), set up before the timer starts, with values that
// differ from the stored ones (benchValueFor); LPush appends.

func BenchmarkRawSet(b *testing.B) {
	r := openRaw(b)
	for _, k := range r.keysBytes {
		if _, err := r.set.Exec(k, benchValue); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.set.Exec(r.keysBytes[i%benchKeys], benchValueFor(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRawGet(b *testing.B) {
	r := openRaw(b)
	for _, k := range r.keysBytes {
		if _, err := r.set.Exec(k, benchValue); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1000))
		var v []byte
		for pb.Next() {
			i++
			if err := r.get.QueryRow(r.keysBytes[i%benchKeys]).Scan(&v); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkSet(b *testing.B) {
	db := openBenchDB(b)
	keys := benchKeyNames()
	for _, k := range keys {
		if err := db.Set(ctx, k, benchValue); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.Set(ctx, keys[i%benchKeys], benchValueFor(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	db := openBenchDB(b)
	keys := benchKeyNames()
	for _, k := range keys {
		if err := db.Set(ctx, k, benchValue); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1000))
		for pb.Next() {
			i++
			if _, err := db.GetBytes(ctx, keys[i%benchKeys]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// needs skips a benchmark of a command family not in the core yet.
func needs(b *testing.B, names ...string) {
	for _, n := range names {
		if !registered(n) {
			b.Skipf("needs %s, which is not implemented yet", n)
		}
	}
}

func BenchmarkHSet(b *testing.B) {
	needs(b, "hset")
	db := openBenchDB(b)
	keys := benchKeyNames()
	for i := range keys {
		if _, err := db.HSet(ctx, keys[i%100], keys[i], benchValue); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.HSet(ctx, keys[i%100], keys[i%benchKeys], benchValueFor(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLPush(b *testing.B) {
	needs(b, "lpush")
	db := openBenchDB(b)
	keys := benchKeyNames()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.LPush(ctx, keys[i%100], benchValue); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkZAdd(b *testing.B) {
	needs(b, "zadd")
	db := openBenchDB(b)
	keys := benchKeyNames()
	for i := range keys {
		if _, err := db.ZAdd(ctx, keys[i%100], Z{Score: float64(i), Member: keys[i]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.ZAdd(ctx, keys[i%100], Z{Score: float64(i), Member: keys[i%benchKeys]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoGet is Get through the generic Do path, to show its cost.
func BenchmarkDoGet(b *testing.B) {
	db := openBenchDB(b)
	if err := db.Set(ctx, "k", benchValue); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Do(ctx, "get", "k"); err != nil {
			b.Fatal(err)
		}
	}
}
