package termsafe_test

import (
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/termsafe"
)

func TestString(t *testing.T) {
	for _, s := range []string{"plain", "接続", "a b", "emoji 🦀", "👨\u200d👩"} {
		if got := termsafe.String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
	for _, s := range []string{"a\x1b[31m", "t\tb", "n\n", "\x7f", "\u0085", "r\u202ex", "i\u2066", "l\u2028", "bad\xff"} {
		got := termsafe.String(s)
		if strings.ContainsFunc(got, termsafe.Unsafe) || !strings.HasPrefix(got, `"`) {
			t.Errorf("String(%q) = %q, want it quoted with every control escaped", s, got)
		}
	}
}
