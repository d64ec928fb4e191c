package core

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkRawUpsert is the yardstick for BenchmarkSetExisting: a prepared
// upsert on a plain key-value table, each in its own transaction, with the
// same pragmas, through the same connection wrapper. Both write a value
// that differs from the stored one (changedValue): SQLite skips writing a
// row whose bytes do not change, and a commit without a page to write
// costs less than half of one that writes a page.
func BenchmarkRawUpsert(b *testing.B) { rawUpsert(b, "", 0) }
func BenchmarkRawUpsertPragmas(b *testing.B) {
	rawUpsert(b, "PRAGMA busy_timeout = 30000; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;", 0)
}
func BenchmarkRawUpsertReaders(b *testing.B) { rawUpsert(b, "", 5) }

func rawUpsert(b *testing.B, pragmas string, readers int) {
	path := "file:" + filepath.Join(b.TempDir(), "raw.db")
	c, err := openSQLConn(path)
	for i := 0; i < readers; i++ {
		rc, _ := openSQLConn(path)
		rc.execScript("SELECT 1")
		defer rc.close()
	}
	if err != nil {
		b.Fatal(err)
	}
	defer c.close()
	if err := c.execScript(pragmas + `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE kv(key BLOB PRIMARY KEY, value BLOB)`); err != nil {
		b.Fatal(err)
	}
	up := `INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`
	for i := 0; i < 10000; i++ {
		c.exec(up, []byte(fmt.Sprintf("key:%d", i)), []byte("value"))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.run("BEGIN IMMEDIATE")
		if _, _, err := c.exec(up, []byte(fmt.Sprintf("key:%d", i%10000)), changedValue(i)); err != nil {
			b.Fatal(err)
		}
		c.run("COMMIT")
	}
}

// changedValue is the value iteration i of a benchmark over 10,000 keys
// set to "value" writes: each pass writes a different one.
func changedValue(i int) []byte {
	if (i/10000)%2 == 0 {
		return []byte("VALUE")
	}
	return []byte("value")
}
