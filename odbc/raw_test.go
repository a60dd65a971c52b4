package odbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"
)

// stubConnector serves a fixed result from an in-process driver whose rows
// reuse one buffer for every row's []byte values, as go-sql-driver/mysql
// does, and records the arguments each query got.
type stubConnector struct {
	rows    int
	queryer bool // the connection implements driver.QueryerContext
	skip    bool // QueryContext with arguments answers driver.ErrSkip
	got     [][]driver.NamedValue
	queries int // through QueryerContext
	prepped int // through a prepared statement
}

func (c *stubConnector) Connect(context.Context) (driver.Conn, error) {
	if c.queryer {
		return &stubQueryerConn{stubConn{c}}, nil
	}
	return &stubConn{c}, nil
}
func (c *stubConnector) Driver() driver.Driver { return nil }

type stubConn struct{ c *stubConnector }

func (s *stubConn) Prepare(q string) (driver.Stmt, error) { return &stubStmt{s.c}, nil }
func (s *stubConn) Close() error                          { return nil }
func (s *stubConn) Begin() (driver.Tx, error)             { return nil, errors.New("no transactions") }
func (s *stubConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return &stubStmt{s.c}, nil
}

// CheckNamedValue keeps int64s, removes the string "drop", converts
// fmt.Stringers to their text and leaves the rest to database/sql's
// default conversion.
func (s *stubConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch v := nv.Value.(type) {
	case int64:
		return nil
	case string:
		if v == "drop" {
			return driver.ErrRemoveArgument
		}
	case fmt.Stringer:
		nv.Value = "stringer:" + v.String()
		return nil
	}
	return driver.ErrSkip
}

type stubQueryerConn struct{ stubConn }

func (s *stubQueryerConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) > 0 && s.c.skip {
		return nil, driver.ErrSkip
	}
	s.c.queries++
	s.c.got = append(s.c.got, args)
	return newStubRows(s.c.rows), nil
}

type stubStmt struct{ c *stubConnector }

func (s *stubStmt) Close() error  { return nil }
func (s *stubStmt) NumInput() int { return -1 }
func (s *stubStmt) Exec([]driver.Value) (driver.Result, error) {
	return nil, errors.New("no exec")
}
func (s *stubStmt) Query([]driver.Value) (driver.Rows, error) { return nil, errors.New("no query") }
func (s *stubStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.c.prepped++
	s.c.got = append(s.c.got, args)
	return newStubRows(s.c.rows), nil
}

// stubRows are (id BIGINT, name VARCHAR, amount DECIMAL(12,2), at
// DATETIME): row i is (i, "name-i", "i.50", 2024-01-01 + i s), NULL name
// and amount every tenth row. The []byte values share one buffer that the
// next row overwrites, and the ints are boxed in advance, so the driver
// itself allocates nothing per row.
type stubRows struct {
	n, i  int
	buf   []byte
	ids   []any
	times []any
}

func newStubRows(n int) *stubRows {
	stubMu.Lock()
	defer stubMu.Unlock()
	for i := len(stubIDs); i < n; i++ {
		stubIDs = append(stubIDs, int64(i))
		stubTimes = append(stubTimes, time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC))
	}
	return &stubRows{n: n, buf: make([]byte, 0, 64), ids: stubIDs[:n], times: stubTimes[:n]}
}

// The stub's boxed values, made once.
var (
	stubMu             sync.Mutex
	stubIDs, stubTimes []any
)

func (r *stubRows) Columns() []string { return []string{"id", "name", "amount", "at"} }
func (r *stubRows) Close() error      { return nil }
func (r *stubRows) ColumnTypeDatabaseTypeName(j int) string {
	return [...]string{"BIGINT", "VARCHAR", "DECIMAL", "DATETIME"}[j]
}
func (r *stubRows) ColumnTypePrecisionScale(j int) (int64, int64, bool) {
	if j == 2 {
		return 12, 2, true
	}
	return 0, 0, false
}
func (r *stubRows) ColumnTypeNullable(j int) (bool, bool) { return j == 1 || j == 2, true }

func (r *stubRows) Next(dest []driver.Value) error {
	if r.i == r.n {
		return io.EOF
	}
	i := r.i
	r.i++
	dest[0], dest[3] = r.ids[i], r.times[i]
	if i%10 == 9 {
		dest[1], dest[2] = nil, nil
		return nil
	}
	r.buf = append(r.buf[:0], "name-"...)
	r.buf = strconv.AppendInt(r.buf, int64(i), 10)
	k := len(r.buf)
	r.buf = strconv.AppendInt(r.buf, int64(i), 10)
	r.buf = append(r.buf, ".50"...)
	dest[1], dest[2] = r.buf[:k:k], r.buf[k:]
	return nil
}

