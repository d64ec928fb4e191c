package core

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redlite/redlite/core/resp"
)

// Config holds the parameters CONFIG GET/SET expose. It covers what clients,
// GUI tools and job queues probe at connect time, plus the limits redlite
// enforces. Values are kept as Redis prints them; hot ones are mirrored in
// atomics so the request path never takes a lock.
type Config struct {
	db   *DB
	mu   sync.RWMutex
	vals map[string]string

	maxBulk      atomic.Int64
	maxQueryBuf  atomic.Int64
	maxClients   atomic.Int64
	idleTimeout  atomic.Int64 // seconds, 0 = never
	outputLimits atomic.Pointer[OutputLimits]
}

// OutputLimits are the client-output-buffer-limit classes, in bytes. The
// replica class has no clients in redlite: it is kept to be printed back.
type OutputLimits struct {
	NormalHard, NormalSoft, NormalSoftSeconds    int64
	PubSubHard, PubSubSoft, PubSubSoftSeconds    int64
	ReplicaHard, ReplicaSoft, ReplicaSoftSeconds int64
}

type configKind uint8

const (
	cfgString configKind = iota
	cfgInt
	cfgBool
	cfgMemory
	cfgEnum
	cfgSpecial
)

type configParam struct {
	name      string
	kind      configKind
	def       string
	min, max  int64
	enum      []string
	immutable bool // can be read, not set at runtime
	protected bool // touches the file system: refused
	apply     func(c *Config, v string)
	validate  func(v string) error
}

// configParams lists every parameter. Parameters that only make sense for an
// in-memory Redis (maxmemory, eviction) are accepted and reported so tools
// work, and documented as having no effect.
var configParams = []*configParam{
	{name: "bind", kind: cfgString, def: "127.0.0.1", immutable: true},
	{name: "port", kind: cfgInt, def: "6379", immutable: true},
	{name: "databases", kind: cfgInt, def: "16", immutable: true},
	{name: "dir", kind: cfgString, def: ".", protected: true},
	{name: "dbfilename", kind: cfgString, def: "redlite.db", protected: true},
	{name: "requirepass", kind: cfgString, def: ""},
	{name: "protected-mode", kind: cfgBool, def: "yes"},
	{name: "maxclients", kind: cfgInt, def: "10000", min: 1, max: math.MaxUint32,
		apply: func(c *Config, v string) { n, _ := strconv.ParseInt(v, 10, 64); c.maxClients.Store(n) }},
	{name: "timeout", kind: cfgInt, def: "0", min: 0, max: math.MaxInt32,
		apply: func(c *Config, v string) { n, _ := strconv.ParseInt(v, 10, 64); c.idleTimeout.Store(n) }},
	{name: "tcp-keepalive", kind: cfgInt, def: "300", min: 0, max: 1 << 31},
	{name: "proto-max-bulk-len", kind: cfgMemory, def: "536870912", min: 1 << 20, max: math.MaxInt64,
		apply: func(c *Config, v string) { n, _ := parseMemory(v); c.maxBulk.Store(n) }},
	{name: "client-query-buffer-limit", kind: cfgMemory, def: "1073741824", min: 1 << 20, max: math.MaxInt64,
		apply: func(c *Config, v string) { n, _ := parseMemory(v); c.maxQueryBuf.Store(n) }},
	{name: "client-output-buffer-limit", kind: cfgSpecial, def: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
		validate: validateOutputLimits, apply: applyOutputLimits},
	{name: "notify-keyspace-events", kind: cfgSpecial, def: "", validate: validateNotifyFlags, apply: applyNotifyFlags},
	{name: "maxmemory", kind: cfgMemory, def: "0", min: 0, max: 1 << 62},
	{name: "maxmemory-policy", kind: cfgEnum, def: "noeviction",
		enum: []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}},
	{name: "maxmemory-samples", kind: cfgInt, def: "5", min: 1, max: 64},
	{name: "appendonly", kind: cfgBool, def: "no", immutable: true},
	{name: "appendfsync", kind: cfgEnum, def: "everysec", enum: []string{"always", "everysec", "no"}, immutable: true},
	{name: "save", kind: cfgString, def: ""},
	{name: "hz", kind: cfgInt, def: "10", min: 1, max: 500},
	{name: "loglevel", kind: cfgEnum, def: "notice", enum: []string{"debug", "verbose", "notice", "warning", "nothing"}},
	{name: "logfile", kind: cfgString, def: "", immutable: true},
	{name: "slowlog-log-slower-than", kind: cfgInt, def: "10000", min: -1, max: 1 << 62},
	{name: "slowlog-max-len", kind: cfgInt, def: "128", min: 0, max: 1 << 31},
	{name: "latency-tracking", kind: cfgBool, def: "yes"},
	{name: "lua-time-limit", kind: cfgInt, def: "5000", min: 0, max: 1 << 62},
	{name: "busy-reply-threshold", kind: cfgInt, def: "5000", min: 0, max: 1 << 62},
	{name: "cluster-enabled", kind: cfgBool, def: "no", immutable: true},
	{name: "io-threads", kind: cfgInt, def: "1", immutable: true},
	{name: "lfu-log-factor", kind: cfgInt, def: "10", min: 0, max: 1 << 31},
	{name: "lfu-decay-time", kind: cfgInt, def: "1", min: 0, max: 1 << 31},
	{name: "hash-max-listpack-entries", kind: cfgInt, def: "512", min: 0, max: 1 << 62},
	{name: "hash-max-listpack-value", kind: cfgInt, def: "64", min: 0, max: 1 << 62},
	{name: "hash-max-ziplist-entries", kind: cfgInt, def: "512", min: 0, max: 1 << 62},
	{name: "hash-max-ziplist-value", kind: cfgInt, def: "64", min: 0, max: 1 << 62},
	{name: "list-max-listpack-size", kind: cfgInt, def: "-2", min: -5, max: 1 << 31},
	{name: "list-max-ziplist-size", kind: cfgInt, def: "-2", min: -5, max: 1 << 31},
	{name: "set-max-intset-entries", kind: cfgInt, def: "512", min: 0, max: 1 << 62},
	{name: "zset-max-listpack-entries", kind: cfgInt, def: "128", min: 0, max: 1 << 62},
	{name: "zset-max-listpack-value", kind: cfgInt, def: "64", min: 0, max: 1 << 62},
	{name: "zset-max-ziplist-entries", kind: cfgInt, def: "128", min: 0, max: 1 << 62},
	{name: "zset-max-ziplist-value", kind: cfgInt, def: "64", min: 0, max: 1 << 62},
	{name: "stream-node-max-bytes", kind: cfgMemory, def: "4096", min: 0, max: 1 << 62},
	{name: "stream-node-max-entries", kind: cfgInt, def: "100", min: 0, max: 1 << 62},
	{name: "lazyfree-lazy-user-del", kind: cfgBool, def: "no"},
	{name: "lazyfree-lazy-user-flush", kind: cfgBool, def: "no"},
	{name: "active-expire-effort", kind: cfgInt, def: "1", min: 1, max: 10},
	{name: "replica-read-only", kind: cfgBool, def: "yes"},
	{name: "slave-read-only", kind: cfgBool, def: "yes"},
}

