package tdspeer

import (
	"math"
	"math/big"
	"time"
)

// TDS data type IDs (MS-TDS 2.2.5.4).
const (
	typeGUID       = 0x24
	typeIntN       = 0x26
	typeDateN      = 0x28
	typeTimeN      = 0x29
	typeDateTime2N = 0x2A
	typeDTON       = 0x2B
	typeBitN       = 0x68
	typeDecimalN   = 0x6A
	typeNumericN   = 0x6C
	typeFltN       = 0x6D
	typeMoneyN     = 0x6E
	typeDateTimeN  = 0x6F
	typeBigVarBin  = 0xA5
	typeBigVarChar = 0xA7
	typeBigBinary  = 0xAD
	typeBigChar    = 0xAF
	typeNVarChar   = 0xE7
	typeNChar      = 0xEF
	typeNull       = 0x1F
)

const (
	plpNull    = 0xFFFFFFFFFFFFFFFF
	plpUnknown = 0xFFFFFFFFFFFFFFFE
)

// column is one column of a result set.
type column struct {
	name string
	typ  sqlType
}

// colMetadata writes COLMETADATA for cols.
func (t *tokens) colMetadata(cols []column) {
	t.byte(tokColMetadata)
	t.u16(uint16(len(cols)))
	for _, c := range cols {
		t.u32(0)      // UserType
		t.u16(0x0001) // Flags: nullable
		t.typeInfo(c.typ)
		t.bvarchar(c.name)
	}
}

func decimalSize(prec int) byte {
	switch {
	case prec <= 9:
		return 5
	case prec <= 19:
		return 9
	case prec <= 28:
		return 13
	}
	return 17
}

func timeSize(scale int) int {
	switch {
	case scale <= 2:
		return 3
	case scale <= 4:
		return 4
	}
	return 5
}

// wireLength is the TYPE_INFO length of a string or binary type: bytes,
// 0xFFFF for MAX.
func wireLength(typ sqlType) uint16 {
	if typ.length == maxLen {
		return 0xFFFF
	}
	if typ.unicode() {
		return uint16(2 * typ.length)
	}
	return uint16(typ.length)
}

// typeInfo writes the TYPE_INFO of typ.
func (t *tokens) typeInfo(typ sqlType) {
	switch typ.kind {
	case kBit:
		t.bytes([]byte{typeBitN, 1})
	case kTinyInt:
		t.bytes([]byte{typeIntN, 1})
	case kSmallInt:
		t.bytes([]byte{typeIntN, 2})
	case kInt:
		t.bytes([]byte{typeIntN, 4})
	case kBigInt:
		t.bytes([]byte{typeIntN, 8})
	case kReal:
		t.bytes([]byte{typeFltN, 4})
	case kFloat:
		t.bytes([]byte{typeFltN, 8})
	case kDecimal:
		t.bytes([]byte{typeDecimalN, decimalSize(typ.prec), byte(typ.prec), byte(typ.scale)})
	case kNumeric:
		t.bytes([]byte{typeNumericN, decimalSize(typ.prec), byte(typ.prec), byte(typ.scale)})
	case kMoney:
		t.bytes([]byte{typeMoneyN, 8})
	case kSmallMoney:
		t.bytes([]byte{typeMoneyN, 4})
	case kChar, kVarChar, kNChar, kNVarChar:
		id := map[kind]byte{kChar: typeBigChar, kVarChar: typeBigVarChar, kNChar: typeNChar, kNVarChar: typeNVarChar}[typ.kind]
		t.byte(id)
		t.u16(wireLength(typ))
		t.bytes(collation)
	case kBinary, kVarBinary:
		id := byte(typeBigVarBin)
		if typ.kind == kBinary {
			id = typeBigBinary
		}
		t.byte(id)
		t.u16(wireLength(typ))
	case kDate:
		t.byte(typeDateN)
	case kTime:
		t.bytes([]byte{typeTimeN, byte(typ.scale)})
	case kDateTime2:
		t.bytes([]byte{typeDateTime2N, byte(typ.scale)})
	case kDateTimeOffset:
		t.bytes([]byte{typeDTON, byte(typ.scale)})
	case kDateTime:
		t.bytes([]byte{typeDateTimeN, 8})
	case kSmallDateTime:
		t.bytes([]byte{typeDateTimeN, 4})
	case kGUID:
		t.bytes([]byte{typeGUID, 16})
	}
}

// plp reports whether values of typ are sent as partially length-prefixed.
func plp(typ sqlType) bool {
	switch typ.kind {
	case kChar, kVarChar, kNChar, kNVarChar, kBinary, kVarBinary:
		return typ.length == maxLen
	}
	return false
}

var day1900 = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// daysFrom1 counts days since 0001-01-01 (durations overflow past 292 years).
func daysFrom1(t time.Time) int64 {
	y := int64(t.Year() - 1)
	days := y*365 + y/4 - y/100 + y/400
	return days + int64(t.YearDay()) - 1
}

