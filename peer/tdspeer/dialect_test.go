package tdspeer_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestSuiteSQL runs the T-SQL a conformance dialect for SQL Server needs
// (the statements a real server answers the same way): CASTs of literals
// and parameters for every kind at its extremes, NULLs, a long series
// with OPTION (MAXRECURSION 0), a table, WAITFOR, @@SPID and the session's
// isolation level from sys.dm_exec_sessions.
func TestSuiteSQL(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	one := func(q string, dest any, args ...any) {
		t.Helper()
		if err := db.QueryRowContext(ctx, q, args...).Scan(dest); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	var i64 int64
	for _, v := range []string{"-9223372036854775808", "9223372036854775807"} {
		one("SELECT CAST('"+v+"' AS BIGINT)", &i64)
		if fmt.Sprint(i64) != v {
			t.Errorf("BIGINT %s: %d", v, i64)
		}
		one("SELECT CAST("+v+" AS BIGINT)", &i64)
		if fmt.Sprint(i64) != v {
			t.Errorf("BIGINT literal %s: %d", v, i64)
		}
	}
	var f float64
	for _, v := range []string{"1.7976931348623157e308", "2.2250738585072014e-308", "0.1"} {
		one("SELECT CAST('"+v+"' AS FLOAT)", &f)
		if fmt.Sprint(f) != fmt.Sprint(mustFloat(v)) {
			t.Errorf("FLOAT %s: %v", v, f)
		}
	}
	var s string
	for _, v := range []string{"12345678901234567890.123456789", "-0.000000001", "99999999999999999999999999999.999999999"} {
		one("SELECT CAST('"+v+"' AS DECIMAL(38,9))", &s)
		if s != v {
			t.Errorf("DECIMAL(38,9) %s: %s", v, s)
		}
	}
	for _, v := range []string{"", "héllo wörld", "日本語テキスト", "𝄞 😀 🇫🇷"} {
		one("SELECT CAST(N'"+v+"' AS NVARCHAR(MAX))", &s)
		if s != v {
			t.Errorf("NVARCHAR(MAX) %q: %q", v, s)
		}
	}
	one("SELECT CAST('𝄞 é' AS VARCHAR(20))", &s) // no N: code page 1252
	if s != "?? é" {
		t.Errorf("VARCHAR of a non-N literal: %q", s)
	}
	var b []byte
	one("SELECT CAST(0x00ff00017f8000 AS VARBINARY(MAX))", &b)
	if fmt.Sprintf("%x", b) != "00ff00017f8000" {
		t.Errorf("VARBINARY: %x", b)
	}
	var bit bool
	one("SELECT CAST('TRUE' AS BIT)", &bit)
	if !bit {
		t.Error("CAST('TRUE' AS BIT) is false")
	}
	var tm time.Time
	one("SELECT CAST('13:45:30.123456' AS TIME(6))", &tm)
	if tm.Format("15:04:05.000000") != "13:45:30.123456" {
		t.Errorf("TIME(6): %v", tm)
	}
	one("SELECT CAST('2024-02-29 23:59:59.123456' AS DATETIME2(6))", &tm)
	if tm.Format("2006-01-02 15:04:05.000000") != "2024-02-29 23:59:59.123456" {
		t.Errorf("DATETIME2(6): %v", tm)
	}
	one("SELECT CAST('2024-02-29 23:59:59.123456+05:30' AS DATETIMEOFFSET(6))", &tm)
	if want := time.Date(2024, 2, 29, 18, 29, 59, 123456000, time.UTC); !tm.Equal(want) {
		t.Errorf("DATETIMEOFFSET(6): %v", tm)
	}
	// parameters through CASTs, as bindCast does
	one("SELECT CAST(@p1 AS BIGINT)", &i64, int64(-9223372036854775808))
	one("SELECT CAST(@p1 AS FLOAT)", &f, 2.2250738585072014e-308)
	one("SELECT CAST(@p1 AS NVARCHAR(MAX))", &s, "𝄞 😀")
	one("SELECT CAST(@p1 AS VARBINARY(MAX))", &b, []byte{0, 255, 0})
	one("SELECT CAST(@p1 AS BIT)", &bit, true)
	when := time.Date(2024, 2, 29, 23, 59, 59, 123456000, time.FixedZone("", 19800))
	one("SELECT CAST(@p1 AS DATETIMEOFFSET(6))", &tm, when)
	if !tm.Equal(when) || s != "𝄞 😀" || !bit || len(b) != 3 {
		t.Errorf("bound values: %v %q %v %x", tm, s, bit, b)
	}
	// NULL of each type
	for _, typ := range []string{"BIGINT", "FLOAT", "DECIMAL(38,9)", "NVARCHAR(MAX)", "VARBINARY(MAX)", "BIT", "DATE", "TIME(6)", "DATETIME2(6)", "DATETIMEOFFSET(6)"} {
		var v any = 1
		one("SELECT CAST(NULL AS "+typ+")", &v)
		if v != nil {
			t.Errorf("NULL %s: %v", typ, v)
		}
	}
	// a long series
	rows, err := db.QueryContext(ctx, "WITH g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000) SELECT i, REPLICATE('x', 200) FROM g OPTION (MAXRECURSION 0)")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if n != 20000 {
		t.Errorf("series: %d rows", n)
	}
	// a table
	if _, err := db.ExecContext(ctx, "CREATE TABLE vapconf_t (id BIGINT PRIMARY KEY, v NVARCHAR(100))"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO vapconf_t (id, v) VALUES (@p1, @p2)", 1, "ü"); err != nil {
		t.Fatal(err)
	}
	one("SELECT v FROM vapconf_t WHERE id = @p1", &s, 1)
	// the session and its isolation level
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var spid int64
	if err := conn.QueryRowContext(ctx, "SELECT @@SPID").Scan(&spid); err != nil || spid < 51 {
		t.Errorf("@@SPID %d, %v", spid, err)
	}
	const isoQuery = "SELECT CASE transaction_isolation_level WHEN 1 THEN 'read uncommitted' WHEN 2 THEN 'read committed' WHEN 3 THEN 'repeatable read' WHEN 4 THEN 'serializable' WHEN 5 THEN 'snapshot' END FROM sys.dm_exec_sessions WHERE session_id = @@SPID"
	for level, want := range map[sql.IsolationLevel]string{sql.LevelReadUncommitted: "read uncommitted",
		sql.LevelRepeatableRead: "repeatable read", sql.LevelSerializable: "serializable", sql.LevelSnapshot: "snapshot"} {
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: level})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := tx.QueryRowContext(ctx, isoQuery).Scan(&got); err != nil || got != want {
			t.Errorf("isolation %v: %q, %v", level, got, err)
		}
		_ = tx.Rollback()
	}
	if _, err := conn.ExecContext(ctx, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := conn.QueryRowContext(ctx, isoQuery).Scan(&got); err != nil || got != "read committed" {
		t.Errorf("after SET TRANSACTION ISOLATION LEVEL: %q, %v", got, err)
	}
}

func mustFloat(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}
