package databricks_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks"
)

// rawQuery runs q on a new databricks connection to the peer configured as
// cfg and hands the real driver's rows to read.
func rawQuery(t *testing.T, cfg dbsqlpeer.Config, q string, read func(rows driver.Rows)) {
	t.Helper()
	cfg.Token = pat
	p, err := dbsqlpeer.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	c, err := databricks.New(databricks.WithLookupEnv(env{}.lookup)).Connector(context.Background(),
		registry.NewParams("complex", "databricks", map[string]string{
			"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(), "access_token": pat,
		}))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error {
		rows, err := dc.(driver.QueryerContext).QueryContext(ctx, q, nil)
		if err != nil {
			return err
		}
		read(rows)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func nextRow(t *testing.T, rows driver.Rows) ([]driver.Value, error) {
	t.Helper()
	dest := make([]driver.Value, len(rows.Columns()))
	err := rows.Next(dest)
	return dest, err
}

const complexQuery = "SELECT 1 AS i, array(CAST('NaN' AS DOUBLE), 1.5) AS a, named_struct('d', DATE '2024-01-02', 'x\"', 3.30) AS s"

// TestDriverRowsArrow reads complex columns through DriverRows and, as a
// canary of what it works around, through databricks-sql-go v1.14.0's own
// row scanner, which fails the whole row on a NaN inside an array.
func TestDriverRowsArrow(t *testing.T) {
	rawQuery(t, dbsqlpeer.Config{}, complexQuery, func(rows driver.Rows) {
		defer rows.Close()
		if _, err := nextRow(t, rows); err == nil || !strings.Contains(err.Error(), "NaN") {
			t.Errorf("the driver's own scanner: %v; if it now reads a NaN in an array, DriverRows may no longer be needed", err)
		}
	})
	rawQuery(t, dbsqlpeer.Config{}, complexQuery, func(rows driver.Rows) {
		w, err := databricks.DriverRows(context.Background(), rows)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if w == rows {
			t.Fatal("DriverRows did not take over an Arrow result with complex columns")
		}
		if n := w.(driver.RowsColumnTypeDatabaseTypeName).ColumnTypeDatabaseTypeName(2); n != "STRUCT" {
			t.Errorf("column type %q, want the driver's STRUCT", n)
		}
		got, err := nextRow(t, w)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != int32(1) || got[1] != `["NaN",1.5]` || got[2] != `{"d":"2024-01-02","x\"":3.30}` {
			t.Errorf("row %#v", got)
		}
		if _, err := nextRow(t, w); err != io.EOF {
			t.Errorf("after the last row: %v, want io.EOF", err)
		}
	})
}

// TestDriverRowsUnchanged checks that DriverRows leaves the driver's rows
// alone for a result without complex columns and for a column-based one.
func TestDriverRowsUnchanged(t *testing.T) {
	rawQuery(t, dbsqlpeer.Config{}, "SELECT 1 AS i, 'x' AS s", func(rows driver.Rows) {
		defer rows.Close()
		if w, err := databricks.DriverRows(context.Background(), rows); err != nil || w != rows {
			t.Errorf("no complex column: %v, %v", w, err)
		}
	})
	for _, wait := range []time.Duration{0, -1} { // with and without the first page in the answer
		rawQuery(t, dbsqlpeer.Config{Results: dbsqlpeer.ColumnResults, DirectResultsWait: wait}, complexQuery, func(rows driver.Rows) {
			defer rows.Close()
			w, err := databricks.DriverRows(context.Background(), rows)
			if err != nil || w != rows {
				t.Fatalf("column-based: %v, %v", w, err)
			}
			got, err := nextRow(t, w)
			if err != nil {
				t.Fatal(err)
			}
			if got[1] != `["NaN",1.5]` || got[2] != `{"d":"2024-01-02","x\"":3.30}` {
				t.Errorf("column-based row %#v", got)
			}
		})
	}
}
