package dbsqlpeer_test

import (
	"bytes"
	"database/sql"
	"reflect"
	"testing"
	"time"

	dbsql "github.com/databricks/databricks-sql-go"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// TestColumnTypes proves that the driver reads every Spark type the peer
// serves, with the Go type and value a warehouse gives, and that a column's
// type comes from the SQL (declared table types, CASTs, literals) — the
// same for a column of NULLs as for one of values.
func TestColumnTypes(t *testing.T) {
	for _, m := range resultModes {
		t.Run(m.name, func(t *testing.T) {
			p := startPeer(t, m.cfg)
			db := openDB(t, p, m.opts...)
			testColumnTypes(t, db, m.decimal)
			if s := p.Stats(); s.Pages[m.form] == 0 || s.Pages["columns"]+s.Pages["arrow"]+s.Pages["cloudfetch"] != s.Pages[m.form] {
				t.Errorf("result pages %v, want only %s", s.Pages, m.form)
			}
			if m.form == "cloudfetch" && p.Stats().CloudFetchDownloads == 0 {
				t.Errorf("no CloudFetch file was downloaded")
			}
		})
	}
}

// resultMode is one way the peer sends results, and the driver options
// that read them.
type resultMode struct {
	name    string
	cfg     dbsqlpeer.Config
	opts    []dbsql.ConnOption
	form    string // the Stats.Pages key every page must have
	decimal any    // what a DECIMAL(10,2) 12.35 reads as
}

var resultModes = []resultMode{
	{"arrow", dbsqlpeer.Config{}, nil, "arrow", "12.35"},
	{"arrow native decimal", dbsqlpeer.Config{}, []dbsql.ConnOption{dbsql.WithArrowNativeDecimal(true)}, "arrow", "12.35"},
	{"cloudfetch", dbsqlpeer.Config{CloudFetchThreshold: 1}, nil, "cloudfetch", "12.35"},
	{"cloudfetch without download", dbsqlpeer.Config{CloudFetchThreshold: 1}, []dbsql.ConnOption{dbsql.WithCloudFetch(false)}, "arrow", "12.35"},
	{"columns", dbsqlpeer.Config{Results: dbsqlpeer.ColumnResults}, nil, "columns", "12.35"},
}

func testColumnTypes(t *testing.T, db *sql.DB, decimal any) {
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE typed (
		i INT, b BIGINT, s SMALLINT, ti TINYINT, d DOUBLE, f FLOAT, bo BOOLEAN,
		bi BINARY, st STRING, de DECIMAL(10,2), ts TIMESTAMP, da DATE)`); err != nil {
		t.Fatalf("CREATE TABLE: %v", err)
	}
	ts := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	if _, err := db.ExecContext(ctx, `INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		int32(-7), int64(1)<<40, int16(300), int8(-8), 2.5, float32(1.25), true,
		"\x00\x01", "007", "12.345", ts, "2024-02-29"); err != nil {
		t.Fatalf("INSERT values: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO typed VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`); err != nil {
		t.Fatalf("INSERT nulls: %v", err)
	}

	wantTypes := []string{"INT", "BIGINT", "SMALLINT", "TINYINT", "DOUBLE", "FLOAT", "BOOLEAN", "BINARY", "STRING", "DECIMAL", "TIMESTAMP", "DATE"}
	wantValues := []any{int32(-7), int64(1) << 40, int16(300), int8(-8), 2.5, float32(1.25), true,
		[]byte("\x00\x01"), "007", decimal, ts, day}

	rows, err := db.QueryContext(ctx, `SELECT * FROM typed ORDER BY i IS NULL`)
	if err != nil {
		t.Fatalf("SELECT: %v", err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	for i, ct := range cts {
		if got := ct.DatabaseTypeName(); got != wantTypes[i] {
			t.Errorf("column %s: type %s, want %s", ct.Name(), got, wantTypes[i])
		}
	}
	var got [][]any
	for rows.Next() {
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		got = append(got, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d rows, want 2", len(got))
	}
	for i, want := range wantValues {
		if !equalValue(got[0][i], want) {
			t.Errorf("column %s: got %#v (%T), want %#v (%T)", cts[i].Name(), got[0][i], got[0][i], want, want)
		}
		if got[1][i] != nil {
			t.Errorf("column %s: NULL row gave %#v", cts[i].Name(), got[1][i])
		}
	}
}

func equalValue(a, b any) bool {
	if ab, ok := a.([]byte); ok {
		bb, ok := b.([]byte)
		return ok && bytes.Equal(ab, bb)
	}
	if at, ok := a.(time.Time); ok {
		bt, ok := b.(time.Time)
		return ok && at.Equal(bt)
	}
	return reflect.DeepEqual(a, b)
}

// TestExpressionTypes proves that expression columns are typed from the SQL
// text (CAST targets, typed and plain literals), and otherwise from all the
// column's values, whatever the first value looks like.
func TestExpressionTypes(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	tests := []struct {
		name     string
		query    string
		wantType string
		want     any
	}{
		{"cast int", "SELECT CAST('42' AS INT)", "INT", int32(42)},
		{"cast smallint alias", "SELECT CAST(7 AS SMALLINT) AS s", "SMALLINT", int16(7)},
		{"cast tinyint", "SELECT CAST(-3 AS TINYINT) t", "TINYINT", int8(-3)},
		{"cast bigint", "SELECT CAST('9007199254740993' AS BIGINT)", "BIGINT", int64(9007199254740993)},
		{"cast float", "SELECT CAST(0.5 AS FLOAT)", "FLOAT", float32(0.5)},
		{"cast real is float", "SELECT CAST(0.25 AS REAL)", "FLOAT", float32(0.25)},
		{"cast double", "SELECT CAST('1.5' AS DOUBLE)", "DOUBLE", 1.5},
		{"cast string keeps zeros", "SELECT CAST('007' AS STRING)", "STRING", "007"},
		{"cast string of number", "SELECT CAST(12 AS STRING)", "STRING", "12"},
		{"cast decimal rounds half up", "SELECT CAST('2.345' AS DECIMAL(5,2))", "DECIMAL", "2.35"},
		{"cast date", "SELECT CAST('2024-01-02' AS DATE)", "DATE", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"cast timestamp", "SELECT CAST('2024-01-02 03:04:05' AS TIMESTAMP)", "TIMESTAMP", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"cast boolean", "SELECT CAST(1 AS BOOLEAN)", "BOOLEAN", true},
		{"cast binary", "SELECT CAST('ab' AS BINARY)", "BINARY", []byte("ab")},
		{"date literal", "SELECT DATE '2023-12-31'", "DATE", time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"timestamp literal", "SELECT TIMESTAMP '2023-12-31 23:59:59'", "TIMESTAMP", time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"int literal", "SELECT 7", "INT", int32(7)},
		{"bigint literal", "SELECT 3000000000", "BIGINT", int64(3000000000)},
		{"decimal literal", "SELECT 1.50", "DECIMAL", "1.50"},
		{"boolean literal", "SELECT false", "BOOLEAN", false},
		{"string literal", "SELECT 'x'", "STRING", "x"},
		{"null literal", "SELECT NULL", "NULL", nil},
		{"count is bigint", "SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2)", "BIGINT", int64(2)},
		{"sum over doubles", "SELECT sum(x) FROM (SELECT 1.5 AS x UNION ALL SELECT 2)", "DOUBLE", 3.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := db.QueryContext(ctx, tc.query)
			if err != nil {
				t.Fatalf("query: %v", err)
			}
			defer rows.Close()
			cts, err := rows.ColumnTypes()
			if err != nil {
				t.Fatal(err)
			}
			if got := cts[0].DatabaseTypeName(); got != tc.wantType {
				t.Errorf("type %s, want %s", got, tc.wantType)
			}
			if !rows.Next() {
				t.Fatalf("no row: %v", rows.Err())
			}
			var v any
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			if !equalValue(v, tc.want) {
				t.Errorf("value %#v (%T), want %#v (%T)", v, v, tc.want, tc.want)
			}
		})
	}

	// A mixed expression column is STRING although its first value is an integer.
	rows, err := db.QueryContext(ctx, "SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 'a') ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	if got := cts[0].DatabaseTypeName(); got != "STRING" {
		t.Errorf("mixed column: type %s, want STRING", got)
	}
	var first any
	if !rows.Next() || rows.Scan(&first) != nil || first != "1" {
		t.Errorf("mixed column: first value %#v, want \"1\"", first)
	}
}
