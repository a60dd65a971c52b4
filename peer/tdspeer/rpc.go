package tdspeer

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// rpcParam is one parameter of an RPC request, decoded.
type rpcParam struct {
	name string
	typ  sqlType
	val  any // the peer's value of typ (see convert); nil for NULL
}

// sqliteArg is the parameter as SQLite gets it.
func (p rpcParam) sqliteArg() any {
	switch v := p.val.(type) {
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	case decimalValue:
		return v.String()
	case time.Time:
		return formatTime(v, p.typ)
	case [16]byte:
		return formatGUID(v)
	}
	return p.val
}

// reader reads a request body; a read past the end sets err and returns
// zeros.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errShort
		return make([]byte, min(max(n, 0), 256)) // zeros for the fixed-size readers
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() byte    { return r.take(1)[0] }
func (r *reader) u16() uint16 { return binary.LittleEndian.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return binary.LittleEndian.Uint32(r.take(4)) }
func (r *reader) u64() uint64 { return binary.LittleEndian.Uint64(r.take(8)) }
func (r *reader) bvarchar() string {
	return decodeUCS2(r.take(2 * int(r.u8())))
}

// uintN reads an n-byte little-endian unsigned integer.
func uintN(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// rpc answers an RPC request: sp_executesql (ProcID 10) runs its
// statement with its parameters; other procedures do not exist here.
func (s *session) rpc(ctx context.Context, r *response, body []byte) {
	rd := &reader{b: body}
	proc := ""
	if id := rd.u16(); id == 0xFFFF {
		switch pid := rd.u16(); pid {
		case 10:
			proc = "sp_executesql"
		default:
			proc = fmt.Sprintf("#%d", pid)
		}
	} else {
		proc = decodeUCS2(rd.take(2 * int(id)))
	}
	rd.u16() // option flags
	if rd.err != nil {
		s.fail(r, tokDoneProc, &Error{Number: 4002, State: 1, Class: 16, Message: "The incoming tabular data stream (TDS) protocol stream is incorrect."})
		return
	}
	if !strings.EqualFold(proc, "sp_executesql") {
		r.t.message(tokError, &Error{Number: 2812, State: 62, Class: 16, Message: fmt.Sprintf("Could not find stored procedure '%s'.", proc)})
		r.done(tokDoneProc, doneError, cmdNone, 0)
		return
	}
	var list []rpcParam
	for len(rd.b) > 0 && rd.err == nil {
		p, e := readParam(rd)
		if e != nil {
			r.t.message(tokError, e)
			r.done(tokDoneProc, doneError, cmdNone, 0)
			return
		}
		list = append(list, p)
	}
	if rd.err != nil || len(list) == 0 {
		s.fail(r, tokDoneProc, &Error{Number: 4002, State: 1, Class: 16, Message: "The incoming tabular data stream (TDS) protocol stream is incorrect."})
		return
	}
	text, ok := list[0].val.(string)
	if !ok {
		s.fail(r, tokDoneProc, &Error{Number: 214, State: 2, Class: 16, Message: "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'."})
		return
	}
	params := map[string]rpcParam{}
	for i, p := range list[1:] {
		if i == 0 && p.name == "" {
			continue // the declarations; the values carry their own types
		}
		if p.name == "" {
			s.fail(r, tokDoneProc, &Error{Number: 8144, State: 2, Class: 16, Message: "Procedure or function sp_executesql has too many arguments specified."})
			return
		}
		params[strings.ToLower(p.name)] = p
	}
	s.batch(ctx, r, text, params, true)
}

// readParam reads one RPC parameter: name, status, TYPE_INFO, value.
func readParam(rd *reader) (rpcParam, *Error) {
	var p rpcParam
	p.name = rd.bvarchar()
	status := rd.u8()
	if status&0x01 != 0 {
		return p, errUnsupported("OUTPUT parameters")
	}
	if status&0x08 != 0 {
		return p, errUnsupported("Always Encrypted parameters")
	}
	ti, e := readTypeInfo(rd)
	if e != nil {
		return p, e
	}
	p.typ = ti.typ
	if p.val, e = readValue(rd, ti); e != nil {
		return p, e
	}
	if rd.err != nil {
		return p, errTDS()
	}
	return p, nil
}

// typeInfo is a TYPE_INFO as a client sent it: the TDS type ID, its
// length byte (or USHORT maximum length), and the SQL type it declares.
type typeInfo struct {
	id   byte
	size int
	typ  sqlType
}

// fixedTypes are the fixed-length TDS types: their kind and size.
var fixedTypes = map[byte]struct {
	k kind
	n int
}{
	0x30: {kTinyInt, 1}, 0x32: {kBit, 1}, 0x34: {kSmallInt, 2}, 0x38: {kInt, 4}, 0x7F: {kBigInt, 8},
	0x3B: {kReal, 4}, 0x3E: {kFloat, 8}, 0x3C: {kMoney, 8}, 0x7A: {kSmallMoney, 4},
	0x3D: {kDateTime, 8}, 0x3A: {kSmallDateTime, 4},
}

// readTypeInfo reads a TYPE_INFO (MS-TDS 2.2.5.6) of a type the peer knows.
func readTypeInfo(rd *reader) (typeInfo, *Error) {
	ti := typeInfo{id: rd.u8()}
	id := ti.id
	if f, ok := fixedTypes[id]; ok {
		ti.typ, ti.size = sqlType{kind: f.k}, f.n
		return ti, nil
	}
	switch id {
	case typeNull:
		ti.typ = sqlType{kind: kNVarChar, length: 1}
	case typeIntN, typeBitN, typeFltN, typeMoneyN, typeDateTimeN:
		size := int(rd.u8())
		var k kind
		switch {
		case id == typeIntN && size == 1:
			k = kTinyInt
		case id == typeIntN && size == 2:
			k = kSmallInt
		case id == typeIntN && size == 4:
			k = kInt
		case id == typeIntN && size == 8:
			k = kBigInt
		case id == typeBitN && size == 1:
			k = kBit
		case id == typeFltN && size == 4:
			k = kReal
		case id == typeFltN && size == 8:
			k = kFloat
		case id == typeMoneyN && size == 4:
			k = kSmallMoney
		case id == typeMoneyN && size == 8:
			k = kMoney
		case id == typeDateTimeN && size == 4:
			k = kSmallDateTime
		case id == typeDateTimeN && size == 8:
			k = kDateTime
		default:
			return ti, errTDS()
		}
		ti.typ, ti.size = sqlType{kind: k}, size
	case typeDecimalN, typeNumericN, 0x37, 0x3F:
		ti.size = int(rd.u8())
		prec, scale := int(rd.u8()), int(rd.u8())
		if prec < 1 || prec > 38 || scale > prec {
			return ti, errTDS()
		}
		ti.typ = sqlType{kind: kDecimal, prec: prec, scale: scale}
		if id == typeNumericN || id == 0x3F {
			ti.typ.kind = kNumeric
		}
	case typeGUID:
		ti.size = int(rd.u8())
		ti.typ = sqlType{kind: kGUID}
	case typeDateN:
		ti.typ = sqlType{kind: kDate}
	case typeTimeN, typeDateTime2N, typeDTON:
		scale := int(rd.u8())
		if scale > 7 {
			return ti, errTDS()
		}
		k := map[byte]kind{typeTimeN: kTime, typeDateTime2N: kDateTime2, typeDTON: kDateTimeOffset}[id]
		ti.typ = sqlType{kind: k, scale: scale}
	case typeBigVarChar, typeBigChar, typeNVarChar, typeNChar, typeBigVarBin, typeBigBinary:
		maxBytes := rd.u16()
		k := map[byte]kind{typeBigVarChar: kVarChar, typeBigChar: kChar, typeNVarChar: kNVarChar,
			typeNChar: kNChar, typeBigVarBin: kVarBinary, typeBigBinary: kBinary}[id]
		ti.size = int(maxBytes)
		ti.typ = sqlType{kind: k, length: int(maxBytes)}
		if ti.typ.unicode() {
			ti.typ.length /= 2
		}
		if maxBytes == 0xFFFF {
			ti.typ.length = maxLen
		} else if ti.typ.length == 0 {
			ti.typ.length = 1
		}
		if id != typeBigVarBin && id != typeBigBinary {
			rd.take(5) // collation
		}
	default:
		return ti, errUnsupported(fmt.Sprintf("parameters of TDS type 0x%02X", id))
	}
	if rd.err != nil {
		return ti, errTDS()
	}
	return ti, nil
}

// readValue reads one value of a type ti declares, as RPC parameters and
// bulk-load rows carry it: the peer's value of ti.typ (see convert), nil
// for NULL.
func readValue(rd *reader, ti typeInfo) (any, *Error) {
	var val any
	id := ti.id
	if f, ok := fixedTypes[id]; ok {
		val = fixedValue(f.k, rd.take(f.n))
		if rd.err != nil {
			return nil, errTDS()
		}
		return val, nil
	}
	switch id {
	case typeNull:
	case typeIntN, typeBitN, typeFltN, typeMoneyN, typeDateTimeN:
		if n := int(rd.u8()); n > 0 {
			if n != ti.size {
				return nil, errTDS()
			}
			val = fixedValue(ti.typ.kind, rd.take(n))
		}
	case typeDecimalN, typeNumericN, 0x37, 0x3F:
		if n := int(rd.u8()); n > 0 {
			b := rd.take(n)
			if rd.err != nil {
				return nil, errTDS()
			}
			mag := make([]byte, n-1)
			for i := range mag {
				mag[i] = b[n-1-i]
			}
			u := new(big.Int).SetBytes(mag)
			if b[0] == 0 {
				u.Neg(u)
			}
			val = decimalValue{unscaled: u, scale: ti.typ.scale}
		}
	case typeGUID:
		if n := int(rd.u8()); n == 16 {
			b := rd.take(16)
			var g [16]byte
			copy(g[:], []byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]})
			copy(g[8:], b[8:])
			val = g
		} else if n != 0 {
			return nil, errTDS()
		}
	case typeDateN:
		if n := int(rd.u8()); n == 3 {
			val = dateFromDays(int(uintN(rd.take(3))))
		} else if n != 0 {
			return nil, errTDS()
		}
	case typeTimeN, typeDateTime2N, typeDTON:
		k, scale := ti.typ.kind, ti.typ.scale
		n := int(rd.u8())
		if n == 0 {
			break
		}
		ts := timeSize(scale)
		b := rd.take(n)
		if rd.err != nil || n < ts {
			return nil, errTDS()
		}
		ns := int64(uintN(b[:ts])) * int64(math.Pow10(9-scale))
		day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
		if k != kTime {
			if n < ts+3 {
				return nil, errTDS()
			}
			day = dateFromDays(int(uintN(b[ts : ts+3])))
		}
		t := day.Add(time.Duration(ns))
		if k == kDateTimeOffset {
			if n < ts+5 {
				return nil, errTDS()
			}
			off := int(int16(binary.LittleEndian.Uint16(b[ts+3:])))
			t = t.In(time.FixedZone("", off*60))
		}
		val = t
	case typeBigVarChar, typeBigChar, typeNVarChar, typeNChar, typeBigVarBin, typeBigBinary:
		var raw []byte
		if ti.size == 0xFFFF {
			total := rd.u64()
			if total == plpNull {
				break
			}
			raw = []byte{}
			for rd.err == nil {
				n := rd.u32()
				if n == 0 {
					break
				}
				raw = append(raw, rd.take(int(n))...)
			}
		} else {
			n := rd.u16()
			if n == 0xFFFF {
				break
			}
			raw = rd.take(int(n))
		}
		if raw == nil || rd.err != nil {
			break
		}
		switch ti.typ.kind {
		case kNVarChar, kNChar:
			val = decodeUCS2(raw)
		case kVarChar, kChar:
			s, _ := charmap.Windows1252.NewDecoder().Bytes(raw)
			val = string(s)
		default:
			val = append([]byte{}, raw...)
		}
	}
	if rd.err != nil {
		return nil, errTDS()
	}
	return val, nil
}

