package core

import (
	"sort"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// Flags are a command's properties, named as Redis' COMMAND reply names them.
type Flags uint32

// Command flags.
const (
	FlagWrite Flags = 1 << iota
	FlagReadOnly
	FlagDenyOOM
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagFast
	FlagNoAuth
	FlagNoMulti
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagAllowBusy
	FlagNoAsyncLoading
)

var flagNames = []string{"write", "readonly", "denyoom", "admin", "pubsub", "noscript", "blocking",
	"loading", "stale", "fast", "no_auth", "no_multi", "skip_monitor", "skip_slowlog", "allow_busy",
	"no_async_loading"}

// Names lists the flag names set in f.
func (f Flags) Names() []string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Exec says where a command's handler runs.
type Exec uint8

const (
	// ExecDefault derives the place from the flags: write commands in the
	// writer's transaction, readonly commands in a reader's, others without
	// storage.
	ExecDefault Exec = iota
	// ExecNone runs the handler without a storage transaction (PING, SELECT).
	ExecNone
	// ExecRead runs the handler in a read transaction (on a reader that
	// keeps it between commands while nothing is committed: warmread.go).
	ExecRead
	// ExecWrite runs the handler in the writer's transaction.
	ExecWrite
	// ExecCustom lets the handler open transactions itself through
	// Call.Read and Call.Write (blocking commands that wait between tries).
	ExecCustom
)

// Command is one entry of the command table: the single definition the
// server, the C ABI, the bindings and COMMAND all use.
type Command struct {
	Name     string // lower case; "config|get" for a subcommand
	Arity    int    // Redis convention: n exact, -n at least n (name included)
	Flags    Flags
	FirstKey int // position of the first key argument, 0 if none
	LastKey  int // last key position; -1 the last argument, -2 the one before...
	Step     int // distance between keys
	Exec     Exec

	Group      string // "string", "hash", "generic", "connection", "server", ...
	Summary    string
	Since      string // Redis version that introduced the command
	Complexity string // as Redis documents it, or redlite's where it differs
	// Note documents where redlite differs from Redis (shown in docs and COMMAND DOCS).
	Note string
	// ACL, when set, lists the command's ACL categories (space separated,
	// without @) where Redis' differ from the ones derived from the flags
	// and group.
	ACL string

	Run func(c *Call) resp.Value

	// Subcommands of a container command (CONFIG, CLIENT, OBJECT...), by lower-case name.
	Subcommands map[string]*Command
	parent      *Command
}

// FullName is the name Redis uses in errors: "get" or "config|get".
func (c *Command) FullName() string { return c.Name }

// execClass resolves ExecDefault from the flags.
func (c *Command) execClass() Exec {
	if c.Exec != ExecDefault {
		return c.Exec
	}
	switch {
	case c.Flags&FlagWrite != 0:
		return ExecWrite
	case c.Flags&FlagReadOnly != 0:
		return ExecRead
	}
	return ExecNone
}

// KeyPositions returns the argument positions holding keys in argv; ok is
// false when the arguments that locate the keys are invalid.
func (c *Command) KeyPositions(argv [][]byte) (pos []int, ok bool) {
	if f := movableKeys[c.Name]; f != nil {
		return f(argv)
	}
	argc := len(argv)
	if c.FirstKey <= 0 {
		return nil, true
	}
	last := c.LastKey
	if last < 0 {
		last = argc + last
	}
	step := c.Step
	if step <= 0 {
		step = 1
	}
	for i := c.FirstKey; i <= last && i < argc; i += step {
		pos = append(pos, i)
	}
	return pos, true
}

// MovableKeys reports whether the command's key positions depend on its
// arguments.
func (c *Command) MovableKeys() bool { return movableKeys[c.Name] != nil }

var commandTable = map[string]*Command{}

// register adds commands to the table; each command family file calls it
// from init. A duplicate name is a programming error.
func register(cmds ...*Command) {
	for _, c := range cmds {
		if _, dup := commandTable[c.Name]; dup {
			panic("redlite: command registered twice: " + c.Name)
		}
		if c.Step == 0 && c.FirstKey > 0 {
			c.Step = 1
		}
		for name, sub := range c.Subcommands {
			sub.Name = c.Name + "|" + name
			sub.parent = c
			if sub.Group == "" {
				sub.Group = c.Group
			}
			if sub.Step == 0 && sub.FirstKey > 0 {
				sub.Step = 1
			}
		}
		commandTable[c.Name] = c
	}
}

// Commands returns every top-level command, sorted by name.
func Commands() []*Command {
	out := make([]*Command, 0, len(commandTable))
	for _, c := range commandTable {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupCommand finds a top-level command by name, in any case.
func LookupCommand(name []byte) *Command {
	var buf [32]byte
	if len(name) <= len(buf) {
		n := copy(buf[:], name)
		lowerASCII(buf[:n])
		return commandTable[string(buf[:n])]
	}
	return commandTable[strings.ToLower(string(name))]
}

func lowerASCII(b []byte) {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
}

// resolve finds the command argv names, descending into subcommands, and
// checks arity. It returns the command or the error Redis would send.
func resolve(argv [][]byte) (*Command, resp.Value, bool) {
	cmd := LookupCommand(argv[0])
	if cmd == nil {
		return nil, unknownCommand(argv), false
	}
	if cmd.Subcommands != nil && len(argv) >= 2 {
		sub := cmd.Subcommands[strings.ToLower(string(argv[1]))]
		if sub == nil {
			return nil, resp.Err("ERR unknown subcommand '" + truncate(string(argv[1]), 128) +
				"'. Try " + strings.ToUpper(cmd.Name) + " HELP."), false
		}
		cmd = sub
	}
	if !arityOK(cmd.Arity, len(argv)) {
		return nil, WrongArgs(cmd.Name), false
	}
	return cmd, resp.Value{}, true
}

func arityOK(arity, argc int) bool {
	if arity >= 0 {
		return argc == arity
	}
	return argc >= -arity
}

// WrongArgs is Redis' arity error for a command.
func WrongArgs(name string) resp.Value {
	return resp.Err("ERR wrong number of arguments for '" + name + "' command")
}

func unknownCommand(argv [][]byte) resp.Value {
	var sb strings.Builder
	for _, a := range argv[1:] {
		if sb.Len() >= 128 {
			break
		}
		sb.WriteString("'")
		sb.WriteString(truncate(string(a), 128-sb.Len()))
		sb.WriteString("' ")
	}
	return resp.Err("ERR unknown command '" + truncate(string(argv[0]), 128) +
		"', with args beginning with: " + sb.String())
}

func truncate(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) > n {
		return s[:n]
	}
	return s
}
