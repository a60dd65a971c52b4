package dbsqlpeer_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	dbsql "github.com/databricks/databricks-sql-go"
	dbsqlerr "github.com/databricks/databricks-sql-go/errors"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// callDelta returns the calls made since before.
func callDelta(before, after dbsqlpeer.Stats) map[string]int64 {
	d := make(map[string]int64)
	for k, v := range after.Calls {
		if v-before.Calls[k] != 0 {
			d[k] = v - before.Calls[k]
		}
	}
	return d
}

// TestDirectResults proves a short query costs one ExecuteStatement round
// trip: status, metadata, rows and close all come back in it.
func TestDirectResults(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	before := p.Stats()
	var n int32
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("SELECT 1: %v, %d", err, n)
	}
	got := callDelta(before, p.Stats())
	if len(got) != 1 || got["ExecuteStatement"] != 1 {
		t.Errorf("calls for one short query: %v, want only ExecuteStatement:1", got)
	}
	if s := p.Stats(); s.OpenOperations != 0 {
		t.Errorf("%d operations left open", s.OpenOperations)
	}
}

// TestPaging proves FetchResults paging: a result larger than the driver's
// page size arrives complete and in order over several FetchResults calls,
// and the operation is closed at the end.
func TestPaging(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p, dbsql.WithMaxRows(7))
	ctx := testContext(t)
	before := p.Stats()
	rows, err := db.QueryContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50)
		SELECT CAST(x AS INT) AS x, CAST(x AS STRING) AS s FROM c ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	want := int32(1)
	for rows.Next() {
		var x int32
		var s string
		if err := rows.Scan(&x, &s); err != nil {
			t.Fatal(err)
		}
		if x != want || s != strings.TrimSpace(s) {
			t.Fatalf("row %d: got %d %q", want, x, s)
		}
		want++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if want != 51 {
		t.Fatalf("got %d rows, want 50", want-1)
	}
	got := callDelta(before, p.Stats())
	// 7 rows come with ExecuteStatement, 43 in ceil(43/7) = 7 pages.
	if got["ExecuteStatement"] != 1 || got["FetchResults"] != 7 || got["CloseOperation"] != 1 {
		t.Errorf("calls: %v, want ExecuteStatement:1 FetchResults:7 CloseOperation:1", got)
	}
	if s := p.Stats(); s.OpenOperations != 0 {
		t.Errorf("%d operations left open", s.OpenOperations)
	}
}

// TestPolling proves GetOperationStatus: with direct results answered at
// once (RUNNING), the driver polls until the statement finished.
func TestPolling(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{DirectResultsWait: -1})
	db := openDB(t, p, dbsql.WithMaxRows(3))
	ctx := testContext(t)
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2)").Scan(&n); err != nil || n != 2 {
		t.Fatalf("count: %v, %d", err, n)
	}
	s := p.Stats()
	if s.Calls["GetOperationStatus"] < 1 {
		// The statement may also finish before ExecuteStatement answers;
		// then direct results carry it. Both are valid; record which.
		t.Logf("statement finished before ExecuteStatement answered: %v", s.Calls)
	}
	if s.OpenOperations != 0 {
		t.Errorf("%d operations left open", s.OpenOperations)
	}
}

