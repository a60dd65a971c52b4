package awsiam

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
)

// capture is what a fake server read of one login.
type capture struct {
	user, password string
	tls            bool
}

// fakeServer accepts connections on loopback and records each login.
type fakeServer struct {
	ln     net.Listener
	mu     sync.Mutex
	logins []capture
	errs   []error
	wg     sync.WaitGroup
}

func (s *fakeServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *fakeServer) record(c capture, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	s.logins = append(s.logins, c)
}

func (s *fakeServer) seen() []capture {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]capture(nil), s.logins...)
}

// startFake serves each connection with serve, which reports the login it
// read before answering it.
func startFake(t *testing.T, serve func(net.Conn, func(capture)) error) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				if err := serve(c, func(cp capture) { s.record(cp, nil) }); err != nil {
					s.record(capture{}, err)
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

// fakePostgres speaks just enough of the PostgreSQL protocol to read a
// password: SSLRequest ('S', then TLS with cfg), the startup message,
// AuthenticationCleartextPassword, the PasswordMessage, then
// AuthenticationOk and ReadyForQuery; it answers Terminate by closing.
func fakePostgres(cfg *tls.Config) func(net.Conn, func(capture)) error {
	return func(raw net.Conn, report func(capture)) error {
		var c capture
		var conn net.Conn = raw
		r := bufio.NewReader(conn)
		readStartup := func() ([]byte, error) {
			var n uint32
			if err := binary.Read(r, binary.BigEndian, &n); err != nil {
				return nil, err
			}
			if n < 8 || n > 10000 {
				return nil, errors.New("bad startup length")
			}
			b := make([]byte, n-4)
			_, err := io.ReadFull(r, b)
			return b, err
		}
		b, err := readStartup()
		if err != nil {
			return err
		}
		if binary.BigEndian.Uint32(b) == 80877103 { // SSLRequest
			if _, err := conn.Write([]byte{'S'}); err != nil {
				return err
			}
			tc := tls.Server(raw, cfg)
			if err := tc.Handshake(); err != nil {
				return err
			}
			conn, c.tls = tc, true
			r = bufio.NewReader(conn)
			if b, err = readStartup(); err != nil {
				return err
			}
		}
		if binary.BigEndian.Uint32(b) != 196608 {
			return errors.New("not a protocol 3.0 startup message")
		}
		kv := bytes.Split(b[4:], []byte{0})
		for i := 0; i+1 < len(kv); i += 2 {
			if string(kv[i]) == "user" {
				c.user = string(kv[i+1])
			}
		}
		// AuthenticationCleartextPassword
		if _, err := conn.Write([]byte{'R', 0, 0, 0, 8, 0, 0, 0, 3}); err != nil {
			return err
		}
		typ, err := r.ReadByte()
		if err != nil {
			return err
		}
		var n uint32
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			return err
		}
		if typ != 'p' || n < 5 || n > 10000 {
			return errors.New("no PasswordMessage")
		}
		pw := make([]byte, n-4)
		if _, err := io.ReadFull(r, pw); err != nil {
			return err
		}
		c.password = string(bytes.TrimSuffix(pw, []byte{0}))
		report(c)
		var out []byte
		out = append(out, 'R', 0, 0, 0, 8, 0, 0, 0, 0)              // AuthenticationOk
		out = append(out, 'K', 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2) // BackendKeyData
		out = append(out, 'Z', 0, 0, 0, 5, 'I')                     // ReadyForQuery
		if _, err := conn.Write(out); err != nil {
			return err
		}
		// Simple queries (pgx's ping, "-- ping") get EmptyQueryResponse;
		// Terminate ends the connection.
		for {
			typ, err := r.ReadByte()
			if err != nil {
				return nil
			}
			var n uint32
			if err := binary.Read(r, binary.BigEndian, &n); err != nil || n < 4 || n > 1<<20 {
				return nil
			}
			if _, err := io.CopyN(io.Discard, r, int64(n-4)); err != nil {
				return nil
			}
			switch typ {
			case 'Q':
				if _, err := conn.Write([]byte{'I', 0, 0, 0, 4, 'Z', 0, 0, 0, 5, 'I'}); err != nil {
					return nil
				}
			case 'X':
				return nil
			default:
				return errors.New("fake PostgreSQL: unexpected message " + string(typ))
			}
		}
	}
}

