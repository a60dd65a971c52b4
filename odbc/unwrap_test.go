package odbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/internal/testenv"
)

// wrappedConn is a connection behind a wrapper such as the vap driver's
// (a connection whose credential bounds its life): the wrapper's own query
// methods fail, so only a reader that takes the real connection from
// Unwrap succeeds.
type wrappedConn struct{ driver.Conn }

var errWrapperUsed = errors.New("the wrapper's query path was used, not the real connection's")

func (w *wrappedConn) Unwrap() driver.Conn { return w.Conn }
func (w *wrappedConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return nil, errWrapperUsed
}
func (w *wrappedConn) PrepareContext(context.Context, string) (driver.Stmt, error) {
	return nil, errWrapperUsed
}

type wrappingConnector struct{ real driver.Connector }

func (c wrappingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.real.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &wrappedConn{conn}, nil
}
func (c wrappingConnector) Driver() driver.Driver { return c.real.Driver() }

// TestFastPathsUnwrap: odbc's pgx fast path and its raw path both reach
// the real driver's connection through Unwrap.
func TestFastPathsUnwrap(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	t.Run("raw", func(t *testing.T) {
		stub := &stubConnector{rows: 10, queryer: true}
		db := sql.OpenDB(wrappingConnector{stub})
		defer db.Close()
		rows, err := OdbcToRowsDB(ctx, db, "q")
		if err != nil || rows.Len() != 10 || stub.queries != 1 {
			t.Fatalf("raw path through the wrapper: %v, queries %d", err, stub.queries)
		}
	})
	t.Run("pgx", func(t *testing.T) {
		testenv.Postgres(t)
		cfg, err := pgx.ParseConfig(testenv.PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(wrappingConnector{stdlib.GetConnector(*cfg)})
		defer db.Close()
		rows, err := OdbcToRowsDB(ctx, db, "SELECT 42::int8 AS n, 'x'::text AS s")
		if err != nil || rows.Len() != 1 || rows.Value(0, 0) != int64(42) {
			t.Fatalf("pgx path through the wrapper: %v", err)
		}
	})
}
