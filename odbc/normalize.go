package odbc

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// appendValue converts one driver value to the column's kind and appends it.
// A flexible column that meets a value of another type becomes KindAny.
func appendValue(c *colData, s *colSpec, v any) error {
	if v == nil {
		c.appendNull()
		return nil
	}
	if c.kind == KindNull {
		c.setKind(inferKind(v))
	}
	var err error
	switch c.kind {
	case KindInt64:
		var n int64
		if n, err = toInt64(v, s); err == nil {
			c.appendInt64(n)
		}
	case KindFloat64:
		var f float64
		if f, err = toFloat64(v); err == nil {
			c.appendFloat64(f)
		}
	case KindBool:
		var b bool
		if b, err = toBool(v, s); err == nil {
			c.appendBool(b)
		}
	case KindTime:
		var t time.Time
		if t, err = toTime(v, s.Time); err == nil {
			c.appendTime(t)
		}
	case KindDecimal:
		err = appendDecimal(c, v, s)
	case KindString:
		err = appendText(c, v, s)
	case KindBytes:
		switch b := v.(type) {
		case []byte:
			c.appendBytes(b)
		case string:
			c.appendString(b)
		default:
			err = typeErr(v)
		}
	case KindAny:
		c.appendAny(normalizeAny(v))
	}
	if err != nil && s.Flexible && c.kind != KindAny {
		c.toAny()
		c.appendAny(normalizeAny(v))
		return nil
	}
	return err
}

// inferKind is the kind of a value of a column with no known type.
func inferKind(v any) Kind {
	switch v.(type) {
	case int64, int32, int16, int8, int, uint8, uint16, uint32:
		return KindInt64
	case float64, float32:
		return KindFloat64
	case bool:
		return KindBool
	case time.Time:
		return KindTime
	case string:
		return KindString
	case []byte:
		return KindBytes
	}
	return KindAny
}

// normalizeAny widens a value to the kinds' Go types where it can.
func normalizeAny(v any) any {
	switch x := v.(type) {
	case int32, int16, int8, int, uint8, uint16, uint32:
		n, _ := toInt64(v, &colSpec{})
		return n
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return strconv.FormatUint(x, 10)
	case float32:
		return widen32(x)
	case []byte:
		return append([]byte(nil), x...)
	case time.Time:
		return x.UTC()
	}
	return v
}

var errOverflow = errors.New("value out of int64 range")

func typeErr(v any) error { return fmt.Errorf("unexpected %T value", v) }

func toInt64(v any, s *colSpec) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, errOverflow
		}
		return int64(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return 0, errOverflow
		}
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x >= math.MaxInt64 {
			return 0, fmt.Errorf("%v is not an integer", x)
		}
		return int64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case []byte:
		if s.Bit {
			if len(x) > 8 {
				return 0, errOverflow
			}
			var n uint64
			for _, b := range x {
				n = n<<8 | uint64(b)
			}
			if n > math.MaxInt64 {
				return 0, errOverflow
			}
			return int64(n), nil
		}
		return parseInt(string(x))
	case string:
		return parseInt(x)
	}
	return 0, typeErr(v)
}

func parseInt(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	return n, nil
}

// widen32 converts a float32 to the float64 with the same shortest decimal
// form, so FLOAT 0.1 reads 0.1 on every backend, not 0.10000000149011612.
func widen32(f float32) float64 {
	if math.IsInf(float64(f), 0) || math.IsNaN(float64(f)) {
		return float64(f)
	}
	d, _ := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	return d
}

func toFloat64(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return widen32(x), nil
	case int64, int32, int16, int8, int, uint8, uint16, uint32, uint64, uint:
		n, err := toInt64(v, &colSpec{})
		return float64(n), err
	case []byte:
		return parseFloat(string(x))
	case string:
		return parseFloat(x)
	}
	return 0, typeErr(v)
}

func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

func toBool(v any, s *colSpec) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case []byte:
		if s.Bit { // MySQL BIT(1): the byte 0x00 or 0x01
			for _, b := range x {
				if b != 0 {
					return true, nil
				}
			}
			return false, nil
		}
		return parseBool(string(x))
	case string:
		return parseBool(x)
	case float64:
		return x != 0, nil
	}
	n, err := toInt64(v, s)
	return n != 0, err
}

func parseBool(s string) (bool, error) {
	s = strings.TrimSpace(s)
	if b, err := strconv.ParseBool(s); err == nil {
		return b, nil
	}
	switch strings.ToLower(s) {
	case "y", "yes", "on":
		return true, nil
	case "n", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", s)
}

// timeLayouts are the text forms of times drivers hand out (SQLite text,
// MySQL TIME), most specific first.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"15:04:05.999999999",
	"15:04",
}

func toTime(v any, m timeMode) (time.Time, error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case []byte:
		return toTime(string(x), m)
	case string:
		s := strings.TrimSpace(x)
		var err error
		for _, l := range timeLayouts {
			if t, err = time.Parse(l, s); err == nil {
				break
			}
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time", x)
		}
	default:
		return time.Time{}, typeErr(v)
	}
	return timeIn(t, m), nil
}

