package sqltext

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []Token
	}{
		{"SELECT a1, _b FROM t", []Token{{Word, "SELECT"}, {Space, " "}, {Word, "a1"}, {Punct, ","}, {Space, " "},
			{Word, "_b"}, {Space, " "}, {Word, "FROM"}, {Space, " "}, {Word, "t"}}},
		{"'it''s' \"a\"\"b\" `c` [d e]", []Token{{String, "'it''s'"}, {Space, " "}, {Quoted, `"a""b"`}, {Space, " "},
			{Quoted, "`c`"}, {Space, " "}, {Quoted, "[d e]"}}},
		{"-- x\n/* y */1", []Token{{Space, "-- x\n"}, {Space, "/* y */"}, {Number, "1"}}},
		{"1.5 .5 1e-3 2E+ 3x", []Token{{Number, "1.5"}, {Space, " "}, {Number, ".5"}, {Space, " "}, {Number, "1e-3"},
			{Space, " "}, {Number, "2"}, {Word, "E"}, {Punct, "+"}, {Space, " "}, {Number, "3"}, {Word, "x"}}},
		{"? ?12 :n @p $q :1 @", []Token{{Param, "?"}, {Space, " "}, {Param, "?12"}, {Space, " "}, {Param, ":n"}, {Space, " "},
			{Param, "@p"}, {Space, " "}, {Param, "$q"}, {Space, " "}, {Punct, ":"}, {Number, "1"}, {Space, " "}, {Punct, "@"}}},
		{"été<>x", []Token{{Word, "été"}, {Punct, "<"}, {Punct, ">"}, {Word, "x"}}},
		{"'open", []Token{{String, "'open"}}},
		{"/* open", []Token{{Space, "/* open"}}},
		{"[open", []Token{{Quoted, "[open"}}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := Tokenize(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Tokenize(%q)\n got %v\nwant %v", tc.in, got, tc.want)
		}
	}
}

func TestTokenIs(t *testing.T) {
	w := Token{Word, "Select"}
	if !w.Is("SELECT") || w.Is("SELEC") || (Token{Quoted, `"select"`}).Is("select") {
		t.Error("Is: wrong answer")
	}
	if !(Token{Punct, "("}).IsPunct('(') || (Token{Punct, "("}).IsPunct(')') || (Token{String, "("}).IsPunct('(') {
		t.Error("IsPunct: wrong answer")
	}
	if Word.String() != "Word" || Kind(42).String() != "Kind(42)" {
		t.Errorf("Kind.String: %q %q", Word, Kind(42))
	}
}

func TestSolid(t *testing.T) {
	toks := Tokenize("  /* c */ SELECT 1 -- end\n")
	if got := FirstSolid(toks); got != (Token{Word, "SELECT"}) {
		t.Errorf("FirstSolid = %v", got)
	}
	if got := LastSolid(toks); got != (Token{Number, "1"}) {
		t.Errorf("LastSolid = %v", got)
	}
	if i := NextSolid(toks, 0); toks[i].Text != "SELECT" {
		t.Errorf("NextSolid(0) = %d", i)
	}
	if i := NextSolid(toks, len(toks)-1); i != len(toks) {
		t.Errorf("NextSolid past the last solid token = %d, want %d", i, len(toks))
	}
	empty := Tokenize(" -- only\n")
	if FirstSolid(empty) != (Token{}) || LastSolid(empty) != (Token{}) {
		t.Error("FirstSolid/LastSolid of space only: want the zero Token")
	}
}

func TestCallArgs(t *testing.T) {
	tests := []struct {
		in      string
		args    []string
		endText string
		ok      bool
	}{
		{"f(1, g(2, 3), 'a,b')", []string{"1", "g(2, 3)", "'a,b'"}, ")", true},
		{"f (x)", []string{"x"}, ")", true},
		{"f()", nil, "", false},
		{"f(1,,2)", nil, "", false},
		{"f(1", nil, "", false},
		{"f + 1", nil, "", false},
		{"f", nil, "", false},
	}
	for _, tc := range tests {
		toks := Tokenize(tc.in)
		args, end, ok := CallArgs(toks, 0)
		if ok != tc.ok || !slices.Equal(args, tc.args) {
			t.Errorf("CallArgs(%q) = %q, %v; want %q, %v", tc.in, args, ok, tc.args, tc.ok)
			continue
		}
		if ok && (end != len(toks)-1 || toks[end].Text != tc.endText) {
			t.Errorf("CallArgs(%q) end = %d, want the closing parenthesis %d", tc.in, end, len(toks)-1)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"SELECT ';' ; -- a;b\nSELECT \"x;\"", []string{"SELECT ';'", "-- a;b\nSELECT \"x;\""}},
		{"INSERT INTO t VALUES (1, (2; 3)); ;; /* c; */ ;", []string{"INSERT INTO t VALUES (1, (2; 3))"}},
		{"SELECT 1) ; SELECT 2", []string{"SELECT 1)", "SELECT 2"}},
		{"", nil},
		{"SELECT 'open;", []string{"SELECT 'open;"}},
	}
	for _, tc := range tests {
		if got := Split(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	got := Placeholders(Tokenize("SELECT ?, ?2, ':no', :name /* @no */ FROM t WHERE a = @p AND b = $q"))
	want := []string{"?", "?2", ":name", "@p", "$q"}
	if !slices.Equal(got, want) {
		t.Errorf("Placeholders = %q, want %q", got, want)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"SELECT CAST(x AS INT) FROM t", "'a''b' \"c\" `d` [e] -- f\n/* g */ ?1 :n @m $o 1.5e-3", "CAST(", "/*", "'", "a;b;(c;d)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		for _, tok := range toks {
			if tok.Text == "" {
				t.Fatalf("empty token in %q", s)
			}
		}
		if Join(toks) != s {
			t.Fatalf("tokens do not concatenate back to %q", s)
		}
		for _, st := range Split(s) {
			if st == "" || !strings.Contains(s, st) {
				t.Fatalf("Split(%q) gave %q", s, st)
			}
		}
		for i := range toks {
			_, _, _ = CallArgs(toks, i) // must not panic
		}
	})
}
