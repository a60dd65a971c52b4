package tdspeer_test

import (
	"errors"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestErrors proves failures come back as ERROR tokens with SQL Server's
// number, state and class, and that the session answers the next query.
func TestErrors(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	db.SetMaxOpenConns(1) // one session: it must survive every error
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, "CREATE TABLE dup (id INT PRIMARY KEY, v NVARCHAR(10))"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO dup VALUES (1, N'a')"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query  string
		args   []any
		number int32
		class  uint8
		msg    string
	}{
		{"SELEC 1", nil, 102, 15, "Incorrect syntax near 'SELEC'."},
		{"SELECT (1", nil, 102, 15, ""},
		{"SELECT nope FROM dup", nil, 207, 16, "Invalid column name 'nope'."},
		{"SELECT * FROM missing_table", nil, 208, 16, "Invalid object name 'missing_table'."},
		{"INSERT INTO dup VALUES (1, N'b')", nil, 2627, 14, ""},
		{"SELECT CAST(3000000000 AS INT)", nil, 8115, 16, "Arithmetic overflow error converting expression to data type int."},
		{"SELECT CAST(@p1 AS TINYINT)", []any{int64(256)}, 8115, 16, "Arithmetic overflow error converting expression to data type tinyint."},
		{"SELECT 1 / 0", nil, 8134, 16, "Divide by zero error encountered."},
		{"SELECT id % (id - 1) FROM dup", nil, 8134, 16, "Divide by zero error encountered."},
		{"SELECT TRUE", nil, 207, 16, "Invalid column name 'TRUE'."},
		{"SELECT CAST('abc' AS INT)", nil, 245, 16, "Conversion failed when converting the nvarchar value 'abc' to data type int."},
		{"SELECT 'unclosed", nil, 105, 15, "Unclosed quotation mark after the character string 'unclosed'."},
		{"SELECT @nope", nil, 137, 15, `Must declare the scalar variable "@nope".`},
		{"SELECT no_such_fn(1)", nil, 195, 15, "'no_such_fn' is not a recognized built-in function name."},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			_, err := db.ExecContext(ctx, c.query, c.args...)
			var me mssql.Error
			if !errors.As(err, &me) {
				t.Fatalf("got %v (%T), want an mssql.Error", err, err)
			}
			if me.Number != c.number || me.Class != c.class || (c.msg != "" && me.Message != c.msg) {
				t.Errorf("got %d class %d %q, want %d class %d %q", me.Number, me.Class, me.Message, c.number, c.class, c.msg)
			}
			if me.ServerName == "" {
				t.Error("no server name")
			}
			var n int
			if err := db.QueryRowContext(ctx, "SELECT 7").Scan(&n); err != nil || n != 7 {
				t.Fatalf("session after the error: %d, %v", n, err)
			}
		})
	}
	// a syntax error anywhere in a batch means no statement of it runs
	if _, err := db.ExecContext(ctx, "INSERT INTO dup VALUES (5, N'x'); SELEC 1"); err == nil {
		t.Fatal("batch with a syntax error ran")
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM dup WHERE id = 5").Scan(&n); err != nil || n != 0 {
		t.Errorf("the batch's INSERT ran: %d, %v", n, err)
	}
}

// TestBatches proves several statements and result sets per batch, row
// counts, SET NOCOUNT, PRINT and RETURNSTATUS through the driver.
func TestBatches(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	res, err := db.ExecContext(ctx, "CREATE TABLE b (id INT IDENTITY(1,1) PRIMARY KEY, v NVARCHAR(20)); INSERT INTO b (v) VALUES (N'x'), (N'y'); UPDATE b SET v = N'z' WHERE id = 2")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 3 {
		t.Errorf("RowsAffected %d, want 3 (2 inserted + 1 updated)", n)
	}
	rows, err := db.QueryContext(ctx, "SELECT id, v FROM b ORDER BY id; SELECT COUNT(*) AS n FROM b")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if !rows.NextResultSet() || !rows.Next() {
		t.Fatalf("no second result set: %v", rows.Err())
	}
	var n int
	if err := rows.Scan(&n); err != nil || n != 2 {
		t.Errorf("second result: %d, %v", n, err)
	}
	rows.Close()
	if len(got) != 2 || got[0] != "x" || got[1] != "z" {
		t.Errorf("first result %v", got)
	}
	// with parameters (sp_executesql: DONEINPROC, RETURNSTATUS, DONEPROC)
	var rs mssql.ReturnStatus
	rows, err = db.QueryContext(ctx, "SELECT v FROM b WHERE id = @p1; SELECT @p2 AS s", 1, "two", &rs)
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for {
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			vals = append(vals, v)
		}
		if !rows.NextResultSet() {
			break
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(vals) != 2 {
		t.Fatalf("param batch: %q", vals)
	}
	v1, v2 := vals[0], vals[1]
	if v1 != "x" || v2 != "two" || rs != 0 {
		t.Errorf("got %q %q return status %d", v1, v2, rs)
	}
	res, err = db.ExecContext(ctx, "SET NOCOUNT ON; DELETE FROM b WHERE id = @p1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 0 {
		t.Errorf("NOCOUNT ON: RowsAffected %d", n)
	}
}
