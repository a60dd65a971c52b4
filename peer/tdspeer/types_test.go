package tdspeer_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestTypes reads a value of every supported type, and NULL of it, from
// a top-level CAST through go-mssqldb, checking the Go value and the
// type name the driver reports from COLMETADATA.
func TestTypes(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	ts := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04:05.999999999 -07:00", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		expr, typ string
		want      any
	}{
		{"CAST(1 AS BIT)", "BIT", true},
		{"CAST('false' AS BIT)", "BIT", false},
		{"CAST(255 AS TINYINT)", "TINYINT", int64(255)},
		{"CAST(-32768 AS SMALLINT)", "SMALLINT", int64(-32768)},
		{"CAST(2147483647 AS INT)", "INT", int64(2147483647)},
		{"CAST(9223372036854775807 AS BIGINT)", "BIGINT", int64(9223372036854775807)},
		{"CAST(1.9 AS INT)", "INT", int64(1)},
		{"CAST(1.5 AS REAL)", "REAL", float64(1.5)},
		{"CAST(0.1 AS FLOAT)", "FLOAT", 0.1},
		{"CAST('12345678901234567890123456789.123456789' AS DECIMAL(38,9))", "DECIMAL", []byte("12345678901234567890123456789.123456789")},
		{"CAST(-1.005 AS DECIMAL(5,2))", "DECIMAL", []byte("-1.01")},
		{"CAST(1.5 AS NUMERIC(4,2))", "DECIMAL", []byte("1.50")},
		{"CAST(922337203685477.5807 AS MONEY)", "MONEY", []byte("922337203685477.5807")},
		{"CAST(-12.3 AS SMALLMONEY)", "SMALLMONEY", []byte("-12.3000")},
		{"CAST('abc' AS CHAR(5))", "CHAR", "abc  "},
		{"CAST('abcdef' AS VARCHAR(3))", "VARCHAR", "abc"},
		{"CAST(N'日本語' AS NVARCHAR(10))", "NVARCHAR", "日本語"},
		{"CAST(N'日本' AS NCHAR(3))", "NCHAR", "日本 "},
		{"CAST(N'née 日本' AS VARCHAR(20))", "VARCHAR", "née ??"},
		{"CAST(N'x' AS VARCHAR(MAX))", "VARCHAR", "x"},
		{"CAST(REPLICATE(N'y', 5000) AS NVARCHAR(MAX))", "NVARCHAR", strings.Repeat("y", 5000)},
		{"CAST(0x0102 AS VARBINARY(4))", "VARBINARY", []byte{1, 2}},
		{"CAST(0x01 AS BINARY(3))", "BINARY", []byte{1, 0, 0}},
		{"CAST(0x0A0B AS VARBINARY(MAX))", "VARBINARY", []byte{10, 11}},
		{"CAST('2024-02-29' AS DATE)", "DATE", ts("2024-02-29 00:00:00 +00:00")},
		{"CAST('2024-01-02 03:04:05.123' AS DATETIME)", "DATETIME", ts("2024-01-02 03:04:05.123 +00:00")},
		{"CAST('2024-01-02 03:04:29' AS SMALLDATETIME)", "SMALLDATETIME", ts("2024-01-02 03:04:00 +00:00")},
		{"CAST('2024-01-02 03:04:05.1234567' AS DATETIME2(7))", "DATETIME2", ts("2024-01-02 03:04:05.1234567 +00:00")},
		{"CAST('2024-01-02 03:04:05.1234567' AS DATETIME2(3))", "DATETIME2", ts("2024-01-02 03:04:05.123 +00:00")},
		{"CAST('2024-01-02 03:04:05.1234567 +05:30' AS DATETIMEOFFSET(7))", "DATETIMEOFFSET", ts("2024-01-02 03:04:05.1234567 +05:30")},
		{"CAST('0001-01-01 00:00:00 -14:00' AS DATETIMEOFFSET)", "DATETIMEOFFSET", ts("0001-01-01 00:00:00 -14:00")},
		{"CAST('9999-12-31 23:59:59.9999999' AS DATETIME2)", "DATETIME2", ts("9999-12-31 23:59:59.9999999 +00:00")},
		{"CAST('6F9619FF-8B86-D011-B42D-00C04FC964FF' AS UNIQUEIDENTIFIER)", "UNIQUEIDENTIFIER", "6F9619FF-8B86-D011-B42D-00C04FC964FF"},
		{"1", "INT", int64(1)},
		{"3000000000", "BIGINT", int64(3000000000)},
		{"2.5", "FLOAT", 2.5},
		{"N'x'", "NVARCHAR", "x"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			rows, err := db.QueryContext(ctx, "SELECT "+c.expr+" AS v, CAST(NULL AS "+castType(c.expr)+") AS n")
			if err != nil {
				t.Fatalf("query: %v", err)
			}
			defer rows.Close()
			cts, err := rows.ColumnTypes()
			if err != nil {
				t.Fatal(err)
			}
			if got := cts[0].DatabaseTypeName(); got != c.typ {
				t.Errorf("type %s, want %s", got, c.typ)
			}
			if got, want := cts[1].DatabaseTypeName(), cts[0].DatabaseTypeName(); castType(c.expr) != "INT" && got != want {
				t.Errorf("NULL's type %s, want %s", got, want)
			}
			if !rows.Next() {
				t.Fatalf("no row: %v", rows.Err())
			}
			var v, n any
			if c.typ == "UNIQUEIDENTIFIER" {
				var g mssql.UniqueIdentifier
				if err := rows.Scan(&g, &n); err != nil {
					t.Fatal(err)
				}
				v = g.String()
			} else if err := rows.Scan(&v, &n); err != nil {
				t.Fatal(err)
			}
			if !same(v, c.want) {
				t.Errorf("got %T %v, want %T %v", v, v, c.want, c.want)
			}
			if n != nil {
				t.Errorf("NULL came back as %v", n)
			}
		})
	}
	t.Run("TIME", func(t *testing.T) {
		var tm time.Time
		var dt string
		if err := db.QueryRowContext(ctx, "SELECT CAST('13:14:15.1234567' AS TIME(7)), CAST(CAST('13:14:15.5' AS TIME(1)) AS NVARCHAR(30))").Scan(&tm, &dt); err != nil {
			t.Fatal(err)
		}
		if got := tm.Format("15:04:05.0000000"); got != "13:14:15.1234567" {
			t.Errorf("TIME(7) = %s", got)
		}
	})
}