// timeUnits is t's time of day in units of 10^-scale seconds.
func timeUnits(t time.Time, scale int) uint64 {
	ns := uint64(t.Hour()*3600+t.Minute()*60+t.Second())*1e9 + uint64(t.Nanosecond())
	return ns / uint64(math.Pow10(9-scale))
}

func (t *tokens) uintN(v uint64, n int) {
	for i := 0; i < n; i++ {
		t.byte(byte(v >> (8 * i)))
	}
}

// value writes v, the peer's value of type typ (see convert), in a ROW token.
func (t *tokens) value(typ sqlType, v any) {
	switch typ.kind {
	case kBit:
		b := byte(0)
		if v.(bool) {
			b = 1
		}
		t.bytes([]byte{1, b})
	case kTinyInt:
		t.bytes([]byte{1, byte(v.(int64))})
	case kSmallInt:
		t.byte(2)
		t.u16(uint16(v.(int64)))
	case kInt:
		t.byte(4)
		t.u32(uint32(v.(int64)))
	case kBigInt:
		t.byte(8)
		t.u64(uint64(v.(int64)))
	case kReal:
		t.byte(4)
		t.u32(math.Float32bits(float32(v.(float64))))
	case kFloat:
		t.byte(8)
		t.u64(math.Float64bits(v.(float64)))
	case kDecimal, kNumeric:
		d := v.(decimalValue)
		size := int(decimalSize(typ.prec))
		t.byte(byte(size))
		sign := byte(1)
		if d.unscaled.Sign() < 0 {
			sign = 0
		}
		t.byte(sign)
		mag := new(big.Int).Abs(d.unscaled).Bytes() // big-endian
		le := make([]byte, size-1)
		for i := range mag {
			le[i] = mag[len(mag)-1-i]
		}
		t.bytes(le)
	case kMoney:
		n := v.(decimalValue).unscaled.Int64()
		t.byte(8)
		t.u32(uint32(uint64(n) >> 32))
		t.u32(uint32(n))
	case kSmallMoney:
		t.byte(4)
		t.u32(uint32(v.(decimalValue).unscaled.Int64()))
	case kChar, kVarChar, kNChar, kNVarChar:
		var b []byte
		if typ.unicode() {
			b = appendUCS2(nil, v.(string))
		} else {
			b = encodeCodePage(v.(string))
		}
		t.varBytes(typ, b)
	case kBinary, kVarBinary:
		t.varBytes(typ, v.([]byte))
	case kDate:
		t.byte(3)
		t.uintN(uint64(daysFrom1(v.(time.Time))), 3)
	case kTime:
		n := timeSize(typ.scale)
		t.byte(byte(n))
		t.uintN(timeUnits(v.(time.Time), typ.scale), n)
	case kDateTime2:
		n := timeSize(typ.scale)
		tm := v.(time.Time)
		t.byte(byte(n + 3))
		t.uintN(timeUnits(tm, typ.scale), n)
		t.uintN(uint64(daysFrom1(tm)), 3)
	case kDateTimeOffset:
		n := timeSize(typ.scale)
		tm := v.(time.Time)
		_, off := tm.Zone()
		utc := tm.UTC()
		t.byte(byte(n + 5))
		t.uintN(timeUnits(utc, typ.scale), n)
		t.uintN(uint64(daysFrom1(utc)), 3)
		t.u16(uint16(int16(off / 60)))
	case kDateTime:
		tm := v.(time.Time)
		t.byte(8)
		t.u32(uint32(int32(daysFrom1(tm) - daysFrom1(day1900))))
		ns := int64(tm.Hour()*3600+tm.Minute()*60+tm.Second())*1e9 + int64(tm.Nanosecond())
		t.u32(uint32((ns*300 + 5e8) / 1e9))
	case kSmallDateTime:
		tm := v.(time.Time)
		t.byte(4)
		t.u16(uint16(daysFrom1(tm) - daysFrom1(day1900)))
		t.u16(uint16(tm.Hour()*60 + tm.Minute()))
	case kGUID:
		g := v.([16]byte)
		t.byte(16)
		// the first three groups little-endian, as SQL Server stores them
		t.bytes([]byte{g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6]})
		t.bytes(g[8:])
	}
}

// varBytes writes a string or binary value: USHORT length or PLP chunks.
func (t *tokens) varBytes(typ sqlType, b []byte) {
	if !plp(typ) {
		t.u16(uint16(len(b)))
		t.bytes(b)
		return
	}
	t.u64(uint64(len(b)))
	for len(b) > 0 {
		n := min(len(b), 8000)
		t.u32(uint32(n))
		t.bytes(b[:n])
		b = b[n:]
	}
	t.u32(0)
}
