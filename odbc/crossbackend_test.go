package odbc

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
)

// backend is one real database behind a vap connection.
type backend struct {
	name   string // test name
	typ    string // vap connection type
	fields func(t testing.TB) map[string]string
	skip   func(t testing.TB) // skips (or fails in CI) when the server is missing
	ddl    string             // CREATE TABLE %s (…), the same columns on every backend
	// generic forces the database/sql path (pgx's stdlib values) on PostgreSQL.
	generic bool
}

const crossColumns = `(id BIGINT, small SMALLINT, name TEXT, label VARCHAR(20), price DOUBLE PRECISION, ratio REAL,
	amount NUMERIC(12,2), flag BOOLEAN, day DATE, at TIMESTAMP, tod TIME, bin BYTEA, doc JSON, uid UUID)`

var backends = []backend{
	{name: "postgresql", typ: "postgresql", fields: pgFields, skip: func(t testing.TB) { testenv.Postgres(t) },
		ddl: crossColumns},
	{name: "postgresql-database-sql", typ: "postgresql", fields: pgFields, skip: func(t testing.TB) { testenv.Postgres(t) },
		ddl: crossColumns, generic: true},
	{name: "mysql", typ: "mysql", fields: mysqlFields, skip: func(t testing.TB) { testenv.MySQL(t) },
		ddl: `(id BIGINT, small SMALLINT, name TEXT, label VARCHAR(20), price DOUBLE, ratio FLOAT,
			amount DECIMAL(12,2), flag BOOLEAN, day DATE, at DATETIME(6), tod TIME(6), bin BLOB, doc JSON, uid UUID)`},
	{name: "sqlite", typ: "sqlite", fields: sqliteFields, skip: func(testing.TB) {},
		ddl: `(id INTEGER, small SMALLINT, name TEXT, label VARCHAR(20), price DOUBLE, ratio REAL,
			amount DECIMAL(12,2), flag BOOLEAN, day DATE, at DATETIME, tod TIME, bin BLOB, doc JSON, uid UUID)`},
}

// crossWant is what every backend must return, value for value.
var crossWant = struct {
	kinds []Kind
	rows  [][]any
}{
	kinds: []Kind{KindInt64, KindInt64, KindString, KindString, KindFloat64, KindFloat64, KindDecimal, KindBool,
		KindTime, KindTime, KindTime, KindBytes, KindString, KindString},
	rows: [][]any{
		{int64(1), int64(-7), "héllo", "lbl", 1.25, 0.5, "12.50", true,
			time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC),
			time.Date(0, 1, 1, 12, 34, 56, 500000000, time.UTC), []byte{0, 1, 0xff}, `{"a": [1, 2]}`,
			"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{int64(2), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(3), int64(0), "", "", -2.5, -1.5, "-0.05", false,
			time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), []byte{0x42}, `[]`,
			"00000000-0000-0000-0000-000000000001"},
	},
}

