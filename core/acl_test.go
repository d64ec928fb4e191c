package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestACLIntrospection(t *testing.T) {
	db := openTestDB(t)
	s := db.NewSession()
	defer s.Close()
	expectBulk(t, "default", do(s, "ACL", "WHOAMI"))
	expectStrings(t, []string{"default"}, do(s, "ACL", "USERS"))
	expectStrings(t, []string{"user default on nopass ~* &* +@all"}, do(s, "ACL", "LIST"))
	expectErr(t, "ERR wrong number of arguments for 'acl|list' command", do(s, "ACL", "LIST", "x"))
	expectErr(t, "ERR unknown subcommand 'setuser'. Try ACL HELP.", do(s, "ACL", "setuser", "bob"))
	help := do(s, "ACL", "HELP")
	require.Len(t, help.Elems, 9)
	require.Equal(t, "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", string(help.Elems[0].Str))

	// With a password, LIST shows its SHA-256 (as Redis), never the password.
	expectOK(t, do(s, "CONFIG", "SET", "requirepass", "foo"))
	expectStrings(t, []string{"user default on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all"},
		do(s, "ACL", "LIST"))
	other := db.NewSession()
	defer other.Close()
	expectErr(t, "NOAUTH", do(other, "ACL", "WHOAMI"))
	expectErr(t, "WRONGPASS", do(other, "AUTH", "default", "bar"))
	expectOK(t, do(other, "AUTH", "default", "foo"))
	expectBulk(t, "default", do(other, "ACL", "WHOAMI"))
}

// TestAuthWithoutPassword: the default user without requirepass is
// "nopass" in Redis: AUTH default <anything> succeeds, other users fail.
func TestAuthWithoutPassword(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "AUTH", "default", "whatever"))
	expectErr(t, "WRONGPASS", do(s, "AUTH", "bob", "whatever"))
	expectErr(t, "ERR AUTH <password> called without any password configured", do(s, "AUTH", "whatever"))
}