var configByName = func() map[string]*configParam {
	m := make(map[string]*configParam, len(configParams))
	for _, p := range configParams {
		m[p.name] = p
	}
	return m
}()

func newConfig(db *DB) *Config {
	c := &Config{db: db, vals: make(map[string]string, len(configParams))}
	for _, p := range configParams {
		c.vals[p.name] = p.def
		if p.apply != nil {
			p.apply(c, p.def)
		}
	}
	return c
}

// Get returns a parameter's value and whether it exists.
func (c *Config) Get(name string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.vals[strings.ToLower(name)]
	return v, ok
}

// Set changes a parameter, validating it first. Startup code (the server's
// flags) may set immutable parameters; CONFIG SET may not.
func (c *Config) Set(name, value string) error {
	return c.set(strings.ToLower(name), value, true)
}

func (c *Config) set(name, value string, startup bool) error {
	p := configByName[name]
	if p == nil {
		return fmt.Errorf("ERR Unknown option or number of arguments for CONFIG SET - '%s'", name)
	}
	if !startup && (p.immutable || p.protected) {
		return fmt.Errorf("ERR CONFIG SET failed (possibly related to argument '%s') - can't set protected config", name)
	}
	norm, err := p.normalize(value)
	if err != nil {
		return fmt.Errorf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", name, err.Error())
	}
	c.mu.Lock()
	c.vals[name] = norm
	c.mu.Unlock()
	if p.apply != nil {
		p.apply(c, norm)
	}
	return nil
}

