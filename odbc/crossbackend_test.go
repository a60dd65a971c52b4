package odbc

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/registry"
)

// backend is one real database behind a vap connection.
type backend struct {
	name   string // test name
	typ    string // vap connection type
	fields func(t testing.TB) map[string]string
	skip   func(t testing.TB) // skips (or fails in CI) when the server is missing
	ddl    string             // CREATE TABLE %s (…), the same columns on every backend
	// generic forces the database/sql path: pgx's stdlib values on
	// PostgreSQL, database/sql's Scan instead of the raw driver rows
	// elsewhere.
	generic bool
	// binLiteral, when set, is why the bin column goes in as a X'…' literal
	// instead of a bound []byte parameter.
	binLiteral string
	// boolLiterals, when set, are the literals of true and false where the
	// dialect has no bare TRUE and FALSE (T-SQL).
	boolLiterals [2]string
	// diffs are the columns whose values legitimately differ on this
	// backend, with the reason and what it returns instead. Every other
	// column must give exactly crossWant.
	diffs map[string]columnDiff
}

// columnDiff is a column a backend cannot represent as the others do.
type columnDiff struct {
	reason string
	kind   Kind
	values []any // one per row of crossWant.rows
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
	{name: "mysql-database-sql", typ: "mysql", fields: mysqlFields, skip: func(t testing.TB) { testenv.MySQL(t) },
		ddl: `(id BIGINT, small SMALLINT, name TEXT, label VARCHAR(20), price DOUBLE, ratio FLOAT,
			amount DECIMAL(12,2), flag BOOLEAN, day DATE, at DATETIME(6), tod TIME(6), bin BLOB, doc JSON, uid UUID)`,
		generic: true},
	{name: "sqlite-database-sql", typ: "sqlite", fields: sqliteFields, skip: func(testing.TB) {}, generic: true,
		ddl: `(id INTEGER, small SMALLINT, name TEXT, label VARCHAR(20), price DOUBLE, ratio REAL,
			amount DECIMAL(12,2), flag BOOLEAN, day DATE, at DATETIME, tod TIME, bin BLOB, doc JSON, uid UUID)`},
	{name: "sqlite", typ: "sqlite", fields: sqliteFields, skip: func(testing.TB) {},
		ddl: `(id INTEGER, small SMALLINT, name TEXT, label VARCHAR(20), price DOUBLE, ratio REAL,
			amount DECIMAL(12,2), flag BOOLEAN, day DATE, at DATETIME, tod TIME, bin BLOB, doc JSON, uid UUID)`},
	// Databricks: databricks-sql-go v1.14.0 on the local warehouse peer
	// (peer/dbsqlpeer), which reports Spark SQL types. Spark has no
	// JSON or UUID type: doc and uid are STRING holding the same text, and
	// odbc reads JSON and UUID as strings everywhere, so they must match.
	// TIMESTAMP is Databricks' TIMESTAMP_LTZ, an instant that odbc gives
	// in UTC; the session time zone is UTC (the driver's default), so its
	// wall clock is the others' TIMESTAMP.
	databricksBackend("databricks-arrow", dbsqlpeer.Config{CloudFetchThreshold: -1}),
	databricksBackend("databricks-cloudfetch", dbsqlpeer.Config{CloudFetchThreshold: 1}),
	databricksBackend("databricks-columns", dbsqlpeer.Config{Results: dbsqlpeer.ColumnResults}),
	// SQL Server: go-mssqldb over TDS 7.4 (TLS verified) on the local SQL
	// Server peer (peer/tdspeer). JSON is NVARCHAR text and UUID a
	// UNIQUEIDENTIFIER, whose mixed-endian bytes odbc writes as the others'
	// text; T-SQL has no bare TRUE or FALSE.
	{name: "mssql", typ: "mssql", fields: mssqlFields, skip: func(testing.TB) {},
		ddl: `(id BIGINT, small SMALLINT, name NVARCHAR(MAX), label VARCHAR(20), price FLOAT, ratio REAL,
			amount DECIMAL(12,2), flag BIT, day DATE, at DATETIME2(6), tod TIME(6), bin VARBINARY(MAX), doc NVARCHAR(MAX), uid UNIQUEIDENTIFIER)`,
		boolLiterals: [2]string{"1", "0"}},
}