// TestCrossBackend runs the same table and query on PostgreSQL (pgx fast
// path), MySQL/MariaDB and SQLite (database/sql path) through vap
// connections in a store, and checks that the kinds, every Go value, the
// JSON and the CSV are identical.
func TestCrossBackend(t *testing.T) {
	ctx := context.Background()
	var jsons, csvs []string
	var ran []string
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			be.skip(t)
			st := testenv.Store(t)
			testenv.Put(t, st, "conn", be.typ, be.fields(t))
			c := New(WithStore(st))
			c.cfg.generic = be.generic
			t.Cleanup(func() { c.Close() })
			db, err := c.DB("conn", nil)
			if err != nil {
				t.Fatal(err)
			}
			table := uniqueName("odbc_cross")
			if _, err := db.ExecContext(ctx, "CREATE TABLE "+table+" "+be.ddl); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.ExecContext(context.Background(), "DROP TABLE "+table) })
			typ := registry.Lookup(be.typ)
			ph := func(n int) string { return typ.Placeholder(n) }
			inserts := []struct {
				values string
				blob   any
			}{
				{`1, -7, 'héllo', 'lbl', 1.25, 0.5, 12.50, TRUE, '2024-02-29', '2024-02-29 13:14:15.123456', '12:34:56.5', ` + ph(1) + `, '{"a": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`, []byte{0, 1, 0xff}},
				{`2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ` + ph(1) + `, NULL, NULL`, nil},
				{`3, 0, '', '', -2.5, -1.5, -0.05, FALSE, '1999-12-31', '1970-01-01 00:00:00', '00:00:00', ` + ph(1) + `, '[]', '00000000-0000-0000-0000-000000000001'`, []byte{0x42}},
			}
			for _, ins := range inserts {
				if _, err := db.ExecContext(ctx, "INSERT INTO "+table+" VALUES ("+ins.values+")", ins.blob); err != nil {
					t.Fatal(err)
				}
			}

			for _, q := range []struct {
				name string
				sql  string
				args []any
			}{
				{"no args", "SELECT * FROM " + table + " ORDER BY id", nil},
				{"with arg", "SELECT * FROM " + table + " WHERE id >= " + ph(1) + " ORDER BY id", []any{int64(1)}},
			} {
				t.Run(q.name, func(t *testing.T) {
					rows, err := c.OdbcToRows(ctx, q.sql, "conn", q.args...)
					if err != nil {
						t.Fatal(err)
					}
					checkCross(t, rows)
					if q.args == nil {
						js, err := rows.MarshalJSON()
						if err != nil {
							t.Fatal(err)
						}
						var csv bytes.Buffer
						if err := rows.WriteCSV(&csv); err != nil {
							t.Fatal(err)
						}
						jsons, csvs, ran = append(jsons, string(js)), append(csvs, csv.String()), append(ran, be.name)
					}
				})
			}
			t.Run("stream", func(t *testing.T) {
				i := 0
				for row, err := range c.Stream(ctx, "SELECT * FROM "+table+" ORDER BY id", "conn") {
					if err != nil {
						t.Fatal(err)
					}
					if i >= len(crossWant.rows) {
						t.Fatalf("more than %d rows", len(crossWant.rows))
					}
					if got := row.Values(); !reflect.DeepEqual(got, crossWant.rows[i]) {
						t.Errorf("row %d:\n got %#v\nwant %#v", i, got, crossWant.rows[i])
					}
					i++
				}
				if i != len(crossWant.rows) {
					t.Errorf("streamed %d rows, want %d", i, len(crossWant.rows))
				}
			})
		})
	}
	for i := 1; i < len(jsons); i++ {
		if jsons[i] != jsons[0] {
			t.Errorf("JSON differs between %s and %s:\n%s\n%s", ran[0], ran[i], jsons[0], jsons[i])
		}
		if csvs[i] != csvs[0] {
			t.Errorf("CSV differs between %s and %s:\n%s\n%s", ran[0], ran[i], csvs[0], csvs[i])
		}
	}
	if len(jsons) > 0 {
		t.Logf("JSON on %s:\n%s", strings.Join(ran, ", "), jsons[0])
	}
}

func checkCross(t *testing.T, rows *Rows) {
	t.Helper()
	cols := rows.Columns()
	if len(cols) != len(crossWant.kinds) {
		t.Fatalf("%d columns, want %d", len(cols), len(crossWant.kinds))
	}
	for j, c := range cols {
		if c.Kind != crossWant.kinds[j] {
			t.Errorf("column %s (%s): kind %s, want %s", c.Name, c.DatabaseType, c.Kind, crossWant.kinds[j])
		}
	}
	if rows.Len() != len(crossWant.rows) {
		t.Fatalf("%d rows, want %d", rows.Len(), len(crossWant.rows))
	}
	for i, want := range crossWant.rows {
		for j, w := range want {
			got := rows.Value(i, j)
			if !reflect.DeepEqual(got, w) {
				t.Errorf("row %d column %s (%s): got %#v (%T), want %#v (%T)", i, cols[j].Name, cols[j].DatabaseType, got, got, w, w)
			}
			if rows.IsNull(i, j) != (w == nil) {
				t.Errorf("row %d column %s: IsNull %v", i, cols[j].Name, rows.IsNull(i, j))
			}
		}
	}
}
