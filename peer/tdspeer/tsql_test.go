package tdspeer

import (
	"fmt"
	"strings"
	"testing"
)

func TestLex(t *testing.T) {
	cases := []struct {
		in   string
		want string // kind:text of solid tokens
		ok   bool
	}{
		{"SELECT N'é''s', 'x'", "word:SELECT nstring:N'é''s' punct:, string:'x'", true},
		{"@@SPID + @p1", "var:@@SPID punct:+ var:@p1", true},
		{"#t ##g [a b] \"c\"", "word:#t word:##g ident:[a b] ident:\"c\"", true},
		{"0x1F 0x 12.5e3", "number:0x1F number:0x number:12.5e3", true},
		{"a<>b!=c>=d", "word:a punct:<> word:b punct:!= word:c punct:>= word:d", true},
		{"x -- c\n/* d */ y", "word:x word:y", true},
		{"'open", "string:'open", false},
		{"N'open''", "nstring:N'open''", false},
		{"[open", "ident:[open", false},
		{"/* open", "", false},
	}
	names := map[tokKind]string{tWord: "word", tIdent: "ident", tString: "string", tNString: "nstring", tNumber: "number", tVar: "var", tPunct: "punct"}
	for _, c := range cases {
		toks, ok := lex(c.in)
		if join(toks) != c.in {
			t.Errorf("%q: tokens join to %q", c.in, join(toks))
		}
		var got []string
		for _, tk := range solidToks(toks) {
			got = append(got, names[tk.kind]+":"+tk.text)
		}
		if strings.Join(got, " ") != c.want || ok != c.ok {
			t.Errorf("%q:\n got %s (ok %v)\nwant %s (ok %v)", c.in, strings.Join(got, " "), ok, c.want, c.ok)
		}
	}
}

func TestTranslate(t *testing.T) {
	e := &env{spid: 52, user: "u", database: "db", params: map[string]sqlType{"@p1": {kind: kInt}}}
	cases := []struct{ in, want string }{
		{"SELECT TOP 3 a FROM dbo.t ORDER BY a", "SELECT a FROM t ORDER BY a LIMIT 3"},
		{"SELECT TOP (@P1) * FROM [dbo].[t]", `SELECT * FROM "t" LIMIT @p1`},
		{"SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY", "SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 5"},
		{"SELECT ISNULL(a, 0), LEN(b), GETDATE(), @@SPID, DB_NAME(), SUSER_NAME()", "SELECT ifnull ( a , 0 ) , tdspeer_len ( b ) , tdspeer_getdate ( ) , 52 , 'db' , 'u'"},
		{"SELECT 1 + CONVERT(INT, a, 120) FROM t", "SELECT 1 + CAST ( a AS INT ) FROM t"},
		{"SELECT a / b, a % (b - 1) FROM t", "SELECT a / tdspeer_divisor ( b ) , a % tdspeer_divisor ( ( b - 1 ) ) FROM t"},
		{"SELECT N'x' + N'y'", "SELECT 'x' || 'y'"},
		{"SELECT 'né😀'", "SELECT 'né??'"},
		{"SELECT CAST(1.50 AS DECIMAL(4,2)) AS d", `SELECT ( '1.50' ) AS "d"`},
		{"SELECT 0x0A", "SELECT x'0A'"},
		{"CREATE TABLE #t (id INT IDENTITY(1,1) PRIMARY KEY, d DECIMAL(10,2), v VARCHAR(MAX))", `CREATE TEMP TABLE "#t" ( id INTEGER PRIMARY KEY AUTOINCREMENT , d decimal text(10,2) , v varchar(2147483647) )`},
		{"WITH g(i) AS (SELECT 1) SELECT i FROM g OPTION (MAXRECURSION 0)", "WITH g ( i ) AS ( SELECT 1 ) SELECT i FROM g"},
	}
	for _, c := range cases {
		toks, _ := lex(c.in)
		st, err := translate(toks, e)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if st.sql != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, st.sql, c.want)
		}
	}
	for in, num := range map[string]int32{"SELECT TRUE": 207, "SELECT @x": 137, "WAITFOR DELAY 'soon'": 148, "FROB x": 102, "DECLARE @x INT": 40517} {
		toks, _ := lex(in)
		if _, err := translate(toks, e); err == nil || err.Number != num {
			t.Errorf("%s: %v, want error %d", in, err, num)
		}
	}
}

