package odbc

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store"
)

// mysqlSeq is a derived table of the integers 1 to 10,000 (MariaDB caps
// recursive CTEs at 1,000 iterations by default).
const mysqlSeq = `(SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d + 1 AS i FROM
	(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a,
	(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b,
	(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c,
	(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e) AS seq`

// rowsQuery returns a query of n rows of (integer, 100-character text) on
// each backend.
func rowsQuery(typ string, n int) string {
	switch typ {
	case "postgresql":
		return "SELECT i, repeat('x', 100) AS pad FROM generate_series(1, " + itoa(int64(n)) + ") AS i"
	case "mysql":
		return "SELECT i, REPEAT('x', 100) AS pad FROM " + mysqlSeq + " WHERE i <= " + itoa(int64(n))
	}
	return "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " + itoa(int64(n)) + ") SELECT i, printf('%.100c', 'x') AS pad FROM s"
}

// TestLimits hits MaxRows and MaxBytes on every backend, passed to New or
// among the query's arguments, and checks the error names the limit and the
// connection still works.
func TestLimits(t *testing.T) {
	ctx := context.Background()
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			be.skip(t)
			st := testenv.Store(t)
			testenv.Put(t, st, "conn", be.typ, be.fields(t))
			q := rowsQuery(be.typ, 5000) // 5000 rows, about 580 kB as MaxBytes counts
			cases := []struct {
				name  string
				opts  []Option
				args  []any
				limit Limit
			}{
				{"rows option", []Option{MaxRows(100)}, nil, LimitRows},
				{"rows in args", nil, []any{MaxRows(4999)}, LimitRows},
				{"bytes option", []Option{MaxBytes(100_000)}, nil, LimitBytes},
				{"bytes in args", nil, []any{MaxBytes(500_000)}, LimitBytes},
				{"within limits", []Option{MaxRows(5000), MaxBytes(1_000_000)}, nil, ""},
				{"no limits", []Option{MaxRows(0), MaxBytes(0)}, nil, ""},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					c := New(append([]Option{WithStore(st)}, tc.opts...)...)
					c.cfg.generic = be.generic
					defer c.Close()
					r, err := c.OdbcToRows(ctx, q, "conn", tc.args...)
					if tc.limit == "" {
						if err != nil || r.Len() != 5000 {
							t.Fatalf("got %d rows, %v; want 5000 rows", rowsLen(r), err)
						}
					} else {
						var le *LimitError
						if !errors.As(err, &le) || le.Limit != tc.limit || r != nil {
							t.Fatalf("err = %v, %d rows; want the %s limit", err, rowsLen(r), tc.limit)
						}
						if !strings.Contains(err.Error(), string(tc.limit)) {
							t.Errorf("%q does not name the limit", err)
						}
					}
					// The pool still serves queries.
					r, err = c.OdbcToRows(ctx, "SELECT 1 AS one", "conn")
					if err != nil || r.Len() != 1 {
						t.Fatalf("after the limit: %v", err)
					}
				})
			}
		})
	}
}

func rowsLen(r *Rows) int {
	if r == nil {
		return -1
	}
	return r.Len()
}

func TestMissingName(t *testing.T) {
	st := testenv.Store(t)
	c := New(WithStore(st))
	defer c.Close()
	_, err := c.OdbcToRows(context.Background(), "SELECT 1", "no-such-connection")
	want := "No connection found with name: no-such-connection. Please check your connection name and verify that a connection with that name exists in the connection store."
	if err == nil || err.Error() != want || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("err = %v, want %q", err, want)
	}
	for _, err := range c.Stream(context.Background(), "SELECT 1", "no-such-connection") {
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Stream err = %v", err)
		}
	}
}

