package orapeer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Oracle data type numbers on the wire.
const (
	oraVarchar      = 1
	oraNumber       = 2
	oraLong         = 8
	oraDate         = 12
	oraRaw          = 23
	oraChar         = 96
	oraBinFloat     = 100
	oraBinDouble    = 101
	oraClob         = 112
	oraBlob         = 113
	oraTimestamp    = 180
	oraTimestampTZ  = 181
	oraTimestamp2   = 187 // TIMESTAMP as go-ora binds it
	oraTimestampTZ2 = 188
	oraBoolean      = 252
)

// colType is a result column's Oracle type.
type colType struct {
	ora       byte // wire type
	name      string
	size      int // VARCHAR2/RAW byte length, CHAR length
	precision int
	scale     int
	national  bool // NVARCHAR2/NCHAR: AL16UTF16 on the wire
}

var (
	typNumber    = colType{ora: oraNumber, name: "NUMBER", scale: -127}
	typVarchar   = colType{ora: oraVarchar, name: "VARCHAR2", size: 4000}
	typDate      = colType{ora: oraDate, name: "DATE"}
	typTimestamp = colType{ora: oraTimestamp, name: "TIMESTAMP", scale: 9}
	typTSTZ      = colType{ora: oraTimestampTZ, name: "TIMESTAMP WITH TIME ZONE", scale: 9}
	typDouble    = colType{ora: oraBinDouble, name: "BINARY_DOUBLE"}
	typFloat     = colType{ora: oraBinFloat, name: "BINARY_FLOAT"}
	typRaw       = colType{ora: oraRaw, name: "RAW", size: 2000}
)

// maxLen is the column's buffer size in the describe.
func (t colType) maxLen() int {
	switch t.ora {
	case oraNumber:
		return 22
	case oraDate:
		return 7
	case oraTimestamp:
		return 11
	case oraTimestampTZ:
		return 13
	case oraBinDouble:
		return 8
	case oraBinFloat:
		return 4
	case oraVarchar, oraChar, oraRaw:
		if t.national {
			return t.size * 2
		}
		return t.size
	}
	return 0
}

// parseDeclType maps a declared column type (as the DDL wrote it) to its
// Oracle type; ok is false for a type Oracle does not have.
func parseDeclType(decl string) (colType, bool) {
	d := strings.ToUpper(strings.TrimSpace(decl))
	base, args := d, ""
	if i := strings.IndexByte(d, '('); i >= 0 {
		base = strings.TrimSpace(d[:i])
		if j := strings.IndexByte(d[i:], ')'); j >= 0 {
			args = d[i+1 : i+j]
			base = strings.TrimSpace(base + " " + strings.TrimSpace(d[i+j+1:]))
		}
	}
	base = strings.Join(strings.Fields(base), " ")
	nums := []int{}
	for _, a := range strings.Split(args, ",") {
		f := strings.Fields(a)
		if len(f) > 0 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				nums = append(nums, n)
			}
		}
	}
	arg := func(i, def int) int {
		if i < len(nums) {
			return nums[i]
		}
		return def
	}
	switch base {
	case "NUMBER", "NUMERIC", "DECIMAL", "DEC":
		t := typNumber
		if len(nums) > 0 {
			t.precision, t.scale = arg(0, 0), arg(1, 0)
		}
		return t, true
	case "INTEGER", "INT", "SMALLINT":
		t := typNumber
		t.precision, t.scale = 38, 0
		return t, true
	case "FLOAT", "REAL", "DOUBLE PRECISION":
		t := typNumber
		t.precision, t.scale = 126, -127
		return t, true
	case "BINARY_DOUBLE":
		return typDouble, true
	case "BINARY_FLOAT":
		return typFloat, true
	case "VARCHAR2", "VARCHAR", "CHARACTER VARYING", "CHAR VARYING":
		t := typVarchar
		t.size = arg(0, 4000)
		return t, true
	case "NVARCHAR2", "NATIONAL CHARACTER VARYING", "NCHAR VARYING":
		t := typVarchar
		t.size, t.national, t.name = arg(0, 2000), true, "NVARCHAR2"
		return t, true
	case "CHAR", "CHARACTER":
		return colType{ora: oraChar, name: "CHAR", size: arg(0, 1)}, true
	case "NCHAR":
		return colType{ora: oraChar, name: "NCHAR", size: arg(0, 1), national: true}, true
	case "DATE":
		return typDate, true
	case "TIMESTAMP":
		return typTimestamp, true
	case "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH LOCAL TIME ZONE":
		return typTSTZ, true
	case "RAW":
		t := typRaw
		t.size = arg(0, 2000)
		return t, true
	}
	return colType{}, false
}

