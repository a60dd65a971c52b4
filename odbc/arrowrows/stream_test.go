package arrowrows_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/odbc/arrowrows"
	_ "github.com/vapsql/vap/registry/sqlite"
)

// sqliteDB opens a fresh SQLite database with table t: 2500 rows (three
// odbc batches) of an integer, a text, a real with every tenth NULL, and a
// blob.
func sqliteDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`CREATE TABLE t (i INTEGER, s TEXT, f REAL, b BLOB)`,
		`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2500)
		 INSERT INTO t SELECT n, 'row ' || n, CASE WHEN n % 10 = 0 THEN NULL ELSE n / 4.0 END, x'00ff' FROM c`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// readIPC reads an Arrow IPC file or stream with arrow-go's readers.
func readIPC(t *testing.T, data []byte, stream bool) (*arrow.Schema, []arrow.RecordBatch) {
	t.Helper()
	var recs []arrow.RecordBatch
	if stream {
		r, err := ipc.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Release()
		for r.Next() {
			rec := r.RecordBatch()
			rec.Retain()
			recs = append(recs, rec)
		}
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
		return r.Schema(), recs
	}
	r, err := ipc.NewFileReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := range r.NumRecords() {
		rec, err := r.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		rec.Retain()
		recs = append(recs, rec)
	}
	return r.Schema(), recs
}

// TestStreamMatchesRecord: a result streamed in record batches of 700 rows
// (crossing odbc's batches of 1024) holds exactly the rows and NULLs of the
// one record made from the materialized result, and both file formats of
// arrow-go read back the same.
func TestStreamMatchesRecord(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	ctx := context.Background()
	q := "SELECT i, s, f, b FROM t ORDER BY i"
	rows, err := odbc.OdbcToRowsDB(ctx, db, q)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := arrowrows.Record(rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	if whole.NumRows() != 2500 || whole.Column(2).NullN() != 250 {
		t.Fatalf("record: %d rows, %d NULL reals", whole.NumRows(), whole.Column(2).NullN())
	}
	var parts []arrow.RecordBatch
	for rec, err := range arrowrows.Records(odbc.StreamBatchesDB(ctx, db, q), &arrowrows.Options{BatchRows: 700}) {
		if err != nil {
			t.Fatal(err)
		}
		rec.Retain()
		parts = append(parts, rec)
	}
	sizes := []int64{}
	for _, p := range parts {
		sizes = append(sizes, p.NumRows())
	}
	if len(parts) != 4 || sizes[0] != 700 || sizes[3] != 400 {
		t.Fatalf("record batches of %v rows, want 700, 700, 700, 400", sizes)
	}
	checkSame(t, "Records", whole, parts)

	for _, f := range []arrowrows.Format{arrowrows.ArrowFile, arrowrows.ArrowStream} {
		var buf bytes.Buffer
		n, err := arrowrows.WriteFile(&buf, f, odbc.StreamBatchesDB(ctx, db, q), &arrowrows.FileOptions{RowGroupRows: 1000, Compression: "zstd"})
		if err != nil || n != 2500 {
			t.Fatalf("%s: %d %v", f, n, err)
		}
		schema, recs := readIPC(t, buf.Bytes(), f == arrowrows.ArrowStream)
		if !schema.Equal(whole.Schema()) {
			t.Errorf("%s schema %s, want %s", f, schema, whole.Schema())
		}
		checkSame(t, string(f), whole, recs)
	}
	var buf bytes.Buffer
	if _, err := arrowrows.WriteFile(&buf, arrowrows.Parquet, odbc.StreamBatchesDB(ctx, db, q), &arrowrows.FileOptions{RowGroupRows: 1000}); err != nil {
		t.Fatal(err)
	}
	pf, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	cc, err := pf.MetaData().RowGroup(0).ColumnChunk(0)
	if err != nil {
		t.Fatal(err)
	}
	if pf.NumRowGroups() != 3 || cc.Compression().String() != "SNAPPY" {
		t.Errorf("parquet: %d row groups, compression %s; want 3 of snappy", pf.NumRowGroups(), cc.Compression())
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1000}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, 1000)
	defer tr.Release()
	var recs []arrow.RecordBatch
	for tr.Next() {
		rec := tr.RecordBatch()
		rec.Retain()
		recs = append(recs, rec)
	}
	for j, f := range tbl.Schema().Fields() { // Parquet adds its field ids to the metadata
		w := whole.Schema().Field(j)
		if f.Name != w.Name || !arrow.TypeEqual(f.Type, w.Type) || f.Metadata.FindKey(arrowrows.MetaDatabaseType) < 0 {
			t.Errorf("parquet field %s, want %s", f, w)
		}
	}
	checkSame(t, "parquet", whole, recs)
}

