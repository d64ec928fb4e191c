package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// The server runs the commands a client pipelines together: runs of reads
// share one read transaction and runs of writes one commit. These scenarios
// are sent in a single write, to redlite and to a real redis-server, and
// every reply must match byte for byte: a batch that reordered replies, let
// a read miss a write before it, or ran a command that must run alone
// (MULTI, SELECT, CLIENT REPLY, blocking commands, pub/sub) inside a batch
// would show here.
func TestPipelineMatchesRedis(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, _ := startRedlite(t)
	big := strings.Repeat("b", 10000)
	mid := strings.Repeat("m", 3000)
	scenarios := map[string][]string{
		"writes then reads": {
			"SET a 1", "GET a", "INCR a", "GET a", "APPEND a x", "GET a", "MGET a b", "SET b 2", "MGET a b",
			"DEL a", "GET a", "EXISTS a b", "GETSET b 3", "GET b", "SETNX b 4", "GET b", "GETDEL b", "GET b",
		},
		"errors mid-pipeline": {
			"SET s v", "GET s", "LPUSH s x", "GET s", "INCR s", "GETX s", "GET", "SET s2 v2", "GET s2",
			"HSET h f v", "GET h", "MGET s h s2 nope", "SET s3", "GET s3", "STRLEN h", "GET s2",
		},
		"MULTI inside a pipeline": {
			"SET m 1", "MULTI", "INCR m", "GET m", "EXEC", "GET m", "MULTI", "SET m 5", "DISCARD", "GET m",
			"MULTI", "INCR m", "GETX", "EXEC", "GET m", "MULTI", "GET m", "SET m 9", "GET m", "EXEC", "GET m",
			"MULTI", "SET m1 1", "SET m2 2", "INCR m", "GET m1", "GET m2", "MGET m m1", "EXEC", "MGET m m1 m2",
		},
		"WATCH inside a pipeline": {
			"SET w 1", "WATCH w", "SET w 2", "MULTI", "GET w", "EXEC", "GET w",
			"WATCH w", "GET w", "MULTI", "INCR w", "EXEC", "GET w", "UNWATCH",
		},
		"blocking commands in a pipeline": {
			"RPUSH q a b", "BLPOP q 0", "GET q", "LPOP q", "BLPOP q 0.05", "SET after 1", "GET after",
			"RPUSH q2 x", "BRPOPLPUSH q2 q3 0", "LRANGE q3 0 -1",
		},
		"CLIENT REPLY in a pipeline": {
			"SET r 1", "CLIENT REPLY OFF", "SET r 2", "SET r2 1", "GET r", "GET r2", "INCR r", "CLIENT REPLY ON", "GET r",
			"CLIENT REPLY SKIP", "GET r", "SET r 7", "GET r",
		},
		"SELECT in a pipeline": {
			"SET k db0", "SELECT 1", "GET k", "SET k db1", "GET k", "MGET k", "SELECT 0", "GET k", "MGET k",
			"SELECT 1", "DEL k", "SELECT 0", "GET k",
		},
		"pub/sub mode in a pipeline": {
			"SET p 1", "SUBSCRIBE c1 c2", "GET p", "GET p", "PING", "SET p 2", "SET p 3", "UNSUBSCRIBE c1", "GET p",
			"UNSUBSCRIBE", "GET p", "SET p 3", "GET p",
		},
		"values larger than one read buffer": {
			"SET big " + big, "SET mid " + mid, "SET empty ''", "MGET big mid empty nope big mid mid big",
			"GET big", "GET empty", "APPEND mid x", "STRLEN mid", "GETRANGE big 9995 -1", "MGET mid mid mid mid",
		},
		"expiry in a pipeline": {
			"SET e v PX 100000", "GET e", "PERSIST e", "TTL e", "SET e2 v EX 100", "GET e2", "EXPIRE e2 0", "GET e2",
			"MGET e e2",
		},
	}
	for name, cmds := range scenarios {
		t.Run(name, func(t *testing.T) {
			prefix := strings.ReplaceAll(name, " ", "_") + ":"
			want := pipelineReplies(t, redisAddr, prefix, cmds)
			got := pipelineReplies(t, liteAddr, prefix, cmds)
			require.Equal(t, len(want), len(got), "reply count")
			for i := range want {
				require.Equal(t, quote(want[i]), quote(got[i]), "reply %d", i)
			}
		})
	}
}