// databricksBackend is Databricks on a local warehouse peer configured
// as cfg: inline Arrow results, CloudFetch links for every result, or
// column-based row sets; all three must give the same values.
func databricksBackend(name string, cfg dbsqlpeer.Config) backend {
	return backend{name: name, typ: "databricks", skip: func(testing.TB) {},
		fields: func(t testing.TB) map[string]string { return databricksFieldsWith(t, cfg) },
		ddl: `(id BIGINT, small SMALLINT, name STRING, label VARCHAR(20), price DOUBLE, ratio FLOAT,
			amount DECIMAL(12,2), flag BOOLEAN, day DATE, at TIMESTAMP, tod STRING, bin BINARY, doc STRING, uid STRING)`,
		binLiteral: "databricks-sql-go v1.14.0 has no BINARY parameter: it sends a []byte as a STRING of its raw bytes " +
			"(not UTF-8 safe on a warehouse) and a nil []byte as '' instead of NULL",
		diffs: map[string]columnDiff{
			"tod": {reason: "Spark SQL has no TIME type; a time of day is a STRING",
				kind: KindString, values: []any{"12:34:56.5", nil, "00:00:00"}},
		}}
}

// crossNames are the columns of the cross-backend table, in order.
var crossNames = []string{"id", "small", "name", "label", "price", "ratio", "amount", "flag", "day", "at", "tod", "bin", "doc", "uid"}

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

// want is what be must return: crossWant with be's declared differences.
func (be backend) want(t *testing.T) (kinds []Kind, rows [][]any) {
	t.Helper()
	kinds = append([]Kind(nil), crossWant.kinds...)
	rows = make([][]any, len(crossWant.rows))
	for i, r := range crossWant.rows {
		rows[i] = append([]any(nil), r...)
	}
	for col, d := range be.diffs {
		j := slices.Index(crossNames, col)
		if j < 0 || d.reason == "" || len(d.values) != len(rows) {
			t.Fatalf("%s: difference on column %q needs a column of the table, a reason and %d values", be.name, col, len(rows))
		}
		kinds[j] = d.kind
		for i := range rows {
			rows[i][j] = d.values[i]
		}
		t.Logf("column %s differs on %s: %s", col, be.name, d.reason)
	}
	return kinds, rows
}

// crossResult is one backend's JSON and CSV of the table.
type crossResult struct {
	backend   string
	diffs     map[string]columnDiff
	json, csv string
}

