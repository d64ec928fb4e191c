package core

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// sqlConn is one SQLite connection used through mattn/go-sqlite3's driver
// interface directly: no database/sql pool in between, statements prepared
// once and kept, and never a cancellable context (mattn starts a goroutine
// per statement for those). A sqlConn is used by one goroutine at a time.
type sqlConn struct {
	c     *sqlite3.SQLiteConn
	stmts map[string]*sqlite3.SQLiteStmt
	args  []driver.NamedValue // scratch for binding, reused per statement
	fast  *pointLookup        // string reads outside the driver, see fastread.go
	warm  *warmRead           // a reader's kept read transaction, see warmread.go
}

func openSQLConn(dsn string) (*sqlConn, error) {
	dc, err := (&sqlite3.SQLiteDriver{}).Open(dsn)
	if err != nil {
		return nil, err
	}
	sc := dc.(*sqlite3.SQLiteConn)
	if err := enableQPSG(sc); err != nil {
		_ = sc.Close()
		return nil, err
	}
	return &sqlConn{c: sc, stmts: make(map[string]*sqlite3.SQLiteStmt)}, nil
}

func (c *sqlConn) close() error {
	c.fast.close()
	if c.warm != nil {
		_ = c.warm.end()
		c.warm.close()
	}
	for _, s := range c.stmts {
		_ = s.Close()
	}
	c.stmts = nil
	return c.c.Close()
}

func (c *sqlConn) prepare(q string) (*sqlite3.SQLiteStmt, error) {
	if s, ok := c.stmts[q]; ok {
		return s, nil
	}
	ds, err := c.c.Prepare(q)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", q, err)
	}
	s := ds.(*sqlite3.SQLiteStmt)
	c.stmts[q] = s
	return s, nil
}

// bind converts Go values to driver values. A nil []byte becomes an empty
// blob: Redis' empty string is a value, never SQL NULL.
func (c *sqlConn) bind(args []any) []driver.NamedValue {
	nv := c.args[:0]
	for i, a := range args {
		var v driver.Value
		switch x := a.(type) {
		case []byte:
			if x == nil {
				x = []byte{}
			}
			v = x
		case int:
			v = int64(x)
		case int64, float64, string, nil, bool:
			v = x
		case nullInt:
			if x.valid {
				v = x.n
			}
		default:
			panic(fmt.Sprintf("sqlConn: unsupported argument type %T", a))
		}
		nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	c.args = nv
	return nv
}

// nullInt binds an integer that may be SQL NULL (an expiry that is not set).
type nullInt struct {
	n     int64
	valid bool
}

func (c *sqlConn) exec(q string, args ...any) (changes int64, lastID int64, err error) {
	s, err := c.prepare(q)
	if err != nil {
		return 0, 0, err
	}
	res, err := s.ExecContext(context.Background(), c.bind(args))
	if err != nil {
		return 0, 0, err
	}
	changes, _ = res.RowsAffected()
	lastID, _ = res.LastInsertId()
	return changes, lastID, nil
}

// run executes a cached statement without arguments (BEGIN, COMMIT...).
func (c *sqlConn) run(q string) error {
	_, _, err := c.exec(q)
	return err
}

// execScript runs statements without arguments or caching (schema, pragmas).
func (c *sqlConn) execScript(q string) error {
	_, err := c.c.Exec(q, nil)
	return err
}

func (c *sqlConn) query(q string, args ...any) (*rows, error) {
	s, err := c.prepare(q)
	if err != nil {
		return nil, err
	}
	r, err := s.QueryContext(context.Background(), c.bind(args))
	if err != nil {
		return nil, err
	}
	return &rows{r: r, vals: make([]driver.Value, len(r.Columns()))}, nil
}

// rows iterates a result set; column accessors convert SQLite's dynamic types.
type rows struct {
	r    driver.Rows
	vals []driver.Value
	err  error
}

func (r *rows) next() bool {
	if r.err != nil {
		return false
	}
	err := r.r.Next(r.vals)
	if err == nil {
		return true
	}
	if !errors.Is(err, io.EOF) {
		r.err = err
	}
	return false
}

func (r *rows) close() error {
	cerr := r.r.Close()
	if r.err != nil {
		return r.err
	}
	return cerr
}

func (r *rows) isNull(i int) bool { return r.vals[i] == nil }

func (r *rows) int(i int) int64 {
	switch v := r.vals[i].(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

func (r *rows) float(i int) float64 {
	switch v := r.vals[i].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}

// bytes returns column i as bytes; the slice is owned by the caller.
func (r *rows) bytes(i int) []byte {
	switch v := r.vals[i].(type) {
	case []byte:
		if v == nil {
			return []byte{}
		}
		return v
	case string:
		return []byte(v)
	case nil:
		return nil
	}
	return []byte(fmt.Sprint(r.vals[i]))
}
