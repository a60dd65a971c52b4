package tdspeer

import (
	"encoding/binary"
	"unicode/utf16"
)

// Token types (MS-TDS 2.2.7).
const (
	tokReturnStatus = 0x79
	tokColMetadata  = 0x81
	tokError        = 0xAA
	tokInfo         = 0xAB
	tokLoginAck     = 0xAD
	tokFeatureAck   = 0xAE
	tokRow          = 0xD1
	tokNBCRow       = 0xD2
	tokEnvChange    = 0xE3
	tokDone         = 0xFD
	tokDoneProc     = 0xFE
	tokDoneInProc   = 0xFF
)

// DONE status bits.
const (
	doneMore   = 0x01
	doneError  = 0x02
	doneInxact = 0x04
	doneCount  = 0x10
	doneAttn   = 0x20
)

// CurCmd values SQL Server puts in DONE tokens.
const (
	cmdNone   = 0x00
	cmdSelect = 0xC1
	cmdInsert = 0xC3
	cmdDelete = 0xC4
	cmdUpdate = 0xC5
	cmdBegin  = 0xD4
	cmdEnd    = 0xD5
	cmdDDL    = 0xC6 // CREATE/DROP/ALTER (reported as other)
)

// ENVCHANGE types.
const (
	envDatabase  = 1
	envLanguage  = 2
	envPacket    = 4
	envCollation = 7
	envBeginTran = 8
	envCommit    = 9
	envRollback  = 10
	envResetAck  = 18
)

// collation is SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, flags
// (ignore case, kana, width) and sort ID 52.
var collation = []byte{0x09, 0x04, 0xD0, 0x00, 0x34}

// serverName is what the peer calls itself in ERROR and INFO tokens.
const serverName = "tdspeer"

// tokens builds a token stream.
type tokens struct{ b []byte }

func (t *tokens) byte(v byte)       { t.b = append(t.b, v) }
func (t *tokens) bytes(v []byte)    { t.b = append(t.b, v...) }
func (t *tokens) u16(v uint16)      { t.b = binary.LittleEndian.AppendUint16(t.b, v) }
func (t *tokens) u32(v uint32)      { t.b = binary.LittleEndian.AppendUint32(t.b, v) }
func (t *tokens) u64(v uint64)      { t.b = binary.LittleEndian.AppendUint64(t.b, v) }
func (t *tokens) ucs2(s string)     { t.b = appendUCS2(t.b, s) }
func (t *tokens) bvarchar(s string) { t.byte(byte(ucs2Len(s))); t.ucs2(s) }
func (t *tokens) usvarchar(s string) {
	t.u16(uint16(ucs2Len(s)))
	t.ucs2(s)
}

// lengthPrefixed writes a uint16 length and then what body appends.
func (t *tokens) lengthPrefixed(body func()) {
	at := len(t.b)
	t.u16(0)
	body()
	binary.LittleEndian.PutUint16(t.b[at:], uint16(len(t.b)-at-2))
}

func appendUCS2(b []byte, s string) []byte {
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func ucs2Len(s string) int { return len(utf16.Encode([]rune(s))) }

func decodeUCS2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// envChange writes an ENVCHANGE of string values.
func (t *tokens) envChange(typ byte, newV, oldV string) {
	t.byte(tokEnvChange)
	t.lengthPrefixed(func() {
		t.byte(typ)
		t.bvarchar(newV)
		t.bvarchar(oldV)
	})
}

// envChangeBytes writes an ENVCHANGE of binary values.
func (t *tokens) envChangeBytes(typ byte, newV, oldV []byte) {
	t.byte(tokEnvChange)
	t.lengthPrefixed(func() {
		t.byte(typ)
		t.byte(byte(len(newV)))
		t.bytes(newV)
		t.byte(byte(len(oldV)))
		t.bytes(oldV)
	})
}

// message writes an ERROR or INFO token.
func (t *tokens) message(tok byte, e *Error) {
	t.byte(tok)
	t.lengthPrefixed(func() {
		t.u32(uint32(e.Number))
		t.byte(e.State)
		t.byte(e.Class)
		t.usvarchar(e.Message)
		t.bvarchar(serverName)
		t.bvarchar(e.Proc)
		t.u32(uint32(max(e.Line, 1)))
	})
}

// done writes a DONE, DONEPROC or DONEINPROC token.
func (t *tokens) done(tok byte, status, cmd uint16, rows int64) {
	t.byte(tok)
	t.u16(status)
	t.u16(cmd)
	t.u64(uint64(rows))
}

func (t *tokens) returnStatus(v int32) {
	t.byte(tokReturnStatus)
	t.u32(uint32(v))
}

// featureExtAckFedAuth writes FEATUREEXTACK acknowledging FEDAUTH with
// the security token library: no nonce was sent, so no data.
func (t *tokens) featureExtAckFedAuth() {
	t.byte(tokFeatureAck)
	t.byte(featFedAuth)
	t.bytes([]byte{0, 0, 0, 0})
	t.byte(0xFF)
}

// loginAck writes LOGINACK for TDS 7.4 and SQL Server 2022's version.
func (t *tokens) loginAck() {
	t.byte(tokLoginAck)
	t.lengthPrefixed(func() {
		t.byte(1)                         // SQL_TSQL
		t.bytes([]byte{0x74, 0, 0, 0x04}) // TDS 7.4
		t.bvarchar("Microsoft SQL Server")
		t.bytes([]byte{16, 0, 0x10, 0x7B}) // 16.0.4219
	})
}
