package orapeer

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/network"
)

func oraCode(err error) int {
	var oe *network.OracleError
	if errors.As(err, &oe) {
		return oe.ErrCode
	}
	return -1
}

func TestTypesRoundTrip(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	ctx := testCtx(t)
	mustExec(t, db, `CREATE TABLE typed (
		id NUMBER(10) PRIMARY KEY, n NUMBER, d BINARY_DOUBLE, s VARCHAR2(40 CHAR), ns NVARCHAR2(20),
		dt DATE, ts TIMESTAMP(6), tz TIMESTAMP WITH TIME ZONE, r RAW(16))`)
	when := time.Date(2024, 2, 29, 13, 45, 7, 0, time.UTC)
	ts := time.Date(2024, 2, 29, 13, 45, 7, 123456000, time.UTC)
	res, err := db.ExecContext(ctx, `INSERT INTO typed (id, n, d, s, ns, dt, ts, tz, r) VALUES (:1, :2, :3, :4, :5, :6, :7, :8, :9)`,
		1, 12345.678, 2.5, "héllo", "wörld ü", when, ts, ts, []byte{0xDE, 0xAD, 0xBE, 0xEF})
	if err != nil {
		t.Fatalf("insert: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("rows affected = %d", n)
	}
	mustExec(t, db, `INSERT INTO typed (id) VALUES (2)`)
	var (
		n         float64
		d         float64
		s, ns     string
		dt, gotTS time.Time
		tz        time.Time
		r         []byte
	)
	err = db.QueryRowContext(ctx, `SELECT n, d, s, ns, dt, ts, tz, r FROM typed WHERE id = :id`, sql.Named("id", 1)).
		Scan(&n, &d, &s, &ns, &dt, &gotTS, &tz, &r)
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	if n != 12345.678 || d != 2.5 || s != "héllo" || ns != "wörld ü" || !dt.Equal(when) || !gotTS.Equal(ts) || !tz.Equal(ts) || string(r) != "\xDE\xAD\xBE\xEF" {
		t.Fatalf("got %v %v %q %q %v %v %v %x", n, d, s, ns, dt, gotTS, tz, r)
	}
	var nn, nd, nstr, ndt any
	if err := db.QueryRowContext(ctx, `SELECT n, d, s, dt FROM typed WHERE id = 2`).Scan(&nn, &nd, &nstr, &ndt); err != nil {
		t.Fatal(err)
	}
	if nn != nil || nd != nil || nstr != nil || ndt != nil {
		t.Fatalf("NULLs came back as %v %v %v %v", nn, nd, nstr, ndt)
	}
	// '' is NULL in Oracle
	var empty sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT '' FROM DUAL`).Scan(&empty); err != nil || empty.Valid {
		t.Fatalf("'' = %v, %v; want NULL", empty, err)
	}
	mustExec(t, db, `UPDATE typed SET s = :1 WHERE id = 2`, "")
	var isNull int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM typed WHERE s IS NULL`).Scan(&isNull); err != nil || isNull != 1 {
		t.Fatalf("empty bind stored as NULL: count = %d, %v", isNull, err)
	}
}

// TestBinaryFloatColumn: a BINARY_FLOAT column is described as Oracle
// describes it (type 100, go-ora's IBFloat, 4 bytes) and keeps single
// precision, not as a BINARY_DOUBLE; so does a CAST to BINARY_FLOAT.
func TestBinaryFloatColumn(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	ctx := testCtx(t)
	mustExec(t, db, `CREATE TABLE bfloat (f BINARY_FLOAT, d BINARY_DOUBLE)`)
	mustExec(t, db, `INSERT INTO bfloat VALUES (0.1234567891, 0.1234567891)`)
	rows, err := db.QueryContext(ctx, `SELECT f, d, CAST(d AS BINARY_FLOAT) FROM bfloat`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"IBFloat", "IBDouble", "IBFloat"} {
		if got := cts[i].DatabaseTypeName(); got != want {
			t.Errorf("column %d described as %s, want %s", i, got, want)
		}
	}
	var f, d, c any
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	if err := rows.Scan(&f, &d, &c); err != nil {
		t.Fatal(err)
	}
	// go-ora gives a BINARY_FLOAT as the float64 of its shortest decimal.
	if f != 0.12345679 || d != 0.1234567891 || c != 0.12345679 {
		t.Fatalf("got %#v, %#v, %#v; want 0.12345679 (single precision), 0.1234567891, 0.12345679", f, d, c)
	}
}

func TestExpressions(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	ctx := testCtx(t)
	var (
		num   float64
		dt    time.Time
		ts    time.Time
		nan   float64
		inf   float64
		s     string
		whole int64
	)
	err := db.QueryRowContext(ctx, `SELECT 7 / 2, TO_DATE('2024-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS'),
		TO_TIMESTAMP('2024-01-02 03:04:05.25', 'YYYY-MM-DD HH24:MI:SS.FF'), BINARY_DOUBLE_NAN, BINARY_DOUBLE_INFINITY,
		UPPER('abc') || 'd', 6 / 3 FROM DUAL`).Scan(&num, &dt, &ts, &nan, &inf, &s, &whole)
	if err != nil {
		t.Fatal(err)
	}
	if num != 3.5 || !dt.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || !ts.Equal(time.Date(2024, 1, 2, 3, 4, 5, 250000000, time.UTC)) ||
		!math.IsNaN(nan) || !math.IsInf(inf, 1) || s != "ABCd" || whole != 2 {
		t.Fatalf("got %v %v %v %v %v %q %v", num, dt, ts, nan, inf, s, whole)
	}
	var stamp time.Time
	if err := db.QueryRowContext(ctx, `SELECT SYSTIMESTAMP FROM DUAL`).Scan(&stamp); err != nil || time.Since(stamp) > time.Hour || time.Since(stamp) < -time.Hour {
		t.Fatalf("SYSTIMESTAMP = %v, %v", stamp, err)
	}
}