func (p *configParam) normalize(v string) (string, error) {
	if p.validate != nil {
		if err := p.validate(v); err != nil {
			return "", err
		}
	}
	switch p.kind {
	case cfgInt:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", fmt.Errorf("argument couldn't be parsed into an integer")
		}
		if n < p.min || n > p.max {
			return "", fmt.Errorf("argument must be between %d and %d inclusive", p.min, p.max)
		}
		return strconv.FormatInt(n, 10), nil
	case cfgMemory:
		n, err := parseMemory(v)
		if err != nil {
			return "", fmt.Errorf("argument must be a memory value")
		}
		if n < p.min || n > p.max {
			return "", fmt.Errorf("argument must be between %d and %d inclusive", p.min, p.max)
		}
		return strconv.FormatInt(n, 10), nil
	case cfgBool:
		switch strings.ToLower(v) {
		case "yes":
			return "yes", nil
		case "no":
			return "no", nil
		}
		return "", fmt.Errorf("argument must be 'yes' or 'no'")
	case cfgEnum:
		for _, e := range p.enum {
			if strings.EqualFold(e, v) {
				return e, nil
			}
		}
		return "", fmt.Errorf("argument(s) must be one of the following: %s", strings.Join(p.enum, ", "))
	}
	return v, nil
}

// parseMemory reads "100", "1kb", "5mb", "2gb" (and k/m/g as powers of 1000).
func parseMemory(v string) (int64, error) {
	s := strings.ToLower(v)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kb", 1024}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"k", 1000}, {"m", 1000000}, {"g", 1000000000}, {"b", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("bad memory value %q", v)
	}
	return n * mult, nil
}

