package core

import (
	"context"
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Session is one client's state: the selected database, protocol version,
// authentication, a MULTI queue, watched keys, an interactive transaction.
// The server has one per connection; embedded callers (the Go binding, the
// C ABI's redlite_conn) have their own. A Session is used by one goroutine
// at a time.
type Session struct {
	store *DB
	db    int

	ID       int64
	Proto    int    // 2 or 3
	Name     string // CLIENT SETNAME
	LibName  string // CLIENT SETINFO lib-name
	LibVer   string // CLIENT SETINFO lib-ver
	Created  time.Time
	authed   bool
	user     string
	noEvict  bool
	noTouch  bool
	replyOff replyMode

	multi        *multiState
	watches      []watchedKey
	watchDirty   atomic.Bool // a watched key was written in this process
	watchToken   int64       // names this session's watch_absent rows; 0: none
	itx          *sqlConn    // writer connection held by an interactive transaction
	pendingHooks []func()    // hooks of the interactive transaction, run at commit

	tx      Tx
	call    Call
	getKeys [][]byte // scratch for a pipeline's run of GETs

	// Info describes the network side for CLIENT LIST/INFO; nil when embedded.
	Info *ConnInfo
	// Sub holds pub/sub subscriptions and pending messages.
	Sub *Subscriber

	// blocked is set while the session waits in a blocking command.
	blocked atomic.Pointer[waiter]
	// cancel, when set by DoContext, ends a blocking wait early.
	cancel <-chan struct{}

	// LastCommand is the name of the last command run (CLIENT LIST cmd=).
	LastCommand string

	// viewMu guards view, the copy of the fields above that other
	// sessions read (CLIENT LIST, CLIENT KILL) while this one runs.
	viewMu     sync.Mutex
	view       clientView
	lastActive atomic.Int64 // unix ms

	// Closing asks the server to close the connection after the reply (QUIT).
	Closing bool
	// Killed is set by CLIENT KILL; the server closes the connection.
	Killed atomic.Bool
}

type replyMode uint8

const (
	replyOn replyMode = iota
	replyOff
	replySkipNext
	replySkipThis
)

// ConnInfo is what the server knows about a network client.
type ConnInfo struct {
	Addr, LocalAddr string
	FD              int
	// QueryBuf and OutBuf report buffer sizes for CLIENT LIST.
	QueryBuf func() int
	OutBuf   func() int
	// Kill closes the connection (CLIENT KILL).
	Kill func()
	// Unblock interrupts a blocked command (CLIENT UNBLOCK); it reports
	// whether the client was blocked.
	Unblock func(withError bool) bool
	// Watch is called when a command starts to wait (BLPOP...): the
	// channel it returns is closed if the client disconnects meanwhile, and
	// stop is called when the wait ends.
	Watch func() (gone <-chan struct{}, stop func())
}

// Call is a command invocation as its handler sees it: the arguments, the
// storage transaction (embedded) and the session.
type Call struct {
	*Tx
	Args [][]byte
	S    *Session
	Cmd  *Command
	// inTx is true inside EXEC or an interactive transaction: the handler
	// already runs in the writer's transaction and must not block.
	inTx bool
}

// clientView is what other sessions may read of a session.
type clientView struct {
	name, libName, libVer, user, lastCmd string
	db, proto                            int
	multi                                int // queued commands, -1 outside MULTI
	noEvict, noTouch                     bool
}

// refreshView publishes the session's state for other sessions to read. It
// runs when a command starts and when it ends, so CLIENT LIST shows the
// command a blocked client waits in, and never reads a field being written.
func (s *Session) refreshView() {
	multi := -1
	if s.multi != nil {
		multi = len(s.multi.cmds)
	}
	v := clientView{name: s.Name, libName: s.LibName, libVer: s.LibVer, user: s.user,
		lastCmd: s.LastCommand, db: s.db, proto: s.Proto, multi: multi, noEvict: s.noEvict, noTouch: s.noTouch}
	s.viewMu.Lock()
	s.view = v
	s.viewMu.Unlock()
}

func (s *Session) snapshot() clientView {
	s.viewMu.Lock()
	defer s.viewMu.Unlock()
	return s.view
}

// NewSession starts a client session on db.
func (db *DB) NewSession() *Session {
	s := &Session{store: db, Proto: 2, Created: time.Now()}
	s.ID = db.nextClientID.Add(1)
	s.authed = db.Config.requirePass() == ""
	s.user = "default"
	s.tx.store = db
	s.Sub = newSubscriber(db.hub, s)
	s.touch()
	s.refreshView()
	db.clients.add(s)
	return s
}

// Close ends the session: it unwatches, drops subscriptions and rolls back
// an interactive transaction left open.
func (s *Session) Close() {
	if s.itx != nil {
		_ = s.Rollback()
	}
	s.unwatchAll()
	s.multi = nil
	s.Sub.end()
	s.store.clients.remove(s)
}

func (s *Session) touch() { s.lastActive.Store(time.Now().UnixMilli()) }

// DBIndex is the selected database.
func (s *Session) DBIndex() int { return s.db }

// Store is the database the session belongs to.
func (s *Session) Store() *DB { return s.store }

// Authenticated reports whether the session may run commands.
func (s *Session) Authenticated() bool { return s.authed }

// InMulti reports whether commands are being queued for EXEC.
func (s *Session) InMulti() bool { return s.multi != nil }

// ReplySuppressed reports whether the reply to the command just run must not
// be sent (CLIENT REPLY OFF/SKIP).
func (s *Session) ReplySuppressed() bool {
	switch s.replyOff {
	case replyOff:
		return true
	case replySkipThis:
		s.replyOff = replyOn
		return true
	case replySkipNext:
		// The reply of CLIENT REPLY SKIP itself; the next one is skipped too.
		s.replyOff = replySkipThis
		return true
	}
	return false
}

// Do runs one command and returns its reply. argv[0] is the command name.
// The arguments are not retained after Do returns.
func (s *Session) Do(argv [][]byte) (reply resp.Value) {
	if len(argv) == 0 {
		return resp.Err("ERR empty command")
	}
	if !s.store.enter() {
		return errClosedReply
	}
	defer s.store.leave()
	defer func() {
		if p := recover(); p != nil {
			logPanic(p, nil)
			reply = resp.Err(fmt.Sprintf("ERR internal error: %v", p))
		}
	}()
	s.store.stats.commands.Add(1)
	s.touch()

	cmd, errReply, ok := resolve(argv)
	if !ok {
		if eqFold(argv[0], "exec") {
			return s.execAbort(errReply)
		}
		if s.multi != nil {
			s.multi.dirty = true
		}
		return errReply
	}
	s.LastCommand = cmd.Name
	s.refreshView()
	defer s.refreshView()
	if !s.authed && cmd.Flags&FlagNoAuth == 0 {
		return s.reject(cmd, resp.Err("NOAUTH Authentication required."))
	}
	if s.Sub != nil && s.Proto < 3 && s.Sub.Count() > 0 && !allowedWhileSubscribed(cmd) {
		return s.reject(cmd, resp.Err("ERR Can't execute '"+cmd.Name+"': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"))
	}
	if s.multi != nil && !runsImmediatelyInMulti(cmd) {
		if cmd.Flags&FlagNoMulti != 0 {
			s.multi.dirty = true
			return resp.Err("ERR Command not allowed inside a transaction")
		}
		s.multi.queue(cmd, argv)
		return resp.StatusValue("QUEUED")
	}
	return s.dispatch(cmd, argv)
}

// DoContext is Do for embedded callers: a blocking command (BLPOP, XREAD
// BLOCK...) stops waiting when ctx is done and answers as on timeout.
// Only the wait is cancelled: a write in progress completes.
func (s *Session) DoContext(ctx context.Context, argv [][]byte) resp.Value {
	s.cancel = ctx.Done()
	defer func() { s.cancel = nil }()
	return s.Do(argv)
}

// reject answers a command refused before it ran. Redis turns the refusal
// of EXEC itself into EXECABORT and discards the transaction.
func (s *Session) reject(cmd *Command, err resp.Value) resp.Value {
	if cmd.Name == "exec" {
		return s.execAbort(err)
	}
	return err
}

func (s *Session) execAbort(err resp.Value) resp.Value {
	s.multi = nil
	s.unwatchAll()
	msg := strings.TrimPrefix(string(err.Str), "ERR ")
	return resp.Err("EXECABORT Transaction discarded because of: " + msg)
}

// dispatch runs a resolved command where its class says.
func (s *Session) dispatch(cmd *Command, argv [][]byte) resp.Value {
	c := &s.call
	*c = Call{Tx: &s.tx, Args: argv, S: s, Cmd: cmd}
	s.tx.begin(s.store, s)
	if s.itx != nil {
		return s.runInInteractive(c)
	}
	switch cmd.execClass() {
	case ExecWrite:
		return s.store.write(c.Tx, func(*Tx) resp.Value { return c.runCmd() })
	case ExecRead:
		return s.readDone(s.store.read(c.Tx, func(*Tx) resp.Value { return c.runCmd() }))
	case ExecCustom:
		if s.store.keyMissOn() {
			return s.runCustomNotifyingMisses(c)
		}
	}
	return cmd.Run(c)
}

// readDone runs the hooks a read left (key-miss events).
func (s *Session) readDone(v resp.Value) resp.Value {
	if len(s.tx.hooks) > 0 && s.tx.err == nil {
		s.tx.committed()
	}
	return v
}

func allowedWhileSubscribed(cmd *Command) bool {
	switch cmd.Name {
	case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset":
		return true
	}
	return false
}

func runsImmediatelyInMulti(cmd *Command) bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// Write runs fn in a write transaction: inline when the call already runs in
// one (EXEC, interactive transaction), otherwise through the writer.
// Handlers of ExecCustom commands use it between waits.
func (c *Call) Write(fn func(tx *Tx) resp.Value) resp.Value {
	if c.inTx {
		return fn(c.Tx)
	}
	c.Tx.begin(c.S.store, c.S)
	return c.S.store.write(c.Tx, fn)
}

// Read runs fn in a read transaction (inline inside EXEC).
func (c *Call) Read(fn func(tx *Tx) resp.Value) resp.Value {
	if c.inTx {
		return fn(c.Tx)
	}
	c.Tx.begin(c.S.store, c.S)
	return c.S.store.read(c.Tx, fn)
}

// InTransaction reports whether the call runs inside EXEC or an interactive
// transaction, where blocking commands must not wait.
func (c *Call) InTransaction() bool { return c.inTx }

var panicLogger = log.Printf

func logPanic(p any, stack []byte) {
	if stack != nil {
		panicLogger("redlite: recovered panic: %v\n%s", p, stack)
		return
	}
	panicLogger("redlite: recovered panic: %v", p)
}