// ---- NUMBER: base-100 digits with an excess-64 exponent ----

// encodeNumber encodes a decimal string (as strconv or big.Float write it)
// as an Oracle NUMBER.
func encodeNumber(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	exp10 := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return nil, fmt.Errorf("orapeer: bad number %q", s)
		}
		exp10, s = e, s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	digits := intPart + frac
	exp10 += len(intPart) // value = 0.digits * 10^exp10
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, fmt.Errorf("orapeer: bad number %q", s)
		}
	}
	// strip leading zeros
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
		exp10--
	}
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		return []byte{0x80}, nil
	}
	// align to base 100: the exponent must be even
	if exp10%2 != 0 {
		digits = "0" + digits
		exp10++
	}
	if len(digits)%2 != 0 {
		digits += "0"
	}
	if len(digits) > 40 { // 20 base-100 digits: round
		digits = digits[:40]
	}
	e100 := exp10 / 2 // value = 0.d1d2... * 100^e100
	if e100 > 63 || e100 < -64 {
		return nil, errors.New("orapeer: number out of Oracle's range")
	}
	out := []byte{0}
	for i := 0; i < len(digits); i += 2 {
		d := (digits[i]-'0')*10 + digits[i+1] - '0'
		out = append(out, d)
	}
	for len(out) > 1 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	if !neg {
		out[0] = byte(0xC0 + e100)
		for i := 1; i < len(out); i++ {
			out[i]++
		}
		return out, nil
	}
	out[0] = ^byte(0xC0 + e100)
	for i := 1; i < len(out); i++ {
		out[i] = 101 - out[i]
	}
	if len(out) < 21 {
		out = append(out, 102)
	}
	return out, nil
}

// decodeNumber returns an Oracle NUMBER as a decimal string.
func decodeNumber(b []byte) (string, error) {
	if len(b) == 0 {
		return "", errors.New("orapeer: empty NUMBER")
	}
	if b[0] == 0x80 {
		return "0", nil
	}
	neg := b[0]&0x80 == 0
	var e100 int
	var ds []byte
	if neg {
		e100 = int(^b[0]&0x7F) - 0x40
		for _, c := range b[1:] {
			if c == 102 {
				break
			}
			ds = append(ds, 101-c)
		}
	} else {
		e100 = int(b[0]&0x7F) - 0x40
		for _, c := range b[1:] {
			ds = append(ds, c-1)
		}
	}
	var sb strings.Builder
	for _, d := range ds {
		if d > 99 {
			return "", errors.New("orapeer: bad NUMBER digit")
		}
		fmt.Fprintf(&sb, "%02d", d)
	}
	digits := sb.String()
	point := 2 * e100 // digits are 0.digits * 10^point
	var out string
	switch {
	case point <= 0:
		out = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		out = digits + strings.Repeat("0", point-len(digits))
	default:
		out = digits[:point] + "." + digits[point:]
	}
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	out = strings.TrimLeft(out, "0")
	if out == "" || out[0] == '.' {
		out = "0" + out
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}

// numberValue converts a decoded NUMBER to what SQLite stores: int64 when
// whole and in range, float64 when that is exact, else the decimal text
// (SQLite keeps it in expressions; a NUMBER column may round it to REAL).
func numberValue(s string) any {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if exactFloat(s) {
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	return s
}

// exactFloat reports whether the decimal s survives a float64 round trip
// digit for digit.
func exactFloat(s string) bool {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return false
	}
	a, _, err1 := big.ParseFloat(s, 10, 200, big.ToNearestEven)
	b := new(big.Float).SetPrec(200).SetFloat64(f)
	if err1 != nil {
		return false
	}
	return a.Cmp(b) == 0 || sigDigits(s) <= 15
}

// sigDigits counts the significant digits of a decimal literal.
func sigDigits(s string) int {
	s = strings.TrimLeft(strings.TrimLeft(s, "+-"), "0.")
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, ".", "")
	return len(strings.TrimRight(s, "0"))
}

// ---- BINARY_DOUBLE ----

