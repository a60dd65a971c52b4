package tdspeer

import (
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// decimalValue is an exact DECIMAL, NUMERIC or MONEY value: unscaled / 10^scale.
type decimalValue struct {
	unscaled *big.Int
	scale    int
}

func (d decimalValue) String() string {
	s := new(big.Int).Abs(d.unscaled).String()
	if d.scale > 0 {
		if len(s) <= d.scale {
			s = strings.Repeat("0", d.scale-len(s)+1) + s
		}
		s = s[:len(s)-d.scale] + "." + s[len(s)-d.scale:]
	}
	if d.unscaled.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// parseDecimal reads a decimal number ("-12.50", "1e3", " 7 ") rounded half
// away from zero to scale digits.
func parseDecimal(s string, scale int) (*big.Int, bool) {
	s = strings.TrimSpace(s)
	r, ok := new(big.Rat).SetString(s)
	if !ok || s == "" || strings.ContainsAny(s, "/") {
		return nil, false
	}
	return roundRat(r, scale), true
}

func roundRat(r *big.Rat, scale int) *big.Int {
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	n := new(big.Int).Mul(r.Num(), pow)
	q, m := new(big.Int).QuoRem(n, r.Denom(), new(big.Int))
	// half away from zero: |2m| >= denom
	m.Abs(m).Mul(m, big.NewInt(2))
	if m.Cmp(r.Denom()) >= 0 {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// digits is how many decimal digits |v| has.
func digits(v *big.Int) int {
	if v.Sign() == 0 {
		return 0
	}
	return len(new(big.Int).Abs(v).String())
}

var moneyMax = big.NewInt(math.MaxInt64)
var smallMoneyMax = big.NewInt(math.MaxInt32)

// sourceName names the type of a SQLite value in conversion errors.
func sourceName(v any) string {
	switch v.(type) {
	case int64:
		return "int"
	case float64:
		return "float"
	case []byte:
		return "varbinary"
	case time.Time:
		return "datetime2"
	}
	return "nvarchar"
}

// convert turns a value SQLite produced (nil, int64, float64, string,
// []byte, time.Time) into the peer's value of type t, by SQL Server's
// conversion rules. cast is true for an explicit CAST, which truncates
// strings to the type's length.
func convert(v any, t sqlType, cast bool) (any, *Error) {
	if v == nil {
		return nil, nil
	}
	switch t.kind {
	case kBit:
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case float64:
			return x != 0, nil
		case bool:
			return x, nil
		case decimalValue:
			return x.unscaled.Sign() != 0, nil
		case string:
			s := strings.TrimSpace(x)
			switch {
			case strings.EqualFold(s, "true"):
				return true, nil
			case strings.EqualFold(s, "false"):
				return false, nil
			}
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f != 0, nil
			}
			return nil, errConversion(sourceName(v)+" value '"+x+"'", "bit")
		}
	case kTinyInt, kSmallInt, kInt, kBigInt:
		lo, hi := intRange(t.kind)
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case bool:
			if x {
				n = 1
			}
		case float64:
			f := math.Trunc(x)
			if math.IsNaN(f) || f < float64(lo) || f >= -float64(lo) && t.kind == kBigInt || f > float64(hi) {
				return nil, errOverflow(t.baseName())
			}
			n = int64(f)
		case string:
			s := strings.TrimSpace(x)
			p, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
					return nil, errOverflow(t.baseName())
				}
				return nil, errConversion(sourceName(v)+" value '"+x+"'", t.baseName())
			}
			n = p
		case decimalValue:
			q := new(big.Int).Quo(x.unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.scale)), nil))
			if !q.IsInt64() {
				return nil, errOverflow(t.baseName())
			}
			n = q.Int64()
		default:
			return nil, errConversion(sourceName(v)+" value", t.baseName())
		}
		if n < lo || n > hi {
			return nil, errOverflow(t.baseName())
		}
		return n, nil
	case kReal, kFloat:
		var f float64
		switch x := v.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		case string:
			p, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil || math.IsInf(p, 0) || math.IsNaN(p) {
				return nil, errNumericConversion(sourceName(v), t.baseName())
			}
			f = p
		case decimalValue:
			f, _ = new(big.Rat).SetFrac(x.unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.scale)), nil)).Float64()
		default:
			return nil, errNumericConversion(sourceName(v), t.baseName())
		}
		if t.kind == kReal {
			if math.Abs(f) > math.MaxFloat32 {
				return nil, errOverflow("real")
			}
			f = float64(float32(f))
		}
		return f, nil
	case kDecimal, kNumeric, kMoney, kSmallMoney:
		scale := t.scale
		if t.kind == kMoney || t.kind == kSmallMoney {
			scale = 4
		}
		var u *big.Int
		switch x := v.(type) {
		case int64:
			u = new(big.Int).Mul(big.NewInt(x), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return nil, errOverflow(t.baseName())
			}
			u, _ = parseDecimal(strconv.FormatFloat(x, 'g', 17, 64), scale)
			if u2, ok := parseDecimal(strconv.FormatFloat(x, 'f', -1, 64), scale); ok {
				u = u2
			}
		case string:
			var ok bool
			if u, ok = parseDecimal(x, scale); !ok {
				return nil, errNumericConversion(sourceName(v), t.baseName())
			}
		case decimalValue:
			u = roundRat(new(big.Rat).SetFrac(x.unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.scale)), nil)), scale)
		case bool:
			u = big.NewInt(0)
			if x {
				u = new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
			}
		default:
			return nil, errNumericConversion(sourceName(v), t.baseName())
		}
		switch t.kind {
		case kMoney:
			if new(big.Int).Abs(u).Cmp(moneyMax) > 0 {
				return nil, errOverflow("money")
			}
		case kSmallMoney:
			if new(big.Int).Abs(u).Cmp(smallMoneyMax) > 0 {
				return nil, errOverflow("smallmoney")
			}
		default:
			if digits(u) > t.prec {
				return nil, errOverflow("numeric")
			}
		}
		return decimalValue{unscaled: u, scale: scale}, nil
	case kChar, kVarChar, kNChar, kNVarChar:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int64:
			s = strconv.FormatInt(x, 10)
		case float64:
			s = strconv.FormatFloat(x, 'g', -1, 64)
		case bool:
			s = "0"
			if x {
				s = "1"
			}
		case []byte:
			s = string(x)
		case time.Time:
			s = formatTime(x, sqlType{kind: kDateTime2, scale: 7})
		case decimalValue:
			s = x.String()
		default:
			return nil, errConversion(sourceName(v)+" value", t.baseName())
		}
		if !t.unicode() {
			s = codePage(s)
		}
		if t.length != maxLen {
			units := utf16.Encode([]rune(s))
			if cast && len(units) > t.length {
				s = string(utf16.Decode(units[:t.length]))
			}
			if (t.kind == kChar || t.kind == kNChar) && len(units) < t.length {
				s += strings.Repeat(" ", t.length-len(units))
			}
		}
		return s, nil
	case kBinary, kVarBinary:
		var b []byte
		switch x := v.(type) {
		case []byte:
			b = x
		case string:
			b = encodeCodePage(x)
		case int64:
			if x >= math.MinInt32 && x <= math.MaxInt32 {
				b = []byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)}
			} else {
				b = []byte{byte(x >> 56), byte(x >> 48), byte(x >> 40), byte(x >> 32), byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)}
			}
		default:
			return nil, errConversion(sourceName(v)+" value", t.baseName())
		}
		if t.length != maxLen {
			if cast && len(b) > t.length {
				b = b[:t.length]
			}
			if t.kind == kBinary && len(b) < t.length {
				b = append(append([]byte{}, b...), make([]byte, t.length-len(b))...)
			}
		}
		return b, nil
	case kDate, kTime, kDateTime, kSmallDateTime, kDateTime2, kDateTimeOffset:
		var tm time.Time
		switch x := v.(type) {
		case time.Time:
			tm = x
		case string:
			p, ok := parseTime(x)
			if !ok {
				return nil, errDateConversion()
			}
			tm = p
		default:
			return nil, &Error{Number: 206, State: 2, Class: 16, Message: "Operand type clash: " + sourceName(v) + " is incompatible with " + t.baseName()}
		}
		return roundTime(tm, t), nil
	case kGUID:
		switch x := v.(type) {
		case string:
			g, ok := parseGUID(x)
			if !ok {
				return nil, &Error{Number: 8169, State: 2, Class: 16, Message: "Conversion failed when converting from a character string to uniqueidentifier."}
			}
			return g, nil
		case []byte:
			if len(x) == 16 {
				var g [16]byte
				copy(g[:], x)
				return g, nil
			}
		}
		return nil, &Error{Number: 206, State: 2, Class: 16, Message: "Operand type clash: " + sourceName(v) + " is incompatible with uniqueidentifier"}
	}
	return nil, errConversion(sourceName(v)+" value", t.baseName())
}

