package arrowrows

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in         string
		prec, sc   int32
		want, fail string
	}{
		{in: "12.34", prec: 12, sc: 2, want: "12.34"},
		{in: "-12.3", prec: 12, sc: 2, want: "-12.30"},
		{in: "0.05", prec: 3, sc: 2, want: "0.05"},
		{in: "-0", prec: 3, sc: 2, want: "0.00"},
		{in: "7", prec: 1, sc: 0, want: "7"},
		{in: "+5.5", prec: 5, sc: 1, want: "5.5"},
		{in: "999999999999999999", prec: 18, sc: 0, want: "999999999999999999"},
		{in: "1234567890123456789012345678.0123456789", prec: 38, sc: 10, want: "1234567890123456789012345678.0123456789"},
		{in: "-99999999999999999999999999999999999999", prec: 38, sc: 0, want: "-99999999999999999999999999999999999999"},
		{in: "1.5E+3", prec: 10, sc: 1, want: "1500.0"}, // exponents (not from PostgreSQL or MySQL) go the exact slow way
		{in: "1.234", prec: 12, sc: 2, fail: "more than 2 decimal places"},
		{in: "123.4", prec: 3, sc: 1, fail: "more than 3 digits"},
		{in: "100000000000000000000000000000000000000", prec: 38, sc: 0, fail: "more than 38 digits"},
		{in: "NaN", prec: 12, sc: 2, fail: "not a decimal"},
		{in: "Infinity", prec: 12, sc: 2, fail: "not a decimal"},
		{in: "1/3", prec: 12, sc: 2, fail: "not a decimal"},
		{in: "", prec: 12, sc: 2, fail: "not a decimal"},
		{in: "1.2.3", prec: 12, sc: 2, fail: "not a decimal"},
	} {
		n, err := parseDecimal128(tc.in, tc.prec, tc.sc)
		switch {
		case tc.fail != "" && (err == nil || !strings.Contains(err.Error(), tc.fail)):
			t.Errorf("%q: %v, want an error saying %q", tc.in, err, tc.fail)
		case tc.fail == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.fail == "" && n.ToString(tc.sc) != tc.want:
			t.Errorf("%q as decimal128(%d,%d) = %s, want %s", tc.in, tc.prec, tc.sc, n.ToString(tc.sc), tc.want)
		}
		if tc.prec <= 38 {
			n256, err := parseDecimal256(tc.in, 76, tc.sc)
			if tc.fail == "" && (err != nil || n256.ToString(tc.sc) != tc.want) {
				t.Errorf("%q as decimal256(76,%d) = %s, %v, want %s", tc.in, tc.sc, n256.ToString(tc.sc), err, tc.want)
			}
		}
	}
	wide := "-" + strings.Repeat("9", 60) + "." + strings.Repeat("1", 16)
	if n, err := parseDecimal256(wide, 76, 16); err != nil || n.ToString(16) != wide {
		t.Errorf("76 digits: %v %v", n.ToString(16), err)
	}
	if _, err := parseDecimal256(strings.Repeat("9", 61), 76, 16); err == nil {
		t.Error("77 digits in decimal256(76,16): no error")
	}
}

func TestTimeConversions(t *testing.T) {
	if d, err := toDate32(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil || d != -1 {
		t.Errorf("1969-12-31: %d %v", d, err)
	}
	if d, err := toDate32(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)); err != nil || d != arrow.Date32FromTime(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2024-02-29: %d %v", d, err)
	}
	if _, err := toDate32(time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "has a time of day") {
		t.Errorf("a DATE with a time of day: %v", err)
	}
	if got := toTime64(time.Date(0, 1, 1, 23, 59, 59, 999999000, time.UTC)); got != 86399999999 {
		t.Errorf("23:59:59.999999 = %d", got)
	}
}
