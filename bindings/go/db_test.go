package redlite

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenOptions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "opts.db")
	db, err := Open(path, WithDurability(DurabilityFull), WithCacheSize(4), WithReaders(2),
		WithBusyTimeout(time.Second))
	require.NoError(t, err)
	require.NoError(t, db.Set(ctx, "k", "v"))
	require.NoError(t, db.Close())

	// The data is in the file: a second Open sees it.
	db, err = Open(path)
	require.NoError(t, err)
	v, err := db.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	require.NoError(t, db.Close())

	_, err = Open("")
	require.Error(t, err)
	_, err = Open(path, WithDB(16))
	require.ErrorContains(t, err, "out of range")
	_, err = Open(filepath.Join(t.TempDir(), "missing-dir", "x.db"))
	require.Error(t, err)
}

func TestMemoryIsPrivate(t *testing.T) {
	a, err := Open(Memory)
	require.NoError(t, err)
	defer a.Close()
	b, err := Open(Memory)
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, a.Set(ctx, "k", "a"))
	_, err = b.Get(ctx, "k")
	require.ErrorIs(t, err, Nil)
	v, err := a.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "a", v)
}

func TestWithDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dbs.db")
	db0, err := Open(path)
	require.NoError(t, err)
	defer db0.Close()
	db3, err := Open(path, WithDB(3))
	require.NoError(t, err)
	defer db3.Close()
	require.NoError(t, db3.Set(ctx, "k", "in 3"))
	_, err = db0.Get(ctx, "k")
	require.ErrorIs(t, err, Nil)
	v, err := db3.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "in 3", v)
	// Transactions and connections use the same database.
	require.NoError(t, db3.Tx(ctx, func(tx *Tx) error {
		v, err := tx.Get(ctx, "k")
		assert.Equal(t, "in 3", v)
		return err
	}))
	c, err := db3.Conn()
	require.NoError(t, err)
	defer c.Close()
	v, err = c.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "in 3", v)
}

func TestClose(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "c.db"))
	require.NoError(t, err)
	require.NoError(t, db.Set(ctx, "k", "v"))
	require.NoError(t, db.Close())
	require.ErrorIs(t, db.Close(), ErrClosed)
	_, err = db.Get(ctx, "k")
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, db.Set(ctx, "k", "v"), ErrClosed)
	_, err = db.Do(ctx, "ping")
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, db.Tx(ctx, func(*Tx) error { return nil }), ErrClosed)
}

func TestContextDoneBeforeCall(t *testing.T) {
	db := openDB(t)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, db.Set(cctx, "k", "v"), context.Canceled)
	_, err := db.Get(cctx, "k")
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, db.Tx(cctx, func(*Tx) error { return nil }), context.Canceled)
	require.ErrorIs(t, db.Watch(cctx, func(*Tx) error { return nil }, "k"), context.Canceled)
	_, err = db.Get(ctx, "k")
	require.ErrorIs(t, err, Nil, "nothing ran")
}

func TestDo(t *testing.T) {
	db := openDB(t)
	v, err := db.Do(ctx, "SET", "k", "v")
	require.NoError(t, err)
	assert.Equal(t, "OK", v)
	v, err = db.Do(ctx, "get", "k")
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	_, err = db.Do(ctx, "get", "missing")
	require.ErrorIs(t, err, Nil)
	v, err = db.Do(ctx, "incrby", "n", 5)
	require.NoError(t, err)
	assert.Equal(t, int64(5), v)
	v, err = db.Do(ctx, "mget", "k", "missing", "n")
	require.NoError(t, err)
	assert.Equal(t, []any{"v", nil, "5"}, v)
	v, err = db.Do(ctx, "config", "get", "maxmemory")
	require.NoError(t, err)
	assert.Equal(t, map[any]any{"maxmemory": "0"}, v)
	v, err = db.Do(ctx, "incrbyfloat", "f", 1.5)
	require.NoError(t, err)
	assert.Equal(t, "1.5", v)

	_, err = db.Do(ctx)
	require.Error(t, err)
	_, err = db.Do(ctx, "nosuchcommand", "a")
	requireCode(t, err, "ERR", "unknown command 'nosuchcommand'")
	_, err = db.Do(ctx, "get")
	requireCode(t, err, "ERR", "wrong number of arguments for 'get' command")
	_, err = db.Do(ctx, "get", make(chan int))
	require.ErrorContains(t, err, "can't marshal chan int")
}

