package core

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// MGET through the batched lookup: missing keys, other types, empty and
// binary values, keys and values of every size around the lookup's 4 KiB
// scratch buffer (values that do not fit make it grow and resume), repeated
// keys, and a memory database (reads on the writer's connection).
func TestBatchedStringReads(t *testing.T) {
	for _, path := range []string{"", MemoryPath} {
		s := newTestSession(t)
		if path == MemoryPath {
			db, err := Open(Options{Path: MemoryPath})
			require.NoError(t, err)
			t.Cleanup(func() { _ = db.Close() })
			s = db.NewSession()
			t.Cleanup(s.Close)
		}
		sizes := []int{0, 1, 100, 4095, 4096, 4097, 10000, 70000, 3}
		var keys []string
		want := map[string]string{}
		for i, n := range sizes {
			k := "k" + strings.Repeat("x", i*50) + string(rune('a'+i))
			v := strings.Repeat(string(rune('A'+i)), n)
			if n == 3 {
				v = "\x00\r\n"
			}
			expectOK(t, do(s, "SET", k, v))
			keys = append(keys, k)
			want[k] = v
		}
		do(s, "RPUSH", "list", "x")
		args := append([]string{"MGET"}, keys...)
		args = append(args, "missing", "list", "")
		args = append(args, keys...) // every key twice: the values are read again
		v := do(s, args...)
		require.Equal(t, resp.Array, v.Kind)
		expected := append(append(append([]string{}, keys...), "", "", ""), keys...)
		require.Len(t, v.Elems, len(expected))
		for i, e := range v.Elems {
			if expected[i] == "" { // missing, another type, the empty key
				require.Equal(t, resp.Nil, e.Kind, "element %d", i)
				continue
			}
			require.Equal(t, resp.Bulk, e.Kind, "element %d", i)
			require.Equal(t, want[expected[i]], string(e.Str), "element %d", i)
			require.Equal(t, len(e.Str), cap(e.Str), "a value's slice must end at its length")
		}
		for _, k := range keys {
			expectBulk(t, want[k], do(s, "GET", k))
		}
		expectErr(t, "WRONGTYPE Operation against a key holding the wrong kind of value", do(s, "GET", "list"))
		// APPEND reads through getString and extends the value it got.
		expectInt(t, int64(len(want[keys[1]])+2), do(s, "APPEND", keys[1], "zz"))
		expectBulk(t, want[keys[1]]+"zz", do(s, "GET", keys[1]))
		expectBulk(t, want[keys[2]], do(s, "GET", keys[2]))
	}
}

// An expired key reads as missing before the sweeper removes it, in a batch
// as alone.
func TestBatchedStringReadsExpiry(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "live", "1"))
	expectOK(t, do(s, "SET", "dead", "2", "PX", "1"))
	tx := &s.tx
	tx.begin(s.store, s)
	tx.Now += 1000
	v := s.store.read(tx, func(tx *Tx) resp.Value {
		rows := tx.getStrings([][]byte{[]byte("dead"), []byte("live")})
		_, found, _ := tx.stringResult(&rows[0])
		require.False(t, found)
		val, found, wrong := tx.stringResult(&rows[1])
		require.True(t, found)
		require.False(t, wrong)
		require.Equal(t, "1", string(val))
		return resp.OK()
	})
	expectOK(t, v)
}

// ReaderMmapMB maps the file for the readers only; GETs read the same
// values through the map, before and after writes.
func TestReaderMmap(t *testing.T) {
	for _, mb := range []int{0, 8} {
		db, err := Open(Options{Path: filepath.Join(t.TempDir(), "mmap.db"), ReaderMmapMB: mb})
		require.NoError(t, err)
		taken := db.readers.takeAll()
		for _, rc := range taken {
			r, err := rc.query(`PRAGMA mmap_size`)
			require.NoError(t, err)
			require.True(t, r.next())
			require.Equal(t, int64(mb)<<20, r.int(0))
			require.NoError(t, r.close())
		}
		db.readers.putAll(taken)
		s := db.NewSession()
		for i := 0; i < 3; i++ {
			v := strings.Repeat(string(rune('a'+i)), 5000)
			expectOK(t, do(s, "SET", "k", v))
			expectBulk(t, v, do(s, "GET", "k"))
			v2 := do(s, "MGET", "k", "k")
			require.Equal(t, v, string(v2.Elems[1].Str))
		}
		s.Close()
		require.NoError(t, db.Close())
	}
}
