package core

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/redlite/redlite/core/resp"
)

// ACL: redlite has one user, "default", with every permission, guarded by
// requirepass when it is set. The introspection subcommands tools probe
// answer as Redis does for that configuration; managing users is not
// supported.

const aclNote = "redlite has the single user default (requirepass is its password): " +
	"only WHOAMI, LIST, USERS and HELP exist."

func init() {
	f := FlagNoScript | FlagLoading | FlagStale
	register(&Command{Name: "acl", Arity: -2, Group: "server", Summary: "A container for Access List Control commands.",
		Since: "6.0.0", Complexity: "Depends on subcommand.", Note: aclNote,
		Subcommands: map[string]*Command{
			"whoami": {Arity: 2, Flags: f, Summary: "Returns the authenticated username of the current connection.",
				Since: "6.0.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return resp.BulkString(c.S.user) }},
			"list": {Arity: 2, Flags: FlagAdmin | f, Summary: "Dumps the effective rules in ACL file format.",
				Since: "6.0.0", Complexity: "O(N). Where N is the number of configured users.", Run: cmdACLList},
			"users": {Arity: 2, Flags: FlagAdmin | f, Summary: "Lists all ACL users.",
				Since: "6.0.0", Complexity: "O(N). Where N is the number of configured users.",
				Run: func(c *Call) resp.Value { return resp.ArrayValue([]resp.Value{resp.BulkString("default")}) }},
			"help": {Arity: 2, Flags: FlagLoading | FlagStale, Summary: "Returns helpful text about the different subcommands.",
				Since: "6.0.0", Complexity: "O(1)", Note: "Lists only the subcommands redlite has.", Run: cmdACLHelp},
		}})
}

// cmdACLList prints the default user's rule as Redis 7.0 does: "nopass"
// without a password, else the SHA-256 of the password, never the password.
func cmdACLList(c *Call) resp.Value {
	pass := "nopass"
	if p := c.S.store.Config.requirePass(); p != "" {
		sum := sha256.Sum256([]byte(p))
		pass = "#" + hex.EncodeToString(sum[:])
	}
	return resp.ArrayValue([]resp.Value{resp.BulkString("user default on " + pass + " ~* &* +@all")})
}

func cmdACLHelp(c *Call) resp.Value {
	return helpReply("ACL", []string{
		"LIST",
		"    Show users details in config file format.",
		"USERS",
		"    List all the registered usernames.",
		"WHOAMI",
		"    Return the current connection username.",
	})
}
