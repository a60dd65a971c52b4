package dbsqlpeer

import (
	"strings"
	"testing"

	"github.com/vapsql/vap/peer/sqltext"
)

func TestPrepareStatement(t *testing.T) {
	tests := []struct {
		name      string
		sql       string
		want      string
		wantTypes []string // "" for an item the text does not type
	}{
		{"plain", "SELECT a, b FROM t", "SELECT a, b FROM t", []string{"", ""}},
		{"top-level cast stripped", "SELECT CAST(x AS INT) AS n FROM t", "SELECT (x) AS n FROM t", []string{"INT"}},
		{"nested cast rewritten", "SELECT a FROM t WHERE CAST(d AS DATE) = '2024-01-01'", "SELECT a FROM t WHERE CAST(d AS TEXT) = '2024-01-01'", []string{""}},
		{"cast in expression", "SELECT CAST(a AS STRING) || 'x'", "SELECT CAST(a AS TEXT) || 'x'", []string{""}},
		{"decimal cast", "SELECT CAST(p AS DECIMAL(10, 2)) p", "SELECT (p) p", []string{"DECIMAL(10,2)"}},
		{"typed literals", "SELECT DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05'", "SELECT ('2024-01-02'), ('2024-01-02 03:04:05')", []string{"DATE", "TIMESTAMP"}},
		{"literals", "SELECT 7, 3000000000, 1.50, 0.5, 1e3, 'x', true, NULL, -2", "SELECT 7, 3000000000, 1.50, 0.5, 1e3, 'x', true, NULL, -2",
			[]string{"INT", "BIGINT", "DECIMAL(3,2)", "DECIMAL(1,1)", "DOUBLE", "STRING", "BOOLEAN", "NULL", "INT"}},
		{"star stops typing", "SELECT 1, *, CAST(a AS INT) FROM t", "SELECT 1, *, CAST(a AS INTEGER) FROM t", []string{"INT"}},
		{"cte select is nested", "WITH c AS (SELECT CAST(1 AS BIGINT) AS x) SELECT CAST(x AS STRING) FROM c", "WITH c AS (SELECT CAST(1 AS INTEGER) AS x) SELECT (x) FROM c", []string{"STRING"}},
		{"strings and comments untouched", "SELECT 'CAST(x AS DATE)' -- CAST(y AS DATE)\n, \"DATE\"", "SELECT 'CAST(x AS DATE)' -- CAST(y AS DATE)\n, \"DATE\"", []string{"STRING", ""}},
		{"create table", "CREATE TABLE t (s STRING, v VARCHAR(3), n INT) USING DELTA", "CREATE TABLE t (s TEXT, v VARCHAR(3), n INT) ", nil},
		{"unknown cast type left alone", "SELECT CAST(a AS INTERVAL)", "SELECT CAST(a AS INTERVAL)", []string{""}},
		{"unterminated string", "SELECT 'abc", "SELECT 'abc", []string{"STRING"}},
		{"distinct", "SELECT DISTINCT CAST(a AS INT) FROM t", "SELECT DISTINCT (a) FROM t", []string{"INT"}},
		{"parameters", "SELECT ?, :name FROM t WHERE x = ?2", "SELECT ?, :name FROM t WHERE x = ?2", []string{"", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := prepareStatement(tc.sql, "u")
			if st.sqlite != tc.want {
				t.Errorf("sqlite text\n got %q\nwant %q", st.sqlite, tc.want)
			}
			var got []string
			for _, it := range st.items {
				if it == nil {
					got = append(got, "")
				} else {
					got = append(got, it.String())
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.wantTypes, ",") {
				t.Errorf("item types %q, want %q", got, tc.wantTypes)
			}
		})
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"SELECT CAST(x AS INT) FROM t", "'a''b' \"c\" `d` [e] -- f\n/* g */ ?1 :n @m $o 1.5e-3", "CAST(", "/*", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		for _, tok := range sqltext.Tokenize(s) {
			if tok.Text == "" {
				t.Fatalf("empty token in %q", s)
			}
			b.WriteString(tok.Text)
		}
		if b.String() != s {
			t.Fatalf("tokens do not concatenate back to %q", s)
		}
		_ = prepareStatement(s, "u") // must not panic
	})
}

func TestConvert(t *testing.T) {
	dec := sparkType{id: typeDecimalID, precision: 5, scale: 2}
	tests := []struct {
		name    string
		v       any
		typ     sparkType
		want    any
		wantErr bool
	}{
		{"int from text", "42", typeInt, int64(42), false},
		{"int truncates real", 2.9, typeInt, int64(2), false},
		{"int overflow", int64(1) << 40, typeInt, nil, true},
		{"tinyint overflow", int64(200), typeTinyint, nil, true},
		{"int from words", "abc", typeInt, nil, true},
		{"bool from text", "TRUE", typeBoolean, true, false},
		{"bool from junk", "maybe", typeBoolean, nil, true},
		{"decimal half up", 1.005, dec, "1.01", false},
		{"decimal pads", int64(3), dec, "3.00", false},
		{"decimal negative", "-2.345", dec, "-2.35", false},
		{"decimal overflow", "1234.5", dec, nil, true},
		{"string of real", 2.0, typeString, "2.0", false},
		{"date from timestamp text", "2024-01-02 10:11:12", typeDate, "2024-01-02", false},
		{"timestamp to UTC", "2024-01-02T10:11:12+02:00", typeTimestamp, "2024-01-02 08:11:12", false},
		{"timestamp junk", "soon", typeTimestamp, nil, true},
		{"binary from int", int64(1), typeBinary, nil, true},
		{"null stays null", nil, typeInt, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := convert(tc.v, tc.typ)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tc.wantErr)
			}
			if !tc.wantErr && got != tc.want {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

// TestCurrentUser: current_user() and session_user() become the caller's
// name as a quoted literal, whatever it holds.
func TestCurrentUser(t *testing.T) {
	for sql, want := range map[string]string{
		"SELECT current_user()":                 "SELECT 'o''brien'",
		"SELECT session_user ( ) AS u":          "SELECT 'o''brien' AS u",
		"SELECT x.current_user() FROM x":        "SELECT x.current_user() FROM x",
		"SELECT current_user(1)":                "SELECT current_user(1)",
		"SELECT 'current_user()', current_user": "SELECT 'current_user()', current_user",
	} {
		if got := prepareStatement(sql, "o'brien").sqlite; got != want {
			t.Errorf("%s: got %s, want %s", sql, got, want)
		}
	}
}