func validateOutputLimits(v string) error {
	f := strings.Fields(v)
	if len(f)%4 != 0 {
		return fmt.Errorf("Wrong number of arguments in buffer limit configuration.")
	}
	for i := 0; i < len(f); i += 4 {
		switch strings.ToLower(f[i]) {
		case "normal", "slave", "replica", "pubsub":
		default:
			return fmt.Errorf("Invalid client class specified in buffer limit configuration.")
		}
		for _, x := range f[i+1 : i+4] {
			if _, err := parseMemory(x); err != nil {
				return fmt.Errorf("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
			}
		}
	}
	return nil
}

func applyOutputLimits(c *Config, v string) {
	cur := OutputLimits{}
	if old := c.outputLimits.Load(); old != nil {
		cur = *old
	} else {
		cur = OutputLimits{PubSubHard: 32 << 20, PubSubSoft: 8 << 20, PubSubSoftSeconds: 60,
			ReplicaHard: 256 << 20, ReplicaSoft: 64 << 20, ReplicaSoftSeconds: 60}
	}
	f := strings.Fields(v)
	for i := 0; i+3 < len(f); i += 4 {
		hard, _ := parseMemory(f[i+1])
		soft, _ := parseMemory(f[i+2])
		secs, _ := strconv.ParseInt(f[i+3], 10, 64)
		switch strings.ToLower(f[i]) {
		case "normal":
			cur.NormalHard, cur.NormalSoft, cur.NormalSoftSeconds = hard, soft, secs
		case "pubsub":
			cur.PubSubHard, cur.PubSubSoft, cur.PubSubSoftSeconds = hard, soft, secs
		case "slave", "replica":
			cur.ReplicaHard, cur.ReplicaSoft, cur.ReplicaSoftSeconds = hard, soft, secs
		}
	}
	c.outputLimits.Store(&cur)
	// Keep the printed form complete, as Redis prints all classes.
	c.mu.Lock()
	c.vals["client-output-buffer-limit"] = fmt.Sprintf("normal %d %d %d slave %d %d %d pubsub %d %d %d",
		cur.NormalHard, cur.NormalSoft, cur.NormalSoftSeconds, cur.ReplicaHard, cur.ReplicaSoft, cur.ReplicaSoftSeconds,
		cur.PubSubHard, cur.PubSubSoft, cur.PubSubSoftSeconds)
	c.mu.Unlock()
}

// MaxBulk is proto-max-bulk-len.
func (c *Config) MaxBulk() int64 { return c.maxBulk.Load() }

// MaxQueryBuf is client-query-buffer-limit.
func (c *Config) MaxQueryBuf() int64 { return c.maxQueryBuf.Load() }

// MaxClients is maxclients.
func (c *Config) MaxClients() int64 { return c.maxClients.Load() }

// IdleTimeout is timeout in seconds (0 = never).
func (c *Config) IdleTimeout() int64 { return c.idleTimeout.Load() }

// OutputLimits is client-output-buffer-limit.
func (c *Config) OutputLimits() OutputLimits { return *c.outputLimits.Load() }

func (c *Config) requirePass() string {
	v, _ := c.Get("requirepass")
	return v
}

// Bool reads a yes/no parameter.
func (c *Config) Bool(name string) bool {
	v, _ := c.Get(name)
	return v == "yes"
}

func init() {
	register(&Command{Name: "config", Arity: -2, Group: "server", Summary: "A container for server configuration commands.",
		Since: "2.0.0", Complexity: "Depends on subcommand.",
		Subcommands: map[string]*Command{
			"get": {Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
				Summary: "Returns the effective values of configuration parameters.", Since: "2.0.0",
				Complexity: "O(N) when N is the number of configuration parameters provided", Run: cmdConfigGet},
			"set": {Arity: -4, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
				Summary: "Sets configuration parameters in-flight.", Since: "2.0.0",
				Complexity: "O(N) when N is the number of configuration parameters provided", Run: cmdConfigSet},
			"resetstat": {Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
				Summary: "Resets the server's statistics.", Since: "2.0.0", Complexity: "O(1)", Run: cmdConfigResetStat},
			"rewrite": {Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
				Summary: "Persists the effective configuration to file.", Since: "2.8.0", Complexity: "O(1)",
				Note: "redlite has no configuration file: CONFIG REWRITE answers an error.", Run: cmdConfigRewrite},
			"help": {Arity: 2, Flags: FlagLoading | FlagStale, Summary: "Returns helpful text about the different subcommands.",
				Since: "5.0.0", Complexity: "O(1)", Run: cmdConfigHelp},
		}})
}

func cmdConfigGet(c *Call) resp.Value {
	cfg := c.S.store.Config
	seen := map[string]bool{}
	var out []resp.Value
	cfg.mu.RLock()
	names := make([]string, 0, len(cfg.vals))
	for n := range cfg.vals {
		names = append(names, n)
	}
	cfg.mu.RUnlock()
	sort.Strings(names)
	for _, pat := range c.Args[2:] {
		p := []byte(strings.ToLower(string(pat)))
		for _, n := range names {
			if !seen[n] && GlobMatch(p, []byte(n), false) {
				seen[n] = true
				v, _ := cfg.Get(n)
				out = append(out, resp.BulkString(n), resp.BulkString(v))
			}
		}
	}
	return resp.MapValue(out)
}

func cmdConfigSet(c *Call) resp.Value {
	if len(c.Args)%2 != 0 {
		return WrongArgs("config|set")
	}
	cfg := c.S.store.Config
	seen := map[string]bool{}
	for i := 2; i < len(c.Args); i += 2 {
		name := strings.ToLower(string(c.Args[i]))
		if seen[name] {
			return resp.Err("ERR CONFIG SET failed (possibly related to argument '" + name + "') - duplicate parameter")
		}
		seen[name] = true
		p := configByName[name]
		if p == nil {
			return resp.Err("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'")
		}
		if p.immutable || p.protected {
			return resp.Err("ERR CONFIG SET failed (possibly related to argument '" + name + "') - can't set protected config")
		}
		if _, err := p.normalize(string(c.Args[i+1])); err != nil {
			return resp.Err("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + err.Error())
		}
	}
	for i := 2; i < len(c.Args); i += 2 {
		if err := cfg.set(strings.ToLower(string(c.Args[i])), string(c.Args[i+1]), false); err != nil {
			return resp.Err(err.Error())
		}
	}
	return resp.OK()
}

func cmdConfigResetStat(c *Call) resp.Value {
	st := &c.S.store.stats
	st.commands.Store(0)
	st.expiredKeys.Store(0)
	st.hits.Store(0)
	st.misses.Store(0)
	return resp.OK()
}

func cmdConfigRewrite(c *Call) resp.Value {
	return resp.Err("ERR The server is running without a config file")
}

func cmdConfigHelp(c *Call) resp.Value {
	return helpReply("CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
}

// helpReply renders a HELP subcommand's answer the way Redis does.
func helpReply(cmd string, lines []string) resp.Value {
	out := []resp.Value{resp.StatusValue(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")}
	for _, l := range lines {
		out = append(out, resp.StatusValue(l))
	}
	out = append(out, resp.StatusValue("HELP"), resp.StatusValue("    Prints this help."))
	return resp.ArrayValue(out)
}
