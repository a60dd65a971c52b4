package odbc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// complexCases are Databricks ARRAY, MAP and STRUCT values (built on the
// local warehouse peer with Spark's constructors) and the exact JSON text
// OdbcToRows gives for each (see "Complex types" in the package doc).
var complexCases = []struct {
	name, expr, dbType, want string
}{
	{"decimals keep their scale", "array(3.30, NULL, 1.5)", "ARRAY", `[3.30,null,1.50]`},
	{"cast decimal", "array(CAST(3.3 AS DECIMAL(4,2)), CAST(-0.05 AS DECIMAL(4,2)))", "ARRAY", `[3.30,-0.05]`},
	{"decimal(38,18)", "array(CAST('12345678901234567890.123456789012345678' AS DECIMAL(38,18)))", "ARRAY",
		`[12345678901234567890.123456789012345678]`},
	{"bigint", "array(CAST(9223372036854775807 AS BIGINT), -1)", "ARRAY", `[9223372036854775807,-1]`},
	{"doubles NaN and infinities", "array(CAST('NaN' AS DOUBLE), CAST('Infinity' AS DOUBLE), CAST('-Infinity' AS DOUBLE), CAST(0.1 AS DOUBLE), CAST(1e300 AS DOUBLE))",
		"ARRAY", `["NaN","Infinity","-Infinity",0.1,1e+300]`},
	{"float", "array(CAST(0.1 AS FLOAT), CAST('NaN' AS FLOAT))", "ARRAY", `[0.1,"NaN"]`},
	{"booleans", "array(TRUE, FALSE, NULL)", "ARRAY", `[true,false,null]`},
	{"binary", "array(CAST('hi' AS BINARY))", "ARRAY", `["aGk="]`},
	{"struct of dates, timestamps and text", "named_struct('d', DATE '2024-02-29', 't', TIMESTAMP '2024-02-29 13:14:15.123456', " +
		"'t0', TIMESTAMP '1970-01-01 00:00:00', 's', 'q\"é\\ 😀\ttab', 'n', NULL)", "STRUCT",
		`{"d":"2024-02-29","t":"2024-02-29T13:14:15.123456Z","t0":"1970-01-01T00:00:00Z","s":"q\"é\\ 😀\ttab","n":null}`},
	{"field names that need escaping", `named_struct('a"b', 1, 'c\d', 2, 'ü', 3)`, "STRUCT", `{"a\"b":1,"c\\d":2,"ü":3}`},
	{"struct", "struct(1, 'a')", "STRUCT", `{"col1":1,"col2":"a"}`},
	{"map of strings", "map('a', 1, 'b', NULL)", "MAP", `{"a":1,"b":null}`},
	{"map of ints", "map(1, 'x', 2, 'y')", "MAP", `{"1":"x","2":"y"}`},
	{"map of dates to decimals", "map(DATE '2024-01-02', 1.5, DATE '2024-01-03', 2.25)", "MAP", `{"2024-01-02":1.50,"2024-01-03":2.25}`},
	{"nested arrays", "array(array(1, 2), array(), NULL)", "ARRAY", `[[1,2],[],null]`},
	{"array of structs", "array(named_struct('x', 1.25, 'y', array(DATE '2024-01-02')), named_struct('x', NULL, 'y', NULL))",
		"ARRAY", `[{"x":1.25,"y":["2024-01-02"]},{"x":null,"y":null}]`},
	{"map of arrays", "map('k', array(named_struct('a', map('z', 0.5))))", "MAP", `{"k":[{"a":{"z":0.5}}]}`},
	{"empty array", "array()", "ARRAY", `[]`},
	{"empty map", "map()", "MAP", `{}`},
	{"array of NULL", "array(NULL)", "ARRAY", `[null]`},
}

// databricksModes are the peer's three ways of sending a result, with and
// without the first page in the statement's answer (direct results).
var databricksModes = []struct {
	name string
	cfg  dbsqlpeer.Config
}{
	{"arrow", dbsqlpeer.Config{CloudFetchThreshold: -1}},
	{"cloudfetch", dbsqlpeer.Config{CloudFetchThreshold: 1}},
	{"columns", dbsqlpeer.Config{Results: dbsqlpeer.ColumnResults}},
	// The statement answered RUNNING: the driver has no first page yet
	// when the rows are handed out.
	{"arrow-async", dbsqlpeer.Config{CloudFetchThreshold: -1, DirectResultsWait: -1}},
	{"columns-async", dbsqlpeer.Config{Results: dbsqlpeer.ColumnResults, DirectResultsWait: -1}},
}

