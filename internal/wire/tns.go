package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// TNS packet types used by the connect sequence.
const (
	TNSConnect byte = 1
	TNSAccept  byte = 2
	TNSRefuse  byte = 4
	TNSData    byte = 6
)

const tnsHeaderLen = 8

// ReadTNSPacket reads one TNS packet before the handshake (2-byte length)
// and returns its type and body (the bytes after the 8-byte header).
func ReadTNSPacket(r io.Reader) (typ byte, body []byte, err error) {
	var h [tnsHeaderLen]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := int(binary.BigEndian.Uint16(h[0:2]))
	if n < tnsHeaderLen {
		return 0, nil, fmt.Errorf("wire: TNS packet length %d is shorter than its header", n)
	}
	body = make([]byte, n-tnsHeaderLen)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return h[4], body, nil
}

// ReadTNSConnect reads a CONNECT packet and returns its connect descriptor.
// A descriptor longer than 230 bytes does not fit in the CONNECT packet and
// follows in a DATA packet (2 bytes of data flags, then the text).
func ReadTNSConnect(r io.Reader) (string, error) {
	typ, body, err := ReadTNSPacket(r)
	if err != nil {
		return "", err
	}
	if typ != TNSConnect {
		return "", fmt.Errorf("wire: first TNS packet has type %d, want CONNECT (1)", typ)
	}
	if len(body) < 20 {
		return "", errors.New("wire: TNS CONNECT packet truncated")
	}
	// Connect data length and offset sit at packet bytes 24 and 26; the
	// offset counts from the start of the packet, header included.
	n := int(binary.BigEndian.Uint16(body[16:18]))
	off := int(binary.BigEndian.Uint16(body[18:20])) - tnsHeaderLen
	if off < 20 {
		return "", fmt.Errorf("wire: TNS CONNECT data offset %d is inside the fixed part", off+tnsHeaderLen)
	}
	if len(body) > off {
		if off+n > len(body) {
			return "", errors.New("wire: TNS CONNECT data runs past the packet")
		}
		return string(body[off : off+n]), nil
	}
	typ, body, err = ReadTNSPacket(r)
	if err != nil {
		return "", err
	}
	if typ != TNSData || len(body) < 2 {
		return "", fmt.Errorf("wire: TNS packet after CONNECT has type %d, want DATA (6) with the descriptor", typ)
	}
	if len(body)-2 != n {
		return "", fmt.Errorf("wire: TNS CONNECT announces %d bytes of descriptor, DATA carries %d", n, len(body)-2)
	}
	return string(body[2:]), nil
}

// Descriptor is a parsed TNS connect descriptor such as
// (DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=h)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=s))).
type Descriptor struct {
	Key      string
	Value    string        // set for a leaf (KEY=value)
	Children []*Descriptor // set for a node (KEY=(…)(…))
}

// ParseDescriptor parses a connect descriptor.
func ParseDescriptor(s string) (*Descriptor, error) {
	p := &descParser{s: s}
	d, err := p.node()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.s[p.i:]) != "" {
		return nil, fmt.Errorf("wire: descriptor has trailing text at byte %d", p.i)
	}
	return d, nil
}

// Find returns the value of the first leaf named key (case-insensitive),
// depth first, and whether there is one.
func (d *Descriptor) Find(key string) (string, bool) {
	if strings.EqualFold(d.Key, key) && d.Children == nil {
		return d.Value, true
	}
	for _, c := range d.Children {
		if v, ok := c.Find(key); ok {
			return v, true
		}
	}
	return "", false
}

type descParser struct {
	s string
	i int
}

func (p *descParser) skip() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *descParser) node() (*Descriptor, error) {
	p.skip()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return nil, fmt.Errorf("wire: descriptor: want '(' at byte %d", p.i)
	}
	p.i++
	eq := strings.IndexByte(p.s[p.i:], '=')
	if eq < 0 {
		return nil, fmt.Errorf("wire: descriptor: want '=' after byte %d", p.i)
	}
	d := &Descriptor{Key: strings.TrimSpace(p.s[p.i : p.i+eq])}
	p.i += eq + 1
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == '(' {
		d.Children = []*Descriptor{}
		for {
			p.skip()
			if p.i >= len(p.s) {
				return nil, errors.New("wire: descriptor: unclosed '('")
			}
			if p.s[p.i] == ')' {
				p.i++
				return d, nil
			}
			c, err := p.node()
			if err != nil {
				return nil, err
			}
			d.Children = append(d.Children, c)
		}
	}
	end := strings.IndexByte(p.s[p.i:], ')')
	if end < 0 {
		return nil, errors.New("wire: descriptor: unclosed '('")
	}
	d.Value = strings.TrimSpace(p.s[p.i : p.i+end])
	p.i += end + 1
	return d, nil
}
