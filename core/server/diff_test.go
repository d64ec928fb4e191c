package server_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// The differential suite: every script in tests/diff runs against a real
// redis-server and against redlite, and the replies must match byte for
// byte. A script is a list of commands, one per line, written as redis-cli
// would take them ("quotes" and \xHH escapes work). A line may start with a
// directive:
//
//	!sort CMD       compare the reply's elements as a sorted multiset; nested
//	                arrays too (the [cursor, [keys]] of SCAN)
//	!sortpairs CMD  same, for flat field/value arrays (HGETALL)
//	!type CMD       compare only the reply's kind and length (random results)
//	!skip CMD       run on both, compare nothing (the comment says why)
//	!send CMD       send without reading the reply (a blocking command)
//	!recv           read the reply of the last !send on this connection
//	!conn N         switch to connection N (each has its own session)
//	!sleep MS       wait, for expiry tests
//	!requires CMD.. the script needs these commands; while one of them is
//	                not in the command table the script is skipped, loudly
//
// Every script starts on fresh connections after FLUSHALL.

const diffDir = "../../tests/diff"

type diffLine struct {
	no        int
	directive string
	arg       string
	argv      [][]byte
	text      string
}

func parseScript(t *testing.T, path string) []diffLine {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []diffLine
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		dl := diffLine{no: i + 1, text: line}
		if strings.HasPrefix(line, "!") {
			dir, rest, _ := strings.Cut(line, " ")
			dl.directive = dir[1:]
			switch dl.directive {
			case "conn", "sleep":
				dl.arg = strings.TrimSpace(rest)
				out = append(out, dl)
				continue
			case "recv", "requires":
				dl.arg = strings.TrimSpace(rest)
				out = append(out, dl)
				continue
			case "sort", "sortpairs", "type", "skip", "send":
				line = rest
			default:
				t.Fatalf("%s:%d: unknown directive %q", path, i+1, dir)
			}
		}
		argv, err := resp.SplitArgs([]byte(line))
		require.NoError(t, err, "%s:%d", path, i+1)
		dl.argv = argv
		out = append(out, dl)
	}
	return out
}

