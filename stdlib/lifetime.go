package stdlib

import (
	"context"
	"database/sql/driver"
	"errors"
	"time"
)

// A connection made with a credential that the server stops honouring on
// open sessions (a Vault dynamic user dropped when its lease ends:
// credential.Secret.ConnLifetime, credential.Minted.ConnLifetime) must
// leave the pool before then. Such a connection is returned wrapped in a
// limitedConn: database/sql asks it, each time it goes back to the pool
// (driver.Validator) and each time it is taken out again
// (driver.SessionResetter), whether it may still be used, and drops it
// once its deadline has passed. Every other connection is returned
// unwrapped, so it pays nothing.
//
// The wrapper forwards every optional interface of database/sql/driver to
// the real connection, answering driver.ErrSkip (database/sql's "take the
// other route") where the real one lacks it. Code that needs the real
// driver's own connection (odbc's fast paths, which type-assert it) gets it
// from Unwrap:
//
//	conn.Raw(func(dc any) error {
//		if u, ok := dc.(interface{ Unwrap() driver.Conn }); ok {
//			dc = u.Unwrap()
//		}
//		…
//	})
type limitedConn struct {
	driver.Conn
	deadline time.Time
	now      func() time.Time
}

// limitConn wraps conn so that the pool retires it at deadline, on the
// clock now.
func limitConn(conn driver.Conn, deadline time.Time, now func() time.Time) driver.Conn {
	return &limitedConn{Conn: conn, deadline: deadline, now: now}
}

var (
	_ driver.Conn               = (*limitedConn)(nil)
	_ driver.ConnBeginTx        = (*limitedConn)(nil)
	_ driver.ConnPrepareContext = (*limitedConn)(nil)
	_ driver.ExecerContext      = (*limitedConn)(nil)
	_ driver.QueryerContext     = (*limitedConn)(nil)
	_ driver.Pinger             = (*limitedConn)(nil)
	_ driver.NamedValueChecker  = (*limitedConn)(nil)
	_ driver.SessionResetter    = (*limitedConn)(nil)
	_ driver.Validator          = (*limitedConn)(nil)
)

// Unwrap returns the real driver's connection.
func (c *limitedConn) Unwrap() driver.Conn { return c.Conn }

// expired reports whether the connection's credential has reached its
// deadline.
func (c *limitedConn) expired() bool { return !c.now().Before(c.deadline) }

// IsValid is false once the deadline has passed: database/sql then closes
// the connection instead of putting it back in the pool.
func (c *limitedConn) IsValid() bool {
	if c.expired() {
		return false
	}
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// ResetSession fails with driver.ErrBadConn once the deadline has passed:
// database/sql then closes the connection and opens another.
func (c *limitedConn) ResetSession(ctx context.Context) error {
	if c.expired() {
		return driver.ErrBadConn
	}
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *limitedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	if opts.ReadOnly || opts.Isolation != driver.IsolationLevel(0) {
		return nil, errors.New("vap: the driver supports neither read-only transactions nor isolation levels")
	}
	//lint:ignore SA1019 database/sql still calls Begin on a driver without BeginTx; the wrapper forwards as it would
	return c.Conn.Begin()
}

func (c *limitedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *limitedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, query, args)
	}
	//lint:ignore SA1019 database/sql still uses Execer on a driver without ExecerContext; the wrapper forwards as it would
	if e, ok := c.Conn.(driver.Execer); ok {
		vs, err := values(args)
		if err != nil {
			return nil, err
		}
		return e.Exec(query, vs)
	}
	return nil, driver.ErrSkip
}

func (c *limitedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := c.Conn.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	//lint:ignore SA1019 database/sql still uses Queryer on a driver without QueryerContext; the wrapper forwards as it would
	if q, ok := c.Conn.(driver.Queryer); ok {
		vs, err := values(args)
		if err != nil {
			return nil, err
		}
		return q.Query(query, vs)
	}
	return nil, driver.ErrSkip
}

func (c *limitedConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *limitedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// values turns named values into positional ones, as database/sql does for
// a driver without the context interfaces.
func values(args []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errors.New("vap: the driver does not support named arguments")
		}
		out[i] = a.Value
	}
	return out, nil
}
