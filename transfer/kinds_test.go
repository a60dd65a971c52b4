package transfer_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/vapsql/vap/transfer"
)

// pgSeed is a PostgreSQL table with a column of every kind: NULLs,
// decimals, timestamps with and without zone, binary with every
// troublesome byte, text with tabs, newlines, backslashes, \N and
// characters outside the BMP.
const pgSeed = `CREATE TABLE %s (
	id bigint PRIMARY KEY, i int, f float8, d numeric(12,3), s text, b bytea, ok boolean,
	dt date, tm time, ts timestamp(6), tz timestamptz);
INSERT INTO %[1]s VALUES
	(1, 42, 1.5e300, 12345.678, E'h\u00e9llo\t"w\u00f6rld"\n\\N \\ \r \U0001F600 end', '\x00090a5c0dff4e'::bytea, true,
	 '2024-02-29', '23:59:59.123456', '1999-12-31 23:59:59.999999', '2024-06-01 12:00:00.5+02'),
	(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(3, -2147483648, -0.000123, -0.001, '', ''::bytea, false,
	 '1000-01-01', '00:00:00', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00')`

const cols = "id, i, f, d, s, b, ok, dt, tm, ts, tz"

// TestKinds copies every kind PostgreSQL → MariaDB (created table, LOAD
// DATA), MariaDB → PostgreSQL (created table, COPY), PostgreSQL → SQLite
// (created table, INSERTs in one transaction) and SQLite → PostgreSQL
// (an existing table), and compares each copy with the original.
func TestKinds(t *testing.T) {
	c := open(t, "pg", "my", "lite")
	ctx := context.Background()
	orig, onMy, back, onLite, back2 := unique("vap_copy_orig"), unique("vap_copy_my"), unique("vap_copy_back"), unique("vap_copy_lite"), unique("vap_copy_back2")
	for _, tb := range []string{orig, back, back2} {
		dropLater(t, c.pgAdmin, tb)
	}
	dropLater(t, c.myAdmin, onMy)
	exec(t, c.pgAdmin, fmt.Sprintf(pgSeed, orig))
	want := read(t, c.pg, "SELECT "+cols+" FROM "+orig+" ORDER BY id")

	copy := func(src, dst *sql.DB, opt transfer.Options, method string) {
		t.Helper()
		res, err := transfer.Copy(ctx, src, dst, opt)
		if err != nil {
			t.Fatalf("copy into %s: %v", opt.Table, err)
		}
		if res.Rows != 3 || res.Method != method {
			t.Fatalf("copy into %s: %+v, want 3 rows by %s", opt.Table, res, method)
		}
	}

	copy(c.pg, c.my, transfer.Options{Query: "SELECT " + cols + " FROM " + orig, Table: onMy, Create: true}, "LOAD DATA")
	sameRows(t, "PostgreSQL → MariaDB", read(t, c.my, "SELECT "+cols+" FROM "+onMy+" ORDER BY id"), want)
	var ddl string
	if err := c.myAdmin.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'd'", onMy).Scan(&ddl); err != nil || ddl != "decimal(12,3)" {
		t.Errorf("created MariaDB column d is %q (%v), want decimal(12,3)", ddl, err)
	}

	copy(c.my, c.pg, transfer.Options{Query: "SELECT " + cols + " FROM " + onMy, Table: back, Create: true, Batch: 2}, "COPY")
	sameRows(t, "MariaDB → PostgreSQL", read(t, c.pg, "SELECT "+cols+" FROM "+back+" ORDER BY id"), want)

	copy(c.pg, c.lite, transfer.Options{Query: "SELECT " + cols + " FROM " + orig, Table: onLite, Create: true}, "INSERT")
	gotLite := read(t, c.lite, "SELECT "+cols+" FROM "+onLite+" ORDER BY id")
	sameRows(t, "PostgreSQL → SQLite", gotLite, want)

	exec(t, c.pgAdmin, fmt.Sprintf(`CREATE TABLE %s (LIKE %s)`, back2, orig))
	copy(c.lite, c.pg, transfer.Options{Query: "SELECT " + cols + " FROM " + onLite, Table: back2}, "COPY")
	sameRows(t, "SQLite → PostgreSQL", read(t, c.pg, "SELECT "+cols+" FROM "+back2+" ORDER BY id"), want)
}