// TestDatabricksComplexTypes reads every complex case in one statement on
// the peer in each mode, materialized and streamed, and checks that each
// value is valid JSON of exactly the expected text: the same on every path.
func TestDatabricksComplexTypes(t *testing.T) {
	items := make([]string, len(complexCases))
	for i, tc := range complexCases {
		items[i] = tc.expr + " AS c" + string(rune('a'+i))
	}
	query := "SELECT 7 AS id, " + strings.Join(items, ", ")
	for _, mode := range databricksModes {
		t.Run(mode.name, func(t *testing.T) {
			st := testenv.Store(t)
			testenv.Put(t, st, "dbx", "databricks", databricksFieldsWith(t, mode.cfg))
			c := New(WithStore(st))
			t.Cleanup(func() { c.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()

			rows, err := c.OdbcToRows(ctx, query, "dbx")
			if err != nil {
				t.Fatal(err)
			}
			if rows.Len() != 1 || len(rows.Columns()) != len(complexCases)+1 {
				t.Fatalf("%d rows × %d columns, want 1 × %d", rows.Len(), len(rows.Columns()), len(complexCases)+1)
			}
			if got := rows.Value(0, 0); got != int64(7) {
				t.Errorf("id = %#v, want 7", got)
			}
			var streamed []any
			for r, err := range c.Stream(ctx, query, "dbx") {
				if err != nil {
					t.Fatal(err)
				}
				streamed = append(streamed, r.Values()...)
			}
			for i, tc := range complexCases {
				col := rows.Columns()[i+1]
				if col.Kind != KindString || !col.JSON || col.DatabaseType != tc.dbType {
					t.Errorf("%s: column %s %s json=%v, want %s string json", tc.name, col.DatabaseType, col.Kind, col.JSON, tc.dbType)
				}
				got, _ := rows.Value(0, i+1).(string)
				if !json.Valid([]byte(got)) {
					t.Errorf("%s: %q is not valid JSON", tc.name, got)
				}
				if got != tc.want {
					t.Errorf("%s: got  %s\nwant %s", tc.name, got, tc.want)
				}
				if len(streamed) != len(complexCases)+1 || streamed[i+1] != tc.want {
					t.Errorf("%s: streamed %v, want %s", tc.name, streamed, tc.want)
				}
			}
			js, err := rows.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var back []map[string]json.RawMessage
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatalf("WriteJSON: %v", err)
			}
			if got := string(back[0]["ca"]); got != complexCases[0].want {
				t.Errorf("WriteJSON nests the value: got %s, want %s", got, complexCases[0].want)
			}
		})
	}
}

// TestDatabricksComplexErrors checks that a value that cannot be read fails
// with an error that names its column (and element), in every mode, and
// that a huge value converts whole.
func TestDatabricksComplexErrors(t *testing.T) {
	for _, mode := range databricksModes[:3] {
		t.Run(mode.name, func(t *testing.T) {
			st := testenv.Store(t)
			testenv.Put(t, st, "dbx", "databricks", databricksFieldsWith(t, mode.cfg))
			c := New(WithStore(st))
			t.Cleanup(func() { c.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()

			_, err := c.OdbcToRows(ctx, "SELECT 1 AS id, array(CAST(1.5 AS DECIMAL(4,2)), CAST(123.456 AS DECIMAL(4,2))) AS big", "dbx")
			if err == nil || !strings.Contains(err.Error(), `column "big"`) || !strings.Contains(err.Error(), "element [1]") ||
				!strings.Contains(err.Error(), "out of range") {
				t.Errorf("out-of-range decimal: %v, want an error naming column big, element [1]", err)
			}
			_, err = c.OdbcToRows(ctx, "SELECT array(1, 'a', DATE '2024-01-02') AS mixed", "dbx")
			if err == nil || !strings.Contains(err.Error(), "SELECT item 1") || !strings.Contains(err.Error(), "array element 2") {
				t.Errorf("elements without a common type: %v", err)
			}

			const n = 1 << 20
			rows, err := c.OdbcToRows(ctx, "SELECT array(repeat('x', 1048576), 'é') AS huge", "dbx")
			if err != nil {
				t.Fatal(err)
			}
			got := rows.Value(0, 0).(string)
			if want := `["` + strings.Repeat("x", n) + `","é"]`; got != want {
				t.Errorf("huge value: %d bytes, want %d", len(got), len(want))
			}
			_, err = New(WithStore(st), MaxBytes(n/2)).OdbcToRows(ctx, "SELECT array(repeat('x', 1048576)) AS huge", "dbx")
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != LimitBytes {
				t.Errorf("huge value over MaxBytes: %v, want a *LimitError", err)
			}
		})
	}
}

// TestDatabricksComplexManyRows reads a complex column over many Arrow
// batches, CloudFetch files and column-based pages, materialized and
// streamed, and checks every row's text.
func TestDatabricksComplexManyRows(t *testing.T) {
	const n = 2500
	query := fmt.Sprintf("SELECT id, array(CAST(id AS BIGINT), CAST(id AS DECIMAL(10,2))) AS a, "+
		"named_struct('id', CAST(id AS INT), 'half', CAST(id * 0.5 AS DOUBLE)) AS s FROM range(%d) ORDER BY id", n)
	want := func(id int64) (string, string) {
		return fmt.Sprintf("[%d.00,%d.00]", id, id), fmt.Sprintf(`{"id":%d,"half":%s}`, id, strconv.FormatFloat(float64(id)*0.5, 'f', -1, 64))
	}
	for _, mode := range []struct {
		name string
		cfg  dbsqlpeer.Config
	}{
		{"arrow", dbsqlpeer.Config{CloudFetchThreshold: -1, ArrowBatchRows: 97}},
		{"cloudfetch", dbsqlpeer.Config{CloudFetchThreshold: 1, CloudFetchFileRows: 301, CloudFetchLinksPerPage: 2}},
		{"columns", dbsqlpeer.Config{Results: dbsqlpeer.ColumnResults}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			st := testenv.Store(t)
			fields := databricksFieldsWith(t, mode.cfg)
			fields["options.max_rows"] = "700"
			testenv.Put(t, st, "dbx", "databricks", fields)
			c := New(WithStore(st))
			t.Cleanup(func() { c.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rows, err := c.OdbcToRows(ctx, query, "dbx")
			if err != nil {
				t.Fatal(err)
			}
			if rows.Len() != n {
				t.Fatalf("%d rows, want %d", rows.Len(), n)
			}
			for i := range n {
				wa, ws := want(int64(i))
				if id, a, s := rows.Value(i, 0), rows.Value(i, 1), rows.Value(i, 2); id != int64(i) || a != wa || s != ws {
					t.Fatalf("row %d: %v %v %v, want %d %s %s", i, id, a, s, i, wa, ws)
				}
			}
			i := int64(0)
			for r, err := range c.Stream(ctx, query, "dbx") {
				if err != nil {
					t.Fatal(err)
				}
				wa, ws := want(i)
				if id, a, s := r.Value(0), r.Value(1), r.Value(2); id != i || a != wa || s != ws {
					t.Fatalf("streamed row %d: %v %v %v, want %d %s %s", i, id, a, s, i, wa, ws)
				}
				i++
			}
			if i != n {
				t.Errorf("streamed %d rows, want %d", i, n)
			}
		})
	}
}

// TestDatabricksComplexDeadline streams a CloudFetch result with a complex
// column (read from the driver's Arrow batches) and lets the context's
// deadline pass in the middle of it: the rows must be all of them, or the
// stream must end in an error, never a short result without one.
func TestDatabricksComplexDeadline(t *testing.T) {
	const total = 30_000
	st := testenv.Store(t)
	testenv.Put(t, st, "dbx", "databricks", databricksFieldsWith(t, dbsqlpeer.Config{MaxResultRows: total,
		CloudFetchThreshold: 1, CloudFetchFileRows: 1_000, CloudFetchLinksPerPage: 4}))
	c := New(WithStore(st))
	t.Cleanup(func() { c.Close() })
	query := fmt.Sprintf("SELECT id, array(CAST(id AS BIGINT)) AS a FROM range(%d) ORDER BY id", total)

	read := func(ctx context.Context, after func(n int64)) (int64, error) {
		var n int64
		for r, err := range c.Stream(ctx, query, "dbx") {
			if err != nil {
				return n, err
			}
			if r.Value(0) != n || r.Value(1) != fmt.Sprintf("[%d]", n) {
				t.Fatalf("row %d: %v %v", n, r.Value(0), r.Value(1))
			}
			n++
			if after != nil {
				after(n)
			}
		}
		return n, nil
	}
	check := func(what string, n int64, err error) {
		t.Helper()
		switch {
		case err == nil && n != total:
			t.Fatalf("%s: %d of %d rows and no error: a truncated result", what, n, total)
		case err != nil && n == total:
			t.Fatalf("%s: all rows and then an error %v", what, err)
		case err != nil:
			t.Logf("%s: %d rows, then %v", what, n, err)
		default:
			t.Logf("%s: all %d rows", what, n)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	n, err := read(ctx, nil)
	cancel()
	if err != nil || n != total {
		t.Fatalf("without a deadline in reach: %d rows, %v", n, err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The deadline passes while the Flow holds row 3,000 (or earlier on a
	// slow machine: the invariant is the same).
	dctx, dcancel := context.WithTimeout(ctx, 2*time.Second)
	defer dcancel()
	n, err = read(dctx, func(n int64) {
		if n == 3_000 {
			<-dctx.Done()
		}
	})
	check("deadline passed after 3,000 rows", n, err)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the context's", err)
	}
}
