package server_test

import (
	"bytes"
	"context"
	"fmt"
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
	"github.com/redlite/redlite/core/internal/diffscript"
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
//
// The parser is core/internal/diffscript. `make vectors` records what
// redis-server answers to every script in tests/vectors (see the README
// there), which the C, Python and Node bindings replay.

const diffDir = "../../tests/diff"

func parseScript(t *testing.T, path string) []diffscript.Line {
	lines, err := diffscript.ParseFile(path)
	require.NoError(t, err)
	return lines
}

func scripts(t *testing.T) []string {
	files, err := diffscript.Files(diffDir)
	require.NoError(t, err)
	return files
}

// skipIfMissing skips a script whose !requires names a command redlite
// does not have yet, saying which.
func skipIfMissing(t *testing.T, lines []diffscript.Line) {
	for _, name := range diffscript.Requires(lines) {
		if core.LookupCommand([]byte(name)) == nil {
			t.Skipf("needs %s, which is not implemented yet", name)
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

func runScriptRaw(t *testing.T, file string, lines []diffscript.Line, redisAddr, liteAddr string) int {
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
		where := fmt.Sprintf("%s:%d: %s", filepath.Base(file), l.No, l.Text)
		switch l.Directive {
		case "requires":
			continue
		case "conn":
			cur = get(l.Arg)
			continue
		case "sleep":
			ms, err := strconv.Atoi(l.Arg)
			require.NoError(t, err, where)
			time.Sleep(time.Duration(ms) * time.Millisecond)
			continue
		case "send":
			cur.redis.send(resp.EncodeCommand(l.Argv...))
			cur.lite.send(resp.EncodeCommand(l.Argv...))
			continue
		}
		var rraw, lraw []byte
		var rv, lv resp.Value
		if l.Directive == "recv" {
			rraw, rv = cur.redis.read()
			lraw, lv = cur.lite.read()
		} else {
			rraw, rv = cur.redis.doBytes(l.Argv)
			lraw, lv = cur.lite.doBytes(l.Argv)
		}
		if l.Directive == "skip" {
			continue
		}
		compared++
		switch l.Directive {
		case "sort", "sortpairs":
			assert.Equal(t, canonical(rv, l.Directive == "sortpairs"), canonical(lv, l.Directive == "sortpairs"),
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
				where := fmt.Sprintf("%s:%d: %s", filepath.Base(file), l.No, l.Text)
				switch l.Directive {
				case "requires":
					continue
				case "conn":
					cur = get(l.Arg)
					continue
				case "sleep":
					ms, _ := strconv.Atoi(l.Arg)
					time.Sleep(time.Duration(ms) * time.Millisecond)
					continue
				}
				args := make([]any, len(l.Argv))
				for i, a := range l.Argv {
					args[i] = string(a)
				}
				rres, rerr := cur[0].Do(ctx, args...).Result()
				lres, lerr := cur[1].Do(ctx, args...).Result()
				if l.Directive == "skip" {
					continue
				}
				total++
				assert.Equal(t, errText(rerr), errText(lerr), where)
				switch l.Directive {
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

func usesRawOnly(lines []diffscript.Line) bool {
	for _, l := range lines {
		if l.Directive == "send" || l.Directive == "recv" {
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
