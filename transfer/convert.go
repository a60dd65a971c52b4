package transfer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// writable reports whether values of the source column src can go into
// the target column dst, before any row is read. Numbers and text go into
// numbers (each value checked: 12.5 is no integer, "abc" no number),
// anything into text, text into binary, times into times of the same sort
// (a time of day only into a time of day; a date column takes timestamps
// at midnight). Text does not go into times or booleans: cast in the
// query. A source column of no declared type (SQLite) is checked value by
// value.
func writable(src, dst registry.LoadColumn) error {
	s, d := src.Kind, dst.Kind
	ok := false
	switch {
	case s == coltype.Null || s == coltype.Any || d == coltype.Any || d == coltype.Null:
		ok = true
	case d == coltype.String:
		ok = true
	case d == coltype.Int64, d == coltype.Float64, d == coltype.Decimal:
		ok = s == coltype.Int64 || s == coltype.Float64 || s == coltype.Decimal || s == coltype.String || (s == coltype.Bool && d == coltype.Int64)
	case d == coltype.Bool:
		ok = s == coltype.Bool || s == coltype.Int64
	case d == coltype.Bytes:
		ok = s == coltype.Bytes || s == coltype.String
	case d == coltype.Time:
		ok = s == coltype.Time && (src.Time == coltype.Clock) == (dst.Time == coltype.Clock)
	}
	if ok {
		return nil
	}
	return fmt.Errorf("column %s: the source's %s cannot be written to the target's %s: cast it in the query", src.Name, describe(src), describe(dst))
}

func describe(c registry.LoadColumn) string {
	k := c.Kind.String()
	switch {
	case c.Kind != coltype.Time:
	case c.Date:
		k = "date"
	case c.Time == coltype.Clock:
		k = "time of day"
	case c.Time == coltype.Instant:
		k = "timestamp with time zone"
	default:
		k = "timestamp"
	}
	if c.Type.Name != "" {
		return c.Type.Name + " (" + k + ")"
	}
	return k
}

// convert turns a source value into the Go type of the target column's
// kind, or fails for a value the column cannot hold as it is.
func convert(v any, src, dst *registry.LoadColumn) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch dst.Kind {
	case coltype.Null, coltype.Any:
		return v, nil
	case coltype.String:
		return toText(v, src)
	case coltype.Int64:
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<63 || math.IsNaN(x) {
				return nil, fmt.Errorf("%v is not an integer", x)
			}
			return int64(x), nil
		case string:
			return decimalInt(x)
		}
	case coltype.Float64:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not a number", x)
			}
			return f, nil
		}
	case coltype.Decimal:
		switch x := v.(type) {
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%v is not a decimal number", x)
			}
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		case string:
			if !isDecimal(x) {
				return nil, fmt.Errorf("%q is not a decimal number", x)
			}
			return x, nil
		}
	case coltype.Bool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
			return nil, fmt.Errorf("%d is not a boolean (0 or 1)", x)
		}
	case coltype.Bytes:
		switch x := v.(type) {
		case []byte:
			if x == nil { // an empty value; NULL is a nil any
				x = []byte{}
			}
			return x, nil
		case string:
			return []byte(x), nil
		}
	case coltype.Time:
		if x, ok := v.(time.Time); ok {
			x = x.UTC()
			if dst.Date && (x.Hour() != 0 || x.Minute() != 0 || x.Second() != 0 || x.Nanosecond() != 0) {
				return nil, fmt.Errorf("%s has a time of day; the column holds dates", x.Format("2006-01-02 15:04:05.999999999"))
			}
			return x, nil
		}
	}
	return nil, fmt.Errorf("a %s value cannot be written to %s", goKind(v), describe(*dst))
}

// toText writes a value into a text column.
func toText(v any, src *registry.LoadColumn) (any, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case []byte:
		if !utf8.Valid(x) {
			return nil, errors.New("binary value is not UTF-8 text")
		}
		return string(x), nil
	case time.Time:
		x = x.UTC()
		switch {
		case src.Date:
			return x.Format("2006-01-02"), nil
		case src.Time == coltype.Clock:
			return x.Format("15:04:05.999999999"), nil
		case src.Time == coltype.Instant:
			return x.Format("2006-01-02 15:04:05.999999999Z07:00"), nil
		}
		return x.Format("2006-01-02 15:04:05.999999999"), nil
	}
	return nil, fmt.Errorf("a %T value cannot be written as text", v)
}

// isDecimal reports whether s is an exact decimal number as SQL reads it:
// [+-]digits[.digits][e[+-]digits], with a digit before or after the point.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	n := digits()
	if i < len(s) && s[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// decimalInt reads an exact decimal with no fractional part ("12", "12.00").
func decimalInt(s string) (any, error) {
	i, frac, _ := strings.Cut(s, ".")
	if strings.Trim(frac, "0") != "" || !isDecimal(s) {
		return nil, fmt.Errorf("%q is not an integer", s)
	}
	n, err := strconv.ParseInt(i, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%q is not a 64-bit integer", s)
	}
	return n, nil
}

func goKind(v any) string {
	switch v.(type) {
	case int64:
		return "int64"
	case float64:
		return "float64"
	case string:
		return "text"
	case []byte:
		return "binary"
	case bool:
		return "bool"
	case time.Time:
		return "time"
	}
	return fmt.Sprintf("%T", v)
}
