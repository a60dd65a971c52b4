package stdlib

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"sync"
	"testing"
	"time"
)

// legacyConn is a driver connection with none of the optional interfaces:
// only Prepare, Close and Begin, as the oldest drivers.
type legacyConn struct{ prepared, closed int }

func (c *legacyConn) Prepare(q string) (driver.Stmt, error) { c.prepared++; return legacyStmt{}, nil }
func (c *legacyConn) Close() error                          { c.closed++; return nil }
func (c *legacyConn) Begin() (driver.Tx, error)             { return legacyTx{}, nil }

type legacyStmt struct{}

func (legacyStmt) Close() error                               { return nil }
func (legacyStmt) NumInput() int                              { return -1 }
func (legacyStmt) Exec([]driver.Value) (driver.Result, error) { return driver.RowsAffected(1), nil }
func (legacyStmt) Query(args []driver.Value) (driver.Rows, error) {
	return &oneRow{v: args}, nil
}

type legacyTx struct{}

func (legacyTx) Commit() error   { return nil }
func (legacyTx) Rollback() error { return nil }

type oneRow struct {
	v    []driver.Value
	done bool
}

func (r *oneRow) Columns() []string { return []string{"v"} }
func (r *oneRow) Close() error      { return nil }
func (r *oneRow) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = r.v[0]
	return nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type legacyConnector struct {
	clk   *clock
	conns []*legacyConn
}

func (l *legacyConnector) Connect(context.Context) (driver.Conn, error) {
	c := &legacyConn{}
	l.conns = append(l.conns, c)
	return limitConn(c, l.clk.now().Add(time.Hour), l.clk.now), nil
}
func (l *legacyConnector) Driver() driver.Driver { return nil }

// TestLimitedConnLegacyDriver: through the wrapper, database/sql takes the
// routes it takes for the bare driver (ErrSkip → prepared statements,
// Begin for a default transaction), and a connection past its deadline is
// closed and replaced.
func TestLimitedConnLegacyDriver(t *testing.T) {
	clk := &clock{t: time.Unix(0, 0)}
	lc := &legacyConnector{clk: clk}
	db := sql.OpenDB(lc)
	defer db.Close()
	db.SetMaxOpenConns(1)
	var v int64
	if err := db.QueryRow("q", int64(7)).Scan(&v); err != nil || v != 7 {
		t.Fatalf("query: %v %v", v, err)
	}
	if _, err := db.Exec("e", int64(1)); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if _, err := db.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true}); err == nil {
		t.Fatal("a read-only transaction on a driver without BeginTx was accepted")
	}
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if len(lc.conns) != 1 || lc.conns[0].prepared != 2 {
		t.Fatalf("%d connections, %d prepared", len(lc.conns), lc.conns[0].prepared)
	}
	clk.add(time.Hour)
	if err := db.QueryRow("q", int64(8)).Scan(&v); err != nil || v != 8 {
		t.Fatalf("query after the deadline: %v %v", v, err)
	}
	if len(lc.conns) != 2 || lc.conns[0].closed != 1 {
		t.Fatalf("after the deadline: %d connections, first closed %d times", len(lc.conns), lc.conns[0].closed)
	}
}
