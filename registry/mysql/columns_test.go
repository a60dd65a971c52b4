package mysql_test

import (
	"context"
	"database/sql/driver"
	"testing"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry/mysql"
)

// TestDescribeColumnsDriverLayout pins the layout of go-sql-driver/mysql's
// rows that DescribeColumns (through database/sql's rows) and
// DescribeDriverColumns (on the driver's own rows) read by reflection: on a
// real server, the
// display lengths of TINYINT(1), TINYINT(4), BIT(1) and BIT(8) columns must
// come out, and TINYINT(1) and BIT(1) must classify as booleans. A driver
// upgrade that moves the unexported fields fails here instead of silently
// turning booleans into integers.
func TestDescribeColumnsDriverLayout(t *testing.T) {
	db := testenv.MySQL(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE TEMPORARY TABLE vap_layout (a TINYINT(1), b TINYINT(4), c BIT(1), d BIT(8), e INT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO vap_layout VALUES (1, 2, b'1', b'101', 3)"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, "SELECT a, b, c, d, e FROM vap_layout")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	infos := make([]coltype.Info, len(cts))
	for i, ct := range cts {
		infos[i] = coltype.NewInfo(ct.DatabaseTypeName())
	}
	mysql.DescribeColumns(rows, infos)
	checkLayout(t, infos)
	rows.Close()

	// The same lengths from the driver's own rows (odbc's raw path).
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			t.Fatalf("%T is not a driver.QueryerContext", dc)
		}
		rows, err := q.QueryContext(ctx, "SELECT a, b, c, d, e FROM vap_layout", nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		infos := make([]coltype.Info, len(rows.Columns()))
		for i := range infos {
			infos[i] = coltype.NewInfo(rows.(driver.RowsColumnTypeDatabaseTypeName).ColumnTypeDatabaseTypeName(i))
		}
		mysql.DescribeDriverColumns(rows, infos)
		checkLayout(t, infos)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkLayout(t *testing.T, infos []coltype.Info) {
	t.Helper()
	want := []struct {
		length int64
		kind   coltype.Kind
	}{{1, coltype.Bool}, {4, coltype.Int64}, {1, coltype.Bool}, {8, coltype.Int64}, {11, coltype.Int64}}
	for i, w := range want {
		if infos[i].Length != w.length {
			t.Errorf("column %d (%s): length %d, want %d: go-sql-driver/mysql's rows layout changed (rows.rs.columns[i].length)", i, infos[i].Name, infos[i].Length, w.length)
		}
		if got := mysql.Columns(infos[i]).Kind; got != w.kind {
			t.Errorf("column %d (%s): kind %s, want %s", i, infos[i].Name, got, w.kind)
		}
	}
}
