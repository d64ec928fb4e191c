package core

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// TestSipHash24Vectors checks the implementation against the reference
// vectors of the SipHash paper (key 00..0f, messages 00, 00 01, ...).
func TestSipHash24Vectors(t *testing.T) {
	key := make([]byte, 16)
	msg := make([]byte, 64)
	for i := range key {
		key[i] = byte(i)
	}
	for i := range msg {
		msg[i] = byte(i)
	}
	k, err := newMemberHashKey(key)
	require.NoError(t, err)
	for _, v := range []struct {
		n    int
		want uint64
	}{
		{0, 0x726fdb47dd0e0e31},
		{1, 0x74f839c593dc67fd},
		{7, 0xab0200f58b01d137},
		{8, 0x93f5f5799a932462},
		{15, 0xa129ca6149be45e5},
		{63, 0x958a324ceb064572},
	} {
		require.Equal(t, v.want, sipHash24(k.k0, k.k1, msg[:v.n]), "message of %d bytes", v.n)
		require.Equal(t, int64(v.want>>1), k.hash(msg[:v.n]))
	}
	_, err = newMemberHashKey(key[:8])
	require.Error(t, err)
}

// TestMemberHashSQLMatchesGo: the SQL function the migrations and Check use
// computes the h the commands compute, with the file's salt, which is drawn
// per file and survives reopening.
func TestMemberHashSQLMatchesGo(t *testing.T) {
	path := t.TempDir() + "/h.db"
	db, err := Open(Options{Path: path})
	require.NoError(t, err)
	first := db.mhash
	members := [][]byte{{}, []byte("a"), []byte("12345678"), []byte("\x00\xff binary member")}
	require.NoError(t, db.w.exclusive(func(c *sqlConn) error {
		for _, m := range members {
			r, err := c.query(`SELECT redlite_member_hash(`+sqlMemberHashSalt+`, ?)`, m)
			require.NoError(t, err)
			require.True(t, r.next())
			require.Equal(t, db.mhash.hash(m), r.int(0), "%q", m)
			require.GreaterOrEqual(t, r.int(0), int64(0))
			require.NoError(t, r.close())
		}
		return nil
	}))
	require.NoError(t, db.Close())
	db, err = Open(Options{Path: path})
	require.NoError(t, err)
	require.Equal(t, first, db.mhash)
	require.NoError(t, db.Close())
	other := openTestDB(t)
	require.NotEqual(t, first, other.mhash, "each file draws its own salt")
}

// setHashes gives members of key the hashes h (test only: Check would
// report them), so scans meet collisions.
func setHashes(t *testing.T, s *Session, table, key string, h map[string]int64) {
	k, found := lookupForTest(t, s, key)
	require.True(t, found)
	inWrite(t, s, func(tx *Tx) {
		for m, v := range h {
			n, _ := tx.exec(`UPDATE `+table+` SET h = ? WHERE key_id = ? AND member = ?`, v, k.ID, []byte(m))
			require.EqualValues(t, 1, n, m)
		}
	})
}

// TestScanKeepsCollisionsTogether: members sharing an h come in one reply,
// even past COUNT, so the next cursor (that h + 1) skips none of them and
// repeats none; a full iteration returns each member once.
func TestScanKeepsCollisionsTogether(t *testing.T) {
	s := newTestSession(t)
	hs := map[string]int64{}
	sadd := []string{"SADD", "s"}
	zadd := []string{"ZADD", "z"}
	for i := 0; i < 300; i++ {
		m := "m" + strconv.Itoa(i)
		sadd = append(sadd, m)
		zadd = append(zadd, strconv.Itoa(i), m)
		hs[m] = int64(i / 10 * 1000) // ten members per h
	}
	hs["m0"] = 0 // h 0 is the first cursor's own value
	do(s, sadd...)
	do(s, zadd...)
	setHashes(t, s, "sets", "s", hs)
	setHashes(t, s, "zsets", "z", hs)
	for _, c := range []struct{ cmd, key string }{{"SSCAN", "s"}, {"ZSCAN", "z"}} {
		seen := map[string]int{}
		cursor := "0"
		for calls := 0; ; calls++ {
			require.Less(t, calls, 100)
			v := do(s, c.cmd, c.key, cursor, "COUNT", "3")
			require.Equal(t, resp.Array, v.Kind, show(v))
			elems := strs(v.Elems[1])
			step := 1
			if c.cmd == "ZSCAN" {
				step = 2
			}
			require.Len(t, elems, 10*step, "%s call %d: a page is whole groups of ten", c.cmd, calls)
			for i := 0; i < len(elems); i += step {
				seen[elems[i]]++
			}
			cursor = string(v.Elems[0].Str)
			if cursor == "0" {
				break
			}
			n, err := strconv.ParseInt(cursor, 10, 64)
			require.NoError(t, err)
			require.Equal(t, int64(0), (n-1)%1000, "the cursor is the last h + 1")
		}
		require.Len(t, seen, 300, c.cmd)
		for m, n := range seen {
			require.Equal(t, 1, n, "%s %s", c.cmd, m)
		}
	}
	// A cursor past every h ends the iteration.
	v := do(s, "SSCAN", "s", "9223372036854775807")
	expectBulk(t, "0", v.Elems[0])
	require.Empty(t, v.Elems[1].Elems)
	v = do(s, "SSCAN", "s", "18446744073709551615")
	expectBulk(t, "0", v.Elems[0])
}