func scripts(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(diffDir, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no differential scripts found in %s", diffDir)
	sort.Strings(files)
	return files
}

// skipIfMissing skips a script whose !requires names a command redlite
// does not have yet, saying which.
func skipIfMissing(t *testing.T, lines []diffLine) {
	for _, l := range lines {
		if l.directive != "requires" {
			continue
		}
		for _, name := range strings.Fields(l.arg) {
			if core.LookupCommand([]byte(name)) == nil {
				t.Skipf("needs %s, which is not implemented yet", name)
			}
		}
	}
}

func TestDifferentialRESP(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, _ := startRedlite(t)
	total := 0
	for _, file := range scripts(t) {
		lines := parseScript(t, file)
		t.Run(filepath.Base(file), func(t *testing.T) {
			skipIfMissing(t, lines)
			total += runScriptRaw(t, file, lines, redisAddr, liteAddr)
		})
	}
	t.Logf("differential (raw RESP): %d commands compared", total)
}

type connPair struct{ redis, lite *rawClient }

func runScriptRaw(t *testing.T, file string, lines []diffLine, redisAddr, liteAddr string) int {
	conns := map[string]*connPair{}
	get := func(n string) *connPair {
		if p, ok := conns[n]; ok {
			return p
		}
		p := &connPair{dialRaw(t, redisAddr), dialRaw(t, liteAddr)}
		conns[n] = p
		return p
	}
	cur := get("0")
	cur.redis.do("FLUSHALL")
	cur.lite.do("FLUSHALL")
	compared := 0
	for _, l := range lines {
		where := fmt.Sprintf("%s:%d: %s", filepath.Base(file), l.no, l.text)
		switch l.directive {
		case "requires":
			continue
		case "conn":
			cur = get(l.arg)
			continue
		case "sleep":
			ms, err := strconv.Atoi(l.arg)
			require.NoError(t, err, where)
			time.Sleep(time.Duration(ms) * time.Millisecond)
			continue
		case "send":
			cur.redis.send(resp.EncodeCommand(l.argv...))
			cur.lite.send(resp.EncodeCommand(l.argv...))
			continue
		}
		var rraw, lraw []byte
		var rv, lv resp.Value
		if l.directive == "recv" {
			rraw, rv = cur.redis.read()
			lraw, lv = cur.lite.read()
		} else {
			rraw, rv = cur.redis.doBytes(l.argv)
			lraw, lv = cur.lite.doBytes(l.argv)
		}
		if l.directive == "skip" {
			continue
		}
		compared++
		switch l.directive {
		case "sort", "sortpairs":
			assert.Equal(t, canonical(rv, l.directive == "sortpairs"), canonical(lv, l.directive == "sortpairs"),
				"%s\nredis:   %s\nredlite: %s", where, quote(rraw), quote(lraw))
		case "type":
			assert.Equal(t, shape(rv), shape(lv), "%s\nredis:   %s\nredlite: %s", where, quote(rraw), quote(lraw))
		default:
			if !bytes.Equal(rraw, lraw) {
				t.Errorf("%s\nredis:   %s\nredlite: %s", where, quote(rraw), quote(lraw))
			}
		}
	}
	return compared
}

// canonical renders a reply with aggregate elements sorted, so replies whose
// order is unspecified compare equal.
func canonical(v resp.Value, pairs bool) string {
	switch v.Kind {
	case resp.Array, resp.Set, resp.Map:
		var items []string
		step := 1
		if pairs || v.Kind == resp.Map {
			step = 2
		}
		for i := 0; i+step <= len(v.Elems); i += step {
			s := ""
			for j := 0; j < step; j++ {
				s += canonical(v.Elems[i+j], false)
			}
			items = append(items, s)
		}
		sort.Strings(items)
		return fmt.Sprintf("%v%d%q", v.Kind, len(v.Elems), items)
	}
	return string(resp.Append(nil, v, 3))
}

// shape is a reply's kind and size, for results that are random by design.
func shape(v resp.Value) string {
	switch v.Kind {
	case resp.Array, resp.Set, resp.Map, resp.Push:
		return fmt.Sprintf("%v[%d]", v.Kind, len(v.Elems))
	case resp.Error:
		code, _, _ := strings.Cut(string(v.Str), " ")
		return "error " + code
	}
	return v.Kind.String()
}

// TestDifferentialGoRedis runs the scripts through go-redis, a real client
// speaking RESP3, and compares what it decodes from each server.
func TestDifferentialGoRedis(t *testing.T) {
	redisAddr := startRedis(t)
	liteAddr, _ := startRedlite(t)
	ctx := context.Background()
	total := 0
	for _, file := range scripts(t) {
		lines := parseScript(t, file)
		if usesRawOnly(lines) {
			t.Logf("%s: uses !send/!recv, compared in raw RESP only", filepath.Base(file))
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			skipIfMissing(t, lines)
			// Each !conn takes a dedicated connection from the pool: the
			// pool must hold as many as a script uses.
			// Generous read timeouts: blocking commands go through Do, which
			// go-redis does not know to wait for, and CI machines are slow.
			rc := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 16, Protocol: 3, DisableIdentity: true, ReadTimeout: 30 * time.Second})
			lc := redis.NewClient(&redis.Options{Addr: liteAddr, PoolSize: 16, Protocol: 3, DisableIdentity: true, ReadTimeout: 30 * time.Second})
			defer rc.Close()
			defer lc.Close()
			conns := map[string][2]*redis.Conn{}
			get := func(n string) [2]*redis.Conn {
				if p, ok := conns[n]; ok {
					return p
				}
				p := [2]*redis.Conn{rc.Conn(), lc.Conn()}
				conns[n] = p
				return p
			}
			cur := get("0")
			require.NoError(t, cur[0].FlushAll(ctx).Err())
			require.NoError(t, cur[1].FlushAll(ctx).Err())
			for _, l := range lines {
				where := fmt.Sprintf("%s:%d: %s", filepath.Base(file), l.no, l.text)
				switch l.directive {
				case "requires":
					continue
				case "conn":
					cur = get(l.arg)
					continue
				case "sleep":
					ms, _ := strconv.Atoi(l.arg)
					time.Sleep(time.Duration(ms) * time.Millisecond)
					continue
				}
				args := make([]any, len(l.argv))
				for i, a := range l.argv {
					args[i] = string(a)
				}
				rres, rerr := cur[0].Do(ctx, args...).Result()
				lres, lerr := cur[1].Do(ctx, args...).Result()
				if l.directive == "skip" {
					continue
				}
				total++
				assert.Equal(t, errText(rerr), errText(lerr), where)
				switch l.directive {
				case "sort", "sortpairs":
					assert.Equal(t, sortedAny(rres), sortedAny(lres), where)
				case "type":
					assert.Equal(t, looseShape(rres), looseShape(lres), where)
				default:
					assert.True(t, reflect.DeepEqual(rres, lres), "%s\nredis:   %#v\nredlite: %#v", where, rres, lres)
				}
			}
			for _, p := range conns {
				_ = p[0].Close()
				_ = p[1].Close()
			}
		})
	}
	t.Logf("differential (go-redis): %d commands compared", total)
}

func usesRawOnly(lines []diffLine) bool {
	for _, l := range lines {
		if l.directive == "send" || l.directive == "recv" {
			return true
		}
	}
	return false
}

func errText(err error) string {
	if err == nil || err == redis.Nil {
		return fmt.Sprint(err)
	}
	return err.Error()
}

// sortedAny renders a decoded reply with its elements sorted.
func sortedAny(v any) string {
	switch x := v.(type) {
	case []any:
		items := make([]string, len(x))
		for i, e := range x {
			items[i] = sortedAny(e)
		}
		sort.Strings(items)
		return fmt.Sprint(items)
	}
	return fmt.Sprintf("%#v", v)
}

func looseShape(v any) string {
	switch x := v.(type) {
	case []any:
		return fmt.Sprintf("array[%d]", len(x))
	case map[any]any:
		return fmt.Sprintf("map[%d]", len(x))
	}
	return fmt.Sprintf("%T", v)
}
