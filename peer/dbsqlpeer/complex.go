package dbsqlpeer

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// Complex types. ARRAY, MAP and STRUCT values come from Spark's
// constructors in a top-level SELECT item (see rewriteConstructors):
//
//   - array(e1, …) is ARRAY<T>, T the common type of the elements;
//   - map(k1, v1, …) is MAP<K, V>;
//   - named_struct('a', e1, 'b', e2, …) is STRUCT<a: T1, b: T2, …>;
//   - struct(e1, …) is STRUCT<col1: T1, …>.
//
// An argument's type is what its text fixes: a literal (1 is INT, 3.30
// DECIMAL(3,2), 'x' STRING, TRUE BOOLEAN, NULL VOID), a CAST to a known type,
// a DATE or TIMESTAMP literal or a nested constructor; any other expression
// is a STRING. Elements of different types take the wider one as Spark does
// (INT and BIGINT: BIGINT; DECIMALs: the DECIMAL that holds both; integers and
// DECIMAL: DECIMAL; any number and DOUBLE: DOUBLE); types that have none make
// the peer fail the statement.
//
// On SQLite a constructor becomes json_array(…) of its values (a MAP's keys
// and values alternating, a STRUCT's fields in order), number literals as
// their text and CAST operands uncast, so the peer converts each element
// itself, exactly and strictly: CAST('NaN' AS DOUBLE) is NaN, 3.30 stays
// 3.30, and a value that does not fit its type fails the statement with an
// error naming the element.

// structField is one field of a STRUCT type.
type structField struct {
	name string
	typ  sparkType
}

// isComplex reports whether t is ARRAY, MAP or STRUCT.
func (t sparkType) isComplex() bool {
	switch t.id {
	case tcli.TTypeId_ARRAY_TYPE, tcli.TTypeId_MAP_TYPE, tcli.TTypeId_STRUCT_TYPE:
		return true
	}
	return false
}

func arrayOf(elem sparkType) sparkType { return sparkType{id: tcli.TTypeId_ARRAY_TYPE, elem: &elem} }

func mapOf(key, val sparkType) sparkType {
	return sparkType{id: tcli.TTypeId_MAP_TYPE, key: &key, elem: &val}
}

// complexName is a complex type as Spark's DataType.sql spells it:
// ARRAY<DECIMAL(4,2)>, MAP<STRING, INT>, STRUCT<a: INT, `b c`: STRING>.
func (t sparkType) complexName() string {
	switch t.id {
	case tcli.TTypeId_ARRAY_TYPE:
		return "ARRAY<" + t.elem.sqlName() + ">"
	case tcli.TTypeId_MAP_TYPE:
		return "MAP<" + t.key.sqlName() + ", " + t.elem.sqlName() + ">"
	}
	parts := make([]string, len(t.fields))
	for i, f := range t.fields {
		parts[i] = quoteIdent(f.name) + ": " + f.typ.sqlName()
	}
	return "STRUCT<" + strings.Join(parts, ", ") + ">"
}