// timeIn applies a column's time mode.
func timeIn(t time.Time, m timeMode) time.Time {
	switch m {
	case tmInstant:
		return t.UTC()
	case tmClock:
		h, mi, s := t.Clock()
		return time.Date(0, 1, 1, h, mi, s, t.Nanosecond(), time.UTC)
	}
	if t.Location() == time.UTC {
		return t
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// appendDecimal stores a decimal's exact text. Drivers give decimals as text
// (MySQL, SQL Server, Databricks, Oracle); SQLite gives numbers, written with
// the column's declared scale so 12.5 in a DECIMAL(12,2) reads "12.50".
// Text is padded to the scale when the column says its driver drops
// trailing zeros (Spec.PadScale: Oracle).
func appendDecimal(c *colData, v any, s *colSpec) error {
	scale := s.Scale
	switch x := v.(type) {
	case []byte:
		if s.PadScale {
			c.appendString(padScale(string(trimSpace(x)), scale))
			return nil
		}
		c.appendBytes(trimSpace(x))
	case string:
		if s.PadScale {
			c.appendString(padScale(strings.TrimSpace(x), scale))
			return nil
		}
		c.appendString(strings.TrimSpace(x))
	case float64:
		c.appendString(strconv.FormatFloat(x, 'f', scale, 64))
	case float32:
		c.appendString(strconv.FormatFloat(widen32(x), 'f', scale, 64))
	case int64, int32, int16, int8, int, uint8, uint16, uint32, uint64, uint:
		if u, ok := x.(uint64); ok {
			c.appendString(strconv.FormatUint(u, 10) + zeros(scale))
			return nil
		}
		n, err := toInt64(v, &colSpec{})
		if err != nil {
			return err
		}
		c.appendString(strconv.FormatInt(n, 10) + zeros(scale))
	default:
		if st, ok := v.(fmt.Stringer); ok { // decimal types (shopspring, apd…)
			c.appendString(st.String())
			return nil
		}
		return typeErr(v)
	}
	return nil
}

// padScale pads the fraction of a plain decimal text with zeros to scale
// places ("12.5" → "12.50", "3" → "3.00"); text with an exponent, or
// already as long, is kept.
func padScale(text string, scale int) string {
	if scale <= 0 || strings.ContainsAny(text, "eE") || text == "" {
		return text
	}
	_, frac, dot := strings.Cut(text, ".")
	if !dot {
		return text + zeros(scale)
	}
	if n := scale - len(frac); n > 0 {
		return text + strings.Repeat("0", n)
	}
	return text
}

func zeros(scale int) string {
	if scale <= 0 {
		return ""
	}
	return "." + strings.Repeat("0", scale)
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// appendText stores a text value: strings and bytes as they are, UUIDs in
// their canonical form, anything else in its usual text form.
func appendText(c *colData, v any, s *colSpec) error {
	if s.JSON {
		return appendJSONText(c, v)
	}
	switch x := v.(type) {
	case string:
		c.appendString(x)
	case []byte:
		switch {
		case s.GUID && len(x) == 16:
			c.appendBytes(appendUUID(nil, guidOrder(x)))
		case s.UUID && len(x) == 16:
			c.appendBytes(appendUUID(nil, x))
		default:
			c.appendBytes(x)
		}
	case [16]byte:
		c.appendBytes(appendUUID(nil, x[:]))
	case time.Time:
		c.appendString(x.Format(time.RFC3339Nano))
	case int64, int32, int16, int8, int, uint8, uint16, uint32, uint64, uint, float64, float32, bool:
		c.appendString(fmt.Sprint(normalizeAny(v)))
	default:
		if st, ok := v.(fmt.Stringer); ok {
			c.appendString(st.String())
			return nil
		}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
			c.appendString(rv.String())
			return nil
		}
		return typeErr(v)
	}
	return nil
}

// guidOrder turns SQL Server's UNIQUEIDENTIFIER bytes (the first three
// groups little-endian) into RFC 4122 order.
func guidOrder(b []byte) []byte {
	return []byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
		b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]}
}

// appendUUID appends the canonical 36-character form of a 16-byte UUID.
func appendUUID(dst, b []byte) []byte {
	var buf [36]byte
	hex.Encode(buf[0:8], b[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], b[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], b[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], b[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], b[10:16])
	return append(dst, buf[:]...)
}

// appendJSONText stores a JSON column's value (text or bytes) after
// checking it is valid JSON: a server's text that is not fails with a
// ConvertError naming the column and row, never silently.
func appendJSONText(c *colData, v any) error {
	var b []byte
	switch x := v.(type) {
	case string:
		b = unsafe.Slice(unsafe.StringData(x), len(x))
	case []byte:
		b = x
	default:
		return typeErr(v)
	}
	if !json.Valid(b) {
		return errors.New("the value is not valid JSON")
	}
	c.appendBytes(b)
	return nil
}
