package dbsqlpeer

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// Spark's text forms of DATE and TIMESTAMP values, which the driver parses.
const (
	dateLayout      = "2006-01-02"
	timestampLayout = "2006-01-02 15:04:05.999999"
)

// timeLayouts are the text forms accepted for DATE and TIMESTAMP values and
// parameters. Zone-less values are UTC, Databricks' default session zone.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	dateLayout,
}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// inferType types a column that neither a declared type nor the SQL text
// types, from the SQLite storage classes of all its values (never from one
// value): only integers BIGINT, numbers DOUBLE, only blobs BINARY, anything
// with text STRING; a column of NULLs (or no rows) is STRING.
func inferType(rows [][]any, col int) sparkType {
	var ints, floats, texts, blobs, times int
	for _, r := range rows {
		switch r[col].(type) {
		case int64:
			ints++
		case float64:
			floats++
		case string:
			texts++
		case []byte:
			blobs++
		case time.Time:
			times++
		}
	}
	switch {
	case texts > 0 || (blobs > 0 && ints+floats+times > 0):
		return typeString
	case blobs > 0:
		return typeBinary
	case times > 0 && ints+floats == 0:
		return typeTimestamp
	case floats > 0:
		return typeDouble
	case ints > 0:
		return typeBigint
	}
	return typeString
}

// convertError is a value that cannot be read as its column's type. Its
// message names the type and the value's kind, never the value.
type convertError struct {
	typ    sparkType
	reason string
	column string // the result column, when known
}

func (e *convertError) Error() string {
	if e.column != "" {
		return fmt.Sprintf("cannot read a value of column %q as %s: %s", e.column, e.typ, e.reason)
	}
	return fmt.Sprintf("cannot read a value as %s: %s", e.typ, e.reason)
}

// convert reads a SQLite value (int64, float64, string, []byte, time.Time or
// nil) as a value of t: bool, int64 (range-checked), float64, string (STRING,
// DECIMAL text, DATE and TIMESTAMP text) or []byte.
func convert(v any, t sparkType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t.id {
	case tcli.TTypeId_BOOLEAN_TYPE:
		return toBool(v, t)
	case tcli.TTypeId_TINYINT_TYPE:
		return toInt(v, t, math.MinInt8, math.MaxInt8)
	case tcli.TTypeId_SMALLINT_TYPE:
		return toInt(v, t, math.MinInt16, math.MaxInt16)
	case tcli.TTypeId_INT_TYPE:
		return toInt(v, t, math.MinInt32, math.MaxInt32)
	case tcli.TTypeId_BIGINT_TYPE:
		return toInt(v, t, math.MinInt64, math.MaxInt64)
	case tcli.TTypeId_FLOAT_TYPE, tcli.TTypeId_DOUBLE_TYPE:
		return toFloat(v, t)
	case tcli.TTypeId_DECIMAL_TYPE:
		return toDecimal(v, t)
	case tcli.TTypeId_DATE_TYPE, tcli.TTypeId_TIMESTAMP_TYPE:
		return toTime(v, t)
	case tcli.TTypeId_BINARY_TYPE:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
		return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not binary", v)}
	case tcli.TTypeId_NULL_TYPE:
		return nil, &convertError{typ: t, reason: "a VOID column holds a value"}
	case tcli.TTypeId_ARRAY_TYPE, tcli.TTypeId_MAP_TYPE, tcli.TTypeId_STRUCT_TYPE:
		return convertComplex(v, t)
	default:
		return toString(v), nil
	}
}

func toBool(v any, t sparkType) (any, error) {
	switch x := v.(type) {
	case int64:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "t", "1", "yes", "y":
			return true, nil
		case "false", "f", "0", "no", "n":
			return false, nil
		}
	}
	return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not a boolean", v)}
}

func toInt(v any, t sparkType, lo, hi int64) (any, error) {
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case float64:
		f := math.Trunc(x)
		if math.IsNaN(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return nil, &convertError{typ: t, reason: "number out of range"}
		}
		n = int64(f)
	case string:
		s := strings.TrimSpace(x)
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil {
				return nil, &convertError{typ: t, reason: "text is not a number"}
			}
			return toInt(f, t, lo, hi)
		}
		n = i
	default:
		return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not an integer", v)}
	}
	if n < lo || n > hi {
		return nil, &convertError{typ: t, reason: "number out of range"}
	}
	return n, nil
}

func toFloat(v any, t sparkType) (any, error) {
	switch x := v.(type) {
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err == nil {
			return f, nil
		}
	}
	return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not a number", v)}
}

// toDecimal renders the value with exactly t.scale digits, rounding half
// away from zero as Spark does, and checks it fits t.precision.
func toDecimal(v any, t sparkType) (any, error) {
	var text string
	switch x := v.(type) {
	case int64:
		text = strconv.FormatInt(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, &convertError{typ: t, reason: "number out of range"}
		}
		text = strconv.FormatFloat(x, 'g', -1, 64) // shortest form: 12.345, not 12.3449999…
	case string:
		text = strings.TrimSpace(x)
	default:
		return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not a number", v)}
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, &convertError{typ: t, reason: "text is not a number"}
	}
	s := r.FloatString(t.scale)
	intDigits := len(strings.TrimLeft(strings.TrimPrefix(strings.SplitN(s, ".", 2)[0], "-"), "0"))
	if intDigits > t.precision-t.scale {
		return nil, &convertError{typ: t, reason: "number out of range"}
	}
	return s, nil
}

func toTime(v any, t sparkType) (any, error) {
	var tm time.Time
	switch x := v.(type) {
	case time.Time:
		tm = x.UTC()
	case string:
		var ok bool
		if tm, ok = parseTime(x); !ok {
			return nil, &convertError{typ: t, reason: "text is not a date or timestamp"}
		}
	default:
		return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not a date or timestamp", v)}
	}
	if t.id == tcli.TTypeId_DATE_TYPE {
		return tm.Format(dateLayout), nil
	}
	return tm.Format(timestampLayout), nil
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.ContainsAny(s, ".NI") { // Spark writes 1.0, not 1
			s += ".0"
		}
		return s
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(timestampLayout)
	}
	return fmt.Sprint(v)
}