func TestDoRefusesSessionState(t *testing.T) {
	db := openDB(t)
	for _, args := range [][]any{
		{"select", 1}, {"SELECT", 1}, {"multi"}, {"exec"}, {"discard"}, {"watch", "k"}, {"unwatch"},
		{"hello", 2}, {"auth", "x"}, {"reset"}, {"quit"}, {"client", "setname", "x"},
		{"CLIENT", "REPLY", "OFF"}, {"subscribe", "ch"}, {"psubscribe", "*"},
	} {
		_, err := db.Do(ctx, args...)
		require.Error(t, err, "%v", args)
		var re *Error
		assert.False(t, errors.As(err, &re), "refused before running: %v", args)
	}
	// Harmless CLIENT subcommands are fine.
	id, err := db.Do(ctx, "client", "id")
	require.NoError(t, err)
	assert.IsType(t, int64(0), id)
	// The pool's sessions are untouched: still database 0, no MULTI.
	require.NoError(t, db.Set(ctx, "k", "v"))
	v, err := db.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	_ = db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.Do(ctx, "select", 2)
		require.Error(t, err)
		_, err = tx.Do(ctx, "multi")
		require.Error(t, err)
		return nil
	})
}

func TestDecodeReplies(t *testing.T) {
	db := openDB(t)
	c, err := db.Conn()
	require.NoError(t, err)
	defer c.Close()
	// EXEC carries errors inside its array.
	_, err = c.Do(ctx, "multi")
	require.NoError(t, err)
	_, err = c.Do(ctx, "set", "s", "x")
	require.NoError(t, err)
	_, err = c.Do(ctx, "incr", "s")
	require.NoError(t, err)
	_, err = c.Do(ctx, "get", "missing")
	require.NoError(t, err)
	v, err := c.Do(ctx, "exec")
	require.NoError(t, err)
	arr := v.([]any)
	require.Len(t, arr, 3)
	assert.Equal(t, "OK", arr[0])
	assert.Equal(t, &Error{Code: "ERR", Message: "value is not an integer or out of range"}, arr[1])
	assert.Nil(t, arr[2])
	// A double, a bool, a big number and a verbatim string decode like
	// go-redis' RESP3 values.
	for _, tc := range []struct {
		reply string
		want  any
	}{
		{",1.5\r\n", 1.5}, {"#t\r\n", true}, {"#f\r\n", false},
		{"(12345678901234567890\r\n", mustBig("12345678901234567890")},
		{"=7\r\ntxt:abc\r\n", "abc"}, {"~2\r\n:1\r\n:2\r\n", []any{int64(1), int64(2)}},
		{"%1\r\n$1\r\na\r\n*1\r\n:1\r\n", map[any]any{"a": []any{int64(1)}}},
		{"%1\r\n*1\r\n:1\r\n:2\r\n", map[any]any{"[1]": int64(2)}},
	} {
		assert.Equal(t, tc.want, toAny(parseReply(t, tc.reply)), tc.reply)
	}
}

func mustBig(s string) *big.Int {
	n, _ := new(big.Int).SetString(s, 10)
	return n
}

func TestErrors(t *testing.T) {
	db := openDB(t)
	require.NoError(t, db.Set(ctx, "s", "x"))
	_, err := db.Incr(ctx, "s")
	var re *Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "ERR", re.Code)
	assert.Equal(t, "value is not an integer or out of range", re.Message)
	assert.Equal(t, "ERR value is not an integer or out of range", err.Error())
	assert.ErrorIs(t, err, &Error{Code: "ERR"})
	assert.NotErrorIs(t, err, ErrWrongType)
	assert.NotErrorIs(t, err, Nil)
	assert.ErrorIs(t, replyError("WRONGTYPE Operation against a key holding the wrong kind of value"), ErrWrongType)
	assert.ErrorIs(t, replyError("BUSYGROUP Consumer Group name already exists"), ErrBusyGroup)
	assert.ErrorIs(t, replyError("NOGROUP No such key"), ErrNoGroup)
	assert.ErrorIs(t, replyError("EXECABORT Transaction discarded"), ErrExecAbort)
	assert.Equal(t, "NOSCRIPT", replyError("NOSCRIPT").Error())
}

func TestValueConversion(t *testing.T) {
	when := time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"s", "s"}, {[]byte("b"), "b"}, {nil, ""}, {int(-1), "-1"}, {int8(-8), "-8"}, {int16(16), "16"},
		{int32(32), "32"}, {int64(64), "64"}, {uint(1), "1"}, {uint8(8), "8"}, {uint16(16), "16"},
		{uint32(32), "32"}, {uint64(1 << 63), "9223372036854775808"}, {float32(0.5), "0.5"},
		{1.25, "1.25"}, {true, "1"}, {false, "0"}, {when, "2024-05-06T07:08:09.00000001Z"},
		{time.Second, "1000000000"}, {marshaler{}, "marshalled"},
	} {
		b, err := valueBytes(tc.in)
		require.NoError(t, err, "%T", tc.in)
		assert.Equal(t, tc.want, string(b), "%T", tc.in)
	}
	_, err := valueBytes(marshaler{fail: true})
	require.ErrorContains(t, err, "marshal failed")
	_, err = valueBytes([]int{1})
	require.ErrorContains(t, err, "can't marshal []int")
	assert.Equal(t, "+inf", string(formatFloat(inf(1))))
	assert.Equal(t, "-inf", string(formatFloat(inf(-1))))
	assert.Equal(t, "1e+300", string(formatFloat(1e300)))
}

