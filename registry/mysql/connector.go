package mysql

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"
)

// connector bounds the whole connection setup (dial, TLS, handshake,
// authentication, SET NAMES) by the connection's timeout, as pgx's
// connect_timeout does for PostgreSQL: go-sql-driver/mysql bounds only the
// dial, so a server that accepts TCP and never answers would hang a
// connection without a deadline forever. Once connected, statements are
// bounded by their own contexts.
type connector struct {
	real    driver.Connector
	timeout time.Duration
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.timeout <= 0 {
		return c.real.Connect(ctx)
	}
	bounded, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, err := c.real.Connect(bounded)
	if err != nil && ctx.Err() == nil && bounded.Err() != nil {
		return nil, fmt.Errorf("mysql: the server did not complete the connection within %s (options.timeout): %w", c.timeout, err)
	}
	return conn, err
}

func (c *connector) Driver() driver.Driver { return c.real.Driver() }

// discard is the driver logger vap installs: its messages ("closing bad
// idle connection: EOF", …) repeat errors the pool already handles or
// returns to the caller.
type discard struct{}

func (discard) Print(...any) {}
