package mssql

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/peer/tdspeer"
	"github.com/vapsql/vap/registry"
)

type sliceRows struct{ rows [][]any }

func (r *sliceRows) Next(vals []any) bool {
	if len(r.rows) == 0 {
		return false
	}
	copy(vals, r.rows[0])
	r.rows = r.rows[1:]
	return true
}

func (r *sliceRows) Err() error { return nil }

// TestBulkCopyBatches loads 1000 rows with a new INSERT BULK every ~300
// bytes of values (dozens of bulk load messages) in one transaction, on
// the SQL Server peer, and reads them back.
func TestBulkCopyBatches(t *testing.T) {
	old := bulkBatchBytes
	bulkBatchBytes = 300
	t.Cleanup(func() { bulkBatchBytes = old })
	p, err := tdspeer.Start(tdspeer.Config{User: "u", Password: "bulk-Pa55"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	q := url.Values{"database": {p.Database()}, "certificate": {p.CAFile()}}
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword("u", "bulk-Pa55"), Host: p.Host() + ":" + strconv.Itoa(p.Port()), RawQuery: q.Encode()}
	c, err := mssql.NewConnector(u.String())
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE TABLE b (id BIGINT PRIMARY KEY, s NVARCHAR(MAX))"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows := &sliceRows{}
	for i := 1; i <= 1000; i++ {
		rows.rows = append(rows.rows, []any{int64(i), "row " + strconv.Itoa(i)})
	}
	req := &registry.LoadRequest{Conn: conn, Tx: tx, Table: "[b]", Name: "b", Rows: rows, Columns: []registry.LoadColumn{
		{Name: "id", Kind: coltype.Int64, Type: coltype.Info{Name: "BIGINT", Length: -1, Precision: -1, Scale: -1}},
		{Name: "s", Kind: coltype.String, Type: coltype.Info{Name: "NVARCHAR", Length: 1073741823, Precision: -1, Scale: -1}},
	}}
	n, err := bulkCopy(ctx, req)
	if err != nil || n != 1000 {
		t.Fatalf("bulkCopy: %d, %v", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var count int
	var sum int64
	var last string
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*), SUM(id), MAX(CASE WHEN id = 1000 THEN s END) FROM b").Scan(&count, &sum, &last); err != nil {
		t.Fatal(err)
	}
	if count != 1000 || sum != 500500 || last != "row 1000" {
		t.Fatalf("%d rows, sum %d, last %q", count, sum, last)
	}
}

func TestDecimalText(t *testing.T) {
	info := coltype.Info{Name: "DECIMAL", Precision: 5, Scale: 2}
	for in, want := range map[string]string{"1.005": "1.01", "-1.005": "-1.01", "999.994": "999.99", "12": "12.00", "1e2": "100.00"} {
		if got, err := decimalText(in, "DECIMAL", info); err != nil || got != want {
			t.Errorf("decimalText(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"999.995", "1000", "x"} {
		if got, err := decimalText(in, "DECIMAL", info); err == nil {
			t.Errorf("decimalText(%q) = %q, want an error", in, got)
		}
	}
	if got, err := decimalText("922337203685477.58075", "MONEY", coltype.Info{}); err != nil || got != "922337203685477.5808" {
		t.Errorf("MONEY: %q, %v", got, err)
	}
}

func TestGUIDBytes(t *testing.T) {
	b, err := guidBytes("{12345678-9ABC-def0-0102-030405060708}")
	want := []byte{0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde, 1, 2, 3, 4, 5, 6, 7, 8}
	if err != nil || string(b) != string(want) {
		t.Fatalf("% x, %v", b, err)
	}
	for _, s := range []string{"", "12345678-9ABC-def0-0102-03040506070g", "123456789ABCdef00102030405060708"} {
		if _, err := guidBytes(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