// stubQuery reads the stub's result on the raw path, or database/sql's
// when generic is set.
func stubQuery(t testing.TB, c *stubConnector, generic bool, args ...any) *Rows {
	t.Helper()
	db := sql.OpenDB(c)
	defer db.Close()
	cfg := defaultConfig()
	cfg.generic = generic
	r, err := queryRows(context.Background(), db, nil, cfg, "SELECT id, name, amount, at FROM t", args)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRawDriverRows reads a driver's rows on the raw path and on
// database/sql's: the columns and every value must be the same, each row's
// own value although the driver reuses its buffer.
func TestRawDriverRows(t *testing.T) {
	for _, queryer := range []bool{true, false} {
		t.Run(fmt.Sprintf("queryer=%v", queryer), func(t *testing.T) {
			raw := stubQuery(t, &stubConnector{rows: 100, queryer: queryer}, false)
			viaSQL := stubQuery(t, &stubConnector{rows: 100, queryer: queryer}, true)
			if !reflect.DeepEqual(raw.Columns(), viaSQL.Columns()) {
				t.Fatalf("columns: raw %+v, database/sql %+v", raw.Columns(), viaSQL.Columns())
			}
			if raw.Len() != 100 || viaSQL.Len() != 100 {
				t.Fatalf("rows: raw %d, database/sql %d", raw.Len(), viaSQL.Len())
			}
			for i := range raw.Len() {
				for j := range raw.Columns() {
					if a, b := raw.Value(i, j), viaSQL.Value(i, j); !reflect.DeepEqual(a, b) {
						t.Errorf("row %d column %d: raw %#v, database/sql %#v", i, j, a, b)
					}
				}
			}
			if got := raw.Value(41, 1); got != "name-41" {
				t.Errorf("row 41 name = %#v", got)
			}
			if got := raw.Value(41, 2); got != "41.50" {
				t.Errorf("row 41 amount = %#v", got)
			}
			if !raw.IsNull(9, 1) || !raw.IsNull(9, 2) {
				t.Error("row 9: NULLs lost")
			}
		})
	}
}

type stringer struct{}

func (stringer) String() string { return "s" }

// TestRawDriverArgs checks the arguments a driver gets on the raw path:
// converted as database/sql converts them (its checker, then the default
// converter; sql.Named; removed arguments dropped), through a prepared
// statement when the driver's QueryContext answers driver.ErrSkip.
func TestRawDriverArgs(t *testing.T) {
	args := []any{int64(7), sql.Named("n", int32(3)), "drop", stringer{}, []byte("b")}
	for _, tc := range []struct {
		name                string
		c                   *stubConnector
		wantQuery, wantPrep int
	}{
		{"queryer", &stubConnector{rows: 1, queryer: true}, 1, 0},
		{"queryer skips", &stubConnector{rows: 1, queryer: true, skip: true}, 0, 1},
		{"no queryer", &stubConnector{rows: 1}, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stubQuery(t, tc.c, false, args...)
			if tc.c.queries != tc.wantQuery || tc.c.prepped != tc.wantPrep {
				t.Fatalf("queries %d, prepared %d; want %d, %d", tc.c.queries, tc.c.prepped, tc.wantQuery, tc.wantPrep)
			}
			raw := tc.c.got[len(tc.c.got)-1]
			viaSQL := &stubConnector{rows: 1, queryer: tc.c.queryer, skip: tc.c.skip}
			stubQuery(t, viaSQL, true, args...)
			if want := viaSQL.got[len(viaSQL.got)-1]; !reflect.DeepEqual(raw, want) {
				t.Errorf("raw path args %#v, database/sql's %#v", raw, want)
			}
			want := []driver.NamedValue{{Ordinal: 1, Value: int64(7)}, {Name: "n", Ordinal: 2, Value: int64(3)},
				{Ordinal: 3, Value: "stringer:s"}, {Ordinal: 4, Value: []byte("b")}}
			if !reflect.DeepEqual(raw, want) {
				t.Errorf("args %#v, want %#v", raw, want)
			}
		})
	}
	t.Run("bad argument", func(t *testing.T) {
		db := sql.OpenDB(&stubConnector{rows: 1, queryer: true})
		defer db.Close()
		_, err := queryRows(context.Background(), db, nil, defaultConfig(), "SELECT 1", []any{make(chan int)})
		if err == nil {
			t.Fatal("a channel argument was accepted")
		}
	})
}

// TestRawDriverRowsAllocs proves the raw path reads the driver's values
// without database/sql's per-value detour: beyond what the driver itself
// allocates (boxing its []byte values), database/sql's Scan copies each
// []byte value it hands back as an any (about one allocation a row here),
// the raw path copies them into the column arenas only (a handful of
// allocations for the whole result, as the arenas grow).
func TestRawDriverRowsAllocs(t *testing.T) {
	const n = 20_000
	dest := make([]driver.Value, 4)
	drv := testing.AllocsPerRun(3, func() {
		r := newStubRows(n)
		for r.Next(dest) == nil {
		}
	}) / n
	perRow := func(generic bool) float64 {
		c := &stubConnector{rows: n, queryer: true}
		db := sql.OpenDB(c)
		defer db.Close()
		cfg := defaultConfig()
		cfg.generic = generic
		ctx := context.Background()
		return testing.AllocsPerRun(3, func() {
			if _, err := queryRows(ctx, db, nil, cfg, "SELECT id, name, amount, at FROM t", nil); err != nil {
				t.Fatal(err)
			}
		})/n - drv
	}
	raw, viaSQL := perRow(false), perRow(true)
	t.Logf("allocations per row beyond the driver's %.4f: raw %.4f, database/sql %.4f", drv, raw, viaSQL)
	if viaSQL < 0.5 {
		t.Fatalf("database/sql path: %.4f allocations per row; the test no longer tells the paths apart", viaSQL)
	}
	if raw > 0.05 {
		t.Errorf("raw path: %.4f allocations per row, want almost none", raw)
	}
}