// A pipeline longer than one batch (the server runs at most 256 commands
// together) alternating writes and reads of the same keys.
func TestLongPipelineMatchesRedis(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, _ := startRedlite(t)
	var cmds []string
	for i := 0; i < 700; i++ {
		switch i % 4 {
		case 0:
			cmds = append(cmds, fmt.Sprintf("SET k%d %d", i%50, i))
		case 1:
			cmds = append(cmds, fmt.Sprintf("GET k%d", (i-1)%50))
		case 2:
			cmds = append(cmds, "INCR counter")
		default:
			cmds = append(cmds, fmt.Sprintf("MGET k%d k%d counter", i%50, (i+7)%50))
		}
	}
	want := pipelineReplies(t, redisAddr, "long:", cmds)
	got := pipelineReplies(t, liteAddr, "long:", cmds)
	require.Equal(t, len(want), len(got))
	for i := range want {
		require.Equal(t, quote(want[i]), quote(got[i]), "reply %d", i)
	}
}

// QUIT in the middle of a pipeline: the commands before it run and answer,
// the connection closes after its +OK, the commands after it never run.
func TestPipelineQuit(t *testing.T) {
	addr, _ := startRedlite(t)
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	_, err = nc.Write([]byte("SET quit:a 1\r\nGET quit:a\r\nQUIT\r\nSET quit:b 1\r\n"))
	require.NoError(t, err)
	_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	var all bytes.Buffer
	_, _ = all.ReadFrom(nc)
	require.Equal(t, "+OK\r\n$1\r\n1\r\n+OK\r\n", all.String())
	c := dialRaw(t, addr)
	raw, _ := c.do("EXISTS", "quit:a", "quit:b")
	require.Equal(t, ":1\r\n", string(raw))
}

// pipelineReplies sends cmds (inline commands, keys prefixed) in one write,
// followed by an ECHO marking the end, and returns every reply before the
// marker's. The connection starts clean: RESET puts it back in database 0
// with replies on, and FLUSHALL empties the server first.
func pipelineReplies(t *testing.T, addr, prefix string, cmds []string) [][]byte {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	br := bufio.NewReader(nc)
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	_, err = nc.Write(resp.EncodeCommand([]byte("FLUSHALL")))
	require.NoError(t, err)
	_, _, err = resp.ReadReply(br)
	require.NoError(t, err)
	var req bytes.Buffer
	for _, c := range cmds {
		req.Write(resp.EncodeCommand(prefixKeys(prefix, c)...))
	}
	const marker = "__pipeline_end__"
	req.Write(resp.EncodeCommand([]byte("ECHO"), []byte(marker)))
	_, err = nc.Write(req.Bytes())
	require.NoError(t, err)
	end := "$" + strconv.Itoa(len(marker)) + "\r\n" + marker + "\r\n"
	var out [][]byte
	for {
		raw, _, err := resp.ReadReply(br)
		require.NoError(t, err, "after %d replies", len(out))
		if string(raw) == end {
			return out
		}
		out = append(out, raw)
		require.Less(t, len(out), 10*len(cmds)+10, "the end marker never came")
	}
}

// prefixKeys splits an inline command and prefixes its keys (every word
// after the name that is not a number, an option or a channel), so that
// scenarios use disjoint keys. Two single quotes stand for an empty argument.
func prefixKeys(prefix, cmd string) [][]byte {
	words := strings.Fields(cmd)
	argv := make([][]byte, len(words))
	name := strings.ToUpper(words[0])
	for i, w := range words {
		switch {
		case w == "''":
			argv[i] = []byte{}
		case i > 0 && isKeyWord(name, i, w):
			argv[i] = []byte(prefix + w)
		default:
			argv[i] = []byte(w)
		}
	}
	return argv
}

func isKeyWord(name string, i int, w string) bool {
	if _, err := strconv.ParseFloat(w, 64); err == nil {
		return false
	}
	switch name {
	case "CLIENT", "SELECT", "ECHO", "SUBSCRIBE", "UNSUBSCRIBE", "PING":
		return false
	case "SET":
		return i == 1
	case "HSET", "LPUSH", "RPUSH", "APPEND", "GETSET", "SETNX", "GETRANGE", "EXPIRE":
		return i == 1
	}
	return true
}
