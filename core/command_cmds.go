package core

import (
	"sort"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// COMMAND and its subcommands answer from the command table itself.

func init() {
	f := FlagLoading | FlagStale
	register(&Command{Name: "command", ACL: "slow connection", Arity: -1, Flags: f, Group: "server",
		Summary: "Returns detailed information about all commands.", Since: "2.8.13",
		Complexity: "O(N) where N is the total number of Redis commands", Run: cmdCommand,
		Subcommands: map[string]*Command{
			"count": {ACL: "slow connection", Arity: 2, Flags: f, Summary: "Returns a count of commands.", Since: "2.8.13", Complexity: "O(1)",
				Run: func(c *Call) resp.Value { return resp.IntValue(int64(len(commandTable))) }},
			"info": {ACL: "slow connection", Arity: -2, Flags: f, Summary: "Returns information about one, multiple or all commands.",
				Since: "2.8.13", Complexity: "O(N) where N is the number of commands to look up", Run: cmdCommandInfo},
			"docs": {ACL: "slow connection", Arity: -2, Flags: f, Summary: "Returns documentary information about one, multiple or all commands.",
				Since: "7.0.0", Complexity: "O(N) where N is the number of commands to look up", Run: cmdCommandDocs},
			"list": {ACL: "slow connection", Arity: -2, Flags: f, Summary: "Returns a list of command names.", Since: "7.0.0",
				Complexity: "O(N) where N is the total number of Redis commands", Run: cmdCommandList},
			"getkeys": {ACL: "slow connection", Arity: -4, Flags: f, Summary: "Extracts the key names from an arbitrary command.", Since: "2.8.13",
				Complexity: "O(N) where N is the number of arguments to the command", Run: cmdCommandGetKeys},
			"help": {ACL: "slow connection", Arity: 2, Flags: f, Summary: "Returns helpful text about the different subcommands.", Since: "5.0.0",
				Complexity: "O(1)", Run: func(c *Call) resp.Value {
					return helpReply("COMMAND", []string{
						"(no subcommand)",
						"    Return details about all Redis commands.",
						"COUNT",
						"    Return the total number of commands in this Redis server.",
						"LIST",
						"    Return a list of all commands in this Redis server.",
						"INFO [<command-name> ...]",
						"    Return details about multiple Redis commands.",
						"    If no command names are given, documentation details for all",
						"    commands are returned.",
						"DOCS [<command-name> ...]",
						"    Return documentation details about multiple Redis commands.",
						"    If no command names are given, documentation details for all",
						"    commands are returned.",
						"GETKEYS <full-command>",
						"    Return the keys from a full Redis command.",
					})
				}},
		}})
}

// ACLCategories derives the ACL categories Redis would list for a command.
func (c *Command) ACLCategories() []string {
	var cats []string
	add := func(s string) { cats = append(cats, "@"+s) }
	if c.ACL != "" {
		for _, s := range strings.Fields(c.ACL) {
			add(s)
		}
		return cats
	}
	if c.Flags&FlagWrite != 0 {
		add("write")
	}
	if c.Flags&FlagReadOnly != 0 {
		add("read")
	}
	if c.Flags&FlagAdmin != 0 {
		add("admin")
		add("dangerous")
	}
	if c.Flags&FlagPubSub != 0 {
		add("pubsub")
	}
	if c.Flags&FlagFast != 0 {
		add("fast")
	} else {
		add("slow")
	}
	if c.Flags&FlagBlocking != 0 {
		add("blocking")
	}
	group := c.Group
	if c.Subcommands != nil {
		group = "" // a container has only the categories of its flags
	}
	switch group {
	case "string", "hash", "list", "set", "stream", "geo", "bitmap", "hyperloglog", "connection", "scripting":
		add(c.Group)
	case "sorted-set":
		add("sortedset")
	case "generic":
		add("keyspace")
	case "transactions":
		add("transaction")
	}
	// Redis lists them in the order of its category table (ACL CAT's).
	sort.SliceStable(cats, func(i, j int) bool { return aclCategoryRank[cats[i]] < aclCategoryRank[cats[j]] })
	return cats
}

var aclCategoryRank = func() map[string]int {
	m := map[string]int{}
	for i, c := range []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
		"hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection",
		"transaction", "scripting"} {
		m["@"+c] = i
	}
	return m
}()

// commandFlags are the COMMAND INFO flags: the table's, plus movablekeys.
func commandFlags(c *Command) []string {
	names := c.Flags.Names()
	if c.MovableKeys() {
		names = append(names, "movablekeys")
	}
	return names
}

func statusSet(items []string) resp.Value {
	out := make([]resp.Value, len(items))
	for i, s := range items {
		out[i] = resp.StatusValue(s)
	}
	return resp.SetValue(out)
}

func commandInfo(c *Command) resp.Value {
	name := c.Name
	subs := []resp.Value{}
	for _, sc := range sortedSubcommands(c) {
		subs = append(subs, commandInfo(sc))
	}
	return resp.ArrayValue([]resp.Value{
		resp.BulkString(name),
		resp.IntValue(int64(c.Arity)),
		statusSet(commandFlags(c)),
		resp.IntValue(int64(c.FirstKey)),
		resp.IntValue(int64(c.LastKey)),
		resp.IntValue(int64(c.Step)),
		statusSet(c.ACLCategories()),
		resp.SetValue([]resp.Value{}),
		resp.ArrayValue([]resp.Value{}),
		resp.ArrayValue(subs),
	})
}