// serverQueries counts the server's running statements whose text holds
// tag, leaving out the asking session.
func serverQueries(t *testing.T, admin *sql.DB, typ, tag string) int {
	t.Helper()
	q := "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()"
	if typ == "mysql" {
		q = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('%', ?, '%') AND ID <> CONNECTION_ID()"
	}
	var n int
	if err := admin.QueryRowContext(context.Background(), q, tag).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitQueries polls until the server runs want statements tagged tag, for
// at most 30 s (the sleeps last 120 s, so only a stopped query gets to 0).
func waitQueries(t *testing.T, admin *sql.DB, typ, tag string, want int) {
	t.Helper()
	for i := 0; i < 300; i++ {
		if serverQueries(t, admin, typ, tag) == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the server still runs %d statement(s) tagged %s, want %d", serverQueries(t, admin, typ, tag), tag, want)
}

// TestServerStops proves that a cancelled context, a hit limit and a Stream
// left early stop the statement on the server (PostgreSQL gets a cancel
// request, MySQL KILL QUERY), not only on the client. Each statement sends
// 5,000 rows then sleeps 120 s; the limit and the break come after 100 rows; the test waits for it to run, ends it, and sees it
// gone from the server's activity view long before the sleep would end.
func TestServerStops(t *testing.T) {
	type server struct {
		name, typ string
		fields    func(testing.TB) map[string]string
		admin     func(testing.TB) *sql.DB
		sleep     func(tag string) string
	}
	servers := []server{
		{"postgresql", "postgresql", pgFields, testenv.Postgres, func(tag string) string {
			return "SELECT i, repeat('x', 100) FROM generate_series(1, 5000) AS i UNION ALL SELECT 0, '" + tag + "' FROM pg_sleep(120)"
		}},
		{"mysql", "mysql", mysqlFields, testenv.MySQL, func(tag string) string {
			return "SELECT i, REPEAT('x', 100) FROM " + mysqlSeq + " WHERE i <= 5000 UNION ALL SELECT SLEEP(120), '" + tag + "'"
		}},
	}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			admin := srv.admin(t)
			st := testenv.Store(t)
			testenv.Put(t, st, "conn", srv.typ, srv.fields(t))
			c := New(WithStore(st))
			defer c.Close()
			ends := []struct {
				name string
				run  func(ctx context.Context, cancel context.CancelFunc, q string) error
				want func(error) bool
			}{
				{"context cancelled", func(ctx context.Context, cancel context.CancelFunc, q string) error {
					_, err := c.OdbcToRows(ctx, q, "conn")
					return err
				}, func(err error) bool { return errors.Is(err, context.Canceled) }},
				{"row limit", func(ctx context.Context, _ context.CancelFunc, q string) error {
					_, err := c.OdbcToRows(ctx, q, "conn", MaxRows(100))
					return err
				}, func(err error) bool { return errors.Is(err, ErrLimit) }},
				{"stream break", func(ctx context.Context, _ context.CancelFunc, q string) error {
					n := 0
					for _, err := range c.Stream(ctx, q, "conn") {
						if err != nil {
							return err
						}
						if n++; n == 100 {
							break
						}
					}
					return nil
				}, func(err error) bool { return err == nil }},
			}
			for _, e := range ends {
				t.Run(e.name, func(t *testing.T) {
					tag := uniqueName("odbc_stop")
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					done := make(chan error, 1)
					go func() { done <- e.run(ctx, cancel, srv.sleep(tag)) }()
					if e.name == "context cancelled" {
						waitQueries(t, admin, srv.typ, tag, 1)
						cancel()
					}
					select {
					case err := <-done:
						if !e.want(err) {
							t.Fatalf("err = %v", err)
						}
					case <-time.After(60 * time.Second):
						t.Fatal("the query did not return 60 s after it was ended")
					}
					waitQueries(t, admin, srv.typ, tag, 0)
					// The client still works.
					if r, err := c.OdbcToRows(context.Background(), "SELECT 1 AS one", "conn"); err != nil || r.Len() != 1 {
						t.Fatalf("after the stop: %v", err)
					}
				})
			}
		})
	}
}

// TestStreamMemoryFlat streams 20k and 200k rows of about 140 bytes and
// checks that the heap in use while streaming stays under a bound far below
// the 200k rows' size (about 28 MB), while OdbcToRows of the same rows does
// not: on PostgreSQL (pgx's path) and MySQL (the raw driver rows path). The
// benchmark BenchmarkStreamMemory shows 100k against 1M rows.
func TestStreamMemoryFlat(t *testing.T) {
	digits := "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
	servers := []struct {
		name  string
		store func(testing.TB) (*store.Store, string)
		query func(n int) string
	}{
		{"postgresql", func(t testing.TB) (*store.Store, string) {
			st, name, _ := pgStore(t)
			return st, name
		}, func(n int) string {
			return "SELECT i, repeat(md5(i::text), 4) AS pad FROM generate_series(1, " + itoa(int64(n)) + ") AS i"
		}},
		{"mysql", func(t testing.TB) (*store.Store, string) {
			testenv.MySQL(t)
			st := testenv.Store(t)
			testenv.Put(t, st, "my", "mysql", mysqlFields(t))
			return st, "my"
		}, func(n int) string {
			i := "(1 + a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d + 100000*g.d)"
			return "SELECT " + i + " AS i, REPEAT(md5(" + i + "), 4) AS pad FROM " + digits + " a, " + digits + " b, " +
				digits + " c, " + digits + " e, " + digits + " f, " + digits + " g WHERE " + i + " <= " + itoa(int64(n))
		}},
	}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			st, name := srv.store(t)
			streamMemoryFlat(t, st, name, srv.query)
		})
	}
}

func streamMemoryFlat(t *testing.T, st *store.Store, name string, q func(n int) string) {
	ctx := context.Background()
	c := New(WithStore(st))
	defer c.Close()
	const bound = 12 << 20
	peaks := map[int]uint64{}
	for _, n := range []int{20_000, 200_000} {
		base := heapInuse()
		var peak uint64
		got := 0
		for row, err := range c.Stream(ctx, q(n), name) {
			if err != nil {
				t.Fatal(err)
			}
			if row.Value(1).(string) == "" {
				t.Fatal("empty value")
			}
			if got++; got%5000 == 0 {
				if h := heapInuse(); h > base {
					peak = max(peak, h-base)
				}
			}
		}
		if got != n {
			t.Fatalf("streamed %d rows, want %d", got, n)
		}
		peaks[n] = peak
		if peak > bound {
			t.Errorf("streaming %d rows: heap grew %d bytes, over %d", n, peak, bound)
		}
	}
	base := heapInuse()
	r, err := c.OdbcToRows(ctx, q(200_000), name)
	if err != nil {
		t.Fatal(err)
	}
	full := heapInuse() - base
	runtime.KeepAlive(r)
	if full < bound {
		t.Errorf("materializing 200k rows grew the heap by only %d bytes: the bound proves nothing", full)
	}
	t.Logf("heap growth: stream 20k %.1f MB, stream 200k %.1f MB, OdbcToRows 200k %.1f MB",
		float64(peaks[20_000])/(1<<20), float64(peaks[200_000])/(1<<20), float64(full)/(1<<20))
}
