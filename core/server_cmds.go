package core

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Server-group commands: INFO, TIME, SAVE, FLUSHDB, DBSIZE, SHUTDOWN...

// ServerHooks connect server-only commands to the network server. Embedded
// use leaves them nil and those commands answer an error.
type ServerHooks struct {
	// Info adds server-side lines ("tcp_port:6379") to an INFO section.
	Info func(section string) []string
	// Shutdown stops the server after the reply; it reports an error text
	// when it cannot.
	Shutdown func() error
}

func init() {
	const g = "server"
	register(
		&Command{Name: "info", ACL: "slow dangerous", Arity: -1, Flags: FlagLoading | FlagStale, Exec: ExecRead, Group: g,
			Summary: "Returns information and statistics about the server.", Since: "1.0.0", Complexity: "O(1)", Run: cmdInfo},
		&Command{Name: "time", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, Group: g,
			Summary: "Returns the server time.", Since: "2.6.0", Complexity: "O(1)", Run: cmdTime},
		&Command{Name: "lastsave", ACL: "admin fast dangerous", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast, Group: g,
			Summary: "Returns the Unix timestamp of the last successful save to disk.", Since: "1.0.0", Complexity: "O(1)",
			Run: func(c *Call) resp.Value { return resp.IntValue(c.store.lastSave.Load()) }},
		&Command{Name: "save", Arity: 1, Flags: FlagAdmin | FlagNoScript | FlagNoMulti | FlagNoAsyncLoading, Group: g,
			Summary: "Synchronously saves the database(s) to disk.", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of keys in all databases",
			Note:       "Every write is already durable in SQLite; SAVE checkpoints the WAL into the main file.",
			Run:        cmdSave},
		&Command{Name: "bgsave", Arity: -1, Flags: FlagAdmin | FlagNoScript | FlagNoAsyncLoading, Group: g,
			Summary: "Asynchronously saves the database(s) to disk.", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of keys in all databases",
			Note:       "Checkpoints the WAL in the background.", Run: cmdBgSave},
		&Command{Name: "shutdown", Arity: -1, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale | FlagNoMulti | FlagAllowBusy, Group: g,
			Summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.", Since: "1.0.0",
			Complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
			Run:        cmdShutdown},
		&Command{Name: "dbsize", ACL: "keyspace read fast", Arity: 1, Flags: FlagReadOnly | FlagFast, Group: g,
			Summary: "Returns the number of keys in the database.", Since: "1.0.0", Complexity: "O(1)", Run: cmdDBSize},
		&Command{Name: "flushdb", ACL: "keyspace write slow dangerous", Arity: -1, Flags: FlagWrite, Group: g,
			Summary: "Remove all keys from the current database.", Since: "1.0.0",
			Complexity: "O(N) where N is the number of keys in the selected database", Run: cmdFlushDB},
		&Command{Name: "flushall", ACL: "keyspace write slow dangerous", Arity: -1, Flags: FlagWrite, Group: g,
			Summary: "Removes all keys from all databases.", Since: "1.0.0",
			Complexity: "O(N) where N is the total number of keys in all databases", Run: cmdFlushAll},
		&Command{Name: "swapdb", ACL: "keyspace write fast dangerous", Arity: 3, Flags: FlagWrite | FlagFast, Group: g,
			Summary: "Swaps two Redis databases.", Since: "4.0.0",
			Complexity: "O(N) where N is the number of keys in both databases",
			Note:       "redlite rewrites the database index of every key of both databases: O(N), not Redis' O(1).",
			Run:        cmdSwapDB},
	)
}

func cmdTime(c *Call) resp.Value {
	now := time.Now()
	return resp.ArrayValue([]resp.Value{
		resp.BulkString(strconv.FormatInt(now.Unix(), 10)),
		resp.BulkString(strconv.FormatInt(int64(now.Nanosecond()/1000), 10)),
	})
}

// Checkpoint folds the WAL into the main database file (SAVE).
func (db *DB) Checkpoint() error {
	if db.memory {
		db.lastSave.Store(time.Now().Unix())
		return nil
	}
	if !db.enter() {
		return ErrClosed
	}
	defer db.leave()
	err := db.withColdReaders(func() error {
		return db.w.exclusive(func(c *sqlConn) error { return c.execScript(`PRAGMA wal_checkpoint(TRUNCATE)`) })
	})
	if err == nil {
		db.lastSave.Store(time.Now().Unix())
	}
	return err
}

func cmdSave(c *Call) resp.Value {
	if err := c.S.store.Checkpoint(); err != nil {
		return resp.Err("ERR " + err.Error())
	}
	return resp.OK()
}