// checkSame compares a record with the concatenation of parts, value by
// value (NULLs included).
func checkSame(t *testing.T, what string, whole arrow.RecordBatch, parts []arrow.RecordBatch) {
	t.Helper()
	row := 0
	for _, p := range parts {
		for j := range int(p.NumCols()) {
			slice := array.NewSlice(whole.Column(j), int64(row), int64(row)+p.NumRows())
			if !array.Equal(slice, p.Column(j)) {
				t.Errorf("%s: column %d rows %d..%d differ", what, j, row, row+int(p.NumRows()))
			}
			slice.Release()
		}
		row += int(p.NumRows())
		p.Release()
	}
	if row != int(whole.NumRows()) {
		t.Errorf("%s: %d rows, want %d", what, row, whole.NumRows())
	}
}

// TestDuplicateNamesAndAny: columns sharing a name keep their own values
// (odbc's typed accessors find a column by name), and a column of mixed
// SQLite values (KindAny) is text.
func TestDuplicateNamesAndAny(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	rows, err := odbc.OdbcToRowsDB(context.Background(), db, "SELECT 1 AS a, 'x' AS a, 2.5 AS a UNION ALL SELECT 2, 'y', 'z'")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := arrowrows.Record(rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if got := rec.Schema().String(); !strings.Contains(got, "a: type=int64") || !strings.Contains(got, "a: type=utf8") {
		t.Fatalf("schema %s", got)
	}
	if v := rec.Column(1).(*array.String).Value(1); v != "y" {
		t.Errorf("second a, row 2: %q", v)
	}
	if c := rec.Column(2).(*array.String); c.Value(0) != "2.5" || c.Value(1) != "z" {
		t.Errorf("mixed column: %q %q", c.Value(0), c.Value(1))
	}
}

// TestErrors: a bad format or codec fails before the query runs and
// writes nothing; a statement without a result set is ErrNoResult; a
// column whose kind changes mid-stream fails naming it.
func TestErrors(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	ctx := context.Background()
	ran := false
	batches := func(yield func(*odbc.Rows, error) bool) { ran = true }
	var buf bytes.Buffer
	if _, err := arrowrows.WriteFile(&buf, "csv", batches, nil); err == nil || !strings.Contains(err.Error(), `unknown format "csv"`) {
		t.Errorf("format csv: %v", err)
	}
	if _, err := arrowrows.WriteFile(&buf, arrowrows.Parquet, batches, &arrowrows.FileOptions{Compression: "lzo"}); err == nil ||
		!strings.Contains(err.Error(), "snappy, brotli, gzip, lz4, none, zstd") {
		t.Errorf("codec lzo: %v", err)
	}
	if _, err := arrowrows.WriteFile(&buf, arrowrows.ArrowStream, batches, &arrowrows.FileOptions{Compression: "snappy"}); err == nil {
		t.Error("arrows with snappy: no error")
	}
	if ran || buf.Len() != 0 {
		t.Errorf("ran %v, wrote %d bytes", ran, buf.Len())
	}
	if _, err := arrowrows.WriteFile(&buf, arrowrows.Parquet, odbc.StreamBatchesDB(ctx, db, "UPDATE t SET i = i WHERE i < 0"), nil); !errors.Is(err, arrowrows.ErrNoResult) {
		t.Errorf("UPDATE: %v, want ErrNoResult", err)
	}
	// An expression column: integers for the first 1500 rows, then text.
	q := "SELECT CASE WHEN i <= 1500 THEN i ELSE 'text' END AS v FROM t ORDER BY i"
	_, err := arrowrows.WriteFile(&buf, arrowrows.ArrowStream, odbc.StreamBatchesDB(ctx, db, q), nil)
	if err == nil || !strings.Contains(err.Error(), `column "v" changed from int64 to any`) {
		t.Errorf("kind change: %v", err)
	}
	// The same materialized is one record, the column as text.
	rows, err := odbc.OdbcToRowsDB(ctx, db, q)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := arrowrows.Record(rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if c, ok := rec.Column(0).(*array.String); !ok || c.Value(0) != "1" || c.Value(2499) != "text" {
		t.Errorf("mixed column: %v", rec.Column(0))
	}
}