// mysqlPacket reads one MySQL packet.
func mysqlPacket(r io.Reader) (seq byte, payload []byte, err error) {
	var h [4]byte
	if _, err = io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
	payload = make([]byte, n)
	_, err = io.ReadFull(r, payload)
	return h[3], payload, err
}

func writeMySQL(w io.Writer, seq byte, payload []byte) error {
	n := len(payload)
	_, err := w.Write(append([]byte{byte(n), byte(n >> 8), byte(n >> 16), seq}, payload...))
	return err
}

// fakeMySQL speaks just enough of the MySQL protocol to read a password
// sent with mysql_clear_password, as RDS's AWSAuthenticationPlugin asks:
// a greeting offering TLS (mysql_native_password), the client's SSL
// request, TLS with cfg, the handshake response, an AuthSwitchRequest to
// mysql_clear_password, the clear password, OK.
func fakeMySQL(cfg *tls.Config) func(net.Conn, func(capture)) error {
	return func(raw net.Conn, report func(capture)) error {
		var c capture
		const caps = 0x00000001 | 0x00000004 | 0x00000008 | 0x00000200 | 0x00000800 | 0x00002000 | 0x00008000 | 0x00010000 | 0x00020000 | 0x00080000 | 0x00200000
		g := []byte{10}
		g = append(g, "8.0.36-fake\x00"...)
		g = append(g, 1, 0, 0, 0)                               // connection id
		g = append(g, "abcdefgh"...)                            // scramble part 1
		g = append(g, 0)                                        // filler
		g = append(g, byte(caps&0xff), byte(caps>>8&0xff))      // capabilities, low
		g = append(g, 45)                                       // utf8mb4
		g = append(g, 2, 0)                                     // status
		g = append(g, byte(caps>>16&0xff), byte(caps>>24&0xff)) // capabilities, high
		g = append(g, 21)                                       // scramble length
		g = append(g, make([]byte, 10)...)                      // reserved
		g = append(g, "ijklmnopqrst\x00"...)                    // scramble part 2
		g = append(g, "mysql_native_password\x00"...)           // plugin
		if err := writeMySQL(raw, 0, g); err != nil {
			return err
		}
		var conn io.ReadWriter = raw
		seq, p, err := mysqlPacket(conn)
		if err != nil {
			return err
		}
		if len(p) == 32 { // SSLRequest
			tc := tls.Server(raw, cfg)
			if err := tc.Handshake(); err != nil {
				return err
			}
			conn, c.tls = tc, true
			if seq, p, err = mysqlPacket(conn); err != nil {
				return err
			}
		}
		if len(p) < 33 {
			return errors.New("short handshake response")
		}
		rest := p[32:]
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return errors.New("no user name")
		}
		c.user = string(rest[:i])
		if err := writeMySQL(conn, seq+1, []byte("\xfemysql_clear_password\x00")); err != nil {
			return err
		}
		seq, p, err = mysqlPacket(conn)
		if err != nil {
			return err
		}
		c.password = string(bytes.TrimSuffix(p, []byte{0}))
		report(c)
		if err := writeMySQL(conn, seq+1, []byte{0, 0, 0, 2, 0, 0, 0}); err != nil {
			return err
		}
		// COM_PING and any other command get OK; COM_QUIT ends.
		for {
			seq, p, err := mysqlPacket(conn)
			if err != nil || len(p) == 0 || p[0] == 0x01 {
				return nil
			}
			if err := writeMySQL(conn, seq+1, []byte{0, 0, 0, 2, 0, 0, 0}); err != nil {
				return nil
			}
		}
	}
}