// quoteIdent back-quotes a field name that is not a plain identifier, as
// Spark's quoteIfNeeded does.
func quoteIdent(s string) string {
	plain := s != ""
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// widen is the common type of two element types, as Spark's type coercion
// finds it for array and map arguments.
func widen(a, b sparkType) (sparkType, error) {
	switch {
	case a.id == tcli.TTypeId_NULL_TYPE:
		return b, nil
	case b.id == tcli.TTypeId_NULL_TYPE:
		return a, nil
	case a.id == b.id && !a.isComplex() && a.id != typeDecimalID:
		return a, nil
	}
	if a.id == b.id && a.isComplex() {
		switch a.id {
		case tcli.TTypeId_ARRAY_TYPE:
			e, err := widen(*a.elem, *b.elem)
			return arrayOf(e), err
		case tcli.TTypeId_MAP_TYPE:
			k, err := widen(*a.key, *b.key)
			if err != nil {
				return a, err
			}
			v, err := widen(*a.elem, *b.elem)
			return mapOf(k, v), err
		default:
			if len(a.fields) == len(b.fields) {
				fs := make([]structField, len(a.fields))
				for i := range fs {
					if a.fields[i].name != b.fields[i].name {
						return a, fmt.Errorf("no common type for %s and %s", a.sqlName(), b.sqlName())
					}
					ft, err := widen(a.fields[i].typ, b.fields[i].typ)
					if err != nil {
						return a, err
					}
					fs[i] = structField{a.fields[i].name, ft}
				}
				return sparkType{id: tcli.TTypeId_STRUCT_TYPE, fields: fs}, nil
			}
		}
	}
	rank := func(t sparkType) int {
		switch t.id {
		case tcli.TTypeId_TINYINT_TYPE:
			return 1
		case tcli.TTypeId_SMALLINT_TYPE:
			return 2
		case tcli.TTypeId_INT_TYPE:
			return 3
		case tcli.TTypeId_BIGINT_TYPE:
			return 4
		case typeDecimalID:
			return 5
		case tcli.TTypeId_FLOAT_TYPE:
			return 6
		case tcli.TTypeId_DOUBLE_TYPE:
			return 7
		}
		return 0
	}
	ra, rb := rank(a), rank(b)
	if ra == 0 || rb == 0 {
		return a, fmt.Errorf("no common type for %s and %s", a.sqlName(), b.sqlName())
	}
	if ra == 5 || rb == 5 {
		if ra > 5 || rb > 5 {
			return typeDouble, nil
		}
		da, db := asDecimal(a), asDecimal(b)
		scale := max(da.scale, db.scale)
		intDigits := max(da.precision-da.scale, db.precision-db.scale)
		return sparkType{id: typeDecimalID, precision: min(intDigits+scale, maxDecimalPrecision), scale: scale}, nil
	}
	if ra > rb {
		return a, nil
	}
	return b, nil
}

// asDecimal is the DECIMAL an integer type widens to.
func asDecimal(t sparkType) sparkType {
	switch t.id {
	case tcli.TTypeId_TINYINT_TYPE:
		return sparkType{id: typeDecimalID, precision: 3}
	case tcli.TTypeId_SMALLINT_TYPE:
		return sparkType{id: typeDecimalID, precision: 5}
	case tcli.TTypeId_INT_TYPE:
		return sparkType{id: typeDecimalID, precision: 10}
	case tcli.TTypeId_BIGINT_TYPE:
		return sparkType{id: typeDecimalID, precision: 20}
	}
	return t
}

// mapValue is a converted MAP value: its keys and values, in order.
type mapValue struct {
	keys, vals []any
}

// convertComplex reads the JSON text SQLite's json_array made of a
// constructor (see rewriteConstructors) as a value of t: []any for an ARRAY
// or a STRUCT (its fields in order), mapValue for a MAP, leaves as convert
// returns them.
func convertComplex(v any, t sparkType) (any, error) {
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case []byte:
		text = string(x)
	default:
		return nil, &convertError{typ: t, reason: fmt.Sprintf("a %T is not a %s", v, t.sqlName())}
	}
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return nil, &convertError{typ: t, reason: "the value is not a constructor's result"}
	}
	return fromJSON(tree, t, "")
}