func cmdBgSave(c *Call) resp.Value {
	if len(c.Args) > 2 || (len(c.Args) == 2 && !eqFold(c.Args[1], "SCHEDULE")) {
		return errSyntax
	}
	db := c.S.store
	if !db.bgsaveRunning.CompareAndSwap(false, true) {
		return resp.Err("ERR Background save already in progress")
	}
	go func() {
		defer db.bgsaveRunning.Store(false)
		_ = db.Checkpoint()
	}()
	return resp.StatusValue("Background saving started")
}

func cmdShutdown(c *Call) resp.Value {
	for _, a := range c.Args[1:] {
		if !eqFold(a, "NOSAVE") && !eqFold(a, "SAVE") && !eqFold(a, "NOW") && !eqFold(a, "FORCE") && !eqFold(a, "ABORT") {
			return errSyntax
		}
	}
	h := c.S.store.hooks.Load()
	if h == nil || h.Shutdown == nil {
		return resp.Err("ERR SHUTDOWN is only available when redlite runs as a server")
	}
	if err := h.Shutdown(); err != nil {
		return resp.Err("ERR " + err.Error())
	}
	// Like Redis, a successful SHUTDOWN answers nothing: the connection
	// closes as the server stops.
	c.S.replyOff = replySkipThis
	c.S.Closing = true
	return resp.OK()
}

// SetServerHooks connects server-only commands to a network server.
func (db *DB) SetServerHooks(h *ServerHooks) { db.hooks.Store(h) }

func cmdDBSize(c *Call) resp.Value {
	return resp.IntValue(c.queryInt(`SELECT keys FROM keyspace_counts WHERE db = ?`, 0, c.DB))
}

func flushArgs(c *Call) (resp.Value, bool) {
	if len(c.Args) > 2 || (len(c.Args) == 2 && !eqFold(c.Args[1], "ASYNC") && !eqFold(c.Args[1], "SYNC")) {
		return errSyntax, false
	}
	return resp.Value{}, true
}

func cmdFlushDB(c *Call) resp.Value {
	if errv, ok := flushArgs(c); !ok {
		return errv
	}
	c.exec(`DELETE FROM keys WHERE db = ?`, c.DB)
	c.flushed()
	return resp.OK()
}

func cmdFlushAll(c *Call) resp.Value {
	if errv, ok := flushArgs(c); !ok {
		return errv
	}
	c.exec(`DELETE FROM keys`)
	c.flushed()
	return resp.OK()
}

// flushed wakes every blocked client after a flush, so they re-check their
// keys (and keep waiting, since the keys are gone).
func (tx *Tx) flushed() {
	store := tx.store
	if store.blockedWaiters.Load() > 0 {
		tx.afterCommit(func() { store.waiters.signal(-1, "") })
	}
}

func cmdSwapDB(c *Call) resp.Value {
	a, ok1 := ParseInt(c.Args[1])
	b, ok2 := ParseInt(c.Args[2])
	if !ok1 {
		return resp.Err("ERR invalid first DB index")
	}
	if !ok2 {
		return resp.Err("ERR invalid second DB index")
	}
	if a < 0 || a >= NumDatabases || b < 0 || b >= NumDatabases {
		return resp.Err("ERR DB index is out of range")
	}
	if a != b {
		c.exec(`UPDATE keys SET db = CASE db WHEN ? THEN ? ELSE ? END WHERE db IN (?, ?)`, a, b, a, a, b)
		c.flushed()
	}
	return resp.OK()
}

// info sections in Redis' order; "default" and "all" select them all.
var infoSections = []string{"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"}

func cmdInfo(c *Call) resp.Value {
	want := map[string]bool{}
	all := len(c.Args) == 1
	for _, a := range c.Args[1:] {
		s := strings.ToLower(string(a))
		if s == "all" || s == "everything" || s == "default" {
			all = true
		}
		want[s] = true
	}
	var sb strings.Builder
	for _, sec := range infoSections {
		if !all && !want[sec] {
			continue
		}
		if sec == "modules" || sec == "errorstats" {
			if !want[sec] && !want["everything"] && !want["all"] {
				continue
			}
		}
		if sb.Len() > 0 {
			sb.WriteString("\r\n")
		}
		sb.WriteString("# " + strings.ToUpper(sec[:1]) + sec[1:] + "\r\n")
		for _, line := range c.infoSection(sec) {
			sb.WriteString(line)
			sb.WriteString("\r\n")
		}
	}
	return resp.Value{Kind: resp.Verbatim, Str: []byte(sb.String())}
}

