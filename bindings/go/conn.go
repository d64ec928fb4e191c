package redlite

import (
	"context"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// Conn is one dedicated session, like a single connection to a server: the
// state commands change (SELECT, CLIENT SETNAME, HELLO, MULTI/EXEC) stays
// with it. It has every command method of DB. Unlike DB, a Conn is used by
// one goroutine at a time; Close it when done.
type Conn struct {
	cmds
	s *core.Session
}

// Conn starts a dedicated session.
func (db *DB) Conn() (*Conn, error) {
	s, err := db.newSession()
	if err != nil {
		return nil, err
	}
	c := &Conn{s: s}
	c.cmds = cmds{r: c}
	return c, nil
}

func (c *Conn) exec(ctx context.Context, a argv, blocking bool) (resp.Value, error) {
	if c.s == nil {
		return resp.Value{}, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return resp.Value{}, err
	}
	return runOn(ctx, c.s, a, blocking)
}

func (c *Conn) pinned() bool { return true }

// Close ends the session: its MULTI, watches and open state are dropped.
func (c *Conn) Close() error {
	if c.s == nil {
		return ErrClosed
	}
	c.s.Close()
	c.s = nil
	return nil
}
