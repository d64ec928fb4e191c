package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/internal/stress"
	"github.com/redlite/redlite/core/resp"
)

// badInput is one entry of the known-bad corpus: bytes a hostile or broken
// client sends on a fresh connection, which then half-closes its side.
type badInput struct {
	name    string
	payload []byte
	// requires names commands the entry needs; while one is missing from
	// the table the entry is reported as skipped.
	requires []string
}

func cmd(argv ...string) []byte {
	bs := make([][]byte, len(argv))
	for i, a := range argv {
		bs[i] = []byte(a)
	}
	return resp.EncodeCommand(bs...)
}

func cmds(argvs ...[]string) []byte {
	var out []byte
	for _, a := range argvs {
		out = append(out, cmd(a...)...)
	}
	return out
}

func badCorpus() []badInput {
	mb := strings.Repeat("k", 1<<20)
	manyDel := []byte("*100000\r\n$3\r\nDEL\r\n" + strings.Repeat("$1\r\nk\r\n", 99999))
	return []badInput{
		// Huge lengths: refused from the header, never allocated.
		{name: "multibulk 2^31", payload: []byte("*2147483648\r\n")},
		{name: "multibulk over 1M", payload: []byte("*1048577\r\n")},
		{name: "multibulk int64 overflow", payload: []byte("*99999999999999999999\r\n")},
		{name: "bulk 2^31", payload: []byte("*1\r\n$2147483648\r\n")},
		{name: "bulk int64 max", payload: []byte("*1\r\n$9223372036854775807\r\n")},
		{name: "bulk int64 overflow", payload: []byte("*1\r\n$99999999999999999999\r\n")},
		{name: "bulk claims 512MB sends 3 bytes", payload: []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\nabc")},
		{name: "huge count line", payload: []byte("*" + strings.Repeat("9", 1<<20) + "\r\n")},
		{name: "huge bulk length line", payload: []byte("*1\r\n$" + strings.Repeat("1", 1<<20) + "\r\n")},
		// Negative lengths.
		{name: "multibulk -1 then ping", payload: []byte("*-1\r\nPING\r\n")},
		{name: "multibulk -5 then ping", payload: []byte("*-5\r\nPING\r\n")},
		{name: "bulk -1", payload: []byte("*1\r\n$-1\r\n")},
		{name: "bulk -2", payload: []byte("*2\r\n$3\r\nGET\r\n$-2\r\n")},
		{name: "multibulk -0", payload: []byte("*-0\r\nPING\r\n")},
		// Truncated frames: the server waits, then sees the client leave.
		{name: "truncated in header", payload: []byte("*3\r\n$3\r\nSE")},
		{name: "truncated in last bulk", payload: []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab")},
		{name: "truncated missing arg", payload: []byte("*2\r\n$3\r\nGET\r\n")},
		{name: "truncated no CRLF", payload: []byte("*1\r\n$4\r\nPING")},
		{name: "bulk without its CRLF", payload: []byte("*1\r\n$4\r\nPINGxx\r\nPING\r\n")},
		{name: "bare LF lines", payload: []byte("*1\n$4\nPING\r\nPING\n")},
		// Deep nesting: requests are flat arrays of bulks.
		{name: "nested arrays 100k deep", payload: bytes.Repeat([]byte("*1\r\n"), 100000)},
		{name: "nested array with ping", payload: []byte("*1\r\n*1\r\n$4\r\nPING\r\n")},
		{name: "map frame", payload: []byte("%1\r\n$1\r\na\r\n$1\r\nb\r\n")},
		{name: "integer in array", payload: []byte("*1\r\n:5\r\n")},
		{name: "bulk outside array is inline", payload: []byte("$4\r\nping\r\n")},
		{name: "header line ends at CR", payload: []byte("*1\rx$4\rxPING\r\n")},
		{name: "empty bulk header", payload: []byte("*1\r\n\r\n")},
		{name: "NUL in inline line", payload: []byte("PING\x00\r\nPING\r\n")},
		{name: "NUL in count line", payload: []byte("*1\x00\r\n$4\r\nPING\r\n")},
		{name: "leading zero and plus lengths", payload: []byte("*1\r\n$04\r\nPING\r\n")},
		{name: "plus count", payload: []byte("*+1\r\n$4\r\nPING\r\n")},
		// Garbage and inline abuse.
		{name: "binary garbage", payload: []byte("\x00\xff\xfe\x01\r\n\x80\x81\r\n")},
		{name: "inline 70KB", payload: bytes.Repeat([]byte("a"), 70<<10)},
		{name: "inline unbalanced quotes", payload: []byte("SET \"abc\r\nPING\r\n")},
		{name: "inline hex escapes", payload: []byte("SET \"\\x00\\xff\" \"\\x80\"\r\nGET \"\\x00\\xff\"\r\n")},
		{name: "CRLF inside names echoed in errors", payload: cmds([]string{"foo\r\n-ERR injected"}, []string{"CONFIG", "a\r\nb"})},
		{name: "empty command name", payload: cmds([]string{""}, []string{"", "x"})},
		// Invalid UTF-8 keys and values are plain bytes.
		{name: "invalid UTF-8 key and value", payload: cmds(
			[]string{"SET", "\xff\xfe\xfd", "\xc3\x28\xa0\xa1"}, []string{"GET", "\xff\xfe\xfd"},
			[]string{"KEYS", "\xff*"}, []string{"APPEND", "\xff\xfe\xfd", "\xed\xa0\x80"}, []string{"STRLEN", "\xff\xfe\xfd"})},
		{name: "invalid UTF-8 hash", payload: cmds(
			[]string{"HSET", "h\x80", "\xff", "\xfe"}, []string{"HGETALL", "h\x80"}, []string{"HSTRLEN", "h\x80", "\xff"})},
		{name: "invalid UTF-8 command name", payload: cmds([]string{"\xff\xfeGET", "k"})},
		// NaN and infinities.
		{name: "INCRBYFLOAT nan inf", payload: cmds(
			[]string{"INCRBYFLOAT", "f", "nan"}, []string{"INCRBYFLOAT", "f", "inf"}, []string{"INCRBYFLOAT", "f", "-inf"},
			[]string{"INCRBYFLOAT", "f", "1e309"}, []string{"INCRBYFLOAT", "f", "1.7e308"}, []string{"INCRBYFLOAT", "f", "1.7e308"},
			[]string{"SET", "g", "inf"}, []string{"INCRBYFLOAT", "g", "1"}, []string{"GET", "f"})},
		{name: "HINCRBYFLOAT nan inf", payload: cmds(
			[]string{"HINCRBYFLOAT", "hf", "a", "nan"}, []string{"HINCRBYFLOAT", "hf", "a", "+inf"},
			[]string{"HSET", "hf", "b", "nan"}, []string{"HINCRBYFLOAT", "hf", "b", "1"}, []string{"HGETALL", "hf"})},
		{name: "ZADD nan inf", requires: []string{"zadd", "zincrby", "zrangebyscore"}, payload: cmds(
			[]string{"ZADD", "z", "nan", "m"}, []string{"ZADD", "z", "inf", "a", "-inf", "b"},
			[]string{"ZINCRBY", "z", "-inf", "a"}, []string{"ZINCRBY", "z", "nan", "a"},
			[]string{"ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"}, []string{"ZRANGEBYSCORE", "z", "(nan", "1"},
			[]string{"ZADD", "z", "INCR", "inf", "b"})},
		{name: "integer edges", payload: cmds(
			[]string{"SETEX", "k", "nan", "v"}, []string{"SET", "k", "v", "EX", "9223372036854775807"},
			[]string{"SET", "k", "v", "PX", "-1"}, []string{"SET", "n", "9223372036854775807"}, []string{"INCR", "n"},
			[]string{"DECRBY", "n", "-9223372036854775808"}, []string{"EXPIRE", "n", "9223372036854775807"},
			[]string{"GETRANGE", "n", "9223372036854775807", "-9223372036854775808"},
			[]string{"SETBIT", "b", "4294967296", "1"}, []string{"SETRANGE", "s", "-1", "x"},
			[]string{"SELECT", "99999999999999999999"})},
		{name: "list index edges", requires: []string{"lpush", "lrange", "lindex"}, payload: cmds(
			[]string{"RPUSH", "l", "a", "b"}, []string{"LRANGE", "l", "-9223372036854775808", "9223372036854775807"},
			[]string{"LINDEX", "l", "-9223372036854775808"}, []string{"LPOS", "l", "a", "RANK", "-9223372036854775808"},
			[]string{"LRANGE", "l", "0", "99999999999999999999"})},
		// 1 MB keys and fields.
		{name: "1MB key", payload: cmds([]string{"SET", mb, "v"}, []string{"GET", mb}, []string{"EXISTS", mb},
			[]string{"APPEND", mb, "w"}, []string{"STRLEN", mb}, []string{"DEL", mb}, []string{"EXISTS", mb})},
		{name: "1MB field", payload: cmds([]string{"HSET", "h1", mb, "v"}, []string{"HEXISTS", "h1", mb},
			[]string{"HSTRLEN", "h1", mb}, []string{"HDEL", "h1", mb})},
		{name: "DEL with 99999 keys", payload: manyDel},
		{name: "MULTI with a refused command", payload: cmds([]string{"MULTI"}, []string{"SET", "a"},
			[]string{"INCR", "m"}, []string{"EXEC"}, []string{"GET", "m"})},
	}
}

// talk sends payload on a fresh connection, half-closes it and reads until
// the server closes: the client is gone, whatever state it left the parser in.
func talk(t *testing.T, addr string, payload []byte) []byte {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	go func() {
		// The server may close while we still write (a refused header):
		// the write error is expected, the answer is what counts.
		_, _ = nc.Write(payload)
		_ = nc.(*net.TCPConn).CloseWrite()
	}()
	var out bytes.Buffer
	_, _ = out.ReadFrom(nc)
	return out.Bytes()
}

// TestHostileInputs sends the known-bad corpus to redis-server and to
// redlite: every answer is byte for byte Redis', while a well-behaved
// client on its own connection keeps being served correctly throughout,
// and the file passes Check at the end.
func TestHostileInputs(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, db := startRedlite(t)

	// A good client increments a counter the whole time and checks every
	// reply; another sits in a half-sent request (a slow client) and must
	// not hold anyone up.
	stop := make(chan struct{})
	var served atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		nc, err := net.Dial("tcp", liteAddr)
		if !assert.NoError(t, err) {
			return
		}
		defer nc.Close()
		c := &rawClient{t: t, nc: nc, br: newBufReader(nc)}
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			raw, _ := c.do("INCR", "good")
			if !assert.Equal(t, fmt.Sprintf(":%d\r\n", i), string(raw)) {
				return
			}
			served.Add(1)
		}
	}()
	slow := dialRaw(t, liteAddr)
	slow.send([]byte("*2\r\n$3\r\nGET\r\n$1000000\r\nabc"))

	tried, skipped := 0, 0
	for _, in := range badCorpus() {
		missing := ""
		for _, name := range in.requires {
			if core.LookupCommand([]byte(name)) == nil {
				missing = name
			}
		}
		if missing != "" {
			t.Logf("%s: skipped, needs %s (not in the command table yet)", in.name, missing)
			skipped++
			continue
		}
		want := talk(t, redisAddr, in.payload)
		got := talk(t, liteAddr, in.payload)
		assert.Equal(t, string(want), string(got), "%s", in.name)
		tried++
		before := served.Load()
		require.Eventually(t, func() bool { return served.Load() > before }, 10*time.Second, time.Millisecond,
			"the good client was not served after %s", in.name)
	}
	close(stop)
	wg.Wait()
	require.NoError(t, db.Check())
	t.Logf("%d bad inputs answered as redis-server answers them, %d skipped; the good client was served %d times",
		tried, skipped, served.Load())
	require.NoError(t, stress.Report("bad inputs tried", int64(tried)))
}

func newBufReader(nc net.Conn) *bufio.Reader { return bufio.NewReader(nc) }
