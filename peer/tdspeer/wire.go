package tdspeer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// TDS packet types (MS-TDS 2.2.3.1.1).
const (
	pktSQLBatch  = 0x01
	pktRPC       = 0x03
	pktReply     = 0x04
	pktAttention = 0x06
	pktBulk      = 0x07
	pktFedAuth   = 0x08
	pktTM        = 0x0E
	pktLogin7    = 0x10
	pktSSPI      = 0x11
	pktPrelogin  = 0x12
)

// Packet status bits.
const (
	statusEOM   = 0x01
	statusReset = 0x08
)

const (
	headerSize = 8
	// maxMessage bounds one request message, whatever a client sends.
	maxMessage = 64 << 20
	// preloginPacketSize is the packet size before LOGIN7 negotiates one.
	preloginPacketSize = 4096
)

// message is one TDS message: the payload of its packets, joined.
type message struct {
	typ     byte
	reset   bool // RESETCONNECTION on the first packet
	payload []byte
}

// readMessage reads packets from r up to the one marked end of message.
func readMessage(r io.Reader, maxPacket int) (message, error) {
	var m message
	var hdr [headerSize]byte
	for first := true; ; first = false {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return m, err
		}
		size := int(binary.BigEndian.Uint16(hdr[2:4]))
		if size < headerSize || size > maxPacket {
			return m, fmt.Errorf("tdspeer: packet of %d bytes (limit %d)", size, maxPacket)
		}
		if first {
			m.typ = hdr[0]
			m.reset = hdr[1]&statusReset != 0
		} else if hdr[0] != m.typ {
			return m, fmt.Errorf("tdspeer: packet type %#x inside a message of type %#x", hdr[0], m.typ)
		}
		if len(m.payload)+size-headerSize > maxMessage {
			return m, errors.New("tdspeer: message too large")
		}
		start := len(m.payload)
		m.payload = append(m.payload, make([]byte, size-headerSize)...)
		if _, err := io.ReadFull(r, m.payload[start:]); err != nil {
			return m, err
		}
		if hdr[1]&statusEOM != 0 {
			return m, nil
		}
	}
}

// writeMessage writes payload to w as one message of type typ in packets
// of at most packetSize bytes.
func writeMessage(w io.Writer, typ byte, payload []byte, packetSize int) error {
	seq := byte(1)
	chunk := packetSize - headerSize
	for {
		n := min(len(payload), chunk)
		status := byte(0)
		if n == len(payload) {
			status = statusEOM
		}
		pkt := make([]byte, headerSize+n)
		pkt[0] = typ
		pkt[1] = status
		binary.BigEndian.PutUint16(pkt[2:], uint16(headerSize+n))
		pkt[6] = seq
		copy(pkt[headerSize:], payload[:n])
		if _, err := w.Write(pkt); err != nil {
			return err
		}
		payload = payload[n:]
		seq++
		if status == statusEOM {
			return nil
		}
	}
}

// handshakeConn carries a TLS handshake inside PRELOGIN messages, as
// SQL Server does before TDS 8.0: each flight the TLS stack writes goes out
// as one message when the stack next reads (or on flush), and each message
// the client sends is read as the next handshake bytes.
type handshakeConn struct {
	net.Conn
	in  []byte
	out []byte
}

func (c *handshakeConn) Read(b []byte) (int, error) {
	if err := c.flush(); err != nil {
		return 0, err
	}
	if len(c.in) == 0 {
		m, err := readMessage(c.Conn, preloginPacketSize)
		if err != nil {
			return 0, err
		}
		if m.typ != pktPrelogin {
			return 0, fmt.Errorf("tdspeer: packet type %#x during the TLS handshake", m.typ)
		}
		c.in = m.payload
	}
	n := copy(b, c.in)
	c.in = c.in[n:]
	return n, nil
}

func (c *handshakeConn) Write(b []byte) (int, error) {
	c.out = append(c.out, b...)
	return len(b), nil
}

func (c *handshakeConn) flush() error {
	if len(c.out) == 0 {
		return nil
	}
	out := c.out
	c.out = nil
	return writeMessage(c.Conn, pktPrelogin, out, preloginPacketSize)
}

// switchConn is what the TLS stack runs over: the PRELOGIN wrapping during
// the handshake, the socket after it.
type switchConn struct {
	net.Conn // the socket
	mu       sync.Mutex
	hs       *handshakeConn
}

func (c *switchConn) current() net.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hs != nil {
		return c.hs
	}
	return c.Conn
}

func (c *switchConn) Read(b []byte) (int, error)  { return c.current().Read(b) }
func (c *switchConn) Write(b []byte) (int, error) { return c.current().Write(b) }

// unwrap ends the PRELOGIN wrapping, sending what the handshake left.
func (c *switchConn) unwrap() error {
	c.mu.Lock()
	hs := c.hs
	c.hs = nil
	c.mu.Unlock()
	if hs == nil {
		return nil
	}
	return hs.flush()
}
