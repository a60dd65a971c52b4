package orapeer

import (
	"database/sql"
	"math"
	"strings"
	"testing"
	"time"
)

// TestDialectExpressions runs the SQL an Oracle dialect of the conformance
// suite would send (and that a real Oracle runs the same way): typed
// casts and literals, binds under casts, specials, a row series, a
// session id.
func TestDialectExpressions(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	ctx := testCtx(t)
	var (
		i64   int64
		f64   float64
		dec   string
		txt   string
		bin   []byte
		d     time.Time
		ts    time.Time
		tstz  time.Time
		nan   float64
		ninf  float64
		bound int64
	)
	err := db.QueryRowContext(ctx, `SELECT CAST('9007199254740993' AS NUMBER(19)), CAST('1.5' AS BINARY_DOUBLE),
		CAST('12345678901234567890.123456789' AS NUMBER(38,9)), CAST('héllo' AS VARCHAR2(100)), HEXTORAW('00ff10'),
		TO_DATE('2024-02-29', 'YYYY-MM-DD'), TO_TIMESTAMP('2024-02-29 13:45:07.123456', 'YYYY-MM-DD HH24:MI:SS.FF6'),
		TO_TIMESTAMP_TZ('2024-02-29 13:45:07.123456 +05:30', 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM'),
		BINARY_DOUBLE_NAN, -BINARY_DOUBLE_INFINITY, CAST(:1 AS NUMBER(19))
		FROM DUAL`, int64(-42)).Scan(&i64, &f64, &dec, &txt, &bin, &d, &ts, &tstz, &nan, &ninf, &bound)
	if err != nil {
		t.Fatal(err)
	}
	if i64 != 9007199254740993 || f64 != 1.5 || dec != "12345678901234567890.123456789" || txt != "héllo" || string(bin) != "\x00\xff\x10" {
		t.Fatalf("got %v %v %q %q %x", i64, f64, dec, txt, bin)
	}
	if !d.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) || !ts.Equal(time.Date(2024, 2, 29, 13, 45, 7, 123456000, time.UTC)) {
		t.Fatalf("date %v timestamp %v", d, ts)
	}
	if want := time.Date(2024, 2, 29, 13, 45, 7, 123456000, time.FixedZone("", 5*3600+1800)); !tstz.Equal(want) {
		t.Fatalf("timestamptz %v, want %v", tstz, want)
	}
	if _, off := tstz.Zone(); off != 5*3600+1800 {
		t.Fatalf("timestamptz offset %d", off)
	}
	if !math.IsNaN(nan) || !math.IsInf(ninf, -1) || bound != -42 {
		t.Fatalf("nan %v -inf %v bound %v", nan, ninf, bound)
	}

	rows, err := db.QueryContext(ctx, `SELECT LEVEL AS i, RPAD('x', 200, 'x') AS pad FROM DUAL CONNECT BY LEVEL <= 1000`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		var i int
		var s string
		if err := rows.Scan(&i, &s); err != nil {
			t.Fatal(err)
		}
		n++
		if i != n || s != strings.Repeat("x", 200) {
			t.Fatalf("row %d: %d %q", n, i, s)
		}
	}
	rows.Close()
	if n != 1000 || strings.Join(cols, ",") != "I,PAD" {
		t.Fatalf("%d rows, columns %v", n, cols)
	}
	var sid int64
	if err := db.QueryRowContext(ctx, `SELECT TO_NUMBER(SYS_CONTEXT('USERENV', 'SID')) FROM DUAL`).Scan(&sid); err != nil || sid <= 0 {
		t.Fatalf("sid %d, %v", sid, err)
	}
	// typed binds go-ora sends: time.Time as TIMESTAMP WITH TIME ZONE, []byte as RAW
	when := time.Date(2023, 7, 1, 8, 9, 10, 500000000, time.FixedZone("", -4*3600))
	var back time.Time
	var raw []byte
	if err := db.QueryRowContext(ctx, `SELECT CAST(:1 AS TIMESTAMP WITH TIME ZONE), :2 FROM DUAL`, when, []byte{1, 2, 3}).Scan(&back, &raw); err != nil {
		t.Fatal(err)
	}
	if !back.Equal(when) || string(raw) != "\x01\x02\x03" {
		t.Fatalf("bound timestamptz %v (want %v), raw %x", back, when, raw)
	}
	// FETCH FIRST / OFFSET, and a scratch table
	mustExec(t, db, `CREATE TABLE scratch_1 (id NUMBER(19) PRIMARY KEY, v VARCHAR2(100))`)
	for i := 1; i <= 5; i++ {
		mustExec(t, db, `INSERT INTO scratch_1 (id, v) VALUES (:1, :2)`, i, "v")
	}
	var ids []int
	r2, err := db.QueryContext(ctx, `SELECT id FROM scratch_1 ORDER BY id OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY`)
	if err != nil {
		t.Fatal(err)
	}
	for r2.Next() {
		var id int
		_ = r2.Scan(&id)
		ids = append(ids, id)
	}
	r2.Close()
	if len(ids) != 2 || ids[0] != 2 || ids[1] != 3 {
		t.Fatalf("OFFSET/FETCH ids %v", ids)
	}
	mustExec(t, db, `DROP TABLE scratch_1 PURGE`)
	var x sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT v FROM scratch_1`).Scan(&x); oraCode(err) != 942 {
		t.Fatalf("dropped table: %v", err)
	}
}