func intRange(k kind) (int64, int64) {
	switch k {
	case kTinyInt:
		return 0, 255
	case kSmallInt:
		return math.MinInt16, math.MaxInt16
	case kInt:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// codePage is s as a VARCHAR of the peer's collation (code page 1252)
// holds it: characters outside the code page become '?', one per UTF-16
// unit, as SQL Server does.
func codePage(s string) string {
	var b strings.Builder
	for _, r := range s {
		if _, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteRune(r)
		} else if r > 0xFFFF {
			b.WriteString("??")
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// encodeCodePage is s in code page 1252, the bytes a VARCHAR sends.
func encodeCodePage(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, c)
		} else if r > 0xFFFF {
			out = append(out, '?', '?')
		} else {
			out = append(out, '?')
		}
	}
	return out
}

var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02T15:04:05.999999999 -07:00",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102",
	"20060102 15:04:05.999999999",
	"15:04:05.999999999",
	"15:04",
}

// parseTime reads a date/time string the way SQL Server's style 0/121/126
// conversions do; a time alone is on 1900-01-01, a string without an
// offset is at +00:00.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() == 0 {
				t = t.AddDate(1900, 0, 0)
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// roundTime fits t to the precision of type typ.
func roundTime(t time.Time, typ sqlType) time.Time {
	switch typ.kind {
	case kDate:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case kDateTime:
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
		ticks := int64(math.Round(float64(t.Nanosecond()) * 300 / 1e9))
		return wall.Add(time.Duration(ticks * 1e9 / 300))
	case kSmallDateTime:
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
		if t.Second() >= 30 {
			wall = wall.Add(time.Minute)
		}
		return wall
	case kTime, kDateTime2, kDateTimeOffset:
		unit := time.Duration(math.Pow10(9 - typ.scale))
		loc := time.UTC
		if typ.kind == kDateTimeOffset {
			loc = t.Location()
		}
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
		ns := (time.Duration(t.Nanosecond()) + unit/2) / unit * unit
		r := wall.Add(ns)
		if typ.kind == kTime {
			r = time.Date(1900, 1, 1, r.Hour(), r.Minute(), r.Second(), r.Nanosecond(), time.UTC)
		}
		return r
	}
	return t
}

