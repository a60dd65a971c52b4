package orapeer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// TNS packet types (the transport under TTC).
const (
	pktConnect  = 1
	pktAccept   = 2
	pktRefuse   = 4
	pktData     = 6
	pktResend   = 11
	pktMarker   = 12
	pktControl  = 14
	tnsVersion  = 317 // version the peer accepts with: 4-byte packet lengths, no OOB
	minVersion  = 315 // oldest client version the peer accepts
	dataFlagEOF = 0x40
)

// TNS marker kinds.
const (
	markerBreak     = 1
	markerReset     = 2
	markerInterrupt = 3
)

// maxPacket bounds one incoming packet.
const maxPacket = 1 << 24

// packet is one TNS packet read from the client.
type packet struct {
	typ       byte
	flags     byte
	dataFlags uint16 // DATA packets only
	body      []byte // after the 8-byte header (after the data flags for DATA)
}

// readPacket reads one packet; large is whether the header holds a 4-byte
// length (after ACCEPT with version >= 315) or a 2-byte one.
func readPacket(r io.Reader, large bool) (*packet, error) {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	var n int
	if large {
		n = int(binary.BigEndian.Uint32(h[:4]))
	} else {
		n = int(binary.BigEndian.Uint16(h[:2]))
	}
	if n < 8 || n > maxPacket {
		return nil, fmt.Errorf("orapeer: bad TNS packet length %d", n)
	}
	body := make([]byte, n-8)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	p := &packet{typ: h[4], flags: h[5], body: body}
	if p.typ == pktData {
		if len(body) < 2 {
			return nil, errors.New("orapeer: short TNS data packet")
		}
		p.dataFlags = binary.BigEndian.Uint16(body[:2])
		p.body = body[2:]
	}
	return p, nil
}

// header returns an 8-byte TNS header for a packet of total length n.
func header(n int, typ byte, large bool) []byte {
	h := make([]byte, 8, n)
	if large {
		binary.BigEndian.PutUint32(h, uint32(n))
	} else {
		binary.BigEndian.PutUint16(h, uint16(n))
	}
	h[4] = typ
	return h
}

// markerPacket is a MARKER packet of the given kind.
func markerPacket(kind byte) []byte {
	b := header(11, pktMarker, true)
	return append(b, 1, 0, kind)
}

// connectRequest is what the peer reads from a CONNECT packet.
type connectRequest struct {
	version uint16
	sdu     uint32
	data    string // the connect descriptor
}

// parseConnect reads a CONNECT packet's fields; when its descriptor did not
// fit, the caller reads it from the next DATA packet.
func parseConnect(body []byte) (*connectRequest, int, int, error) {
	// body starts at offset 8 of the packet
	if len(body) < 26 {
		return nil, 0, 0, errors.New("orapeer: short TNS CONNECT packet")
	}
	c := &connectRequest{
		version: binary.BigEndian.Uint16(body[0:]),
		sdu:     uint32(binary.BigEndian.Uint16(body[6:])),
	}
	if len(body) >= 58 {
		if s := binary.BigEndian.Uint32(body[50:]); s > 0 {
			c.sdu = s
		}
	}
	dataLen := int(binary.BigEndian.Uint16(body[16:]))
	dataOff := int(binary.BigEndian.Uint16(body[18:])) - 8
	return c, dataLen, dataOff, nil
}

// acceptPacket is the ACCEPT the peer answers with: version 317, no
// options, SDU/TDU as 32-bit values, and ACFL0 = NSI_DISABLE_NA so clients
// skip Advanced Networking Option negotiation.
func acceptPacket(sdu uint32) []byte {
	const n = 45
	b := header(n, pktAccept, false)
	b = b[:n]
	binary.BigEndian.PutUint16(b[8:], tnsVersion)
	binary.BigEndian.PutUint16(b[10:], 0) // options: no OOB break
	s16 := sdu
	if s16 > 0xFFFF {
		s16 = 0xFFFF
	}
	binary.BigEndian.PutUint16(b[12:], uint16(s16))
	binary.BigEndian.PutUint16(b[14:], uint16(s16))
	binary.BigEndian.PutUint16(b[16:], 0x0100) // "hi is one"
	binary.BigEndian.PutUint16(b[18:], 0)      // connect data length
	binary.BigEndian.PutUint16(b[20:], n)      // connect data offset
	b[22] = 0x04                               // ACFL0: NSI_DISABLE_NA
	b[23] = 0x00                               // ACFL1
	binary.BigEndian.PutUint32(b[32:], sdu)
	binary.BigEndian.PutUint32(b[36:], sdu)
	return b
}

// refusePacket refuses a connection with a listener error (ORA-12514 ...).
func refusePacket(code int) []byte {
	data := fmt.Sprintf("(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=%d)(ERROR_STACK=(ERROR=(CODE=%d)(EMFI=4))))", code, code)
	n := 12 + len(data)
	b := header(n, pktRefuse, false)
	b = append(b, 1, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}