func TestConnectByLevelAndFetch(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	rows, err := db.QueryContext(testCtx(t), `SELECT LEVEL, 'row ' || LEVEL FROM DUAL CONNECT BY LEVEL <= :n`, 2500)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var lvl int
		var s string
		if err := rows.Scan(&lvl, &s); err != nil {
			t.Fatal(err)
		}
		n++
		if lvl != n {
			t.Fatalf("row %d has LEVEL %d", n, lvl)
		}
	}
	if err := rows.Err(); err != nil || n != 2500 {
		t.Fatalf("read %d rows, %v", n, err)
	}
}

func TestErrorsKeepSessionUsable(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	db.SetMaxOpenConns(1)
	ctx := testCtx(t)
	mustExec(t, db, `CREATE TABLE uq (id NUMBER PRIMARY KEY, v VARCHAR2(10))`)
	mustExec(t, db, `INSERT INTO uq VALUES (1, 'a')`)
	for _, c := range []struct {
		sql  string
		code int
	}{
		{"FROBNICATE everything", 900},
		{"SELECT nosuchcol FROM dual", 904},
		{"SELECT * FROM nosuchtable", 942},
		{"INSERT INTO uq VALUES (1, 'b')", 1},
		{"SELECT 1 / 0 FROM DUAL", 1476},
		{"CREATE TABLE b (flag BOOLEAN)", 902},
		{"SELECT 1 FROM DUAL;", 933},
	} {
		_, err := db.ExecContext(ctx, c.sql)
		if c.sql[0] == 'S' {
			var x any
			err = db.QueryRowContext(ctx, c.sql).Scan(&x)
		}
		if got := oraCode(err); got != c.code {
			t.Errorf("%s: err = %v, want ORA-%05d", c.sql, err, c.code)
		}
		var one int
		if err := db.QueryRowContext(ctx, "SELECT 1 FROM DUAL").Scan(&one); err != nil || one != 1 {
			t.Fatalf("session unusable after %q: %v", c.sql, err)
		}
	}
}

func TestTransactions(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	ctx := testCtx(t)
	mustExec(t, db, `CREATE TABLE acct (id NUMBER, amount NUMBER)`)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO acct VALUES (1, 100)`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO acct VALUES (2, 200)`); err != nil {
		t.Fatal(err)
	}
	// another session does not see the uncommitted row
	var n int
	if err := p.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM acct`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("before commit another session sees %d rows, %v", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var ids []int
	rows, err := db.QueryContext(ctx, `SELECT id FROM acct ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != 1 || ids[0] != 2 {
		t.Fatalf("after rollback+commit ids = %v, want [2]", ids)
	}
	if _, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable}); err == nil {
		t.Fatal("go-ora accepted a non-default isolation level")
	}
}

func TestCancelSleep(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	db.SetMaxOpenConns(1)
	sid := func() string {
		var s string
		if err := db.QueryRowContext(testCtx(t), "SELECT SYS_CONTEXT('USERENV','SID') FROM DUAL").Scan(&s); err != nil {
			t.Fatalf("session unusable: %v", err)
		}
		return s
	}
	before := sid()
	ctx, cancel := context.WithCancel(testCtx(t))
	errc := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, `BEGIN DBMS_SESSION.SLEEP(30); END;`)
		errc <- err
	}()
	for len(p.RunningStatements()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	err := <-errc
	if err == nil {
		t.Fatal("cancelled sleep returned no error")
	}
	t.Logf("cancelled: %v", err)
	if code := oraCode(err); code != 1013 && !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ORA-01013 or context.Canceled", err)
	}
	if got := p.RunningStatements(); len(got) != 0 {
		t.Fatalf("still running after cancel: %v", got)
	}
	// the same session (TNS break/reset kept it) answers again
	if after := sid(); after != before {
		t.Fatalf("session changed from SID %s to %s: the break did not keep it", before, after)
	}
}

func mustExec(t testing.TB, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(testCtx(t), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestCancelLongQuery cancels a query that would count for hours: SQLite
// is interrupted, the client gets ORA-01013 through the break, and the
// session is kept.
func TestCancelLongQuery(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	db.SetMaxOpenConns(1)
	if err := db.PingContext(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	errc := make(chan error, 1)
	go func() {
		var n int64
		errc <- db.QueryRowContext(ctx, `SELECT COUNT(*) FROM DUAL CONNECT BY LEVEL <= 4000000000 /* long-count */`).Scan(&n)
	}()
	for len(p.RunningStatements()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	err := <-errc
	if code := oraCode(err); code != 1013 && !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ORA-01013 or context.Canceled", err)
	}
	for len(p.RunningStatements()) != 0 {
		time.Sleep(10 * time.Millisecond) // the peer must stop counting
	}
	var one int
	if err := db.QueryRowContext(testCtx(t), "SELECT 1 FROM DUAL").Scan(&one); err != nil || one != 1 {
		t.Fatalf("session unusable after cancel: %v", err)
	}
}
