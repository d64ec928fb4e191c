package server_test

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/server"
)

// everyCommand returns one well-formed invocation (the right number of
// arguments, each "x") of every command and subcommand in the table.
func everyCommand() [][]string {
	fill := func(argv []string, arity int) []string {
		n := arity
		if n < 0 {
			n = -n
		}
		for len(argv) < n {
			argv = append(argv, "x")
		}
		return argv
	}
	var out [][]string
	for _, c := range core.Commands() {
		if len(c.Subcommands) == 0 {
			out = append(out, fill([]string{c.Name}, c.Arity))
			continue
		}
		for name, sub := range c.Subcommands {
			out = append(out, fill([]string{c.Name, name}, sub.Arity))
		}
	}
	return out
}

// noAuthCommands are the commands Redis 7.0 flags no_auth: the only ones a
// client may run before AUTH on a password-protected server.
var noAuthCommands = map[string]bool{"auth": true, "hello": true, "quit": true, "reset": true}

// TestRequirePassEveryCommand sends every command in the table, before
// AUTH, to redlite and to redis-server, both with requirepass: everything
// but AUTH, HELLO, QUIT and RESET is refused with NOAUTH, byte for byte as
// Redis refuses it. Nothing runs: the key "x" never appears.
func TestRequirePassEveryCommand(t *testing.T) {
	const pass = "s3cret"
	redisAddr := startRedis(t, "--requirepass", pass)
	liteAddr, db := startRedlite(t, func(_ *core.Options, o *server.Options) { o.Password = pass })
	compared := 0
	for _, argv := range everyCommand() {
		lite := exchangeArgv(t, liteAddr, argv)
		switch {
		case noAuthCommands[argv[0]]:
			assert.NotContains(t, string(lite), "NOAUTH Authentication required", "%q", argv)
		case argv[0] == "exec":
			// A refused EXEC also discards the transaction.
			assert.Equal(t, "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n", string(lite))
		default:
			assert.Equal(t, "-NOAUTH Authentication required.\r\n", string(lite), "%q", argv)
		}
		want := exchangeArgv(t, redisAddr, argv)
		if bytes.HasPrefix(want, []byte("-ERR unknown")) {
			continue // a command Redis 7.0 does not have
		}
		compared++
		assert.Equal(t, string(want), string(lite), "%q", argv)
	}
	t.Logf("%d commands refused before AUTH, %d compared with redis-server", len(everyCommand()), compared)

	// A pipeline and a transaction before AUTH run nothing either.
	payload := []byte("SET a 1\r\nMULTI\r\nSET b 2\r\nEXEC\r\nGET a\r\n")
	got := exchange(t, liteAddr, payload)
	assert.Equal(t, string(exchange(t, redisAddr, payload)), string(got))
	assert.Equal(t, 4, strings.Count(string(got), "-NOAUTH Authentication required.\r\n"))
	s := db.NewSession()
	defer s.Close()
	assert.Equal(t, "OK", string(s.Do([][]byte{[]byte("AUTH"), []byte(pass)}).Str))
	assert.Equal(t, int64(0), s.Do([][]byte{[]byte("DBSIZE")}).Int, "a command ran before AUTH")

	// After AUTH the same connection is served.
	c := dialRaw(t, liteAddr)
	raw, _ := c.do("GET", "a")
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", string(raw))
	raw, _ = c.do("AUTH", pass)
	assert.Equal(t, "+OK\r\n", string(raw))
	raw, _ = c.do("SET", "a", "1")
	assert.Equal(t, "+OK\r\n", string(raw))
	// RESET drops the authentication again, as in Redis.
	raw, _ = c.do("RESET")
	assert.Equal(t, "+RESET\r\n", string(raw))
	raw, _ = c.do("GET", "a")
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", string(raw))
}

// exchangeArgv sends one command on a fresh connection and returns the
// answer (QUIT closes the connection, so each command gets its own).
func exchangeArgv(t *testing.T, addr string, argv []string) []byte {
	t.Helper()
	c := dialRaw(t, addr)
	raw, _ := c.do(argv...)
	_ = c.nc.Close()
	return raw
}