// formatTime is t as SQL Server converts type typ to a string.
func formatTime(t time.Time, typ sqlType) string {
	frac := func(n int) string {
		if n == 0 {
			return ""
		}
		return "." + strconv.Itoa(t.Nanosecond()/int(math.Pow10(9-n)) + int(math.Pow10(n)))[1:]
	}
	switch typ.kind {
	case kDate:
		return t.Format("2006-01-02")
	case kTime:
		return t.Format("15:04:05") + frac(typ.scale)
	case kDateTime:
		return t.Format("2006-01-02 15:04:05") + frac(3)
	case kSmallDateTime:
		return t.Format("2006-01-02 15:04:05")
	case kDateTimeOffset:
		return t.Format("2006-01-02 15:04:05") + frac(typ.scale) + t.Format(" -07:00")
	}
	return t.Format("2006-01-02 15:04:05") + frac(typ.scale)
}

// parseGUID reads "6F9619FF-8B86-D011-B42D-00C04FC964FF", optionally in
// braces, into its 16 bytes in the order written.
func parseGUID(s string) ([16]byte, bool) {
	var g [16]byte
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return g, false
	}
	h := s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(g[:], []byte(h)); err != nil {
		return g, false
	}
	return g, true
}

func formatGUID(g [16]byte) string {
	h := strings.ToUpper(hex.EncodeToString(g[:]))
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
