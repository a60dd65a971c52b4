package tdspeer

import (
	"encoding/binary"
	"math/big"
	"reflect"
	"testing"
	"time"
)

// bulkMessage is a bulk load message as go-mssqldb writes one: an INT, a
// DECIMAL(10,2), an NVARCHAR(MAX) (PLP), a DATETIMEOFFSET(7) and a
// UNIQUEIDENTIFIER column, a row of values and a row of NULLs, DONE.
func bulkMessage() []byte {
	var t tokens
	t.colMetadata([]column{{"i", sqlType{kind: kInt}}, {"d", sqlType{kind: kDecimal, prec: 10, scale: 2}},
		{"s", sqlType{kind: kNVarChar, length: maxLen}}, {"tz", sqlType{kind: kDateTimeOffset, scale: 7}},
		{"g", sqlType{kind: kGUID}}})
	tz := time.Date(2024, 6, 1, 12, 0, 0, 500000000, time.FixedZone("", 2*3600))
	g := [16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8}
	t.byte(tokRow)
	t.value(sqlType{kind: kInt}, int64(-7))
	t.value(sqlType{kind: kDecimal, prec: 10, scale: 2}, decimalValue{unscaled: big.NewInt(-12345), scale: 2})
	t.value(sqlType{kind: kNVarChar, length: maxLen}, "h\u00e9llo")
	t.value(sqlType{kind: kDateTimeOffset, scale: 7}, tz)
	t.value(sqlType{kind: kGUID}, g)
	t.byte(tokRow)
	t.bytes([]byte{0})                                           // INT NULL
	t.bytes([]byte{0})                                           // DECIMAL NULL
	t.u64(plpNull)                                               // NVARCHAR(MAX) NULL
	t.bytes([]byte{0})                                           // DATETIMEOFFSET NULL
	t.bytes([]byte{0})                                           // UNIQUEIDENTIFIER NULL
	t.bytes([]byte{tokDone, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) // DONE, row count 0
	return t.b
}

func TestDecodeBulk(t *testing.T) {
	b := bulkMessage()
	cols, rows, e := decodeBulk(b)
	if e != nil {
		t.Fatal(e)
	}
	if len(cols) != 5 || cols[1].typ != (sqlType{kind: kDecimal, prec: 10, scale: 2}) || cols[2].typ.length != maxLen {
		t.Fatalf("columns %+v", cols)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	r := rows[0]
	if r[0] != int64(-7) || r[1].(decimalValue).String() != "-123.45" || r[2] != "h\u00e9llo" {
		t.Errorf("row 1: %#v", r)
	}
	if tz := r[3].(time.Time); !tz.Equal(time.Date(2024, 6, 1, 10, 0, 0, 500000000, time.UTC)) || tz.Format("-07:00") != "+02:00" {
		t.Errorf("DATETIMEOFFSET %v", tz)
	}
	if g := r[4].([16]byte); formatGUID(g) != "12345678-9ABC-DEF0-0102-030405060708" {
		t.Errorf("GUID %s", formatGUID(g))
	}
	if !reflect.DeepEqual(rows[1], []any{nil, nil, nil, nil, nil}) {
		t.Errorf("row 2: %#v", rows[1])
	}

	// Every cut of the message, and trailing bytes, fail as a bad stream.
	for n := 0; n < len(b); n++ {
		if _, _, e := decodeBulk(b[:n]); e == nil || e.Number != 4002 && e.Number != 8016 {
			t.Fatalf("message cut at %d: %v", n, e)
		}
	}
	if _, _, e := decodeBulk(append(append([]byte{}, b...), 0)); e == nil {
		t.Fatal("trailing byte accepted")
	}
	bad := append([]byte{}, b...)
	binary.LittleEndian.PutUint16(bad[1:], 0)
	if _, _, e := decodeBulk(bad); e == nil {
		t.Fatal("no columns accepted")
	}
}

// FuzzDecodeBulk: any bytes decode or fail, never panic.
func FuzzDecodeBulk(f *testing.F) {
	f.Add(bulkMessage())
	f.Fuzz(func(t *testing.T, b []byte) { decodeBulk(b) })
}
