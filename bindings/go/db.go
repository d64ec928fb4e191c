package redlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// Memory is the path that opens a private in-memory database: nothing is
// written to disk and nothing is shared with another Open.
const Memory = core.MemoryPath

// Durability says when an acknowledged write is safe; see the package
// documentation.
type Durability = core.Durability

const (
	// DurabilityNormal (the default, SQLite synchronous=NORMAL in WAL mode):
	// an acknowledged write survives a crash of the process; the last commits
	// may be lost on power loss or an OS crash.
	DurabilityNormal = core.DurabilityNormal
	// DurabilityFull (synchronous=FULL): every commit is fsynced before it
	// is acknowledged; nothing acknowledged is lost even on power loss.
	DurabilityFull = core.DurabilityFull
)

// Option configures Open.
type Option func(*config)

type config struct {
	core core.Options
	db   int
}

// WithDurability chooses when writes are fsynced (default DurabilityNormal).
func WithDurability(d Durability) Option { return func(c *config) { c.core.Durability = d } }

// WithCacheSize sets the writer connection's SQLite page cache in MiB
// (default 16); each reader connection keeps up to 8 MiB.
func WithCacheSize(mb int) Option { return func(c *config) { c.core.CacheMB = mb } }

// WithReaders sets how many connections serve reads in parallel (default 4;
// an in-memory database has one connection).
func WithReaders(n int) Option { return func(c *config) { c.core.Readers = n } }

// WithBusyTimeout sets how long a write waits for another process holding
// the file's write lock before failing (default 30s).
func WithBusyTimeout(d time.Duration) Option { return func(c *config) { c.core.BusyTimeout = d } }

// WithDB selects the logical database (0-15, as Redis' SELECT) every call
// of this DB uses (default 0).
func WithDB(n int) Option { return func(c *config) { c.db = n } }

// maxIdleSessions bounds the sessions kept for reuse; more are created
// under load and closed when returned.
const maxIdleSessions = 64

// DB is an open database. It is safe for concurrent use by any number of
// goroutines: each call borrows a session from a pool, so calls never share
// connection state. Open it once and share it.
type DB struct {
	cmds
	core  *core.DB
	dbNum []byte // SELECT argument for new sessions; nil for database 0

	mu     sync.Mutex
	free   []*core.Session
	closed bool
}

// Open opens (creating it if needed) the database file at path, or a private
// in-memory database for Memory. Several processes may open the same file.
func Open(path string, opts ...Option) (*DB, error) {
	cfg := config{core: core.Options{Path: path}}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.db < 0 || cfg.db >= core.NumDatabases {
		return nil, fmt.Errorf("redlite: database number %d out of range (0-%d)", cfg.db, core.NumDatabases-1)
	}
	cdb, err := core.Open(cfg.core)
	if err != nil {
		return nil, err
	}
	db := &DB{core: cdb}
	db.cmds = cmds{r: db}
	if cfg.db != 0 {
		db.dbNum = []byte(fmt.Sprint(cfg.db))
	}
	return db, nil
}

// Close waits for running calls, closes every session and the file. Every
// acknowledged write is already committed. Calls after Close return
// ErrClosed.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return ErrClosed
	}
	db.closed = true
	free := db.free
	db.free = nil
	db.mu.Unlock()
	for _, s := range free {
		s.Close()
	}
	return db.core.Close()
}

// Core is the engine underneath, for what the typed API does not cover
// (running the RESP server on the same database, for instance).
func (db *DB) Core() *core.DB { return db.core }

func (db *DB) isClosed() bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.closed
}

// session takes a session from the pool, or starts one.
func (db *DB) session() (*core.Session, error) {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(db.free); n > 0 {
		s := db.free[n-1]
		db.free = db.free[:n-1]
		db.mu.Unlock()
		return s, nil
	}
	db.mu.Unlock()
	return db.newSession()
}

func (db *DB) newSession() (*core.Session, error) {
	s := db.core.NewSession()
	// RESP3, as go-redis v9 speaks by default: maps, doubles and booleans
	// arrive typed, and Do returns them as Go maps, float64 and bool.
	s.Proto = 3
	s.LibName = "redlite-go"
	s.LibVer = core.Version
	if db.dbNum != nil {
		if v := s.Do([][]byte{[]byte("select"), db.dbNum}); v.IsError() {
			s.Close()
			return nil, replyError(string(v.Str))
		}
	}
	return s, nil
}