func (c *Call) infoSection(sec string) []string {
	db := c.S.store
	var lines []string
	add := func(k string, v any) { lines = append(lines, fmt.Sprintf("%s:%v", k, v)) }
	switch sec {
	case "server":
		up := time.Since(db.startTime)
		exe, _ := os.Executable()
		add("redis_version", RedisVersion)
		add("redlite_version", Version)
		add("redis_git_sha1", "00000000")
		add("redis_git_dirty", 0)
		add("redis_mode", "standalone")
		add("os", runtime.GOOS+" "+runtime.GOARCH)
		add("arch_bits", strconv.IntSize)
		add("multiplexing_api", "goroutines")
		add("go_version", runtime.Version())
		add("process_id", os.Getpid())
		add("run_id", db.runID)
		add("server_time_usec", time.Now().UnixMicro())
		add("uptime_in_seconds", int64(up.Seconds()))
		add("uptime_in_days", int64(up.Hours()/24))
		add("executable", exe)
		add("config_file", "")
	case "clients":
		blocked := db.blockedWaiters.Load()
		add("connected_clients", db.clients.count())
		add("maxclients", db.Config.MaxClients())
		add("blocked_clients", blocked)
	case "memory":
		db.memoryInfo(add)
	case "persistence":
		add("loading", 0)
		add("async_loading", 0)
		add("rdb_changes_since_last_save", 0)
		add("rdb_bgsave_in_progress", boolInt(db.bgsaveRunning.Load()))
		add("rdb_last_save_time", db.lastSave.Load())
		add("rdb_last_bgsave_status", "ok")
		add("aof_enabled", 0)
		add("redlite_storage", map[bool]string{true: "memory", false: "sqlite"}[db.memory])
		add("redlite_db_path", db.opts.Path)
		add("redlite_durability", db.opts.Durability.String())
		add("redlite_schema_version", SchemaVersion())
		if !db.memory {
			add("redlite_db_file_bytes", fileSize(db.opts.Path))
			add("redlite_wal_file_bytes", fileSize(db.opts.Path+"-wal"))
		}
	case "stats":
		add("total_connections_received", db.nextClientID.Load())
		add("total_commands_processed", db.stats.commands.Load())
		add("expired_keys", db.stats.expiredKeys.Load())
		add("evicted_keys", 0)
		add("keyspace_hits", db.stats.hits.Load())
		add("keyspace_misses", db.stats.misses.Load())
		channels, patterns, shards := db.hub.sizes()
		add("pubsub_channels", channels)
		add("pubsub_patterns", patterns)
		add("pubsubshard_channels", shards)
	case "replication":
		add("role", "master")
		add("connected_slaves", 0)
		add("master_failover_state", "no-failover")
		add("master_replid", db.runID)
		add("master_repl_offset", 0)
	case "cpu":
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
			add("used_cpu_sys", fmt.Sprintf("%.6f", float64(ru.Stime.Sec)+float64(ru.Stime.Usec)/1e6))
			add("used_cpu_user", fmt.Sprintf("%.6f", float64(ru.Utime.Sec)+float64(ru.Utime.Usec)/1e6))
		}
	case "cluster":
		add("cluster_enabled", 0)
	case "keyspace":
		type dbStat struct{ keys, expires int64 }
		stats := map[int64]*dbStat{}
		c.query(`SELECT db, keys FROM keyspace_counts WHERE keys > 0 ORDER BY db`, nil, func(r *rows) bool {
			stats[r.int(0)] = &dbStat{keys: r.int(1)}
			return true
		})
		c.query(sqlExpiresPerDB, nil, func(r *rows) bool {
			if st := stats[r.int(0)]; st != nil {
				st.expires = r.int(1)
			}
			return true
		})
		for i := int64(0); i < NumDatabases; i++ {
			if st := stats[i]; st != nil {
				lines = append(lines, fmt.Sprintf("db%d:keys=%d,expires=%d,avg_ttl=0", i, st.keys, st.expires))
			}
		}
	}
	if h := db.hooks.Load(); h != nil && h.Info != nil {
		lines = append(lines, h.Info(sec)...)
	}
	return lines
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sqlExpiresPerDB counts the keys with a TTL per database (INFO keyspace).
// INDEXED BY: left to itself the planner groups by walking keys_db_key,
// reading every key (most of a second at 10M keys, and a reader's page
// cache filled) to count the few that expire.
const sqlExpiresPerDB = `SELECT db, count(*) FROM keys INDEXED BY keys_expire WHERE expire_at IS NOT NULL GROUP BY db`

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2fG", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.2fM", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.2fK", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}