func TestSelectItems(t *testing.T) {
	toks, _ := lex("SELECT a, t.b, c AS x, 1 y, z = 2, CAST(q AS INT), @p1, t.*, COUNT(*) FROM t")
	st, err := translate(toks, &env{params: map[string]sqlType{"@p1": {kind: kInt}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range st.items {
		s := fmt.Sprintf("%q", it.name)
		if it.star {
			s += " star"
		}
		if it.cast != nil {
			s += " cast " + it.cast.String()
		}
		if it.param != "" {
			s += " param " + it.param
		}
		got = append(got, s)
	}
	want := `"a"|"b"|"x"|"y"|"z"|"" cast int|"" param @p1|"" star|""`
	if strings.Join(got, "|") != want {
		t.Errorf("items\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
}

func TestParseType(t *testing.T) {
	for in, want := range map[string]string{
		"INT": "int", "nvarchar(max)": "nvarchar(max)", "VARCHAR(2147483647)": "varchar(max)",
		"decimal text(38,10)": "decimal(38,10)", "float(24)": "real", "datetime2": "datetime2(7)",
		"numeric": "numeric(18,0)", "char varying(5)": "varchar(5)", "sysname": "nvarchar(128)",
	} {
		typ, ok := parseType(in)
		if !ok || typ.String() != want {
			t.Errorf("parseType(%q) = %v %v, want %s", in, typ, ok, want)
		}
	}
	for _, bad := range []string{"", "blob", "decimal(39,0)", "decimal(5,6)", "nchar(max)", "varchar(0)", "nvarchar(4001)", "time(8)", "int(4)"} {
		if typ, ok := parseType(bad); ok {
			t.Errorf("parseType(%q) = %v, want rejected", bad, typ)
		}
	}
}

func TestConvertRules(t *testing.T) {
	cases := []struct {
		v    any
		typ  string
		want string // fmt of the value, or "error N"
	}{
		{"2.345", "decimal(5,2)", "2.35"},
		{"-2.345", "decimal(5,2)", "-2.35"},
		{"1000", "decimal(5,2)", "error 8115"},
		{1.9, "int", "1"},
		{-1.9, "int", "-1"},
		{"1.9", "int", "error 245"},
		{int64(256), "tinyint", "error 8115"},
		{"yes", "bit", "error 245"},
		{"abcdef", "char(3)", "abc"},
		{"ab", "char(4)", "ab  "},
		{"2024-01-02 03:04:05.9999999", "datetime2(0)", "2024-01-02 03:04:06 +0000 UTC"},
		{"2024-01-02 03:04:05.001", "datetime", "2024-01-02 03:04:05 +0000 UTC"},
		{"2024-01-02 03:04:05.002", "datetime", "2024-01-02 03:04:05.003333333 +0000 UTC"},
		{"2024-13-01", "date", "error 241"},
		{"not-a-guid", "uniqueidentifier", "error 8169"},
		{"922337203685477.5808", "money", "error 8115"},
	}
	for _, c := range cases {
		typ, ok := parseType(c.typ)
		if !ok {
			t.Fatalf("type %s", c.typ)
		}
		v, err := convert(c.v, typ, true)
		got := fmt.Sprint(v)
		if err != nil {
			got = fmt.Sprintf("error %d", err.Number)
		}
		if got != c.want {
			t.Errorf("convert(%v, %s) = %s, want %s", c.v, c.typ, got, c.want)
		}
	}
}
