// Package redlite is a Redis-compatible data store embedded in your Go
// program: Redis' commands and data types, kept in one SQLite file (or in
// memory), with no server to run.
//
//	db, err := redlite.Open("app.db")
//	...
//	err = db.Set(ctx, "greeting", "hello", redlite.EX(time.Hour))
//	v, err := db.Get(ctx, "greeting")
//
// The API follows go-redis: methods are named after the commands, take a
// context first and return (value, error); a missing value is the Nil error
// (errors.Is(err, redlite.Nil)); an error reply is an *Error carrying the
// Redis code (WRONGTYPE, ERR, BUSYGROUP...), matched with errors.Is against
// ErrWrongType and friends. Do runs any command by name. Keys and values are
// bytes: a Go string holds any bytes, and GetBytes and friends return them
// unconverted. Values given as any are converted as go-redis converts them
// (numbers in decimal, bool as 1/0, encoding.BinaryMarshaler...).
//
// # Durability
//
// Every command is atomic: its writes commit in one SQLite transaction
// before the call returns, so nothing is acknowledged uncommitted. With the
// default DurabilityNormal (SQLite's WAL mode with synchronous=NORMAL) an
// acknowledged write survives a crash of the process; the last commits
// before a power loss or an operating system crash may be lost, which is
// the promise of Redis' appendfsync everysec. WithDurability(DurabilityFull)
// fsyncs every commit: nothing acknowledged is lost even on power loss, at
// the cost of an fsync per commit (concurrent writers share commits). A
// Memory database keeps nothing after Close.
//
// # Concurrency
//
// A DB is safe for concurrent use by any number of goroutines; open it once
// and share it. Each call borrows a session from a pool, so calls never see
// each other's connection state. Reads run in parallel on a pool of SQLite
// readers (WithReaders) and see the last committed state (a reader keeps
// its read transaction while nothing is committed, so a read on an
// unchanged file takes no lock); writes go through
// one writer that commits concurrent calls together. Several processes may
// open the same file: writes are serialized by SQLite's lock (waiting up to
// WithBusyTimeout), and WATCH notices changes made by any of them.
//
// DB.Tx runs a function inside one SQLite write transaction: all of it
// commits or none of it, and other connections and processes see all of it
// or none of it. DB.Watch gives go-redis' optimistic transactions
// (WATCH/MULTI/EXEC): TxPipelined fails with TxFailedErr, writing nothing,
// when a watched key changed. A Tx and a Conn belong to one goroutine at a
// time; a PubSub is safe for concurrent use.
//
// Pub/sub works within the process and across processes: Publish reaches
// the subscribers of every process that has the file open. A PubSub's
// messages are never dropped silently; a subscriber that falls behind past
// client-output-buffer-limit pubsub loses its subscriptions and is told so
// (PubSub.Err), as Redis disconnects such a client.
//
// Blocking commands (BLPop, BLMove, XRead with Block...) wait for data up to
// their timeout, and stop early with the context's error when the context
// is cancelled or its deadline passes. Other commands check the context
// only before they start: a command, once running, completes.
package redlite
