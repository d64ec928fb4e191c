package core

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Durability says when a write is safe.
type Durability int

const (
	// DurabilityNormal (synchronous=NORMAL in WAL mode): an acknowledged write
	// survives a crash of the process; the last commits may be lost on power
	// loss or an OS crash. The promise of Redis' appendfsync everysec.
	DurabilityNormal Durability = iota
	// DurabilityFull (synchronous=FULL): every commit is fsynced before it is
	// acknowledged; nothing acknowledged is lost even on power loss.
	DurabilityFull
)

// ParseDurability reads "normal" or "full".
func ParseDurability(s string) (Durability, error) {
	switch strings.ToLower(s) {
	case "", "normal":
		return DurabilityNormal, nil
	case "full":
		return DurabilityFull, nil
	}
	return 0, fmt.Errorf("redlite: durability must be normal or full, not %q", s)
}

func (d Durability) String() string {
	if d == DurabilityFull {
		return "full"
	}
	return "normal"
}

// Options configure Open.
type Options struct {
	// Path is the database file, or ":memory:" for a private in-memory store.
	Path string
	// Durability defaults to DurabilityNormal.
	Durability Durability
	// CacheMB is the writer connection's SQLite page cache in MiB (default
	// 16): the pages a write transaction touches, and those writes come back
	// to, stay in it.
	CacheMB int
	// ReaderCacheMB is the page cache of each reader connection in MiB
	// (default 8). Beyond the hot pages, reads lean on the OS's page cache:
	// in WAL mode a reader drops its whole cache whenever another
	// connection has committed, and GET latency at 1M and 10M keys is the
	// same with 2 MiB as with 64 (bench/SCALE.md), while 64 MiB per reader
	// held a server at 290 MB. 8 MiB holds a hot set of about 100,000 small
	// keys (redis-benchmark's -r 100000: GET -P 16 used 25% less CPU than
	// with 4 MiB, bench/PROFILE.md), and the pool hands out the idle reader
	// in its lowest slot, so under light load only one or two readers fill
	// theirs.
	ReaderCacheMB int
	// ReaderMmapMB, when above 0, lets each reader connection read the
	// first that many MiB of the file through a memory map (SQLite's
	// mmap_size) instead of copying pages into its cache with a system call
	// each. Reads cost less, most where the file outgrows the reader cache
	// and where writes keep emptying it (a reader drops its cache after
	// every commit by another connection): GET -P 16 used 30% less CPU in
	// bench/PROFILE.md. The mapped pages are the OS page cache, not extra
	// memory, but they count in the process' resident set (once per
	// reader), and an I/O error while reading the map is a SIGBUS instead
	// of an error reply, so it is off by default.
	ReaderMmapMB int
	// Readers is the number of read connections (default 4). Ignored in memory.
	Readers int
	// BusyTimeout is how long a write waits for another process holding the
	// file's write lock before failing (default 30s).
	BusyTimeout time.Duration
	// SweepInterval is how often expired keys are removed (default 100ms).
	SweepInterval time.Duration
}

// MemoryPath opens a private in-memory database.
const MemoryPath = ":memory:"

// ErrClosed is returned for any use of a closed DB.
var ErrClosed = errors.New("redlite: database is closed")

// DB is an open redlite database: one SQLite file (or memory), one writer
// connection and a pool of readers. It is safe for concurrent use.
type DB struct {
	opts    Options
	memory  bool
	w       *writer
	readers *readerPool
	// readEpoch moves on when readers must not keep their read
	// transactions (warmread.go): a reader whose epoch is behind begins a
	// new one.
	readEpoch atomic.Uint64
	coldReads atomic.Int32 // while above 0 readers end their read transaction after each command
	all       []*sqlConn

	closeMu   sync.RWMutex // held for reading by every operation, for writing by Close
	closed    bool
	closing   chan struct{} // closed when Close starts: blocked commands return
	closeOnce sync.Once

	stopSweep chan struct{}
	sweepDone chan struct{}

	eventGates
	events  eventSink
	waiters waitRegistry
	ckpt    *checkpointer // nil in memory
	hub     *pubsubHub    // pub/sub subscriptions of this process
	watched watchRegistry
	xp      *crossProc    // wake-ups and messages from other processes
	mhash   memberHashKey // the file's key for set and sorted set member hashes

	Config *Config
	stats  Stats

	clients      clientRegistry
	nextClientID atomic.Int64
	compileOpts  map[string]bool
	startTime    time.Time
	runID        string

	hooks         atomic.Pointer[ServerHooks]
	lastSave      atomic.Int64 // unix seconds of the last checkpoint
	bgsaveRunning atomic.Bool
}

