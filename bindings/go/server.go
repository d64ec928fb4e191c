package redlite

import (
	"context"
	"strconv"
	"time"

	"github.com/redlite/redlite/core/resp"
)

// Connection and server commands.

// Ping answers "PONG".
func (c cmds) Ping(ctx context.Context) (string, error) {
	return toString(c.run(ctx, newArgv("ping", 0)))
}

// Echo returns message.
func (c cmds) Echo(ctx context.Context, message any) (string, error) {
	a, err := newArgv("echo", 1).v(message)
	if err != nil {
		return "", err
	}
	return toString(c.run(ctx, a))
}

// DBSize returns the number of keys in the selected database.
func (c cmds) DBSize(ctx context.Context) (int64, error) {
	return toInt(c.run(ctx, newArgv("dbsize", 0)))
}

// FlushDB deletes every key of the selected database.
func (c cmds) FlushDB(ctx context.Context) error {
	return toStatus(c.run(ctx, newArgv("flushdb", 0)))
}

// FlushAll deletes every key of every database.
func (c cmds) FlushAll(ctx context.Context) error {
	return toStatus(c.run(ctx, newArgv("flushall", 0)))
}

// SwapDB swaps two logical databases.
func (c cmds) SwapDB(ctx context.Context, index1, index2 int) error {
	return toStatus(c.run(ctx, newArgv("swapdb", 2).i(int64(index1)).i(int64(index2))))
}

// ConfigGet returns the configuration parameters matching pattern.
func (c cmds) ConfigGet(ctx context.Context, pattern string) (map[string]string, error) {
	return toStringMap(c.run(ctx, newArgv("config", 2).s("get", pattern)))
}

// ConfigSet sets a configuration parameter.
func (c cmds) ConfigSet(ctx context.Context, parameter, value string) error {
	return toStatus(c.run(ctx, newArgv("config", 3).s("set", parameter, value)))
}

// Info returns the INFO text for the given sections (all default ones when
// none).
func (c cmds) Info(ctx context.Context, sections ...string) (string, error) {
	return toString(c.run(ctx, newArgv("info", len(sections)).s(sections...)))
}

// Time returns the server's clock.
func (c cmds) Time(ctx context.Context) (time.Time, error) {
	ss, err := toStrings(c.run(ctx, newArgv("time", 0)))
	if err != nil {
		return time.Time{}, err
	}
	if len(ss) != 2 {
		return time.Time{}, unexpected(resp.Value{Kind: resp.Array})
	}
	sec, err := strconv.ParseInt(ss[0], 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	usec, err := strconv.ParseInt(ss[1], 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(sec, usec*1000), nil
}