func encodeDouble(f float64) []byte {
	b := binary.BigEndian.AppendUint64(nil, math.Float64bits(f))
	if b[0]&0x80 == 0 {
		b[0] |= 0x80
	} else {
		for i := range b {
			b[i] = ^b[i]
		}
	}
	return b
}

// encodeFloat is a BINARY_FLOAT: f rounded to single precision, as Oracle
// stores it, in the same sign-flipped big-endian form as BINARY_DOUBLE.
func encodeFloat(f float64) []byte {
	b := binary.BigEndian.AppendUint32(nil, math.Float32bits(float32(f)))
	if b[0]&0x80 == 0 {
		b[0] |= 0x80
	} else {
		for i := range b {
			b[i] = ^b[i]
		}
	}
	return b
}

func decodeDouble(b []byte) (float64, error) {
	if len(b) != 8 {
		return 0, errors.New("orapeer: bad BINARY_DOUBLE")
	}
	c := append([]byte(nil), b...)
	if c[0]&0x80 != 0 {
		c[0] &= 0x7F
	} else {
		for i := range c {
			c[i] = ^c[i]
		}
	}
	return math.Float64frombits(binary.BigEndian.Uint64(c)), nil
}

func decodeFloat(b []byte) (float64, error) {
	if len(b) != 4 {
		return 0, errors.New("orapeer: bad BINARY_FLOAT")
	}
	c := append([]byte(nil), b...)
	if c[0]&0x80 != 0 {
		c[0] &= 0x7F
	} else {
		for i := range c {
			c[i] = ^c[i]
		}
	}
	return float64(math.Float32frombits(binary.BigEndian.Uint32(c))), nil
}

// ---- DATE and TIMESTAMP ----

func encodeDate(t time.Time) []byte {
	return []byte{byte(t.Year()/100 + 100), byte(t.Year()%100 + 100), byte(t.Month()), byte(t.Day()),
		byte(t.Hour() + 1), byte(t.Minute() + 1), byte(t.Second() + 1)}
}

func encodeTimestamp(t time.Time) []byte {
	return binary.BigEndian.AppendUint32(encodeDate(t), uint32(t.Nanosecond()))
}

// encodeTimestampTZ writes the UTC instant and the offset (hours+20,
// minutes+60), as Oracle does for an offset time zone.
func encodeTimestampTZ(t time.Time) []byte {
	_, off := t.Zone()
	b := encodeTimestamp(t.UTC())
	return append(b, byte(off/3600+20), byte((off/60)%60+60))
}

// decodeDateTime decodes DATE (7), TIMESTAMP (11) and TIMESTAMP WITH TIME
// ZONE (13) values; hasTZ reports the last.
func decodeDateTime(b []byte) (t time.Time, hasTZ bool, err error) {
	if len(b) < 7 {
		return time.Time{}, false, errors.New("orapeer: bad DATE value")
	}
	year := (int(b[0])-100)*100 + int(b[1]) - 100
	ns := 0
	if len(b) >= 11 {
		ns = int(binary.BigEndian.Uint32(b[7:11]))
	}
	t = time.Date(year, time.Month(b[2]), int(b[3]), int(b[4])-1, int(b[5])-1, int(b[6])-1, ns, time.UTC)
	if len(b) >= 13 {
		if b[11]&0x80 != 0 {
			return t, true, nil // region id: kept as UTC
		}
		h := int(b[11]&0x3F) - 20
		m := int(b[12]) - 60
		off := h*3600 + m*60
		loc := time.UTC
		if off != 0 {
			loc = time.FixedZone(fmt.Sprintf("%+03d:%02d", h, abs(m)), off)
		}
		if b[11]&0x40 != 0 { // local time
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), ns, loc)
		} else {
			t = t.In(loc)
		}
		return t, true, nil
	}
	return t, false, nil
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// Text forms of dates in SQLite: DATE and TIMESTAMP values are stored as
// 'YYYY-MM-DD HH:MM:SS[.fffffffff][+HH:MM]' so that they compare in order.
func timeText(t time.Time, withTZ bool) string {
	s := t.Format("2006-01-02 15:04:05")
	if t.Nanosecond() != 0 {
		s += fmt.Sprintf(".%09d", t.Nanosecond())
	}
	if withTZ {
		if _, off := t.Zone(); off != 0 {
			s += t.Format("-07:00")
		}
	}
	return s
}

var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseTimeText reads a stored date/time text.
func parseTimeText(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ---- character data ----

func encodeUTF16(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = binary.BigEndian.AppendUint16(b, c)
	}
	return b
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