type marshaler struct{ fail bool }

func (m marshaler) MarshalBinary() ([]byte, error) {
	if m.fail {
		return nil, errors.New("marshal failed")
	}
	return []byte("marshalled"), nil
}

// TestConcurrentUse hammers one DB from many goroutines: reads, writes,
// transactions and watches interleaved. Run with -race.
func TestConcurrentUse(t *testing.T) {
	db := openDB(t)
	const workers, rounds = 16, 50
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			key := fmt.Sprintf("k%d", w)
			for i := 0; i < rounds; i++ {
				_, err := db.Incr(ctx, "shared")
				assert.NoError(t, err)
				assert.NoError(t, db.Set(ctx, key, i))
				v, err := db.Get(ctx, key)
				assert.NoError(t, err)
				assert.Equal(t, fmt.Sprint(i), v)
				if i%10 == 0 {
					assert.NoError(t, db.Tx(ctx, func(tx *Tx) error {
						_, err := tx.IncrBy(ctx, "txcount", 2)
						return err
					}))
				}
				if i%10 == 5 {
					for {
						err := db.Watch(ctx, func(tx *Tx) error {
							v, err := tx.Get(ctx, "watched")
							if err != nil && err != Nil {
								return err
							}
							return tx.TxPipelined(ctx, func(pipe *Tx) error {
								return pipe.Set(ctx, "watched", v+"x")
							})
						}, "watched")
						if err != TxFailedErr {
							assert.NoError(t, err)
							break
						}
					}
				}
			}
		}(w)
	}
	wg.Wait()
	n, err := db.Get(ctx, "shared")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(workers*rounds), n)
	n, err = db.Get(ctx, "txcount")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(workers*rounds/10*2), n)
	n, err = db.Get(ctx, "watched")
	require.NoError(t, err)
	assert.Len(t, n, workers*rounds/10, "no optimistic update lost")
}

func TestConn(t *testing.T) {
	db := openDB(t)
	c, err := db.Conn()
	require.NoError(t, err)
	_, err = c.Do(ctx, "select", 5)
	require.NoError(t, err)
	require.NoError(t, c.Set(ctx, "k", "in 5"))
	_, err = c.Do(ctx, "client", "setname", "worker")
	require.NoError(t, err)
	name, err := c.Do(ctx, "client", "getname")
	require.NoError(t, err)
	assert.Equal(t, "worker", name)
	_, err = c.Do(ctx, "subscribe", "ch")
	require.ErrorContains(t, err, "DB.Subscribe")
	// Blocking commands on a Conn honour the context.
	dctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, err = c.BLPop(dctx, 0, "nothing")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = c.Do(dctx, "blpop", "nothing", 0)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = db.Get(ctx, "k")
	require.ErrorIs(t, err, Nil, "the DB still uses database 0")
	require.NoError(t, c.Close())
	require.ErrorIs(t, c.Close(), ErrClosed)
	_, err = c.Get(ctx, "k")
	require.ErrorIs(t, err, ErrClosed)
}

func TestServerCommands(t *testing.T) {
	db := openDB(t)
	pong, err := db.Ping(ctx)
	require.NoError(t, err)
	assert.Equal(t, "PONG", pong)
	e, err := db.Echo(ctx, "hi")
	require.NoError(t, err)
	assert.Equal(t, "hi", e)
	_, err = db.Echo(ctx, struct{}{})
	require.Error(t, err)
	require.NoError(t, db.MSet(ctx, "a", 1, "b", 2))
	n, err := db.DBSize(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	require.NoError(t, db.SwapDB(ctx, 0, 1))
	n, _ = db.DBSize(ctx)
	assert.Equal(t, int64(0), n)
	require.NoError(t, db.SwapDB(ctx, 0, 1))
	require.NoError(t, db.FlushDB(ctx))
	n, _ = db.DBSize(ctx)
	assert.Equal(t, int64(0), n)
	require.NoError(t, db.Set(ctx, "a", 1))
	require.NoError(t, db.FlushAll(ctx))
	n, _ = db.DBSize(ctx)
	assert.Equal(t, int64(0), n)

	require.NoError(t, db.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru"))
	cfg, err := db.ConfigGet(ctx, "maxmemory*")
	require.NoError(t, err)
	assert.Equal(t, "allkeys-lru", cfg["maxmemory-policy"])
	requireCode(t, db.ConfigSet(ctx, "no-such-param", "1"), "ERR", "Unknown option or number of arguments for CONFIG SET")

	info, err := db.Info(ctx, "server")
	require.NoError(t, err)
	assert.Contains(t, info, "redis_version:")
	now, err := db.Time(ctx)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), now, 5*time.Second)
}