// Stats are counters INFO reports.
type Stats struct {
	commands    atomic.Int64
	expiredKeys atomic.Int64
	hits        atomic.Int64
	misses      atomic.Int64
}

// Open opens or creates a database.
func Open(opts Options) (*DB, error) {
	if opts.Path == "" {
		return nil, errors.New("redlite: a path (or :memory:) is required")
	}
	if opts.CacheMB <= 0 {
		opts.CacheMB = 16
	}
	if opts.ReaderCacheMB <= 0 {
		opts.ReaderCacheMB = 8
	}
	if opts.Readers <= 0 {
		opts.Readers = 4
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 30 * time.Second
	}
	if opts.SweepInterval <= 0 {
		opts.SweepInterval = 100 * time.Millisecond
	}
	db := &DB{
		opts:      opts,
		memory:    opts.Path == MemoryPath,
		stopSweep: make(chan struct{}),
		closing:   make(chan struct{}),
		sweepDone: make(chan struct{}),
		startTime: time.Now(),
	}
	db.Config = newConfig(db)
	db.hub = newHub(db)
	db.events = db.hub
	db.xp = newCrossProc(db)
	db.runID = newRunID()
	db.lastSave.Store(db.startTime.Unix())
	if err := db.openConns(); err != nil {
		db.closeConns()
		return nil, err
	}
	go db.sweepLoop()
	db.xp.start()
	return db, nil
}

func newRunID() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// dsn opens connections without SQLite's per-connection mutex (mattn's
// default is SQLITE_OPEN_FULLMUTEX): every sqlConn is used by one goroutine
// at a time, so the lock and unlock around each of the several API calls a
// statement makes bought nothing.
func (db *DB) dsn() string {
	if db.memory {
		return MemoryPath + "?_mutex=no"
	}
	return "file:" + (&url.URL{Path: db.opts.Path}).EscapedPath() + "?_mutex=no"
}

// pragmas configures a connection with a page cache of cacheMB MiB.
func (db *DB) pragmas(cacheMB int) string {
	sync := "NORMAL"
	if db.opts.Durability == DurabilityFull {
		sync = "FULL"
	}
	return fmt.Sprintf(`PRAGMA busy_timeout = %d; PRAGMA synchronous = %s; PRAGMA cache_size = -%d; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;`,
		db.opts.BusyTimeout.Milliseconds(), sync, cacheMB*1024)
}

func (db *DB) openConns() error {
	wc, err := openSQLConn(db.dsn())
	if err != nil {
		return fmt.Errorf("redlite: open %s: %w", db.opts.Path, err)
	}
	db.all = append(db.all, wc)
	if err := wc.execScript(db.pragmas(db.opts.CacheMB)); err != nil {
		return fmt.Errorf("redlite: configure %s: %w", db.opts.Path, err)
	}
	if !db.memory {
		if err := wc.execScript(`PRAGMA journal_mode = WAL`); err != nil {
			return fmt.Errorf("redlite: enable WAL on %s: %w", db.opts.Path, err)
		}
	}
	if err := registerMemberHash(wc); err != nil {
		return fmt.Errorf("redlite: register functions: %w", err)
	}
	if err := migrate(wc); err != nil {
		return err
	}
	if db.mhash, err = loadMemberHashKey(wc); err != nil {
		return err
	}
	if db.compileOpts, err = readCompileOptions(wc); err != nil {
		return err
	}
	db.w = newWriter(wc)
	if db.memory {
		// A private in-memory database lives in one connection; reads are
		// served by the writer connection under its lock.
		return nil
	}
	// The writer leaves checkpoints to the background checkpointer.
	if err := wc.execScript(`PRAGMA wal_autocheckpoint = 0`); err != nil {
		return err
	}
	cc, err := openSQLConn(db.dsn())
	if err != nil {
		return fmt.Errorf("redlite: open checkpointer: %w", err)
	}
	db.all = append(db.all, cc)
	// A checkpoint copies WAL frames without the page cache: the
	// checkpointer needs no more than a reader.
	if err := cc.execScript(db.pragmas(db.opts.ReaderCacheMB)); err != nil {
		return err
	}
	db.readers = newReaderPool(db.opts.Readers)
	for i := 0; i < db.opts.Readers; i++ {
		rc, err := openSQLConn(db.dsn())
		if err != nil {
			return fmt.Errorf("redlite: open reader: %w", err)
		}
		db.all = append(db.all, rc)
		if err := rc.execScript(db.pragmas(db.opts.ReaderCacheMB)); err != nil {
			return err
		}
		if db.opts.ReaderMmapMB > 0 {
			if err := rc.execScript(fmt.Sprintf(`PRAGMA mmap_size = %d`, int64(db.opts.ReaderMmapMB)<<20)); err != nil {
				return err
			}
		}
		if rc.warm, err = newWarmRead(rc); err != nil {
			return err
		}
		db.readers.put(rc)
	}
	// Started last: each of its rounds cools the readers (warmread.go).
	db.startCheckpointer(cc)
	return nil
}

