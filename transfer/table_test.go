package transfer

import "testing"

func TestParseTable(t *testing.T) {
	for in, want := range map[string]string{
		"orders": "orders", "sales.orders": "sales.orders", `"Mixed Case"`: `"Mixed Case"`, "`my tbl`": "`my tbl`",
		"[dbo].[orders]": "[dbo].[orders]", "_x$1": "_x$1", "zählung": "zählung",
	} {
		got, err := parseTable(in)
		if err != nil || got.sql() != want {
			t.Errorf("parseTable(%q) = %q, %v; want %q", in, got.sql(), err, want)
		}
	}
	for _, in := range []string{"", "a;b", "a b", "a.b.c", "a.", ".a", "1a", `"a"b"`, `"a`, `""`, "a--x", "a/*x*/", "`a``b`", "[a]]", "a\nb", "\"a\x00\"", "t'x"} {
		if got, err := parseTable(in); err == nil {
			t.Errorf("parseTable(%q) = %q, want an error", in, got.sql())
		}
	}
}
