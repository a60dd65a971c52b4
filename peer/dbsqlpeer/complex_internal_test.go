package dbsqlpeer

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v12/arrow/ipc"
)

// TestConstructors checks the SQLite text and the Spark type of complex
// constructors: arguments typed by their text and widened as Spark does,
// number literals kept as text, CASTs of arguments done by the peer.
func TestConstructors(t *testing.T) {
	tests := []struct {
		sql, sqlite, typ string
	}{
		{"SELECT array(3.30, NULL, 1.5) AS a", "SELECT json_array('3.30', NULL, '1.5') AS a", "ARRAY<DECIMAL(3,2)>"},
		{"SELECT array(1, 3000000000, -2)", "SELECT json_array('1', '3000000000', '-2')", "ARRAY<BIGINT>"},
		{"SELECT array(1, 2.5, CAST('NaN' AS DOUBLE))", "SELECT json_array('1', '2.5', ('NaN'))", "ARRAY<DOUBLE>"},
		{"SELECT array(12345.6, 0.001)", "SELECT json_array('12345.6', '0.001')", "ARRAY<DECIMAL(8,3)>"},
		{"SELECT array()", "SELECT json_array()", "ARRAY<VOID>"},
		{"SELECT map('a', DATE '2024-01-02')", "SELECT json_array('a', ('2024-01-02'))", "MAP<STRING, DATE>"},
		{"SELECT named_struct('a', 1, 'b c', array(TRUE)) s", "SELECT json_array('1', json_array(TRUE)) s", "STRUCT<a: INT, `b c`: ARRAY<BOOLEAN>>"},
		{"SELECT struct(x, CAST(y AS DECIMAL(4,2))) FROM t", "SELECT json_array(x, (y)) FROM t", "STRUCT<col1: STRING, col2: DECIMAL(4,2)>"},
		{"SELECT array(array(1), array())", "SELECT json_array(json_array('1'), json_array())", "ARRAY<ARRAY<INT>>"},
		{"SELECT t.array FROM t", "SELECT t.array FROM t", ""},
	}
	for _, tc := range tests {
		st := prepareStatement(tc.sql, "u")
		if st.err != nil {
			t.Errorf("%s: %v", tc.sql, st.err)
			continue
		}
		if st.sqlite != tc.sqlite {
			t.Errorf("%s: sqlite\n got %q\nwant %q", tc.sql, st.sqlite, tc.sqlite)
		}
		got := ""
		if len(st.items) > 0 && st.items[0] != nil {
			got = st.items[0].String()
		}
		if got != tc.typ {
			t.Errorf("%s: type %q, want %q", tc.sql, got, tc.typ)
		}
	}
	for _, bad := range []string{"SELECT array(1, 'a')", "SELECT map(1)", "SELECT named_struct(x, 1)", "SELECT array(array(1), map(1, 2))"} {
		if st := prepareStatement(bad, "u"); st.err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestComplexValues checks the strict conversion of constructor results
// and their JSON text.
func TestComplexValues(t *testing.T) {
	typeOf := func(sql string) sparkType {
		st := prepareStatement(sql, "u")
		if st.err != nil || len(st.items) == 0 || st.items[0] == nil {
			t.Fatalf("%s: %v", sql, st.err)
		}
		return *st.items[0]
	}
	dec := typeOf("SELECT array(CAST(1 AS DECIMAL(4,2)))")
	v, err := convert(`["3.3","-0.05",null]`, dec)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonText(dec, v); got != `[3.30,-0.05,null]` {
		t.Errorf("decimals: %s", got)
	}
	if _, err := convert(`["123.456"]`, dec); err == nil || !strings.Contains(err.Error(), "element [0]") {
		t.Errorf("out of range: %v", err)
	}
	dbl := typeOf("SELECT array(CAST(1 AS DOUBLE))")
	v, err = convert(`["NaN","-Infinity",1e-7,1e21]`, dbl)
	if err != nil {
		t.Fatal(err)
	}
	if arr := v.([]any); !math.IsNaN(arr[0].(float64)) || !math.IsInf(arr[1].(float64), -1) {
		t.Errorf("doubles: %v", arr)
	}
	if got := jsonText(dbl, v); got != `["NaN","-Infinity",1e-7,1e+21]` || !json.Valid([]byte(got)) {
		t.Errorf("doubles: %s", got)
	}
	m := typeOf("SELECT map(1, 'a')")
	if _, err := convert(`["1","a","1","b"]`, m); err == nil || !strings.Contains(err.Error(), "duplicate map key") {
		t.Errorf("duplicate key: %v", err)
	}
	if _, err := convert(`[null,"a"]`, m); err == nil || !strings.Contains(err.Error(), "NULL") {
		t.Errorf("NULL key: %v", err)
	}
	s := typeOf(`SELECT named_struct('q"', 'x"\', 'ts', TIMESTAMP '2024-01-02 03:04:05.5')`)
	v, err = convert(`["a\"b\\\u0001é","2024-01-02 03:04:05.5"]`, s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonText(s, v), `{"q\"":"a\"b\\\u0001é","ts":"2024-01-02T03:04:05.5Z"}`; got != want {
		t.Errorf("struct: got %s, want %s", got, want)
	}
}

// TestComplexArrowSchema checks the native Arrow types and the Spark type
// names of complex columns, and their text form for a client that does
// not read complex types natively.
func TestComplexArrowSchema(t *testing.T) {
	st := prepareStatement("SELECT array(CAST(1 AS DECIMAL(4,2))) a, map('k', TIMESTAMP '2024-01-02 00:00:00') m, named_struct('d', DATE '2024-01-02', 'n', NULL) s", "u")
	cols := []column{{"a", *st.items[0]}, {"m", *st.items[1]}, {"s", *st.items[2]}}
	for _, tc := range []struct {
		types arrowTypes
		want  []string
	}{
		{arrowTypes{timestamp: true, complex: true}, []string{
			"list<element: decimal(4, 2), nullable>",
			"map<utf8, timestamp[us, tz=Etc/UTC], items_nullable>",
			"struct<d: date32, n: null>"}},
		{arrowTypes{timestamp: true}, []string{"utf8", "utf8", "utf8"}},
	} {
		b, err := ipcSchema(arrowSchema(cols, tc.types))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		s := r.Schema()
		r.Release()
		names := []string{"ARRAY<DECIMAL(4,2)>", "MAP<STRING, TIMESTAMP>", "STRUCT<d: DATE, n: VOID>"}
		for i, f := range s.Fields() {
			if got := f.Type.String(); got != tc.want[i] {
				t.Errorf("%s: Arrow type %s, want %s", f.Name, got, tc.want[i])
			}
			if got, _ := f.Metadata.GetValue(sqlNameKey); got != names[i] {
				t.Errorf("%s: %s %q, want %q", f.Name, sqlNameKey, got, names[i])
			}
		}
	}
}
