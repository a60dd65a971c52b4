package transfer

import "testing"

func TestIsDecimal(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-12.50": true, "+1": true, ".5": true, "5.": true, "1e10": true, "-1.5E-3": true,
		"": false, "-": false, ".": false, "abc": false, "1e": false, "1.2.3": false, " 1": false, "1 ": false, "0x10": false, "NaN": false,
	} {
		if got := isDecimal(s); got != want {
			t.Errorf("isDecimal(%q) = %v", s, got)
		}
	}
}
