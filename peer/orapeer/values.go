package orapeer

// Values: bind values from the wire to SQLite, and SQLite values to the
// wire in a column's or an OUT bind's Oracle type.

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// decodeBind converts a bind's wire value to what SQLite stores.
func decodeBind(b bindMeta, raw []byte) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	switch b.ora {
	case oraVarchar, oraChar, oraLong:
		if b.csform == 2 {
			return decodeUTF16(raw), nil
		}
		return string(raw), nil
	case oraNumber:
		s, err := decodeNumber(raw)
		if err != nil {
			return nil, err
		}
		return numberValue(s), nil
	case oraBinDouble:
		f, err := decodeDouble(raw)
		return floatValue(f), err
	case oraBinFloat:
		f, err := decodeFloat(raw)
		return floatValue(f), err
	case oraDate, oraTimestamp, oraTimestamp2, oraTimestampTZ, oraTimestampTZ2:
		t, tz, err := decodeDateTime(raw)
		if err != nil {
			return nil, err
		}
		if b.ora == oraDate {
			return timeText(t, false), nil
		}
		return timeText(t, tz), nil
	case oraRaw, 24:
		return append([]byte(nil), raw...), nil
	case oraBoolean:
		if len(raw) > 0 && raw[len(raw)-1] != 0 {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return nil, fmt.Errorf("orapeer: bind type %d is not emulated", b.ora)
}

// floatValue keeps NaN and infinities, which SQLite would store as NULL,
// as text.
func floatValue(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return f
}

// noRoom reports an OUT bind with no buffer (a character bind of 0
// characters, a RAW of 0 bytes): no value is sent for it, only its
// indicator, as go-ora expects.
func noRoom(b bindMeta) bool {
	switch b.ora {
	case oraVarchar, oraChar:
		return b.chars == 0
	case oraRaw:
		return b.maxLen == 0
	}
	return false
}

// encodeOut encodes an OUT bind value in the type the client bound.
func encodeOut(b bindMeta, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	t := colType{ora: b.ora, national: b.csform == 2, size: b.maxLen}
	switch b.ora {
	case oraVarchar, oraChar, oraLong:
		t.ora = oraVarchar
	case oraTimestamp2:
		t.ora = oraTimestamp
	case oraTimestampTZ2:
		t.ora = oraTimestampTZ
	}
	return encodeValue(t, v)
}

// encodeValue encodes an SQLite value as a column of type t.
func encodeValue(t colType, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	switch t.ora {
	case oraVarchar, oraChar:
		s := strVal(v)
		if t.ora == oraChar && t.size > 0 && len([]rune(s)) < t.size {
			s += strings.Repeat(" ", t.size-len([]rune(s)))
		}
		if t.national {
			return encodeUTF16(s), nil
		}
		return []byte(s), nil
	case oraNumber:
		switch x := v.(type) {
		case int64:
			return encodeNumber(strconv.FormatInt(x, 10))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, errf(1426, "numeric overflow")
			}
			return encodeNumber(strconv.FormatFloat(x, 'g', -1, 64))
		case string:
			s := strings.TrimSpace(x)
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return nil, errf(1722, "invalid number")
			}
			return encodeNumber(s)
		}
		return nil, errf(932, "inconsistent datatypes: expected NUMBER got BINARY")
	case oraBinDouble, oraBinFloat:
		f, ok, err := num(v)
		if err != nil || !ok {
			return nil, errf(1722, "invalid number")
		}
		if t.ora == oraBinFloat {
			return encodeFloat(f), nil
		}
		return encodeDouble(f), nil
	case oraDate, oraTimestamp, oraTimestampTZ:
		var tm time.Time
		switch x := v.(type) {
		case time.Time: // the SQLite driver parses DATE and TIMESTAMP columns
			tm = x
		case string:
			var ok bool
			if tm, ok = parseTimeText(x); !ok {
				return nil, errf(1861, "literal does not match format string")
			}
		default:
			return nil, errf(932, "inconsistent datatypes: expected DATE got NUMBER")
		}
		switch t.ora {
		case oraDate:
			return encodeDate(tm), nil
		case oraTimestamp:
			return encodeTimestamp(tm), nil
		}
		return encodeTimestampTZ(tm), nil
	case oraRaw:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			b, err := hex.DecodeString(x)
			if err != nil {
				return nil, errf(1465, "invalid hex number")
			}
			return b, nil
		}
		return nil, errf(932, "inconsistent datatypes: expected BINARY got NUMBER")
	}
	return nil, errf(932, "inconsistent datatypes")
}