func errTDS() *Error {
	return &Error{Number: 8016, State: 1, Class: 16, Message: "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is incorrect."}
}

func dateFromDays(days int) time.Time {
	return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
}

// fixedValue decodes a fixed-length value of kind k.
func fixedValue(k kind, b []byte) any {
	le := binary.LittleEndian
	switch k {
	case kTinyInt:
		return int64(b[0])
	case kBit:
		return b[0] != 0
	case kSmallInt:
		return int64(int16(le.Uint16(b)))
	case kInt:
		return int64(int32(le.Uint32(b)))
	case kBigInt:
		return int64(le.Uint64(b))
	case kReal:
		return float64(math.Float32frombits(le.Uint32(b)))
	case kFloat:
		return math.Float64frombits(le.Uint64(b))
	case kMoney:
		v := int64(le.Uint32(b))<<32 | int64(le.Uint32(b[4:]))
		return decimalValue{unscaled: big.NewInt(v), scale: 4}
	case kSmallMoney:
		return decimalValue{unscaled: big.NewInt(int64(int32(le.Uint32(b)))), scale: 4}
	case kDateTime:
		days := int(int32(le.Uint32(b)))
		ticks := int64(le.Uint32(b[4:]))
		return time.Date(1900, 1, 1+days, 0, 0, 0, 0, time.UTC).Add(time.Duration(ticks * 1e9 / 300))
	case kSmallDateTime:
		return time.Date(1900, 1, 1+int(le.Uint16(b)), 0, int(le.Uint16(b[2:])), 0, 0, time.UTC)
	}
	return nil
}