// TestParameters proves TSparkParameter binding, positional and named, for
// each type the driver infers.
func TestParameters(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE params (id INT, name STRING, score DOUBLE, ok BOOLEAN, at TIMESTAMP, amount DECIMAL(8,3))`); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 6, 1, 8, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	res, err := db.ExecContext(ctx, `INSERT INTO params VALUES (?, ?, ?, ?, ?, ?)`,
		1, "it's", 0.25, true, at, dbsql.Parameter{Type: dbsql.SqlDecimal, Value: "12.5"})
	if err != nil {
		t.Fatalf("positional INSERT: %v", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Errorf("RowsAffected: %d, %v; want 1", n, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO params VALUES (:id, :name, NULL, :ok, NULL, NULL)`,
		sql.Named("id", 2), sql.Named("name", "b"), sql.Named("ok", false)); err != nil {
		t.Fatalf("named INSERT: %v", err)
	}
	tests := []struct {
		name  string
		query string
		args  []any
		want  string
	}{
		{"positional int", "SELECT name FROM params WHERE id = ?", []any{2}, "b"},
		{"named int", "SELECT name FROM params WHERE id = :id", []any{sql.Named("id", 1)}, "it's"},
		{"positional bool", "SELECT name FROM params WHERE ok = ?", []any{false}, "b"},
		{"positional double", "SELECT name FROM params WHERE score = ?", []any{0.25}, "it's"},
		{"timestamp in UTC", "SELECT name FROM params WHERE at = ?", []any{at.UTC()}, "it's"},
		{"decimal", "SELECT CAST(amount AS STRING) FROM params WHERE amount = ?", []any{dbsql.Parameter{Type: dbsql.SqlDecimal, Value: "12.500"}}, "12.5"},
		{"null parameter", "SELECT CAST(? IS NULL AS STRING)", []any{nil}, "1"},
		{"string with quote", "SELECT id FROM params WHERE name = :n", []any{sql.Named("n", "it's")}, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if err := db.QueryRowContext(ctx, tc.query, tc.args...).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	var got time.Time
	if err := db.QueryRowContext(ctx, "SELECT at FROM params WHERE id = 1").Scan(&got); err != nil || !got.Equal(at) {
		t.Errorf("timestamp round trip: %v, %v; want %v", got, err, at)
	}
}

// TestErrors proves failures reach the driver as execution errors with the
// SQLSTATE a warehouse reports, and change nothing.
func TestErrors(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, "CREATE TABLE uniq (id INT PRIMARY KEY, v INT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO uniq VALUES (1, 1)"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query, sqlState, class string
		exec                         bool
	}{
		{"syntax", "SELEC 1", "42601", "PARSE_SYNTAX_ERROR", false},
		{"missing table", "SELECT * FROM nowhere", "42P01", "TABLE_OR_VIEW_NOT_FOUND", false},
		{"missing column", "SELECT nope FROM uniq", "42703", "UNRESOLVED_COLUMN", false},
		{"duplicate key", "INSERT INTO uniq VALUES (1, 2)", "23505", "UNIQUE_CONSTRAINT_VIOLATION", true},
		{"not null", "INSERT INTO uniq VALUES (2, NULL)", "23502", "NOT_NULL_CONSTRAINT_VIOLATION", true},
		{"bad cast", "SELECT CAST('abc' AS INT)", "22018", "CAST_INVALID_INPUT", false},
		{"int overflow", "SELECT CAST(3000000000 AS INT)", "22018", "CAST_INVALID_INPUT", false},
		{"table exists", "CREATE TABLE uniq (x INT)", "42P07", "TABLE_OR_VIEW_ALREADY_EXISTS", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.exec {
				_, err = db.ExecContext(ctx, tc.query)
			} else {
				var rows *sql.Rows
				rows, err = db.QueryContext(ctx, tc.query)
				if err == nil {
					rows.Close()
				}
			}
			if err == nil {
				t.Fatal("no error")
			}
			var ee dbsqlerr.DBExecutionError
			if !errors.As(err, &ee) {
				t.Fatalf("error %v is not a DBExecutionError", err)
			}
			if ee.SqlState() != tc.sqlState {
				t.Errorf("SqlState %q, want %q (error: %v)", ee.SqlState(), tc.sqlState, err)
			}
			if !strings.Contains(err.Error(), "["+tc.class+"]") {
				t.Errorf("error %q lacks [%s]", err, tc.class)
			}
		})
	}
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM uniq").Scan(&n); err != nil || n != 1 {
		t.Errorf("after failures: count %d, %v; want 1", n, err)
	}
	if s := p.Stats(); s.OpenOperations != 0 {
		t.Errorf("%d operations left open after failures", s.OpenOperations)
	}
}

// TestExecRowsAffected proves numModifiedRows: DML reports the rows it
// changed, DDL none.
func TestExecRowsAffected(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	steps := []struct {
		query string
		want  int64
	}{
		{"CREATE TABLE t (id INT, v STRING) USING DELTA", 0},
		{"INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')", 3},
		{"UPDATE t SET v = 'z' WHERE id >= 2", 2},
		{"DELETE FROM t WHERE id = 1", 1},
		{"DROP TABLE t", 0},
	}
	for _, st := range steps {
		res, err := db.ExecContext(ctx, st.query)
		if err != nil {
			t.Fatalf("%s: %v", st.query, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != st.want {
			t.Errorf("%s: RowsAffected %d, %v; want %d", st.query, n, err, st.want)
		}
	}
}

// infinite never finishes on its own: only cancellation stops it.
const infinite = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

// TestCancel proves canceling the caller's context stops the statement on
// the peer, both while the driver waits in ExecuteStatement and while it
// polls GetOperationStatus (then through CancelOperation).
func TestCancel(t *testing.T) {
	tests := []struct {
		name       string
		wait       time.Duration
		wantCancel bool // the driver sends CancelOperation
	}{
		{"during ExecuteStatement", time.Hour, false},
		{"while polling", -1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startPeer(t, dbsqlpeer.Config{DirectResultsWait: tc.wait})
			db := openDB(t, p)
			ctx, cancel := context.WithCancel(testContext(t))
			defer cancel()
			go func() {
				waitFor(t, "statement running", func() bool { return p.Stats().Running == 1 })
				if tc.wantCancel {
					waitFor(t, "driver polling", func() bool { return p.Stats().Calls["GetOperationStatus"] >= 1 })
				}
				cancel()
			}()
			var n int64
			err := db.QueryRowContext(ctx, infinite).Scan(&n)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			waitFor(t, "statement stopped", func() bool { s := p.Stats(); return s.Running == 0 && s.Canceled == 1 })
			if got := p.Stats().Calls["CancelOperation"]; (got > 0) != tc.wantCancel {
				t.Errorf("CancelOperation calls %d, want any: %v", got, tc.wantCancel)
			}
			// The peer still serves the connection.
			if err := db.QueryRowContext(testContext(t), "SELECT 5").Scan(&n); err != nil || n != 5 {
				t.Errorf("after cancel: %v, %d", err, n)
			}
		})
	}
}

// TestStatementTimeout proves queryTimeout ends a statement in TIMEDOUT_STATE.
func TestStatementTimeout(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p, dbsql.WithTimeout(time.Second))
	var n int64
	err := db.QueryRowContext(testContext(t), infinite).Scan(&n)
	if err == nil || !strings.Contains(err.Error(), "TIMEDOUT_STATE") {
		t.Fatalf("got %v, want a TIMEDOUT_STATE error", err)
	}
	waitFor(t, "statement stopped", func() bool { return p.Stats().Running == 0 })
}

// waitFor polls cond until it holds, failing after a generous bound.
func waitFor(t *testing.T, what string, cond func() bool) {
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Errorf("timed out waiting for %s", what)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