// castType is the type a case's expression casts to (INT for none).
func castType(expr string) string {
	i := strings.LastIndex(expr, " AS ")
	if !strings.HasPrefix(expr, "CAST(") || i < 0 {
		return "INT"
	}
	return strings.TrimSuffix(expr[i+4:], ")")
}

func same(got, want any) bool {
	switch w := want.(type) {
	case []byte:
		g, ok := got.([]byte)
		return ok && bytes.Equal(g, w)
	case time.Time:
		g, ok := got.(time.Time)
		_, go1 := g.Zone()
		_, wo := w.Zone()
		return ok && g.Equal(w) && go1 == wo
	}
	return fmt.Sprint(got) == fmt.Sprint(want) && fmt.Sprintf("%T", got) == fmt.Sprintf("%T", want)
}

// TestParams sends a parameter of every type go-mssqldb sends through
// sp_executesql and reads it back, as its own type and stored in a table
// of declared types.
func TestParams(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	when := time.Date(2024, 5, 6, 7, 8, 9, 123456700, time.FixedZone("", -7*3600))
	long := strings.Repeat("ü", 4500)
	cases := []struct {
		name string
		arg  any
		typ  string
		want any
	}{
		{"int64", int64(-9007199254740993), "BIGINT", int64(-9007199254740993)},
		{"int32", int32(7), "INT", int64(7)},
		{"float64", 0.25, "FLOAT", 0.25},
		{"string", "hé ✓", "NVARCHAR", "hé ✓"},
		{"empty string", "", "NVARCHAR", ""},
		{"long string", long, "NVARCHAR", long},
		{"bytes", []byte{0, 1, 255}, "VARBINARY", []byte{0, 1, 255}},
		{"bool", true, "BIT", true},
		{"time", when, "DATETIMEOFFSET", when},
		{"nil", nil, "NVARCHAR", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := db.QueryContext(ctx, "SELECT @p1 AS v", c.arg)
			if err != nil {
				t.Fatalf("query: %v", err)
			}
			defer rows.Close()
			cts, _ := rows.ColumnTypes()
			if got := cts[0].DatabaseTypeName(); got != c.typ {
				t.Errorf("type %s, want %s", got, c.typ)
			}
			if !rows.Next() {
				t.Fatalf("no row: %v", rows.Err())
			}
			var v any
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			if !same(v, c.want) {
				t.Errorf("got %T %v, want %T %v", v, v, c.want, c.want)
			}
		})
	}

	if _, err := db.ExecContext(ctx, `CREATE TABLE typed (
		id INT NOT NULL PRIMARY KEY, b BIT, ti TINYINT, si SMALLINT, bi BIGINT, r REAL, f FLOAT,
		d DECIMAL(38,10), m MONEY, c CHAR(4), vc VARCHAR(50), nc NCHAR(3), nv NVARCHAR(MAX),
		vb VARBINARY(MAX), dt DATE, tm TIME(3), dtm DATETIME, dt2 DATETIME2(7), dto DATETIMEOFFSET(7),
		g UNIQUEIDENTIFIER)`); err != nil {
		t.Fatalf("create: %v", err)
	}
	res, err := db.ExecContext(ctx, `INSERT INTO typed VALUES (@p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9,
		@p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20)`,
		1, true, 200, -300, int64(1)<<40, 1.5, 2.25, "12345678901234567890.0123456789", "12.3456",
		"ab", "hé", "日", long, []byte("bin"), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		"10:11:12.345", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), when, when,
		"6F9619FF-8B86-D011-B42D-00C04FC964FF")
	if err != nil {
		t.Fatalf("insert: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Errorf("RowsAffected %d", n)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO typed (id) VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, "SELECT * FROM typed ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	var names []string
	for _, ct := range cts {
		names = append(names, ct.Name()+" "+ct.DatabaseTypeName())
	}
	wantNames := "id INT,b BIT,ti TINYINT,si SMALLINT,bi BIGINT,r REAL,f FLOAT,d DECIMAL,m MONEY,c CHAR,vc VARCHAR,nc NCHAR,nv NVARCHAR,vb VARBINARY,dt DATE,tm TIME,dtm DATETIME,dt2 DATETIME2,dto DATETIMEOFFSET,g UNIQUEIDENTIFIER"
	if got := strings.Join(names, ","); got != wantNames {
		t.Errorf("columns\n got %s\nwant %s", got, wantNames)
	}
	vals := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rows.Next()
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), true, int64(200), int64(-300), int64(1) << 40, 1.5, 2.25,
		[]byte("12345678901234567890.0123456789"), []byte("12.3456"), "ab  ", "hé", "日  ", long, []byte("bin"),
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), nil, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2024, 5, 6, 7, 8, 9, 123456700, time.UTC), when, nil}
	for i, w := range want {
		if w != nil && !same(vals[i], w) {
			t.Errorf("%s: got %T %v, want %T %v", names[i], vals[i], vals[i], w, w)
		}
	}
	if tm, ok := vals[15].(time.Time); !ok || tm.Format("15:04:05.000") != "10:11:12.345" {
		t.Errorf("tm: %v", vals[15])
	}
	var g mssql.UniqueIdentifier
	if err := g.Scan(vals[19]); err != nil || g.String() != "6F9619FF-8B86-D011-B42D-00C04FC964FF" {
		t.Errorf("g: %v %v", g, err)
	}
	rows.Next()
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	for i, v := range vals[1:] {
		if v != nil {
			t.Errorf("%s: NULL came back as %v", names[i+1], v)
		}
	}
}

// TestStreamedTypes proves the first rows type a column nothing declares
// and the rest stream under that type: an integer past INT after the
// first 1,000 rows fails with 8115, as SQL Server's INT arithmetic does,
// after the rows before it arrived.
func TestStreamedTypes(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	rows, err := db.QueryContext(ctx, "WITH g(i) AS (SELECT 2147383000 UNION ALL SELECT i + 100 FROM g WHERE i < 2147583000) SELECT i FROM g")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	if cts[0].DatabaseTypeName() != "INT" {
		t.Errorf("type %s, want INT", cts[0].DatabaseTypeName())
	}
	n := 0
	for rows.Next() {
		n++
	}
	var me mssql.Error
	if !errors.As(rows.Err(), &me) || me.Number != 8115 || n != 1007 {
		t.Errorf("after %d rows: %v, want error 8115 after 1007 rows", n, rows.Err())
	}
}