// TestCrossBackend runs the same table and query on PostgreSQL (pgx fast
// path), MySQL/MariaDB and SQLite (database/sql path) and Databricks (the
// local warehouse peer) through vap connections in a store, and checks that
// the kinds, every Go value, the JSON and the CSV are identical, except for
// the columns a backend declares different, with a reason.
func TestCrossBackend(t *testing.T) {
	ctx := context.Background()
	var results []crossResult
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			be.skip(t)
			kinds, want := be.want(t)
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
				values string // {bin} is the bin column
				blob   []byte
			}{
				{`1, -7, 'héllo', 'lbl', 1.25, 0.5, 12.50, TRUE, '2024-02-29', '2024-02-29 13:14:15.123456', '12:34:56.5', {bin}, '{"a": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`, []byte{0, 1, 0xff}},
				{`2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, {bin}, NULL, NULL`, nil},
				{`3, 0, '', '', -2.5, -1.5, -0.05, FALSE, '1999-12-31', '1970-01-01 00:00:00', '00:00:00', {bin}, '[]', '00000000-0000-0000-0000-000000000001'`, []byte{0x42}},
			}
			if be.binLiteral != "" {
				t.Logf("bin goes in as X'…' literals on %s: %s", be.name, be.binLiteral)
			}
			for _, ins := range inserts {
				bin, args := ph(1), []any{ins.blob}
				if be.binLiteral != "" {
					bin, args = "NULL", nil
					if ins.blob != nil {
						bin = "X'" + hex.EncodeToString(ins.blob) + "'"
					}
				}
				values := strings.Replace(ins.values, "{bin}", bin, 1)
				if be.boolLiterals[0] != "" {
					values = strings.NewReplacer("TRUE", be.boolLiterals[0], "FALSE", be.boolLiterals[1]).Replace(values)
				}
				q := "INSERT INTO " + table + " VALUES (" + values + ")"
				if _, err := db.ExecContext(ctx, q, args...); err != nil {
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
					checkCross(t, rows, kinds, want)
					if q.args == nil {
						js, err := rows.MarshalJSON()
						if err != nil {
							t.Fatal(err)
						}
						var csv bytes.Buffer
						if err := rows.WriteCSV(&csv); err != nil {
							t.Fatal(err)
						}
						results = append(results, crossResult{backend: be.name, diffs: be.diffs, json: string(js), csv: csv.String()})
					}
				})
			}
			t.Run("stream", func(t *testing.T) {
				i := 0
				for row, err := range c.Stream(ctx, "SELECT * FROM "+table+" ORDER BY id", "conn") {
					if err != nil {
						t.Fatal(err)
					}
					if i >= len(want) {
						t.Fatalf("more than %d rows", len(want))
					}
					if got := row.Values(); !reflect.DeepEqual(got, want[i]) {
						t.Errorf("row %d:\n got %#v\nwant %#v", i, got, want[i])
					}
					i++
				}
				if i != len(want) {
					t.Errorf("streamed %d rows, want %d", i, len(want))
				}
			})
		})
	}
	var ran []string
	for i, r := range results {
		ran = append(ran, r.backend)
		if i == 0 {
			continue
		}
		ref := results[0]
		skip := map[string]bool{}
		for col := range ref.diffs {
			skip[col] = true
		}
		for col := range r.diffs {
			skip[col] = true
		}
		if len(skip) == 0 {
			if r.json != ref.json {
				t.Errorf("JSON differs between %s and %s:\n%s\n%s", ref.backend, r.backend, ref.json, r.json)
			}
			if r.csv != ref.csv {
				t.Errorf("CSV differs between %s and %s:\n%s\n%s", ref.backend, r.backend, ref.csv, r.csv)
			}
			continue
		}
		if a, b := jsonWithout(t, ref.json, skip), jsonWithout(t, r.json, skip); a != b {
			t.Errorf("JSON differs between %s and %s beyond the declared columns %v:\n%s\n%s", ref.backend, r.backend, slices.Sorted(maps.Keys(skip)), a, b)
		}
		if a, b := csvWithout(t, ref.csv, skip), csvWithout(t, r.csv, skip); !reflect.DeepEqual(a, b) {
			t.Errorf("CSV differs between %s and %s beyond the declared columns %v:\n%q\n%q", ref.backend, r.backend, slices.Sorted(maps.Keys(skip)), a, b)
		}
	}
	if len(results) > 0 {
		t.Logf("JSON on %s:\n%s", strings.Join(ran, ", "), results[0].json)
	}
}

// jsonWithout re-encodes a JSON array of objects without the skipped keys,
// keeping each remaining value's bytes as they were.
func jsonWithout(t *testing.T, js string, skip map[string]bool) string {
	t.Helper()
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &objs); err != nil {
		t.Fatalf("JSON %s: %v", js, err)
	}
	for _, o := range objs {
		for k := range skip {
			if _, ok := o[k]; !ok {
				t.Errorf("JSON object without declared column %q", k)
			}
			delete(o, k)
		}
	}
	out, err := json.Marshal(objs) // sorted keys: column order is checked by checkCross
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// csvWithout parses CSV and drops the skipped columns, named in the header.
func csvWithout(t *testing.T, text string, skip map[string]bool) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV %q: %v", text, err)
	}
	header := recs[0]
	for k := range skip {
		if !slices.Contains(header, k) {
			t.Errorf("CSV header %v without declared column %q", header, k)
		}
	}
	out := make([][]string, len(recs))
	for i, rec := range recs {
		for j, v := range rec {
			if !skip[header[j]] {
				out[i] = append(out[i], v)
			}
		}
	}
	return out
}

func checkCross(t *testing.T, rows *Rows, kinds []Kind, want [][]any) {
	t.Helper()
	cols := rows.Columns()
	if len(cols) != len(kinds) {
		t.Fatalf("%d columns, want %d", len(cols), len(kinds))
	}
	for j, c := range cols {
		if c.Name != crossNames[j] {
			t.Errorf("column %d named %q, want %q", j, c.Name, crossNames[j])
		}
		if c.Kind != kinds[j] {
			t.Errorf("column %s (%s): kind %s, want %s", c.Name, c.DatabaseType, c.Kind, kinds[j])
		}
	}
	if rows.Len() != len(want) {
		t.Fatalf("%d rows, want %d", rows.Len(), len(want))
	}
	for i, wr := range want {
		for j, w := range wr {
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