func readCompileOptions(c *sqlConn) (map[string]bool, error) {
	r, err := c.query(`PRAGMA compile_options`)
	if err != nil {
		return nil, err
	}
	opts := map[string]bool{}
	for r.next() {
		opts[string(r.bytes(0))] = true
	}
	return opts, r.close()
}

// RequireSQLiteFeature returns a clear error when the SQLite linked into this
// build lacks a module a feature needs. feature is a compile option such as
// "ENABLE_FTS5", "ENABLE_RTREE" or "ENABLE_MATH_FUNCTIONS".
func (db *DB) RequireSQLiteFeature(feature string) error {
	if db.compileOpts[feature] {
		return nil
	}
	return fmt.Errorf("ERR this redlite build's SQLite lacks %s; rebuild with the tags in scripts/buildtags (make build)", feature)
}

func (db *DB) closeConns() {
	for _, c := range db.all {
		_ = c.close()
	}
	db.all = nil
}

// Close stops background work, waits for running commands and closes the
// file. Every acknowledged write is already committed.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.closing) })
	db.xp.shutdown() // while writes still work: it removes this process' signal rows
	db.closeMu.Lock()
	if db.closed {
		db.closeMu.Unlock()
		return ErrClosed
	}
	db.closed = true
	db.closeMu.Unlock()
	close(db.stopSweep)
	<-db.sweepDone
	if db.ckpt != nil {
		db.ckpt.shutdown()
	}
	db.w.acquire()
	defer db.w.release()
	if !db.memory {
		// Fold the WAL into the main file so the file is complete on its own.
		db.coolReaders()
		_ = db.w.conn.execScript(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	db.closeConns()
	return nil
}

// Path is the database file path.
func (db *DB) Path() string { return db.opts.Path }

// Closing is closed when Close begins, so embedded callers waiting outside
// a command (a binding's subscription loop) can stop with the DB.
func (db *DB) Closing() <-chan struct{} { return db.closing }

// enter marks the start of an operation; it fails once Close has begun.
func (db *DB) enter() bool {
	db.closeMu.RLock()
	if db.closed {
		db.closeMu.RUnlock()
		return false
	}
	return true
}

func (db *DB) leave() { db.closeMu.RUnlock() }

var errClosedReply = resp.Err("ERR " + ErrClosed.Error())

// write runs fn as a write command (group-committed).
func (db *DB) write(tx *Tx, fn func(*Tx) resp.Value) resp.Value {
	v := db.w.run(tx, fn)
	return v
}

// read runs fn on a reader connection, inside a read transaction on the
// newest commit: all of a handler's statements see one state of the
// database. The reader keeps the transaction for its next command while
// nothing is committed (warmread.go).
func (db *DB) read(tx *Tx, fn func(*Tx) resp.Value) resp.Value {
	if db.memory {
		return db.w.run(tx, fn)
	}
	c := db.readers.take()
	defer func() {
		if db.coldReads.Load() > 0 {
			_ = c.warm.end()
		}
		db.readers.put(c)
	}()
	if err := c.warm.fresh(db.readEpoch.Load()); err != nil {
		_ = c.warm.end()
		return storageError(err)
	}
	tx.attach(c, false)
	v := runGuarded(tx, fn)
	if tx.err != nil {
		_ = c.warm.end()
	}
	return v
}