func sortedSubcommands(c *Command) []*Command {
	out := make([]*Command, 0, len(c.Subcommands))
	for _, sc := range c.Subcommands {
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func cmdCommand(c *Call) resp.Value {
	cmds := Commands()
	out := make([]resp.Value, len(cmds))
	for i, cmd := range cmds {
		out[i] = commandInfo(cmd)
	}
	return resp.ArrayValue(out)
}

// lookupFullName finds "get" or "config|get".
func lookupFullName(name string) *Command {
	name = strings.ToLower(name)
	parent, sub, hasSub := strings.Cut(name, "|")
	cmd := commandTable[parent]
	if cmd == nil || !hasSub {
		return cmd
	}
	return cmd.Subcommands[sub]
}

func cmdCommandInfo(c *Call) resp.Value {
	if len(c.Args) == 2 {
		return cmdCommand(c)
	}
	out := make([]resp.Value, 0, len(c.Args)-2)
	for _, a := range c.Args[2:] {
		if cmd := lookupFullName(string(a)); cmd != nil {
			out = append(out, commandInfo(cmd))
		} else {
			out = append(out, resp.NilValue())
		}
	}
	return resp.ArrayValue(out)
}

func commandDoc(c *Command) resp.Value {
	doc := []resp.Value{
		resp.BulkString("summary"), resp.BulkString(c.Summary),
		resp.BulkString("since"), resp.BulkString(c.Since),
		resp.BulkString("group"), resp.BulkString(c.Group),
		resp.BulkString("complexity"), resp.BulkString(c.Complexity),
	}
	if len(c.Subcommands) > 0 {
		var subs []resp.Value
		for _, sc := range sortedSubcommands(c) {
			subs = append(subs, resp.BulkString(sc.Name), commandDoc(sc))
		}
		doc = append(doc, resp.BulkString("subcommands"), resp.MapValue(subs))
	}
	return resp.MapValue(doc)
}

func cmdCommandDocs(c *Call) resp.Value {
	var cmds []*Command
	if len(c.Args) == 2 {
		cmds = Commands()
	} else {
		for _, a := range c.Args[2:] {
			if cmd := lookupFullName(string(a)); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
	}
	out := make([]resp.Value, 0, 2*len(cmds))
	for _, cmd := range cmds {
		out = append(out, resp.BulkString(cmd.Name), commandDoc(cmd))
	}
	return resp.MapValue(out)
}

func cmdCommandList(c *Call) resp.Value {
	var filter func(*Command) bool
	if len(c.Args) > 2 {
		if len(c.Args) != 5 || !eqFold(c.Args[2], "FILTERBY") {
			return errSyntax
		}
		arg := string(c.Args[4])
		switch {
		case eqFold(c.Args[3], "MODULE"):
			filter = func(*Command) bool { return false }
		case eqFold(c.Args[3], "ACLCAT"):
			filter = func(cmd *Command) bool {
				for _, cat := range cmd.ACLCategories() {
					if strings.EqualFold(cat[1:], arg) {
						return true
					}
				}
				return false
			}
		case eqFold(c.Args[3], "PATTERN"):
			filter = func(cmd *Command) bool { return GlobMatch([]byte(arg), []byte(cmd.Name), true) }
		default:
			return errSyntax
		}
	}
	var out []resp.Value
	for _, cmd := range Commands() {
		if filter == nil || filter(cmd) {
			out = append(out, resp.BulkString(cmd.Name))
		}
		for _, sc := range sortedSubcommands(cmd) {
			if filter != nil && filter(sc) {
				out = append(out, resp.BulkString(sc.Name))
			}
		}
	}
	if out == nil {
		out = []resp.Value{}
	}
	return resp.ArrayValue(out)
}

// KeysOf returns the key arguments of a full command line, as COMMAND
// GETKEYS does. The error is Redis' reply for an unknown command, a wrong
// arity or invalid key arguments.
func KeysOf(argv [][]byte) ([][]byte, resp.Value, bool) {
	cmd := LookupCommand(argv[0])
	if cmd == nil {
		return nil, resp.Err("ERR Invalid command specified"), false
	}
	if cmd.Subcommands == nil && cmd.FirstKey == 0 && !cmd.MovableKeys() {
		return nil, resp.Err("ERR The command has no key arguments"), false
	}
	cmd, _, found := resolve(argv)
	if !found {
		return nil, resp.Err("ERR Invalid number of arguments specified for command"), false
	}
	pos, ok := cmd.KeyPositions(argv)
	if !ok {
		return nil, resp.Err("ERR Invalid arguments specified for command"), false
	}
	if len(pos) == 0 {
		return nil, resp.Err("ERR The command has no key arguments"), false
	}
	keys := make([][]byte, len(pos))
	for i, p := range pos {
		keys[i] = argv[p]
	}
	return keys, resp.Value{}, true
}

func cmdCommandGetKeys(c *Call) resp.Value {
	keys, errv, ok := KeysOf(c.Args[2:])
	if !ok {
		return errv
	}
	return resp.BulkArray(keys)
}
