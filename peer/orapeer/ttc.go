package orapeer

import (
	"encoding/binary"
	"fmt"
)

// ttcReader decodes TTC values from the DATA packets of one client. next
// supplies the following DATA payload when the current one is used up.
type ttcReader struct {
	buf  []byte
	pos  int
	next func() ([]byte, error)
}

func (r *ttcReader) fill(n int) error {
	for len(r.buf)-r.pos < n {
		b, err := r.next()
		if err != nil {
			return err
		}
		r.buf = append(r.buf[r.pos:], b...)
		r.pos = 0
	}
	return nil
}

func (r *ttcReader) bytes(n int) ([]byte, error) {
	if n < 0 || n > maxPacket {
		return nil, fmt.Errorf("orapeer: bad TTC length %d", n)
	}
	if err := r.fill(n); err != nil {
		return nil, err
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

func (r *ttcReader) u8() (byte, error) {
	b, err := r.bytes(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (r *ttcReader) be16() (int, error) {
	b, err := r.bytes(2)
	if err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(b)), nil
}

// ub reads a compressed integer (ub2/ub4/ub8/sb*): a length byte, its high
// bit the sign, then that many big-endian bytes.
func (r *ttcReader) ub() (int64, error) {
	n, err := r.u8()
	if err != nil {
		return 0, err
	}
	neg := n&0x80 != 0
	n &= 0x7F
	if n > 8 {
		return 0, fmt.Errorf("orapeer: bad TTC integer size %d", n)
	}
	b, err := r.bytes(int(n))
	if err != nil {
		return 0, err
	}
	var v int64
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func (r *ttcReader) ubi() (int, error) {
	v, err := r.ub()
	return int(v), err
}

// clr reads a length-prefixed byte string: 0 (or 0xFF, 0xFD) is null, 0xFE
// starts chunks with ub4 lengths ending with a zero chunk.
func (r *ttcReader) clr() ([]byte, error) {
	n, err := r.u8()
	if err != nil {
		return nil, err
	}
	switch n {
	case 0, 0xFF, 0xFD:
		return nil, nil
	case 0xFE:
		var out []byte
		for {
			c, err := r.ubi()
			if err != nil {
				return nil, err
			}
			if c == 0 {
				return out, nil
			}
			b, err := r.bytes(c)
			if err != nil {
				return nil, err
			}
			out = append(out, b...)
		}
	}
	b, err := r.bytes(int(n))
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// chr reads a CHR field of n bytes, raw or length-prefixed.
func (r *ttcReader) chr(n int, raw bool) ([]byte, error) {
	if !raw {
		return r.clr()
	}
	b, err := r.bytes(n)
	return append([]byte(nil), b...), err
}

// dlc reads a ub4 length followed, when not zero, by a clr.
func (r *ttcReader) dlc() ([]byte, error) {
	n, err := r.ubi()
	if err != nil || n == 0 {
		return nil, err
	}
	return r.clr()
}

// keyVal reads one key/value/flag triple.
func (r *ttcReader) keyVal() (string, []byte, int, error) {
	k, err := r.dlc()
	if err != nil {
		return "", nil, 0, err
	}
	v, err := r.dlc()
	if err != nil {
		return "", nil, 0, err
	}
	f, err := r.ubi()
	return string(k), v, f, err
}

// ttcWriter encodes one response.
type ttcWriter struct{ b []byte }

func (w *ttcWriter) u8(v ...byte) { w.b = append(w.b, v...) }

// ub writes a compressed integer.
func (w *ttcWriter) ub(v int64) {
	if v == 0 {
		w.b = append(w.b, 0)
		return
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], uint64(v))
	i := 0
	for i < 7 && t[i] == 0 {
		i++
	}
	n := byte(8 - i)
	if neg {
		n |= 0x80
	}
	w.b = append(w.b, n)
	w.b = append(w.b, t[i:]...)
}

func (w *ttcWriter) ubi(v int) { w.ub(int64(v)) }

// clr writes a length-prefixed byte string (chunked with ub4 lengths above
// 252 bytes); nil or empty is written as null.
func (w *ttcWriter) clr(b []byte) {
	switch {
	case len(b) == 0:
		w.b = append(w.b, 0)
	case len(b) <= 0xFC:
		w.b = append(w.b, byte(len(b)))
		w.b = append(w.b, b...)
	default:
		w.b = append(w.b, 0xFE)
		for len(b) > 0 {
			n := min(len(b), 0x7FFF)
			w.ubi(n)
			w.b = append(w.b, b[:n]...)
			b = b[n:]
		}
		w.ubi(0)
	}
}

// dlc writes a ub4 length and, when not empty, a clr.
func (w *ttcWriter) dlc(b []byte) {
	w.ubi(len(b))
	if len(b) > 0 {
		w.clr(b)
	}
}

func (w *ttcWriter) keyVal(k, v string, flag int) {
	w.dlc([]byte(k))
	w.dlc([]byte(v))
	w.ubi(flag)
}
