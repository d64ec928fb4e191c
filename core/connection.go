package core

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// RedisVersion is the Redis release whose behaviour redlite reproduces; it
// is what HELLO and INFO report, so clients enable the right features.
const RedisVersion = "7.0.15"

// Version is redlite's own version.
const Version = "0.1.0"

// NumDatabases is the number of logical databases (SELECT 0..15).
const NumDatabases = 16

func init() {
	const g = "connection"
	conn := FlagLoading | FlagStale | FlagFast
	register(
		&Command{Name: "ping", Arity: -1, Flags: FlagFast, Group: g, Summary: "Returns the server's liveliness response.",
			Since: "1.0.0", Complexity: "O(1)", Run: cmdPing},
		&Command{Name: "echo", Arity: 2, Flags: conn, Group: g, Summary: "Returns the given string.",
			Since: "1.0.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return resp.BulkValue(c.Args[1]) }},
		&Command{Name: "quit", Arity: -1, Flags: FlagAllowBusy | FlagNoAuth | FlagNoScript | conn, Group: g,
			Summary: "Closes the connection.", Since: "1.0.0", Complexity: "O(1)", Run: cmdQuit},
		&Command{Name: "reset", Arity: 1, Flags: FlagNoScript | FlagNoAuth | FlagAllowBusy | conn, Group: g,
			Summary: "Resets the connection.", Since: "6.2.0", Complexity: "O(1)", Run: cmdReset},
		&Command{Name: "hello", Arity: -1, Flags: FlagNoScript | FlagNoAuth | FlagAllowBusy | conn, Group: g,
			Summary: "Handshakes with the Redis server.", Since: "6.0.0", Complexity: "O(1)", Run: cmdHello},
		&Command{Name: "auth", Arity: -2, Flags: FlagNoScript | FlagNoAuth | FlagAllowBusy | conn, Group: g,
			Summary: "Authenticates the connection.", Since: "1.0.0",
			Complexity: "O(N) where N is the number of passwords defined for the user", Run: cmdAuth},
		&Command{Name: "select", Arity: 2, Flags: conn, Group: g, Summary: "Changes the selected database.",
			Since: "1.0.0", Complexity: "O(1)", Run: cmdSelect},
		&Command{Name: "client", Arity: -2, Group: g, Summary: "A container for client connection commands.",
			Since: "2.4.0", Complexity: "Depends on subcommand.", Subcommands: clientSubcommands()},
	)
}

func cmdPing(c *Call) resp.Value {
	if len(c.Args) > 2 {
		return WrongArgs("ping")
	}
	if c.S.Sub != nil && c.S.Proto < 3 && c.S.Sub.Count() > 0 {
		msg := []byte{}
		if len(c.Args) == 2 {
			msg = c.Args[1]
		}
		return resp.ArrayValue([]resp.Value{resp.BulkString("pong"), resp.BulkValue(msg)})
	}
	if len(c.Args) == 2 {
		return resp.BulkValue(c.Args[1])
	}
	return resp.StatusValue("PONG")
}

func cmdQuit(c *Call) resp.Value {
	c.S.Closing = true
	return resp.OK()
}

func cmdReset(c *Call) resp.Value {
	s := c.S
	s.multi = nil
	s.unwatchAll()
	if s.Sub != nil {
		s.Sub.Close()
	}
	s.db = 0
	c.Tx.DB = 0
	s.Proto = 2
	s.Name = ""
	s.noEvict, s.noTouch = false, false
	s.replyOff = replyOn
	s.authed = s.store.Config.requirePass() == ""
	return resp.StatusValue("RESET")
}

var errWrongPass = resp.Err("WRONGPASS invalid username-password pair or user is disabled.")

// checkPassword compares in constant time, so timing does not reveal how
// much of a guess was right. Without requirepass the default user is
// "nopass": as in Redis, any password is accepted for it.
func (s *Session) checkPassword(user, pass []byte) bool {
	want := s.store.Config.requirePass()
	userOK := subtle.ConstantTimeCompare(user, []byte("default")) == 1
	passOK := subtle.ConstantTimeCompare(pass, []byte(want)) == 1
	return userOK && (passOK || want == "")
}

func cmdAuth(c *Call) resp.Value {
	if len(c.Args) > 3 {
		return errSyntax
	}
	user, pass := []byte("default"), c.Args[1]
	if len(c.Args) == 3 {
		user, pass = c.Args[1], c.Args[2]
	}
	if len(c.Args) == 2 && c.S.store.Config.requirePass() == "" {
		return resp.Err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
	}
	if !c.S.checkPassword(user, pass) {
		return errWrongPass
	}
	c.S.authed = true
	return resp.OK()
}

func cmdHello(c *Call) resp.Value {
	s := c.S
	proto := s.Proto
	i := 1
	if len(c.Args) >= 2 {
		v, ok := ParseInt(c.Args[1])
		if !ok {
			return resp.Err("ERR Protocol version is not an integer or out of range")
		}
		if v < 2 || v > 3 {
			return resp.Err("NOPROTO unsupported protocol version")
		}
		proto = int(v)
		i = 2
	}
	var name []byte
	setName := false
	for ; i < len(c.Args); i++ {
		more := len(c.Args) - 1 - i
		switch {
		case eqFold(c.Args[i], "AUTH") && more >= 2:
			if !s.checkPassword(c.Args[i+1], c.Args[i+2]) {
				return errWrongPass
			}
			s.authed = true
			i += 2
		case eqFold(c.Args[i], "SETNAME") && more >= 1:
			name, setName = c.Args[i+1], true
			if !validClientName(name) {
				return resp.Err("ERR Client names cannot contain spaces, newlines or special characters.")
			}
			i++
		default:
			return resp.Err("ERR Syntax error in HELLO option '" + string(c.Args[i]) + "'")
		}
	}
	if !s.authed {
		return resp.Err("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
	}
	if setName {
		s.Name = string(name)
	}
	s.Proto = proto
	return resp.MapValue([]resp.Value{
		resp.BulkString("server"), resp.BulkString("redis"),
		resp.BulkString("version"), resp.BulkString(RedisVersion),
		resp.BulkString("proto"), resp.IntValue(int64(proto)),
		resp.BulkString("id"), resp.IntValue(s.ID),
		resp.BulkString("mode"), resp.BulkString("standalone"),
		resp.BulkString("role"), resp.BulkString("master"),
		resp.BulkString("modules"), resp.ArrayValue([]resp.Value{}),
	})
}

// parseDBIndex validates a database number argument.
func parseDBIndex(b []byte) (int, resp.Value, bool) {
	n, ok := ParseInt(b)
	if !ok {
		return 0, errNotInt, false
	}
	if n < 0 || n >= NumDatabases {
		return 0, resp.Err("ERR DB index is out of range"), false
	}
	return int(n), resp.Value{}, true
}

func cmdSelect(c *Call) resp.Value {
	n, errv, ok := parseDBIndex(c.Args[1])
	if !ok {
		return errv
	}
	c.S.db = n
	c.Tx.DB = n
	return resp.OK()
}

// Select changes the session's database (the bindings' db option).
func (s *Session) Select(n int) error {
	if n < 0 || n >= NumDatabases {
		return fmt.Errorf("redlite: DB index %d is out of range", n)
	}
	s.db = n
	return nil
}

func validClientName(name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func clientSubcommands() map[string]*Command {
	f := FlagNoScript | FlagLoading | FlagStale
	return map[string]*Command{
		"id": {Arity: 2, Flags: f, Summary: "Returns the unique client ID of the connection.", Since: "5.0.0",
			Complexity: "O(1)", Run: func(c *Call) resp.Value { return resp.IntValue(c.S.ID) }},
		"setname": {Arity: 3, Flags: f, Summary: "Sets the connection name.", Since: "2.6.9", Complexity: "O(1)",
			Run: func(c *Call) resp.Value {
				if !validClientName(c.Args[2]) {
					return resp.Err("ERR Client names cannot contain spaces, newlines or special characters.")
				}
				c.S.Name = string(c.Args[2])
				return resp.OK()
			}},
		"getname": {Arity: 2, Flags: f, Summary: "Returns the name of the connection.", Since: "2.6.9", Complexity: "O(1)",
			Run: func(c *Call) resp.Value {
				if c.S.Name == "" {
					return resp.NilValue()
				}
				return resp.BulkString(c.S.Name)
			}},
		"setinfo": {Arity: 4, Flags: f, Summary: "Sets information specific to the client or connection.", Since: "7.2.0",
			Complexity: "O(1)", Run: cmdClientSetInfo},
		"list": {Arity: -2, Flags: FlagAdmin | f, Summary: "Lists open connections.", Since: "2.4.0",
			Complexity: "O(N) where N is the number of client connections", Run: cmdClientList},
		"info": {Arity: 2, Flags: f, Summary: "Returns information about the connection.", Since: "6.2.0",
			Complexity: "O(1)", Run: func(c *Call) resp.Value {
				return resp.Value{Kind: resp.Verbatim, Str: []byte(c.S.clientLine(time.Now()) + "\n")}
			}},
		"kill": {Arity: -3, Flags: FlagAdmin | f, Summary: "Terminates open connections.", Since: "2.4.0",
			Complexity: "O(N) where N is the number of client connections", Run: cmdClientKill},
		"no-evict": {Arity: 3, Flags: FlagAdmin | f, Summary: "Sets the client eviction mode of the connection.",
			Since: "7.0.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return onOff(c, &c.S.noEvict) }},
		"no-touch": {Arity: 3, Flags: f, Summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
			Since: "7.2.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return onOff(c, &c.S.noTouch) }},
		"reply": {Arity: 3, Flags: f, Summary: "Instructs the server whether to reply to commands.", Since: "3.2.0",
			Complexity: "O(1)", Run: cmdClientReply},
		"unblock": {Arity: -3, Flags: FlagAdmin | f, Summary: "Unblocks a client blocked by a blocking command from a different connection.",
			Since: "5.0.0", Complexity: "O(log N) where N is the number of client connections", Run: cmdClientUnblock},
		"getredir": {Arity: 2, Flags: f, Summary: "Returns the client ID to which the connection's tracking notifications are redirected.",
			Since: "6.0.0", Complexity: "O(1)", Run: func(c *Call) resp.Value { return resp.IntValue(-1) }},
		"help": {Arity: 2, Flags: FlagLoading | FlagStale, Summary: "Returns helpful text about the different subcommands.",
			Since: "5.0.0", Complexity: "O(1)", Run: cmdClientHelp},
	}
}

func onOff(c *Call, flag *bool) resp.Value {
	switch {
	case eqFold(c.Args[2], "on"):
		*flag = true
	case eqFold(c.Args[2], "off"):
		*flag = false
	default:
		return errSyntax
	}
	return resp.OK()
}

func cmdClientSetInfo(c *Call) resp.Value {
	attr, val := c.Args[2], string(c.Args[3])
	var dest *string
	switch {
	case eqFold(attr, "lib-name"):
		dest = &c.S.LibName
	case eqFold(attr, "lib-ver"):
		dest = &c.S.LibVer
	default:
		return resp.Err("ERR Unrecognized option '" + string(attr) + "'")
	}
	for _, ch := range c.Args[3] {
		if ch < '!' || ch > '~' {
			return resp.Err("ERR " + string(attr) + " cannot contain spaces, newlines or special characters.")
		}
	}
	*dest = val
	return resp.OK()
}

func cmdClientReply(c *Call) resp.Value {
	switch {
	case eqFold(c.Args[2], "on"):
		c.S.replyOff = replyOn
		return resp.OK()
	case eqFold(c.Args[2], "off"):
		c.S.replyOff = replyOff
	case eqFold(c.Args[2], "skip"):
		if c.S.replyOff != replyOff {
			c.S.replyOff = replySkipNext
		}
	default:
		return errSyntax
	}
	return resp.OK() // suppressed by ReplySuppressed
}

// clientLine renders one CLIENT LIST line in Redis 7's field order.
func (s *Session) clientLine(now time.Time) string {
	addr, laddr, fd := "", "", -1
	qbuf, omem := 0, 0
	if s.Info != nil {
		addr, laddr, fd = s.Info.Addr, s.Info.LocalAddr, s.Info.FD
		if s.Info.QueryBuf != nil {
			qbuf = s.Info.QueryBuf()
		}
		if s.Info.OutBuf != nil {
			omem = s.Info.OutBuf()
		}
	}
	v := s.snapshot()
	// In Redis' order.
	flags := ""
	if s.Sub != nil && s.Sub.Count() > 0 {
		flags += "P"
	}
	if v.multi >= 0 {
		flags += "x"
	}
	if s.blocked.Load() != nil {
		flags += "b"
	}
	if s.watchDirty.Load() {
		flags += "d"
	}
	if v.noEvict {
		flags += "e"
	}
	if v.noTouch {
		flags += "T"
	}
	if flags == "" {
		flags = "N"
	}
	subs, psubs, ssubs := 0, 0, 0
	if s.Sub != nil {
		subs, psubs, ssubs = s.Sub.counts()
	}
	age := int64(now.Sub(s.Created).Seconds())
	idle := (now.UnixMilli() - s.lastActive.Load()) / 1000
	cmd := v.lastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	return fmt.Sprintf("id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=%s db=%d sub=%d psub=%d ssub=%d multi=%d qbuf=%d qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=%d tot-mem=0 events=r cmd=%s user=%s redir=-1 resp=%d lib-name=%s lib-ver=%s",
		s.ID, addr, laddr, fd, v.name, age, idle, flags, v.db, subs, psubs, ssubs, v.multi, qbuf, omem, cmd, v.user, v.proto, v.libName, v.libVer)
}

func cmdClientList(c *Call) resp.Value {
	var ids map[int64]bool
	typ := ""
	for i := 2; i < len(c.Args); i++ {
		switch {
		case eqFold(c.Args[i], "TYPE") && i+1 < len(c.Args):
			typ = strings.ToLower(string(c.Args[i+1]))
			switch typ {
			case "normal", "pubsub", "master", "replica", "slave":
			default:
				return resp.Err("ERR Unknown client type '" + string(c.Args[i+1]) + "'")
			}
			i++
		case eqFold(c.Args[i], "ID") && i+1 < len(c.Args):
			ids = map[int64]bool{}
			for i++; i < len(c.Args); i++ {
				id, ok := ParseInt(c.Args[i])
				if !ok || id <= 0 {
					return resp.Err("ERR Invalid client ID")
				}
				ids[id] = true
			}
		default:
			return errSyntax
		}
	}
	var sb strings.Builder
	now := time.Now()
	for _, s := range c.S.store.clients.list() {
		if ids != nil && !ids[s.ID] {
			continue
		}
		isPubSub := s.Sub != nil && s.Sub.Count() > 0
		if (typ == "pubsub" && !isPubSub) || (typ == "normal" && isPubSub) || typ == "master" || typ == "replica" || typ == "slave" {
			continue
		}
		sb.WriteString(s.clientLine(now))
		sb.WriteByte('\n')
	}
	return resp.Value{Kind: resp.Verbatim, Str: []byte(sb.String())}
}

func cmdClientKill(c *Call) resp.Value {
	reg := &c.S.store.clients
	if len(c.Args) == 3 {
		// Old form: CLIENT KILL addr:port.
		for _, s := range reg.list() {
			if s.Info != nil && s.Info.Addr == string(c.Args[2]) {
				s.kill()
				return resp.OK()
			}
		}
		return resp.Err("ERR No such client")
	}
	if len(c.Args)%2 != 0 {
		return errSyntax
	}
	var id int64
	var addr, laddr, user, typ string
	skipMe := true
	for i := 2; i < len(c.Args); i += 2 {
		v := string(c.Args[i+1])
		switch {
		case eqFold(c.Args[i], "ID"):
			n, ok := ParseInt(c.Args[i+1])
			if !ok || n <= 0 {
				return resp.Err("ERR client-id should be greater than 0")
			}
			id = n
		case eqFold(c.Args[i], "ADDR"):
			addr = v
		case eqFold(c.Args[i], "LADDR"):
			laddr = v
		case eqFold(c.Args[i], "USER"):
			user = v
		case eqFold(c.Args[i], "TYPE"):
			typ = strings.ToLower(v)
			switch typ {
			case "normal", "pubsub", "master", "replica", "slave":
			default:
				return resp.Err("ERR Unknown client type '" + v + "'")
			}
		case eqFold(c.Args[i], "SKIPME"):
			switch {
			case eqFold(c.Args[i+1], "yes"):
				skipMe = true
			case eqFold(c.Args[i+1], "no"):
				skipMe = false
			default:
				return errSyntax
			}
		default:
			return errSyntax
		}
	}
	killed := int64(0)
	for _, s := range reg.list() {
		if (id != 0 && s.ID != id) || (skipMe && s == c.S) || (user != "" && s.snapshot().user != user) {
			continue
		}
		if addr != "" && (s.Info == nil || s.Info.Addr != addr) {
			continue
		}
		if laddr != "" && (s.Info == nil || s.Info.LocalAddr != laddr) {
			continue
		}
		isPubSub := s.Sub != nil && s.Sub.Count() > 0
		if (typ == "pubsub" && !isPubSub) || (typ == "normal" && isPubSub) || typ == "master" || typ == "replica" || typ == "slave" {
			continue
		}
		s.kill()
		killed++
	}
	return resp.IntValue(killed)
}

// kill marks the session for closing and asks its connection to close.
func (s *Session) kill() {
	s.Killed.Store(true)
	if s.Info != nil && s.Info.Kill != nil {
		s.Info.Kill()
	}
}

func cmdClientUnblock(c *Call) resp.Value {
	id, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	withError := false
	if len(c.Args) == 4 {
		switch {
		case eqFold(c.Args[3], "ERROR"):
			withError = true
		case eqFold(c.Args[3], "TIMEOUT"):
		default:
			return resp.Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
		}
	} else if len(c.Args) > 4 {
		return errSyntax
	}
	target := c.S.store.clients.get(id)
	if target == nil {
		return resp.IntValue(0)
	}
	return resp.BoolInt(target.unblock(withError))
}

func cmdClientHelp(c *Call) resp.Value {
	return helpReply("CLIENT", []string{
		"CACHING (YES|NO)",
		"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
		"GETREDIR",
		"    Return the client ID we are redirecting to when tracking is enabled.",
		"GETNAME",
		"    Return the name of the current connection.",
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"    * ID <client-id>",
		"      Kill connections by client id.",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"UNBLOCK <clientid> [TIMEOUT|ERROR]",
		"    Unblock the specified blocked client.",
		"REPLY (ON|OFF|SKIP)",
		"    Control the replies sent to the current connection.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
	})
}
