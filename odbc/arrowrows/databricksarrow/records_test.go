package databricksarrow_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/odbc/arrowrows"
	"github.com/vapsql/vap/odbc/arrowrows/databricksarrow"
	"github.com/vapsql/vap/peer/dbsqlpeer"
	_ "github.com/vapsql/vap/registry/databricks"
	_ "github.com/vapsql/vap/registry/sqlite"
)

// dbx starts the local warehouse peer and returns an odbc Client with a
// stored databricks connection "dbx" to it.
func dbx(t *testing.T) *odbc.Client {
	t.Helper()
	const token = "dapi-databricksarrow-test"
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: token})
	if err != nil {
		t.Fatalf("dbsqlpeer.Start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	st := testenv.Store(t)
	testenv.Put(t, st, "dbx", "databricks", map[string]string{
		"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(), "access_token": token,
	})
	c := odbc.New(odbc.WithStore(st))
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRecordsFromDriver: the driver's Arrow reaches arrow-go v18 intact:
// the same values odbc reads row by row, NULLs as NULLs, over several
// record batches; an empty result has its schema; the batches write to a
// file.
func TestRecordsFromDriver(t *testing.T) {
	c := dbx(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := c.DB("dbx", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE t (id BIGINT, name STRING, amount DECIMAL(10,2), day DATE)`,
		`INSERT INTO t VALUES (1, 'a', 1.50, DATE '2024-01-01'), (2, NULL, NULL, NULL), (3, 'c', -2.25, DATE '2024-03-01')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	q := "SELECT id, name, amount, day FROM t ORDER BY id"
	var got []arrow.RecordBatch
	for rec, err := range databricksarrow.Records(ctx, db, q) {
		if err != nil {
			t.Fatal(err)
		}
		rec.Retain()
		got = append(got, rec)
	}
	if len(got) == 0 {
		t.Fatal("no record batch")
	}
	rows, err := c.OdbcToRows(ctx, q, "dbx")
	if err != nil {
		t.Fatal(err)
	}
	schema := got[0].Schema()
	t.Logf("driver schema: %s", schema)
	if schema.NumFields() != 4 || schema.Field(0).Type.ID() != arrow.INT64 || schema.Field(1).Type.ID() != arrow.STRING || schema.Field(3).Type.ID() != arrow.DATE32 {
		t.Errorf("schema %s", schema)
	}
	i := 0
	for _, rec := range got {
		for r := range int(rec.NumRows()) {
			for j := range 4 {
				col := rec.Column(j)
				if col.IsNull(r) != rows.IsNull(i, j) {
					t.Errorf("row %d column %d: NULL %v, odbc %v", i, j, col.IsNull(r), rows.IsNull(i, j))
					continue
				}
				if col.IsNull(r) {
					continue
				}
				want := rows.Value(i, j)
				var v any
				switch a := col.(type) {
				case *array.Int64:
					v = a.Value(r)
				case *array.String:
					v = a.Value(r)
				case *array.Decimal128:
					v = a.Value(r).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
				case *array.Date32:
					v = a.Value(r).ToTime()
				default:
					v = col.ValueStr(r)
				}
				if tw, ok := want.(time.Time); ok {
					if tv, ok := v.(time.Time); !ok || !tv.Equal(tw) {
						t.Errorf("row %d column %d: %v, odbc %v", i, j, v, want)
					}
				} else if v != want {
					t.Errorf("row %d column %d: %#v (%s), odbc %#v", i, j, v, col.DataType(), want)
				}
			}
			i++
		}
		rec.Release()
	}
	if i != 3 {
		t.Errorf("%d rows, want 3", i)
	}

	// Empty: the schema alone.
	n := 0
	for rec, err := range databricksarrow.Records(ctx, db, q+" LIMIT 0") {
		if err != nil || rec.NumRows() != 0 || rec.Schema().NumFields() != 4 {
			t.Errorf("empty result: %v %v", rec, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("empty result: %d record batches, want 1", n)
	}

	// Into a file, as any record batches.
	var buf bytes.Buffer
	if n, err := arrowrows.WriteRecords(&buf, arrowrows.ArrowStream, databricksarrow.Records(ctx, db, q), nil); err != nil || n != 3 {
		t.Fatalf("WriteRecords: %d %v", n, err)
	}
	r, err := ipc.NewReader(&buf)
	if err != nil || !r.Next() || r.RecordBatch().NumRows() != 3 {
		t.Fatalf("read back: %v", err)
	}
	r.Release()

	// Many rows: several batches, and breaking out early closes the result.
	big := "SELECT id FROM range(90000)"
	total, batches := int64(0), 0
	for rec, err := range databricksarrow.Records(ctx, db, big) {
		if err != nil {
			t.Fatal(err)
		}
		total += rec.NumRows()
		batches++
	}
	if total != 90000 || batches < 2 {
		t.Errorf("range(90000): %d rows in %d record batches, want several", total, batches)
	}
	for _, err := range databricksarrow.Records(ctx, db, big) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	// The connection is still usable after a break.
	if _, err := c.OdbcToRows(ctx, "SELECT 1 AS one", "dbx"); err != nil {
		t.Errorf("after a break: %v", err)
	}
}

// TestNotDatabricks: another driver's connection fails clearly.
func TestNotDatabricks(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, err := range databricksarrow.Records(context.Background(), db, "SELECT 1") {
		if !errors.Is(err, databricksarrow.ErrNotDatabricks) {
			t.Errorf("SQLite: %v, want ErrNotDatabricks", err)
		}
	}
}