// fromJSON converts a decoded json_array tree as a value of t; path names
// the element in errors ("[2].a").
func fromJSON(x any, t sparkType, path string) (any, error) {
	if x == nil {
		return nil, nil
	}
	fail := func(reason string) error {
		if path != "" {
			reason = "element " + path + ": " + reason
		}
		return &convertError{typ: t, reason: reason}
	}
	switch t.id {
	case tcli.TTypeId_ARRAY_TYPE:
		arr, ok := x.([]any)
		if !ok {
			return nil, fail("not an array")
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			var err error
			if out[i], err = fromJSON(e, *t.elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
		return out, nil
	case tcli.TTypeId_MAP_TYPE:
		arr, ok := x.([]any)
		if !ok || len(arr)%2 != 0 {
			return nil, fail("not a map")
		}
		m := mapValue{}
		seen := map[string]bool{}
		for i := 0; i < len(arr); i += 2 {
			kp := fmt.Sprintf("%s[key %d]", path, i/2)
			k, err := fromJSON(arr[i], *t.key, kp)
			if err != nil {
				return nil, err
			}
			if k == nil {
				return nil, fail("a map key is NULL")
			}
			ks := jsonText(*t.key, k)
			if seen[ks] {
				return nil, fail("duplicate map key")
			}
			seen[ks] = true
			v, err := fromJSON(arr[i+1], *t.elem, fmt.Sprintf("%s[value %d]", path, i/2))
			if err != nil {
				return nil, err
			}
			m.keys, m.vals = append(m.keys, k), append(m.vals, v)
		}
		return m, nil
	case tcli.TTypeId_STRUCT_TYPE:
		arr, ok := x.([]any)
		if !ok || len(arr) != len(t.fields) {
			return nil, fail("not a struct")
		}
		out := make([]any, len(arr))
		for i, f := range t.fields {
			var err error
			if out[i], err = fromJSON(arr[i], f.typ, path+"."+f.name); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	var leaf any
	switch y := x.(type) {
	case json.Number:
		leaf = string(y)
	case string:
		leaf = y
	case bool:
		leaf = map[bool]int64{false: 0, true: 1}[y]
	default:
		return nil, fail("not a scalar")
	}
	v, err := convert(leaf, t)
	if ce, ok := err.(*convertError); ok && path != "" {
		ce.reason = "element " + path + ": " + ce.reason
	}
	return v, err
}

// jsonText is a converted value of t in the JSON text a warehouse sends for
// complex values in a column-based result (and in Arrow when the client
// does not read complex types natively). It is the form vap normalizes
// complex values to: arrays, objects for STRUCTs (fields in order) and
// MAPs (keys as their text), DECIMAL as a number with its scale, DATE
// "2006-01-02", TIMESTAMP RFC 3339 in UTC with up to microseconds, BINARY
// base64, NaN and infinities as "NaN", "Infinity", "-Infinity".
func jsonText(t sparkType, v any) string {
	return string(appendJSON(nil, t, v))
}

func appendJSON(b []byte, t sparkType, v any) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	switch t.id {
	case tcli.TTypeId_ARRAY_TYPE:
		b = append(b, '[')
		for i, e := range v.([]any) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, *t.elem, e)
		}
		return append(b, ']')
	case tcli.TTypeId_MAP_TYPE:
		m := v.(mapValue)
		b = append(b, '{')
		for i := range m.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, keyText(*t.key, m.keys[i]))
			b = append(b, ':')
			b = appendJSON(b, *t.elem, m.vals[i])
		}
		return append(b, '}')
	case tcli.TTypeId_STRUCT_TYPE:
		b = append(b, '{')
		for i, e := range v.([]any) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, t.fields[i].name)
			b = append(b, ':')
			b = appendJSON(b, t.fields[i].typ, e)
		}
		return append(b, '}')
	case tcli.TTypeId_BOOLEAN_TYPE:
		return strconv.AppendBool(b, v.(bool))
	case tcli.TTypeId_TINYINT_TYPE, tcli.TTypeId_SMALLINT_TYPE, tcli.TTypeId_INT_TYPE, tcli.TTypeId_BIGINT_TYPE:
		return strconv.AppendInt(b, v.(int64), 10)
	case tcli.TTypeId_FLOAT_TYPE:
		return appendJSONFloat(b, v.(float64), 32)
	case tcli.TTypeId_DOUBLE_TYPE:
		return appendJSONFloat(b, v.(float64), 64)
	case typeDecimalID:
		return append(b, v.(string)...)
	case tcli.TTypeId_DATE_TYPE:
		return appendJSONString(b, v.(string))
	case tcli.TTypeId_TIMESTAMP_TYPE:
		tm, _ := time.Parse(timestampLayout, v.(string))
		return appendJSONString(b, tm.Format("2006-01-02T15:04:05.999999Z07:00"))
	case tcli.TTypeId_BINARY_TYPE:
		return appendJSONString(b, base64.StdEncoding.EncodeToString(v.([]byte)))
	}
	return appendJSONString(b, toString(v))
}

// keyText is a MAP key's text as a JSON object key: a STRING as it is, any
// other value as its JSON text without quotes.
func keyText(t sparkType, k any) string {
	if s, ok := k.(string); ok && t.id == tcli.TTypeId_STRING_TYPE {
		return s
	}
	text := jsonText(t, k)
	if strings.HasPrefix(text, `"`) {
		var s string
		if json.Unmarshal([]byte(text), &s) == nil {
			return s
		}
	}
	return text
}

// appendJSONFloat appends f as JSON: the shortest text that reads back as
// the same float of the given bit size, in exponent form below 1e-6 and
// from 1e21 as encoding/json writes it; NaN and the infinities as strings.
func appendJSONFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	if bits == 32 {
		f = float64(float32(f)) // the FLOAT value the client reads
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString appends s as a JSON string, escaping only what JSON
// requires (quote, backslash, control characters); invalid UTF-8 becomes
// U+FFFD.
func appendJSONString(b []byte, s string) []byte {
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
				b = append(b, `\u00`...)
				b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
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
