package core

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func cacheSizeKiB(t *testing.T, c *sqlConn) int64 {
	t.Helper()
	r, err := c.query(`PRAGMA cache_size`)
	require.NoError(t, err)
	require.True(t, r.next())
	n := r.int(0)
	require.NoError(t, r.close())
	return -n // negative: KiB
}

func TestPageCacheSizes(t *testing.T) {
	for _, tc := range []struct {
		opts           Options
		writer, reader int64
	}{
		{Options{}, 16 << 10, 8 << 10},
		{Options{CacheMB: 32, ReaderCacheMB: 2}, 32 << 10, 2 << 10},
	} {
		tc.opts.Path = filepath.Join(t.TempDir(), "cache.db")
		db, err := Open(tc.opts)
		require.NoError(t, err)
		db.w.acquire()
		require.Equal(t, tc.writer, cacheSizeKiB(t, db.w.conn))
		db.w.release()
		taken := db.readers.takeAll()
		for _, rc := range taken {
			require.Equal(t, tc.reader, cacheSizeKiB(t, rc))
		}
		db.readers.putAll(taken)
		// No commit yet: the checkpointer is idle and leaves its connection be.
		require.Equal(t, tc.reader, cacheSizeKiB(t, db.ckpt.conn))
		s := db.NewSession()
		info := string(do(s, "INFO", "memory").Str)
		require.Contains(t, info, "redlite_page_cache_writer_bytes:"+strconv.FormatInt(tc.writer<<10, 10)+"\r\n")
		require.Contains(t, info, "redlite_page_cache_reader_bytes:"+strconv.FormatInt(tc.reader<<10, 10)+"\r\n")
		s.Close()
		require.NoError(t, db.Close())
	}
}

func infoField(t *testing.T, info, name string) int64 {
	t.Helper()
	for _, l := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err, "%s", l)
			return n
		}
	}
	t.Fatalf("INFO has no %s", name)
	return 0
}

// used_memory_rss is the resident set as the OS sees it, as in Redis, not
// what the Go runtime reserved.
func TestInfoMemoryRSS(t *testing.T) {
	s := newTestSession(t)
	want, ok := residentBytes()
	if !ok {
		t.Skip("no /proc/self/statm on this system")
	}
	info := string(do(s, "INFO", "memory").Str)
	rss := infoField(t, info, "used_memory_rss")
	require.InDelta(t, float64(want), float64(rss), float64(want)/4, "used_memory_rss %d, /proc says %d", rss, want)
	heap, stack := infoField(t, info, "redlite_go_heap_inuse"), infoField(t, info, "redlite_go_stack_inuse")
	require.Greater(t, heap, int64(0))
	require.Greater(t, stack, int64(0))
	require.Less(t, heap+stack, rss)
}

// INFO keyspace counts expiring keys through keys_expire, whatever the
// number of keys without a TTL.
func TestInfoKeyspaceUsesExpireIndex(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	for i := range 50 {
		do(s, "SET", "k"+strconv.Itoa(i), "v")
	}
	do(s, "SET", "t1", "v", "EX", "100")
	do(s, "SELECT", "2")
	do(s, "SET", "t2", "v", "PX", "100000")
	do(s, "SET", "t3", "v")
	db.w.acquire()
	r, err := db.w.conn.query(`EXPLAIN QUERY PLAN ` + sqlExpiresPerDB)
	require.NoError(t, err)
	var plan []string
	for r.next() {
		plan = append(plan, string(r.bytes(3)))
	}
	require.NoError(t, r.close())
	db.w.release()
	require.Contains(t, strings.Join(plan, "\n"), "USING INDEX keys_expire", "plan: %q", plan)
	info := string(do(s, "INFO", "keyspace").Str)
	require.Contains(t, info, "db0:keys=51,expires=1,")
	require.Contains(t, info, "db2:keys=2,expires=1,")
}
