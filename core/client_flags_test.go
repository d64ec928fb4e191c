package core

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

func clientField(t *testing.T, s *Session, field string) string {
	t.Helper()
	m := regexp.MustCompile(`(?:^| )` + field + `=(\S*)`).FindStringSubmatch(string(do(s, "CLIENT", "INFO").Str))
	require.NotNil(t, m, "CLIENT INFO has no %s", field)
	return m[1]
}

// CLIENT INFO/LIST flags in Redis' order: P (subscribed), x (MULTI), b
// (blocked), d (a watched key changed), e (NO-EVICT), T (NO-TOUCH), N for
// none.
func TestClientFlags(t *testing.T) {
	s := newTestSession(t)
	other := s.store.NewSession()
	defer other.Close()
	require.Equal(t, "N", clientField(t, s, "flags"))
	expectOK(t, do(s, "CLIENT", "NO-EVICT", "on"))
	require.Equal(t, "e", clientField(t, s, "flags"))
	expectOK(t, do(s, "CLIENT", "NO-TOUCH", "ON"))
	require.Equal(t, "eT", clientField(t, s, "flags"))
	expectOK(t, do(s, "WATCH", "k"))
	expectOK(t, do(other, "SET", "k", "1"))
	require.Equal(t, "deT", clientField(t, s, "flags"))
	expectOK(t, do(s, "UNWATCH"))
	expectOK(t, do(s, "CLIENT", "NO-EVICT", "off"))
	expectOK(t, do(s, "CLIENT", "NO-TOUCH", "off"))
	require.Equal(t, "N", clientField(t, s, "flags"))
	expectErr(t, "ERR syntax error", do(s, "CLIENT", "NO-TOUCH", "maybe"))
	expectErr(t, "ERR syntax error", do(s, "CLIENT", "NO-EVICT", "maybe"))
	expectErr(t, "ERR wrong number of arguments for 'client|no-touch' command", do(s, "CLIENT", "NO-TOUCH"))

	// Another session sees them in CLIENT LIST.
	expectOK(t, do(s, "CLIENT", "NO-EVICT", "on"))
	require.Regexp(t, `flags=e `, string(do(other, "CLIENT", "LIST", "ID", clientField(t, s, "id")).Str))

	// RESET clears them.
	do(s, "RESET")
	require.Equal(t, "N", clientField(t, s, "flags"))
}

// CLIENT SETINFO (Redis 7.2): lib-name and lib-ver show in CLIENT INFO and
// LIST; the option is checked before the value, as Redis 7.2 does.
func TestClientSetInfo(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "CLIENT", "SETINFO", "lib-name", "redis-py"))
	expectOK(t, do(s, "CLIENT", "SETINFO", "LIB-VER", "5.0.1"))
	require.Equal(t, "redis-py", clientField(t, s, "lib-name"))
	require.Equal(t, "5.0.1", clientField(t, s, "lib-ver"))
	expectErr(t, "ERR lib-name cannot contain spaces, newlines or special characters.", do(s, "CLIENT", "SETINFO", "lib-name", "a b"))
	expectErr(t, "ERR LIB-VER cannot contain spaces, newlines or special characters.", do(s, "CLIENT", "SETINFO", "LIB-VER", "1\n"))
	expectErr(t, "ERR Unrecognized option 'bogus'", do(s, "CLIENT", "SETINFO", "bogus", "a b"))
	expectErr(t, "ERR wrong number of arguments for 'client|setinfo' command", do(s, "CLIENT", "SETINFO", "lib-name"))
	require.Equal(t, "redis-py", clientField(t, s, "lib-name"), "a refused value changes nothing")
	expectOK(t, do(s, "CLIENT", "SETINFO", "lib-name", ""))
	require.Equal(t, "", clientField(t, s, "lib-name"))
}
