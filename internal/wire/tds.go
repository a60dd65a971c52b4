package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
)

// TDS packet types used by the login sequence.
const (
	TDSReply    byte = 0x04 // tabular result: the server's answers
	TDSLogin7   byte = 0x10
	TDSPrelogin byte = 0x12
)

// TDS PRELOGIN ENCRYPTION values.
const (
	EncryptOff    byte = 0x00
	EncryptOn     byte = 0x01
	EncryptNotSup byte = 0x02
	EncryptReq    byte = 0x03
	EncryptStrict byte = 0x04 // not sent in PRELOGIN; TDS 8.0 starts with TLS
)

const (
	tdsHeaderLen = 8
	tdsEOM       = 0x01
)

// ReadTDSMessage reads TDS packets from r until one carries the
// end-of-message flag, and returns the message type and its payload.
func ReadTDSMessage(r io.Reader) (typ byte, payload []byte, err error) {
	for i := 0; i < 1024; i++ {
		var h [tdsHeaderLen]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return 0, nil, err
		}
		n := int(binary.BigEndian.Uint16(h[2:4]))
		if n < tdsHeaderLen {
			return 0, nil, fmt.Errorf("wire: TDS packet length %d is shorter than its header", n)
		}
		body := make([]byte, n-tdsHeaderLen)
		if _, err := io.ReadFull(r, body); err != nil {
			return 0, nil, err
		}
		if i > 0 && h[0] != typ {
			return 0, nil, fmt.Errorf("wire: TDS packet type %#x inside a message of type %#x", h[0], typ)
		}
		typ = h[0]
		payload = append(payload, body...)
		if h[1]&tdsEOM != 0 {
			return typ, payload, nil
		}
	}
	return 0, nil, errors.New("wire: TDS message of more than 1024 packets")
}

// WriteTDSMessage writes payload as one TDS packet of type typ, with the
// end-of-message flag set.
func WriteTDSMessage(w io.Writer, typ byte, payload []byte) error {
	if len(payload)+tdsHeaderLen > 0xFFFF {
		return errors.New("wire: TDS payload too long for one packet")
	}
	h := [tdsHeaderLen]byte{typ, tdsEOM}
	binary.BigEndian.PutUint16(h[2:4], uint16(len(payload)+tdsHeaderLen))
	h[6] = 1 // packet id
	_, err := w.Write(append(h[:], payload...))
	return err
}

// Prelogin holds the options of a PRELOGIN message.
type Prelogin struct {
	Version    []byte // VERSION option data (6 bytes)
	Encryption byte   // ENCRYPTION option
	Options    map[byte][]byte
}

// ParsePrelogin decodes a PRELOGIN payload: a list of (token, offset,
// length) entries ended by 0xFF, then the option data.
func ParsePrelogin(b []byte) (*Prelogin, error) {
	p := &Prelogin{Options: map[byte][]byte{}, Encryption: 0xFF}
	for i := 0; ; i += 5 {
		if i >= len(b) {
			return nil, errors.New("wire: PRELOGIN option list has no terminator")
		}
		if b[i] == 0xFF {
			break
		}
		if i+5 > len(b) {
			return nil, errors.New("wire: PRELOGIN option entry truncated")
		}
		off, n := int(binary.BigEndian.Uint16(b[i+1:])), int(binary.BigEndian.Uint16(b[i+3:]))
		if off+n > len(b) {
			return nil, fmt.Errorf("wire: PRELOGIN option %#x points past the payload", b[i])
		}
		p.Options[b[i]] = b[off : off+n]
	}
	p.Version = p.Options[0x00]
	if e := p.Options[0x01]; len(e) == 1 {
		p.Encryption = e[0]
	}
	return p, nil
}

// PreloginResponse returns a server PRELOGIN answer with the given
// ENCRYPTION value (EncryptNotSup: "encryption not supported").
func PreloginResponse(encryption byte) []byte {
	type opt struct {
		tok  byte
		data []byte
	}
	opts := []opt{
		{0x00, []byte{16, 0, 0x07, 0xD0, 0, 0}}, // VERSION 16.0.2000
		{0x01, []byte{encryption}},              // ENCRYPTION
		{0x02, []byte{0}},                       // INSTOPT
		{0x03, []byte{}},                        // THREADID
		{0x04, []byte{0}},                       // MARS off
	}
	off := len(opts)*5 + 1
	var head, data []byte
	for _, o := range opts {
		head = append(head, o.tok, byte(off>>8), byte(off), byte(len(o.data)>>8), byte(len(o.data)))
		data = append(data, o.data...)
		off += len(o.data)
	}
	return append(append(head, 0xFF), data...)
}

// Login7 holds the fields of a LOGIN7 message that a test checks.
type Login7 struct {
	TDSVersion uint32
	HostName   string
	UserName   string
	Password   string // de-obfuscated
	AppName    string
	ServerName string
	Library    string
	Language   string
	Database   string
	SSPI       []byte // integrated (NTLM) authentication blob, if any
}

// ParseLogin7 decodes a LOGIN7 payload, undoing the password obfuscation
// (each byte XOR 0xA5, then its nibbles swapped back).
func ParseLogin7(b []byte) (*Login7, error) {
	const fixed = 94
	if len(b) < fixed {
		return nil, fmt.Errorf("wire: LOGIN7 payload is %d bytes, shorter than its %d-byte header", len(b), fixed)
	}
	if n := int(binary.LittleEndian.Uint32(b)); n != len(b) {
		return nil, fmt.Errorf("wire: LOGIN7 says %d bytes, payload has %d", n, len(b))
	}
	str := func(pos int, password bool) (string, error) {
		off, n := int(binary.LittleEndian.Uint16(b[pos:])), int(binary.LittleEndian.Uint16(b[pos+2:]))
		if off+2*n > len(b) {
			return "", fmt.Errorf("wire: LOGIN7 field at %d points past the payload", pos)
		}
		raw := append([]byte(nil), b[off:off+2*n]...)
		if password {
			for i, c := range raw {
				c ^= 0xA5
				raw[i] = c<<4 | c>>4
			}
		}
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(raw[2*i:])
		}
		return string(utf16.Decode(u)), nil
	}
	l := &Login7{TDSVersion: binary.LittleEndian.Uint32(b[4:])}
	for _, f := range []struct {
		pos      int
		dst      *string
		password bool
	}{
		{36, &l.HostName, false}, {40, &l.UserName, false}, {44, &l.Password, true},
		{48, &l.AppName, false}, {52, &l.ServerName, false}, {60, &l.Library, false},
		{64, &l.Language, false}, {68, &l.Database, false},
	} {
		s, err := str(f.pos, f.password)
		if err != nil {
			return nil, err
		}
		*f.dst = s
	}
	off, n := int(binary.LittleEndian.Uint16(b[78:])), int(binary.LittleEndian.Uint16(b[80:]))
	if n > 0 {
		if off+n > len(b) {
			return nil, errors.New("wire: LOGIN7 SSPI points past the payload")
		}
		l.SSPI = b[off : off+n]
	}
	return l, nil
}
