package tdspeer_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// bulkCopy runs go-mssqldb's bulk copy of rows into table in tx.
func bulkCopy(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) (int64, error) {
	stmt, err := tx.PrepareContext(ctx, mssql.CopyIn(table, mssql.BulkOptions{}, cols...))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return 0, err
		}
	}
	res, err := stmt.ExecContext(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// TestBulkCopy loads a row of every type the peer has, and a row of
// NULLs, with go-mssqldb's bulk copy (INSERT BULK and a bulk load
// message) in a transaction, and reads them back.
func TestBulkCopy(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bulk_all (id INT PRIMARY KEY, b BIT, ti TINYINT, si SMALLINT, bi BIGINT,
		r REAL, f FLOAT, d DECIMAL(12,3), n NUMERIC(38,10), vc VARCHAR(20), nv NVARCHAR(50), nm NVARCHAR(MAX),
		vb VARBINARY(10), vm VARBINARY(MAX), dt DATE, tm TIME(7), t2 DATETIME2(7), tz DATETIMEOFFSET(7), g UNIQUEIDENTIFIER)`); err != nil {
		t.Fatal(err)
	}
	cols := []string{"id", "b", "ti", "si", "bi", "r", "f", "d", "n", "vc", "nv", "nm", "vb", "vm", "dt", "tm", "t2", "tz", "g"}
	ts := time.Date(2024, 2, 29, 10, 11, 12, 123456700, time.UTC)
	big := strings.Repeat("日本語 ", 3000) // PLP in several chunks
	guid := []byte{0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}
	rows := [][]any{
		{int64(1), true, int64(255), int64(-32768), int64(-9223372036854775808), 1.5, 1.5e300, "-12345.678",
			"1234567890123456789012345678.0123456789", "caf\xe9", "h\u00e9llo \U0001F600", big,
			[]byte{0, 0xff}, []byte(strings.Repeat("x", 9000)), ts, ts, ts, ts.In(time.FixedZone("", 2*3600)), guid},
		make([]any, len(cols)),
	}
	rows[1][0] = int64(2)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := bulkCopy(ctx, tx, "dbo.bulk_all", cols, rows)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("bulk copy took %d rows, want 2", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range got {
		ptrs[i] = &got[i]
	}
	if err := db.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM bulk_all WHERE id = 1").Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), true, int64(255), int64(-32768), int64(-9223372036854775808), 1.5, 1.5e300, []byte("-12345.678"),
		[]byte("1234567890123456789012345678.0123456789"), "caf\u00e9", "h\u00e9llo \U0001F600", big,
		[]byte{0, 0xff}, []byte(strings.Repeat("x", 9000)), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 10, 11, 12, 123456700, time.UTC), ts, ts.In(time.FixedZone("", 2*3600)), guid}
	for i := range want {
		if !equalValue(got[i], want[i]) {
			t.Errorf("%s = %#v, want %#v", cols[i], short(got[i]), short(want[i]))
		}
	}
	var nulls int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM bulk_all WHERE id = 2 AND b IS NULL AND nm IS NULL AND vm IS NULL AND g IS NULL AND tz IS NULL AND d IS NULL").Scan(&nulls); err != nil || nulls != 1 {
		t.Errorf("row of NULLs: %d (%v)", nulls, err)
	}
}

func equalValue(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	case time.Time:
		y, ok := b.(time.Time)
		_, xo := x.Zone()
		_, yo := y.Zone()
		return ok && x.Equal(y) && xo == yo
	}
	return a == b
}

func short(v any) any {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			return x[:40] + "…"
		}
	case []byte:
		if len(x) > 40 {
			return x[:40]
		}
	}
	return v
}

// TestBulkCopyDuplicateKey: a duplicate key in a bulk load fails it with
// error 2627 and inserts none of its rows; the transaction goes on.
func TestBulkCopyDuplicateKey(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bulk_dup (id INT PRIMARY KEY, v NVARCHAR(10)); INSERT INTO bulk_dup VALUES (1, N'one')`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var rows [][]any
	for i := 2; i <= 500; i++ {
		rows = append(rows, []any{int64(i), "v"})
	}
	rows = append(rows, []any{int64(1), "dup"})
	_, err = bulkCopy(ctx, tx, "bulk_dup", []string{"id", "v"}, rows)
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 2627 {
		t.Fatalf("bulk copy with a duplicate key: %v, want error 2627", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM bulk_dup").Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows after the failed bulk load: %d (%v), want 1", n, err)
	}
	if _, err := bulkCopy(ctx, tx, "bulk_dup", []string{"v", "id"}, [][]any{{"two", int64(2)}}); err != nil {
		t.Fatalf("bulk copy after the failed one: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := db.QueryRowContext(ctx, "SELECT v FROM bulk_dup WHERE id = 2").Scan(&v); err != nil || v != "two" {
		t.Fatalf("row 2: %q (%v)", v, err)
	}
}

// TestBulkCopyBadTarget: INSERT BULK into a table or column that does not
// exist fails as SQL Server fails it, before any row is sent.
func TestBulkCopyBadTarget(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bulk_bad (id INT)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := bulkCopy(ctx, tx, "no_such_table", []string{"id"}, [][]any{{int64(1)}}); err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("bulk copy into a missing table: %v", err)
	}
	if _, err := bulkCopy(ctx, tx, "bulk_bad", []string{"nope"}, [][]any{{int64(1)}}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("bulk copy into a missing column: %v", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM bulk_bad").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows: %d (%v)", n, err)
	}
}
