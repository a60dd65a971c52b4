package databricks

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow/go/v12/arrow"
	"github.com/apache/arrow/go/v12/arrow/array"
	"github.com/apache/arrow/go/v12/arrow/decimal128"
)

// appendComplexJSON appends value i of a native Arrow ARRAY (list), MAP or
// STRUCT array as JSON text, the form vap gives complex values (see
// package doc, "Complex types"): arrays, objects for STRUCTs (fields in
// order) and MAPs (keys as their text), DECIMAL a number with its scale,
// DATE "2006-01-02", TIMESTAMP RFC 3339 in UTC, BINARY base64, NaN and
// the infinities "NaN", "Infinity", "-Infinity", NULL null.
func appendComplexJSON(b []byte, arr arrow.Array, i int) ([]byte, error) {
	if arr.IsNull(i) {
		return append(b, "null"...), nil
	}
	switch a := arr.(type) {
	case *array.Null:
		return append(b, "null"...), nil
	case *array.Boolean:
		return strconv.AppendBool(b, a.Value(i)), nil
	case *array.Int8:
		return strconv.AppendInt(b, int64(a.Value(i)), 10), nil
	case *array.Int16:
		return strconv.AppendInt(b, int64(a.Value(i)), 10), nil
	case *array.Int32:
		return strconv.AppendInt(b, int64(a.Value(i)), 10), nil
	case *array.Int64:
		return strconv.AppendInt(b, a.Value(i), 10), nil
	case *array.Uint8:
		return strconv.AppendUint(b, uint64(a.Value(i)), 10), nil
	case *array.Uint16:
		return strconv.AppendUint(b, uint64(a.Value(i)), 10), nil
	case *array.Uint32:
		return strconv.AppendUint(b, uint64(a.Value(i)), 10), nil
	case *array.Uint64:
		return strconv.AppendUint(b, a.Value(i), 10), nil
	case *array.Float32:
		return appendJSONFloat(b, float64(a.Value(i)), 32), nil
	case *array.Float64:
		return appendJSONFloat(b, a.Value(i), 64), nil
	case *array.String:
		return appendJSONString(b, a.Value(i)), nil
	case *array.LargeString:
		return appendJSONString(b, a.Value(i)), nil
	case *array.Binary:
		return appendBase64(b, a.Value(i)), nil
	case *array.LargeBinary:
		return appendBase64(b, a.Value(i)), nil
	case *array.FixedSizeBinary:
		return appendBase64(b, a.Value(i)), nil
	case *array.Date32:
		return appendJSONString(b, a.Value(i).ToTime().UTC().Format(time.DateOnly)), nil
	case *array.Date64:
		return appendJSONString(b, a.Value(i).ToTime().UTC().Format(time.DateOnly)), nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return appendJSONString(b, a.Value(i).ToTime(unit).UTC().Format(time.RFC3339Nano)), nil
	case *array.Decimal128:
		return append(b, decimal128Text(a.Value(i), a.DataType().(*arrow.Decimal128Type).Scale)...), nil
	case *array.Decimal256:
		return append(b, decimalText(a.Value(i).BigInt(), a.DataType().(*arrow.Decimal256Type).Scale)...), nil
	case *array.Map: // before List: a Map is a List of key-value structs
		start, end := a.ValueOffsets(i)
		keys, items := a.Keys(), a.Items()
		b = append(b, '{')
		for k := start; k < end; k++ {
			if k > start {
				b = append(b, ',')
			}
			key, err := keyText(keys, int(k))
			if err != nil {
				return b, fmt.Errorf("map key %d: %w", k-start, err)
			}
			b = appendJSONString(b, key)
			b = append(b, ':')
			if b, err = appendComplexJSON(b, items, int(k)); err != nil {
				return b, fmt.Errorf("map value %d: %w", k-start, err)
			}
		}
		return append(b, '}'), nil
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		vals := a.ListValues()
		b = append(b, '[')
		for k := start; k < end; k++ {
			if k > start {
				b = append(b, ',')
			}
			var err error
			if b, err = appendComplexJSON(b, vals, int(k)); err != nil {
				return b, fmt.Errorf("element %d: %w", k-start, err)
			}
		}
		return append(b, ']'), nil
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		b = append(b, '{')
		for f := 0; f < a.NumField(); f++ {
			if f > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, st.Field(f).Name)
			b = append(b, ':')
			var err error
			if b, err = appendComplexJSON(b, a.Field(f), i); err != nil {
				return b, fmt.Errorf("field %q: %w", st.Field(f).Name, err)
			}
		}
		return append(b, '}'), nil
	}
	return b, fmt.Errorf("no JSON form for Arrow type %s", arr.DataType())
}

// keyText is a MAP key as a JSON object key: a string as it is, any other
// value as its JSON text without surrounding quotes (1 → "1", a DATE →
// "2024-01-02"). Spark map keys are never NULL and distinct, and the text
// of distinct keys of one type is distinct.
func keyText(keys arrow.Array, k int) (string, error) {
	switch a := keys.(type) {
	case *array.String:
		return a.Value(k), nil
	case *array.LargeString:
		return a.Value(k), nil
	}
	text, err := appendComplexJSON(nil, keys, k)
	if err != nil {
		return "", err
	}
	if len(text) > 0 && text[0] == '"' {
		var s string
		if err := json.Unmarshal(text, &s); err != nil {
			return "", err
		}
		return s, nil
	}
	return string(text), nil
}

// decimal128Text is a decimal's exact text with exactly scale decimals.
func decimal128Text(n decimal128.Num, scale int32) string { return decimalText(n.BigInt(), scale) }

// decimalText is the unscaled integer u with scale decimals, exactly:
// (330, 2) → "3.30", (-5, 3) → "-0.005".
func decimalText(u *big.Int, scale int32) string {
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	if scale <= 0 {
		sb.WriteString(digits)
		if scale < 0 && digits != "0" {
			sb.WriteString(strings.Repeat("0", int(-scale)))
		}
		return sb.String()
	}
	s := int(scale)
	if len(digits) <= s {
		sb.WriteString("0.")
		sb.WriteString(strings.Repeat("0", s-len(digits)))
		sb.WriteString(digits)
		return sb.String()
	}
	sb.WriteString(digits[:len(digits)-s])
	sb.WriteByte('.')
	sb.WriteString(digits[len(digits)-s:])
	return sb.String()
}

// appendJSONFloat appends f as JSON: the shortest text that reads back as
// the same float of the given bit size, in exponent form below 1e-6 and
// from 1e21 as encoding/json writes it; NaN and the infinities, which JSON
// has no number for, as the strings Spark writes: "NaN", "Infinity",
// "-Infinity".
func appendJSONFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' { // e-07 → e-7, as encoding/json writes it
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString appends s as a JSON string, escaping only what JSON
// requires (quote, backslash, control characters), so text in any script
// stays as it is; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\r':
				b = append(b, `\r`...)
			case c == '\t':
				b = append(b, `\t`...)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func appendBase64(b, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}