// TestACLListWithPassword compares ACL LIST, WHOAMI and USERS with
// redis-server when requirepass is set (the password's SHA-256 is shown).
func TestACLListWithPassword(t *testing.T) {
	const pass = "p@ss word"
	redisAddr := startRedis(t, "--requirepass", pass)
	liteAddr, _ := startRedlite(t, func(_ *core.Options, o *server.Options) { o.Password = pass })
	for _, addr := range []string{redisAddr, liteAddr} {
		c := dialRaw(t, addr)
		raw, _ := c.do("AUTH", pass)
		require.Equal(t, "+OK\r\n", string(raw))
	}
	rc, lc := dialRaw(t, redisAddr), dialRaw(t, liteAddr)
	for _, argv := range [][]string{
		{"ACL", "LIST"}, {"ACL", "WHOAMI"}, {"AUTH", "default", "nope"}, {"AUTH", pass},
		{"ACL", "LIST"}, {"ACL", "WHOAMI"}, {"ACL", "USERS"}, {"AUTH", "other", pass},
	} {
		want, _ := rc.do(argv...)
		got, _ := lc.do(argv...)
		assert.Equal(t, string(want), string(got), "%q", argv)
	}
}

// nonLoopbackAddr returns an address of this machine that is not loopback.
func nonLoopbackAddr(t *testing.T) net.IP {
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() && ipn.IP.To4() != nil {
			return ipn.IP
		}
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
			return ipn.IP
		}
	}
	return nil
}

// TestProtectedModeForReal binds all interfaces and connects to the
// machine's own non-loopback address, so the server sees a non-loopback
// peer: without a password it refuses with Redis' exact message (compared
// with redis-server bound the same way); loopback clients are served; with
// a password, or protected-mode off, the outside client is served too.
// Nothing leaves the machine: the peer is this host's own address.
func TestProtectedModeForReal(t *testing.T) {
	ip := nonLoopbackAddr(t)
	if ip == nil {
		t.Skip("this machine has no non-loopback address: protected mode is covered only by its loopback side")
	}
	redisAddr := startRedis(t, "--bind", "0.0.0.0")
	_, redisPort, _ := net.SplitHostPort(redisAddr)
	liteAddr, db := startRedlite(t, func(_ *core.Options, o *server.Options) { o.Addr = "0.0.0.0:0" })
	_, litePort, _ := net.SplitHostPort(liteAddr)
	outside := func(port string) string { return net.JoinHostPort(ip.String(), port) }

	want := exchange(t, outside(redisPort), []byte("PING\r\n"))
	require.True(t, bytes.HasPrefix(want, []byte("-DENIED Redis is running in protected mode")), "redis: %q", want)
	got := exchange(t, outside(litePort), []byte("PING\r\n"))
	assert.Equal(t, string(want), string(got))

	// The refused client got no session: nothing ran.
	got = exchange(t, outside(litePort), []byte("SET outside 1\r\n"))
	assert.True(t, bytes.HasPrefix(got, []byte("-DENIED")))
	assert.Equal(t, "$-1\r\n", string(exchange(t, "127.0.0.1:"+litePort, []byte("GET outside\r\n"))))

	// With a password the outside client connects and must AUTH.
	require.NoError(t, db.Config.Set("requirepass", "pw"))
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", string(exchange(t, outside(litePort), []byte("PING\r\n"))))
	assert.Equal(t, "+OK\r\n+PONG\r\n", string(exchange(t, outside(litePort), []byte("AUTH pw\r\nPING\r\n"))))
	require.NoError(t, db.Config.Set("requirepass", ""))
	assert.True(t, bytes.HasPrefix(exchange(t, outside(litePort), []byte("PING\r\n")), []byte("-DENIED")))

	// protected-mode no, set from a loopback client, opens the door.
	assert.Equal(t, "+OK\r\n", string(exchange(t, "127.0.0.1:"+litePort, []byte("CONFIG SET protected-mode no\r\n"))))
	assert.Equal(t, "+PONG\r\n", string(exchange(t, outside(litePort), []byte("PING\r\n"))))
}
