package tdspeer

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"
)

// wireClient is a minimal TDS client (no encryption) for what a driver
// does not let a test do: send an ATTENTION at a chosen moment.
type wireClient struct {
	t *testing.T
	c net.Conn
}

func dialWire(t *testing.T, p *Peer, user, password string) *wireClient {
	t.Helper()
	c, err := net.Dial("tcp", p.Address())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	w := &wireClient{t: t, c: c}
	pre := []byte{preEncryption, 0, 6, 0, 1, preTerminator, encryptNotSup}
	w.send(pktPrelogin, pre)
	m := w.read()
	opts, err := parsePrelogin(m.payload)
	if err != nil || m.typ != pktReply || !bytes.Equal(opts[preEncryption], []byte{encryptNotSup}) {
		t.Fatalf("PRELOGIN answer %+v %v", opts, err)
	}
	w.send(pktLogin7, login7Bytes(user, password, p.Database()))
	return w
}

func (w *wireClient) send(typ byte, payload []byte) {
	w.t.Helper()
	if err := writeMessage(w.c, typ, payload, 4096); err != nil {
		w.t.Fatal(err)
	}
}

func (w *wireClient) read() message {
	w.t.Helper()
	m, err := readMessage(w.c, 32767)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

// batch sends a SQLBatch with an ALL_HEADERS of no transaction.
func (w *wireClient) batch(sql string) {
	w.t.Helper()
	var t tokens
	t.u32(22)
	t.u32(18)
	t.u16(2)
	t.u64(0)
	t.u32(1)
	t.ucs2(sql)
	w.send(pktSQLBatch, t.b)
}

// lastDone is the status of the response's last DONE token, which ends
// every response the peer sends.
func lastDone(t *testing.T, payload []byte) uint16 {
	t.Helper()
	if len(payload) < 13 || payload[len(payload)-13] != tokDone {
		t.Fatalf("response does not end with DONE: % x", payload[max(0, len(payload)-13):])
	}
	return binary.LittleEndian.Uint16(payload[len(payload)-12:])
}

func login7Bytes(user, password, database string) []byte {
	hdr := make([]byte, 94)
	le := binary.LittleEndian
	le.PutUint32(hdr[4:], 0x74000004)
	le.PutUint32(hdr[8:], 4096)
	hdr[24] = 0x20 | 0x80 // USE_DB, SET_LANG
	var data []byte
	field := func(at int, b []byte, chars int) {
		le.PutUint16(hdr[at:], uint16(94+len(data)))
		le.PutUint16(hdr[at+2:], uint16(chars))
		data = append(data, b...)
	}
	pw := appendUCS2(nil, password)
	for i, c := range pw {
		pw[i] = (c<<4 | c>>4) ^ 0xA5
	}
	field(36, appendUCS2(nil, "host"), 4)
	field(40, appendUCS2(nil, user), len(user))
	field(44, pw, len(password))
	field(48, appendUCS2(nil, "wire"), 4)
	field(52, nil, 0)
	field(56, nil, 0)
	field(60, nil, 0)
	field(64, nil, 0)
	field(68, appendUCS2(nil, database), len(database))
	field(78, nil, 0)
	field(82, nil, 0)
	field(86, nil, 0)
	out := append(hdr, data...)
	le.PutUint32(out, uint32(len(out)))
	return out
}

// TestAttentionWire proves both places an ATTENTION is answered: inside
// the running request's response (a WAITFOR that stops), and alone when
// it arrives after the response ended. Either wrong hangs a driver.
func TestAttentionWire(t *testing.T) {
	p, err := Start(Config{User: "u", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	w := dialWire(t, p, "u", "pw")
	if m := w.read(); !bytes.Contains(m.payload, []byte{tokLoginAck}) || lastDone(t, m.payload) != 0 {
		t.Fatalf("login response % x", m.payload)
	}

	// mid-response: WAITFOR running, then ATTENTION
	w.batch("WAITFOR DELAY '00:01:00'")
	for i := 0; ; i++ {
		if len(p.RunningStatements()) == 1 {
			break
		}
		if i > 1000 {
			t.Fatal("WAITFOR never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.send(pktAttention, nil)
	if st := lastDone(t, w.read().payload); st&doneAttn == 0 {
		t.Errorf("response to a cancelled WAITFOR ends with DONE status %#x, want ATTN", st)
	}

	// after the response: a DONE(ATTN) message of its own
	w.batch("SELECT 1")
	if st := lastDone(t, w.read().payload); st&doneAttn != 0 {
		t.Fatalf("SELECT 1 answered with ATTN")
	}
	w.send(pktAttention, nil)
	m := w.read()
	if len(m.payload) != 13 || lastDone(t, m.payload) != doneAttn {
		t.Errorf("late ATTENTION answered % x, want a lone DONE(ATTN)", m.payload)
	}

	// the session still works
	w.batch("SELECT 2")
	if st := lastDone(t, w.read().payload); st&(doneAttn|doneError) != 0 {
		t.Errorf("SELECT 2 after the cancels: DONE status %#x", st)
	}

	// a wrong password on the wire: ERROR 18456 and DONE(ERROR)
	bad := dialWire(t, p, "u", "nope")
	m = bad.read()
	if !bytes.Contains(m.payload, appendUCS2(nil, "Login failed for user 'u'.")) || lastDone(t, m.payload)&doneError == 0 {
		t.Errorf("wrong password answered % x", m.payload)
	}
}
