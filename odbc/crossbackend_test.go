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
	// typedLiterals, when set, is why the day and at columns go in as the
	// family's date and timestamp literals (registry.Dialect.Literal)
	// instead of quoted text.
	typedLiterals string
	// upperNames, when set, is why the column names come back upper case.
	upperNames string
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
	oracleBackend,
	oracleDatabaseSQL(),
}

// oracleDatabaseSQL is oracleBackend through database/sql's Scan.
func oracleDatabaseSQL() backend {
	be := oracleBackend
	be.name, be.generic = "oracle-database-sql", true
	return be
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

// oracleBackend is Oracle: go-ora v2.8.24 on the local Oracle peer
// (peer/orapeer), with Oracle's documented differences declared: the empty
// string is NULL (so row 3's name and label are NULL), there is no BOOLEAN
// before 23ai (a NUMBER(1) flag, read as the integers 1 and 0) and no TIME
// type (a time of day is VARCHAR2 text, as on Databricks). A DATE carries a
// time part (midnight here, so day matches the others), a NUMBER(p,s) with
// s > 0 is an exact decimal written with its scale (go-ora gives 12.50 as
// "12.5": registry/oracle's Columns pads it), and id is NUMBER(18) because
// a NUMBER(19) holds values past int64 and reads as a decimal. JSON and
// UUID are VARCHAR2 text, bytes RAW, and unquoted column names come back
// upper case.
// A bare quoted date depends on the session's NLS_DATE_FORMAT, so day and
// at go in as TO_DATE/TO_TIMESTAMP with explicit masks.
var oracleBackend = backend{name: "oracle", typ: "oracle", fields: oracleFields, skip: func(testing.TB) {},
	ddl: `(id NUMBER(18), small NUMBER(5), name VARCHAR2(100), label VARCHAR2(20), price BINARY_DOUBLE, ratio BINARY_FLOAT,
		amount NUMBER(12,2), flag NUMBER(1), day DATE, at TIMESTAMP(6), tod VARCHAR2(20), bin RAW(16), doc VARCHAR2(100), uid VARCHAR2(36))`,
	boolLiterals:  [2]string{"1", "0"},
	typedLiterals: "a quoted date or timestamp converts by the session's NLS formats",
	upperNames:    "Oracle folds unquoted identifiers to upper case",
	diffs: map[string]columnDiff{
		"name":  {reason: "Oracle stores the empty string as NULL", kind: KindString, values: []any{"héllo", nil, nil}},
		"label": {reason: "Oracle stores the empty string as NULL", kind: KindString, values: []any{"lbl", nil, nil}},
		"flag": {reason: "Oracle has no BOOLEAN type before 23ai; a flag is NUMBER(1)",
			kind: KindInt64, values: []any{int64(1), nil, int64(0)}},
		"tod": {reason: "Oracle has no TIME type; a time of day is VARCHAR2 text",
			kind: KindString, values: []any{"12:34:56.5", nil, "00:00:00"}},
	}}

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
func (be backend) want(t *testing.T) (names []string, kinds []Kind, rows [][]any) {
	t.Helper()
	names = crossNames
	if be.upperNames != "" {
		names = nil
		for _, n := range crossNames {
			names = append(names, strings.ToUpper(n))
		}
		t.Logf("column names are upper case on %s: %s", be.name, be.upperNames)
	}
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
	return names, kinds, rows
}

// crossResult is one backend's JSON and CSV of the table.
type crossResult struct {
	backend   string
	diffs     map[string]columnDiff
	json, csv string
	upper     bool // column names upper case (backend.upperNames)
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
			names, kinds, want := be.want(t)
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
				values  string // {bin}, {date} and {timestamp} are the bin, day and at columns
				day, at string
				blob    []byte
			}{
				{`1, -7, 'héllo', 'lbl', 1.25, 0.5, 12.50, TRUE, {date}, {timestamp}, '12:34:56.5', {bin}, '{"a": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`, "2024-02-29", "2024-02-29 13:14:15.123456", []byte{0, 1, 0xff}},
				{`2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, {bin}, NULL, NULL`, "", "", nil},
				{`3, 0, '', '', -2.5, -1.5, -0.05, FALSE, {date}, {timestamp}, '00:00:00', {bin}, '[]', '00000000-0000-0000-0000-000000000001'`, "1999-12-31", "1970-01-01 00:00:00", []byte{0x42}},
			}
			literal := func(kind, v string) string {
				if be.typedLiterals != "" {
					if l := typ.Dialect.Literal(kind, v); l != "" {
						return l
					}
				}
				return "'" + v + "'"
			}
			if be.typedLiterals != "" {
				t.Logf("day and at go in as typed literals on %s: %s", be.name, be.typedLiterals)
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
				day, at := "NULL", "NULL"
				if ins.day != "" {
					day, at = literal("date", ins.day), literal("timestamp", ins.at)
				}
				values := strings.NewReplacer("{bin}", bin, "{date}", day, "{timestamp}", at).Replace(ins.values)
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
					checkCross(t, rows, names, kinds, want)
					if q.args == nil {
						js, err := rows.MarshalJSON()
						if err != nil {
							t.Fatal(err)
						}
						var csv bytes.Buffer
						if err := rows.WriteCSV(&csv); err != nil {
							t.Fatal(err)
						}
						results = append(results, crossResult{backend: be.name, diffs: be.diffs, json: string(js), csv: csv.String(), upper: be.upperNames != ""})
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
		if len(skip) == 0 && !r.upper && !ref.upper {
			if r.json != ref.json {
				t.Errorf("JSON differs between %s and %s:\n%s\n%s", ref.backend, r.backend, ref.json, r.json)
			}
			if r.csv != ref.csv {
				t.Errorf("CSV differs between %s and %s:\n%s\n%s", ref.backend, r.backend, ref.csv, r.csv)
			}
			continue
		}
		if a, b := jsonWithout(t, ref.json, skip, ref.upper), jsonWithout(t, r.json, skip, r.upper); a != b {
			t.Errorf("JSON differs between %s and %s beyond the declared columns %v:\n%s\n%s", ref.backend, r.backend, slices.Sorted(maps.Keys(skip)), a, b)
		}
		if a, b := csvWithout(t, ref.csv, skip, ref.upper), csvWithout(t, r.csv, skip, r.upper); !reflect.DeepEqual(a, b) {
			t.Errorf("CSV differs between %s and %s beyond the declared columns %v:\n%q\n%q", ref.backend, r.backend, slices.Sorted(maps.Keys(skip)), a, b)
		}
	}
	if len(results) > 0 {
		t.Logf("JSON on %s:\n%s", strings.Join(ran, ", "), results[0].json)
	}
}

// jsonWithout re-encodes a JSON array of objects without the skipped keys,
// keeping each remaining value's bytes as they were; upper: the keys are
// upper case, and are lowered first.
func jsonWithout(t *testing.T, js string, skip map[string]bool, upper bool) string {
	t.Helper()
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &objs); err != nil {
		t.Fatalf("JSON %s: %v", js, err)
	}
	for i, o := range objs {
		if upper {
			lower := map[string]json.RawMessage{}
			for k, v := range o {
				if k != strings.ToUpper(k) {
					t.Errorf("JSON key %q is not upper case", k)
				}
				lower[strings.ToLower(k)] = v
			}
			o, objs[i] = lower, lower
		}
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

// csvWithout parses CSV and drops the skipped columns, named in the header;
// upper: the header is upper case, and is lowered first.
func csvWithout(t *testing.T, text string, skip map[string]bool, upper bool) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV %q: %v", text, err)
	}
	if upper {
		for j, h := range recs[0] {
			if h != strings.ToUpper(h) {
				t.Errorf("CSV header %q is not upper case", h)
			}
			recs[0][j] = strings.ToLower(h)
		}
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

func checkCross(t *testing.T, rows *Rows, names []string, kinds []Kind, want [][]any) {
	t.Helper()
	cols := rows.Columns()
	if len(cols) != len(kinds) {
		t.Fatalf("%d columns, want %d", len(cols), len(kinds))
	}
	for j, c := range cols {
		if c.Name != names[j] {
			t.Errorf("column %d named %q, want %q", j, c.Name, names[j])
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