// release returns a session to the pool. Callers only return sessions in
// their pooled state: no MULTI, no watches, no transaction, database as set.
func (db *DB) release(s *core.Session) {
	db.mu.Lock()
	if db.closed || len(db.free) >= maxIdleSessions {
		db.mu.Unlock()
		s.Close()
		return
	}
	db.free = append(db.free, s)
	db.mu.Unlock()
}

// exec runs one command on a pooled session.
func (db *DB) exec(ctx context.Context, a argv, blocking bool) (resp.Value, error) {
	if err := ctx.Err(); err != nil {
		return resp.Value{}, err
	}
	s, err := db.session()
	if err != nil {
		return resp.Value{}, err
	}
	v, err := runOn(ctx, s, a, blocking)
	db.release(s)
	return v, err
}

// runOn runs one command on s. Only blocking commands take the context into
// the engine (to end their wait); everything else runs without one, so no
// goroutine or timer is started per call.
func runOn(ctx context.Context, s *core.Session, a argv, blocking bool) (resp.Value, error) {
	var v resp.Value
	if blocking {
		v = s.DoContext(ctx, a)
	} else {
		v = s.Do(a)
	}
	return result(ctx, v, blocking)
}

func (db *DB) pinned() bool { return false }

// result converts an error reply into an error; a blocking command that
// gave up because ctx ended returns ctx's error rather than Nil.
func result(ctx context.Context, v resp.Value, blocking bool) (resp.Value, error) {
	if v.Kind == resp.Error {
		return v, replyError(string(v.Str))
	}
	if blocking && isNil(v) {
		if err := ctx.Err(); err != nil {
			return v, err
		}
	}
	return v, nil
}

// runner runs commands: the DB on pooled sessions, a Tx or Conn on its own.
type runner interface {
	exec(ctx context.Context, a argv, blocking bool) (resp.Value, error)
	// pinned reports whether calls keep one session, so commands that change
	// session state (SELECT, CLIENT SETNAME...) are allowed through Do.
	pinned() bool
}

// cmds holds the typed command methods DB, Tx and Conn share.
type cmds struct{ r runner }

func (c cmds) run(ctx context.Context, a argv) (resp.Value, error) { return c.r.exec(ctx, a, false) }

// block runs a blocking command: it honours ctx's cancellation and deadline.
func (c cmds) block(ctx context.Context, a argv) (resp.Value, error) {
	return c.r.exec(ctx, a, true)
}

// Do runs any command given as its name and arguments (converted like
// values of typed methods) and decodes the reply as go-redis' Do does:
// string, int64, float64, bool, []any, map[any]any, *big.Int; a nil reply
// is (nil, Nil), an error reply an *Error.
//
// On a DB or Tx, commands that change a connection's state (SELECT, HELLO,
// MULTI, WATCH, SUBSCRIBE, CLIENT SETNAME...) are refused: use WithDB,
// Tx, Watch, Subscribe, or a Conn.
func (c cmds) Do(ctx context.Context, args ...any) (any, error) {
	if len(args) == 0 {
		return nil, errors.New("redlite: Do needs a command name")
	}
	a, err := argv(make([][]byte, 0, len(args))).v(args...)
	if err != nil {
		return nil, err
	}
	cmd := core.LookupCommand(a[0])
	if err := checkStateful(a, c.r.pinned()); err != nil {
		return nil, err
	}
	v, err := c.r.exec(ctx, a, cmd != nil && cmd.Flags&core.FlagBlocking != 0)
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	return toAny(v), nil
}

// checkStateful refuses commands whose effect outlives the call on a
// session the caller does not own.
func checkStateful(a argv, pinned bool) error {
	var hint string
	name := strings.ToLower(string(a[0]))
	switch name {
	case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe":
		return fmt.Errorf("redlite: %s needs a subscription: use DB.Subscribe or DB.PSubscribe", strings.ToUpper(name))
	case "select":
		hint = "use the WithDB option or a Conn"
	case "multi", "exec", "discard", "watch", "unwatch":
		hint = "use DB.Tx or DB.Watch"
	case "hello", "auth", "reset", "quit":
		hint = "use a Conn"
	case "client":
		if len(a) < 2 {
			return nil
		}
		switch strings.ToLower(string(a[1])) {
		case "reply", "setname", "setinfo", "no-evict", "no-touch", "tracking", "caching":
			hint = "use a Conn"
		default:
			return nil
		}
	default:
		return nil
	}
	if pinned {
		return nil
	}
	return fmt.Errorf("redlite: %s changes connection state and calls share pooled sessions: %s", strings.ToUpper(name), hint)
}
