package transfer_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/tdspeer"
	"github.com/vapsql/vap/transfer"
)

// TestMSSQLPeer copies every kind SQLite → SQL Server (the local peer,
// go-mssqldb with vap's defaults) into a created table with multi-row
// INSERTs in a transaction, reads it back, then checks a failing copy
// leaves the table as it was.
func TestMSSQLPeer(t *testing.T) {
	const user, password = "copy", "copy-peer-password"
	p, err := tdspeer.Start(tdspeer.Config{User: user, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	st := testenv.Store(t)
	testenv.Put(t, st, "ms", "mssql", map[string]string{
		"host": p.Host(), "port": strconv.Itoa(p.Port()), "user_name": user, "password": password,
		"dbname": p.Database(), "options.certificate": p.CAFile(),
	})
	ms := testenv.OpenDB(t, st, "ms")
	c := open(t, "lite")
	exec(t, c.lite, `CREATE TABLE src (id INTEGER, f REAL, d TEXT, s TEXT, b BLOB, ok BOOLEAN, ts DATETIME)`,
		`INSERT INTO src VALUES (1, 1.5, '12.345', 'h\u00e9llo	tab', x'00ff', 1, '2024-02-29 10:11:12.5'),
			(2, NULL, NULL, NULL, NULL, NULL, NULL), (3, -2.25, '-0.001', '', x'', 0, '1970-01-01 00:00:00')`)
	ctx := context.Background()
	res, err := transfer.Copy(ctx, c.lite, ms, transfer.Options{Query: "SELECT id, f, s, b, ok, ts FROM src ORDER BY id", Table: "dst", Create: true, Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3 || res.Method != "INSERT" {
		t.Fatalf("%+v", res)
	}
	want := read(t, c.lite, "SELECT id, f, s, b, ok, ts FROM src ORDER BY id")
	sameRows(t, "SQLite → SQL Server peer", read(t, ms, "SELECT id, f, s, b, ok, ts FROM dst ORDER BY id"), want)

	// Row 2200 of the next copy is a text for the FLOAT column, after two
	// 1000-row INSERTs went to the server: rolled back there.
	_, err = transfer.Copy(ctx, c.lite, ms, transfer.Options{Table: "dst",
		Query: "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 2500) SELECT x + 10 AS id, CASE WHEN x = 2200 THEN 'x' ELSE x END AS f FROM s"})
	if err == nil || !strings.Contains(err.Error(), "row 2200") {
		t.Fatalf("copy of a text into a FLOAT column: %v", err)
	}
	t.Log(err)
	sameRows(t, "SQL Server peer after a failed copy", read(t, ms, "SELECT id, f, s, b, ok, ts FROM dst ORDER BY id"), want)
}
