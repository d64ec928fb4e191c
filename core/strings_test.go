package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGetSet(t *testing.T) {
	s := newTestSession(t)
	expectNil(t, do(s, "GET", "k"))
	expectOK(t, do(s, "SET", "k", "v"))
	expectBulk(t, "v", do(s, "GET", "k"))
	expectOK(t, do(s, "SET", "k", ""))
	expectBulk(t, "", do(s, "GET", "k"))
	expectBulk(t, "", do(s, "SET", "k", "x", "GET"))
	expectNil(t, do(s, "SET", "k", "y", "NX"))
	expectOK(t, do(s, "SET", "k", "y", "XX"))
	expectNil(t, do(s, "SET", "absent", "y", "XX"))
	expectErr(t, "ERR syntax error", do(s, "SET", "k", "v", "NX", "XX"))
	expectErr(t, "ERR invalid expire time in 'set' command", do(s, "SET", "k", "v", "EX", "0"))
	expectErr(t, "ERR value is not an integer", do(s, "SET", "k", "v", "EX", "x"))
}

func TestSetBinarySafe(t *testing.T) {
	s := newTestSession(t)
	key := string([]byte{0, 1, 0xff})
	val := string([]byte{0, 0, 0x80, '\r', '\n'})
	expectOK(t, do(s, "SET", key, val))
	expectBulk(t, val, do(s, "GET", key))
	expectInt(t, 5, do(s, "STRLEN", key))
}

func TestExpiryHidesValueBeforeSweep(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "k", "v", "PX", "30"))
	expectBulk(t, "v", do(s, "GET", "k"))
	time.Sleep(40 * time.Millisecond)
	expectNil(t, do(s, "GET", "k"))
	expectInt(t, 0, do(s, "STRLEN", "k"))
	// The value can be set again, without the old TTL.
	expectOK(t, do(s, "SET", "k", "v2", "KEEPTTL"))
	expectBulk(t, "v2", do(s, "GET", "k"))
}

func TestSweeperDeletesExpiredKeys(t *testing.T) {
	s := newTestSession(t)
	for i := 0; i < 500; i++ {
		expectOK(t, do(s, "SET", "k"+string(rune('a'+i%26))+string(rune(i)), "v", "PX", "1"))
	}
	require.Eventually(t, func() bool {
		v := do(s, "DBSIZE")
		return v.Int == 0
	}, 5*time.Second, 20*time.Millisecond)
	require.EqualValues(t, 500, s.store.stats.expiredKeys.Load())
}

func TestIncrFamily(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 1, do(s, "INCR", "n"))
	expectInt(t, 11, do(s, "INCRBY", "n", "10"))
	expectInt(t, 10, do(s, "DECR", "n"))
	expectInt(t, 0, do(s, "DECRBY", "n", "10"))
	expectOK(t, do(s, "SET", "n", "9223372036854775807"))
	expectErr(t, "ERR increment or decrement would overflow", do(s, "INCR", "n"))
	expectBulk(t, "9223372036854775807", do(s, "GET", "n"))
	expectOK(t, do(s, "SET", "f", "10.50"))
	expectBulk(t, "10.6", do(s, "INCRBYFLOAT", "f", "0.1"))
	expectBulk(t, "5.6", do(s, "INCRBYFLOAT", "f", "-5"))
}

func TestConcurrentIncrIsExact(t *testing.T) {
	db := openTestDB(t)
	const workers, each = 8, 200
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			s := db.NewSession()
			defer s.Close()
			for i := 0; i < each; i++ {
				do(s, "INCR", "counter")
			}
		}()
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	s := db.NewSession()
	defer s.Close()
	expectBulk(t, "1600", do(s, "GET", "counter"))
}
