package dbsqlpeer_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// TestDropSessions ends the sessions of a pool through each way the peer
// offers (Go method, REST through Remote) and proves what databricks-sql-go
// makes of it: a pinned connection's next statement fails with an error
// that is driver.ErrBadConn and names the closed session, and the pool's
// queries succeed on new sessions.
func TestDropSessions(t *testing.T) {
	for _, via := range []string{"method", "remote"} {
		t.Run(via, func(t *testing.T) {
			p := startPeer(t, dbsqlpeer.Config{})
			db := openDB(t, p)
			ctx := testContext(t)
			const n = 3
			db.SetMaxIdleConns(n)
			var conns []*sql.Conn
			for range n {
				c, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := c.PingContext(ctx); err != nil {
					t.Fatal(err)
				}
				conns = append(conns, c)
			}
			pinned := conns[0]
			for _, c := range conns[1:] {
				c.Close()
			}
			var dropped int
			switch via {
			case "method":
				dropped = p.DropSessions()
			case "remote":
				var err error
				if dropped, err = (&dbsqlpeer.Remote{URL: p.URL(), Token: testToken}).DropSessions(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if dropped != n {
				t.Fatalf("DropSessions ended %d sessions, want %d", dropped, n)
			}
			if s := p.Stats(); s.OpenSessions != 0 {
				t.Fatalf("%d sessions open after DropSessions", s.OpenSessions)
			}
			var one int
			err := pinned.QueryRowContext(ctx, "SELECT 1").Scan(&one)
			if !errors.Is(err, driver.ErrBadConn) || !strings.Contains(err.Error(), "Invalid SessionHandle") {
				t.Fatalf("query on an ended session: %v; want driver.ErrBadConn naming the invalid session", err)
			}
			pinned.Close()
			for i := range 2 * n {
				if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
					t.Fatalf("query %d on the pool after the drop: %v", i, err)
				}
			}
			if s := p.Stats(); s.OpenSessions == 0 || s.Calls["OpenSession"] <= n {
				t.Fatalf("the pool did not open new sessions: %+v", s)
			}
		})
	}
}

// TestRunningStatements shows a long statement in RunningStatements and in
// Remote.Running while it runs, and in neither once its context is canceled.
func TestRunningStatements(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{DirectResultsWait: -1})
	db := openDB(t, p)
	ctx := testContext(t)
	remote := &dbsqlpeer.Remote{URL: p.URL(), Token: testToken}
	q := "SELECT count(*) FROM range(0, 4000000000000) /* running-marker */"
	qctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		var n int64
		done <- db.QueryRowContext(qctx, q).Scan(&n)
	}()
	seen := func() (method, rest bool) {
		r, err := remote.Running(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Contains(p.RunningStatements(), q), slices.Contains(r, q)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		m, r := seen()
		if m && r {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the statement never showed as running (method %v, REST %v)", m, r)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled statement: %v", err)
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		m, r := seen()
		if !m && !r {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the canceled statement still shows as running (method %v, REST %v)", m, r)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRemoteRefused: a wrong token, a filter the peer cannot answer and a
// bad URL give errors that name the call and never the token.
func TestRemoteRefused(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	ctx := testContext(t)
	const wrong = "dapi-wrong-token-value"
	for _, tc := range []struct {
		name string
		r    *dbsqlpeer.Remote
		call func(r *dbsqlpeer.Remote) error
		want string
	}{
		{"wrong token running", &dbsqlpeer.Remote{URL: p.URL(), Token: wrong},
			func(r *dbsqlpeer.Remote) error { _, err := r.Running(ctx); return err }, "HTTP 401 UNAUTHENTICATED"},
		{"wrong token drop", &dbsqlpeer.Remote{URL: p.URL(), Token: wrong},
			func(r *dbsqlpeer.Remote) error { _, err := r.DropSessions(ctx); return err }, "HTTP 401 UNAUTHENTICATED"},
		{"not a URL", &dbsqlpeer.Remote{URL: "localhost:1", Token: wrong},
			func(r *dbsqlpeer.Remote) error { _, err := r.Running(ctx); return err }, "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(tc.r)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), wrong) {
				t.Fatalf("error %v; want one containing %q and not the token", err, tc.want)
			}
		})
	}
	if s := p.Stats(); s.OpenSessions != 0 {
		t.Fatalf("a refused drop touched sessions: %+v", s)
	}
}

// TestRangeAndRepeat runs Spark's range() and repeat() through the driver.
func TestRangeAndRepeat(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	ids := func(q string) []int64 {
		t.Helper()
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var v int64 // BIGINT, as Spark's range gives
			if err := rows.Scan(&v); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"SELECT id FROM range(4)", []int64{0, 1, 2, 3}},
		{"SELECT id FROM range(1, 10, 3)", []int64{1, 4, 7}},
		{"SELECT id FROM range(10, 0, -3)", []int64{10, 7, 4, 1}},
		{"SELECT id FROM range(5, 5)", nil},
		{"SELECT id FROM range(0, 10, 0)", nil},
		{"SELECT r.id FROM range(2) AS r JOIN range(1, 3) s ON s.id = r.id", []int64{1}},
		{"SELECT a.id * 10 + b.id FROM range(2) a, range(2) b ORDER BY 1", []int64{0, 1, 10, 11}},
		{"SELECT count(*) FROM range(1, 100001)", []int64{100000}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			if got := ids(tc.q); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	var a, b string
	var c sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT repeat('ab', 3), repeat('x', 0), repeat(NULL, 2)").Scan(&a, &b, &c); err != nil {
		t.Fatal(err)
	}
	if a != "ababab" || b != "" || c.Valid {
		t.Fatalf("repeat: %q, %q, %v", a, b, c)
	}
}
