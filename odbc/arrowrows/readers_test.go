package arrowrows_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/odbc/arrowrows"
)

// wantCol is what the independent readers must see of one column: its
// Arrow type (apache-arrow), its DuckDB type (Parquet) and its values as
// read.mjs prints them (nil: NULL).
type wantCol struct {
	name, arrow, duck string
	vals              []any // string or nil
}

func us(t time.Time) string { return strconv.FormatInt(t.UnixMicro(), 10) }

func days(y int, m time.Month, d int) string {
	return strconv.FormatInt(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400, 10)
}

func clock(h, m, s, micro int) string {
	return strconv.FormatInt(int64((h*3600+m*60+s)*1e6+micro), 10)
}

// TestIndependentReadersPostgres writes a PostgreSQL result with every
// kind, NULLs in every column, to Parquet, Arrow IPC file and Arrow IPC
// stream, and reads them back with DuckDB and apache-arrow.
func TestIndependentReadersPostgres(t *testing.T) {
	t.Parallel()
	c, exec := pgClient(t)
	read := nodeReaders(t)
	table := uniqueName("arrow_readers")
	exec(`CREATE TABLE ` + table + ` (id int8, i int4, f float8, d numeric(12,2), dw numeric(40,10), du numeric,
		s text, b bytea, t bool, dt date, tm time, ts timestamp, tz timestamptz, j jsonb)`)
	defer exec("DROP TABLE IF EXISTS " + table)
	exec(`INSERT INTO ` + table + ` VALUES
		(1, -2147483648, 2.5, -12.34, 123456789012345678901234567890.0123456789, 1.5, 'héllo', '\x00ff', true,
		 '2024-02-29', '13:14:15.123456', '2024-01-02 03:04:05.678901', '2024-01-02 03:04:05.5+02', '{"a": 1}'),
		(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(3, 2147483647, -0.125, 0.05, -0.0000000001, -0.00000000000000000001, '', '\x', false,
		 '1969-12-31', '00:00:00', '1900-01-01 00:00:00', '2262-04-12 00:00:00.000001+00', '[]')`)
	want := []wantCol{
		{"id", "int64", "BIGINT", []any{"1", "2", "3"}},
		{"i", "int64", "BIGINT", []any{"-2147483648", nil, "2147483647"}},
		{"f", "float64", "DOUBLE", []any{"2.5", nil, "-0.125"}},
		{"d", "decimal128(12,2)", "DECIMAL(12,2)", []any{"-12.34", nil, "0.05"}},
		{"dw", "decimal256(40,10)", "", []any{"123456789012345678901234567890.0123456789", nil, "-0.0000000001"}},
		{"du", "utf8", "VARCHAR", []any{"1.5", nil, "-0.00000000000000000001"}},
		{"s", "utf8", "VARCHAR", []any{"héllo", nil, ""}},
		{"b", "binary", "BLOB", []any{"00ff", nil, ""}},
		{"t", "bool", "BOOLEAN", []any{"true", nil, "false"}},
		{"dt", "date32", "DATE", []any{days(2024, 2, 29), nil, days(1969, 12, 31)}},
		{"tm", "time64[us]", "TIME", []any{clock(13, 14, 15, 123456), nil, clock(0, 0, 0, 0)}},
		{"ts", "timestamp[us]", "TIMESTAMP", []any{us(time.Date(2024, 1, 2, 3, 4, 5, 678901000, time.UTC)), nil, us(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{"tz", "timestamp[us, UTC]", "TIMESTAMP WITH TIME ZONE", []any{us(time.Date(2024, 1, 2, 1, 4, 5, 500000000, time.UTC)), nil, us(time.Date(2262, 4, 12, 0, 0, 0, 1000, time.UTC))}},
		{"j", "utf8", "VARCHAR", []any{`{"a": 1}`, nil, "[]"}},
	}
	checkReaders(t, c, read, "pg", "SELECT * FROM "+table+" ORDER BY id", want, map[string]string{"d": "NUMERIC", "tz": "TIMESTAMPTZ", "j": "JSONB"})
}

// TestIndependentReadersMariaDB is the same with a MySQL/MariaDB result.
func TestIndependentReadersMariaDB(t *testing.T) {
	t.Parallel()
	c, exec := myClient(t)
	read := nodeReaders(t)
	table := uniqueName("arrow_readers")
	exec(`CREATE TABLE ` + table + ` (id BIGINT, i INT, f DOUBLE, d DECIMAL(12,2), dw DECIMAL(65,30), s VARCHAR(20),
		b VARBINARY(10), t BOOLEAN, dt DATE, tm TIME(6), ts DATETIME(6))`)
	defer exec("DROP TABLE IF EXISTS " + table)
	exec(`INSERT INTO ` + table + ` VALUES
		(1, -2147483648, 2.5, -12.34, 12345678901234567890123456789012345.012345678901234567890123456789, 'héllo', x'00ff', TRUE,
		 '2024-02-29', '13:14:15.123456', '2024-01-02 03:04:05.678901'),
		(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(3, 2147483647, -0.125, 0.05, -0.000000000000000000000000000001, '', x'', FALSE,
		 '1969-12-31', '00:00:00', '1900-01-01 00:00:00')`)
	want := []wantCol{
		{"id", "int64", "BIGINT", []any{"1", "2", "3"}},
		{"i", "int64", "BIGINT", []any{"-2147483648", nil, "2147483647"}},
		{"f", "float64", "DOUBLE", []any{"2.5", nil, "-0.125"}},
		{"d", "decimal128(12,2)", "DECIMAL(12,2)", []any{"-12.34", nil, "0.05"}},
		{"dw", "decimal256(65,30)", "", []any{"12345678901234567890123456789012345.012345678901234567890123456789", nil, "-0.000000000000000000000000000001"}},
		{"s", "utf8", "VARCHAR", []any{"héllo", nil, ""}},
		{"b", "binary", "BLOB", []any{"00ff", nil, ""}},
		{"t", "bool", "BOOLEAN", []any{"true", nil, "false"}},
		{"dt", "date32", "DATE", []any{days(2024, 2, 29), nil, days(1969, 12, 31)}},
		{"tm", "time64[us]", "TIME", []any{clock(13, 14, 15, 123456), nil, clock(0, 0, 0, 0)}},
		{"ts", "timestamp[us]", "TIMESTAMP", []any{us(time.Date(2024, 1, 2, 3, 4, 5, 678901000, time.UTC)), nil, us(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))}},
	}
	checkReaders(t, c, read, "my", "SELECT * FROM "+table+" ORDER BY id", want, map[string]string{"d": "DECIMAL", "ts": "DATETIME"})
}

// checkReaders writes query's result in each format, as a stream
// (StreamBatches, two rows a record batch) and as one materialized record
// (OdbcToRows), and compares what the readers see with want. dbTypes are
// some columns' expected vap.database_type metadata.
func checkReaders(t *testing.T, c *odbc.Client, read func(string, string) readResult, conn, query string, want []wantCol, dbTypes map[string]string) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, format := range arrowrows.Formats {
		path := filepath.Join(dir, "out."+string(format))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := arrowrows.WriteFile(f, format, c.StreamBatches(ctx, query, conn), &arrowrows.FileOptions{RowGroupRows: 2})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil || n != 3 {
			t.Fatalf("%s: %d rows, %v", format, n, err)
		}
		compare(t, string(format), read(string(format), path), want, format != arrowrows.Parquet, dbTypes)
	}
	// One record from a materialized result, written as an Arrow file.
	rows, err := c.OdbcToRows(ctx, query, conn)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := arrowrows.Record(rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	path := filepath.Join(dir, "record.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := arrowrows.WriteRecords(f, arrowrows.ArrowFile, func(yield func(arrowRecord, error) bool) { yield(rec, nil) }, nil); err != nil {
		t.Fatal(err)
	}
	f.Close()
	compare(t, "Record", read("arrow", path), want, true, dbTypes)
}

func compare(t *testing.T, what string, got readResult, want []wantCol, arrowTypes bool, dbTypes map[string]string) {
	t.Helper()
	if len(got.Columns) != len(want) {
		t.Fatalf("%s: %d columns, want %d: %+v", what, len(got.Columns), len(want), got.Columns)
	}
	if len(got.Rows) != len(want[0].vals) {
		t.Fatalf("%s: %d rows, want %d", what, len(got.Rows), len(want[0].vals))
	}
	for j, w := range want {
		gc := got.Columns[j]
		wantType := w.duck
		if arrowTypes {
			wantType = w.arrow
		}
		if gc.Name != w.name {
			t.Errorf("%s: column %d is %q, want %q", what, j, gc.Name, w.name)
		}
		if wantType == "" { // DuckDB reads a decimal over 38 digits as DOUBLE
			if gc.Type != "DOUBLE" {
				t.Errorf("%s: %s is %s, want DOUBLE (DuckDB's reading of a wide decimal)", what, w.name, gc.Type)
			}
			continue
		}
		if gc.Type != wantType {
			t.Errorf("%s: %s is %s, want %s", what, w.name, gc.Type, wantType)
		}
		if arrowTypes {
			if dt, ok := dbTypes[w.name]; ok && gc.Metadata[arrowrows.MetaDatabaseType] != dt {
				t.Errorf("%s: %s metadata %v, want database type %s", what, w.name, gc.Metadata, dt)
			}
			if gc.Metadata[arrowrows.MetaKind] == "" {
				t.Errorf("%s: %s has no %s metadata: %v", what, w.name, arrowrows.MetaKind, gc.Metadata)
			}
		}
		for i, wv := range w.vals {
			gv := got.Rows[i][j]
			switch {
			case wv == nil && gv != nil:
				t.Errorf("%s: %s row %d = %q, want NULL", what, w.name, i, *gv)
			case wv != nil && gv == nil:
				t.Errorf("%s: %s row %d = NULL, want %q", what, w.name, i, wv)
			case wv != nil && *gv != wv.(string):
				t.Errorf("%s: %s row %d = %q, want %q", what, w.name, i, *gv, wv)
			}
		}
	}
}
