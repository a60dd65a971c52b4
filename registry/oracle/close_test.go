package oracle_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/internal/wire"
)

// tnsPacket frames a TNS packet (2-byte length, before version 315).
func tnsPacket(typ byte, body []byte) []byte {
	pkt := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint16(pkt, uint16(8+len(body)))
	pkt[4] = typ
	return append(pkt, body...)
}

// failing accepts TNS connections, reads the CONNECT and fails the connect,
// then waits for the client to close its socket and reports whether it did.
// Without accept it answers REFUSE, as a listener that does not know the
// service does; with accept it ACCEPTs (version 314) and answers the
// client's first data packet with a message the client cannot parse, so
// that the connect fails after the session is up, where a failed login
// fails.
func failing(t *testing.T, accept bool) (port int, closed chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed = make(chan error, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second)) // a hang guard
				if _, err := wire.ReadTNSConnect(c); err != nil {
					closed <- err
					return
				}
				if accept {
					acc := make([]byte, 24)
					binary.BigEndian.PutUint16(acc[0:], 314)  // version
					binary.BigEndian.PutUint16(acc[4:], 8192) // SDU
					binary.BigEndian.PutUint16(acc[6:], 8192) // TDU
					binary.BigEndian.PutUint16(acc[12:], 32)  // data offset
					if _, err := c.Write(tnsPacket(2, acc)); err != nil {
						closed <- err
						return
					}
					if _, _, err := wire.ReadTNSPacket(c); err != nil {
						closed <- err
						return
					}
					if _, err := c.Write(tnsPacket(6, []byte{0, 0, 0x7f, 0x7f, 0x7f, 0x7f})); err != nil {
						closed <- err
						return
					}
					waitClose(c, closed)
					return
				}
				data := []byte("(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=12514)(ERROR_STACK=(ERROR=(CODE=12514)(EMFI=4))))")
				body := []byte{0x22, 0x00, 0, 0}
				binary.BigEndian.PutUint16(body[2:], uint16(len(data)))
				body = append(body, data...)
				if _, err := c.Write(tnsPacket(4, body)); err != nil { // REFUSE
					closed <- err
					return
				}
				waitClose(c, closed)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().(*net.TCPAddr).Port, closed
}

// waitClose reports whether the client closes its socket: a read sees EOF
// (or a reset) before the hang guard's deadline.
func waitClose(c net.Conn, closed chan error) {
	_, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		closed <- errors.New("the client kept its socket open after the failed connect")
		return
	}
	closed <- nil
}

// A connect that fails after the TCP connection is up closes the socket at
// once; go-ora alone leaves it to the garbage collector.
func TestFailedConnectClosesSocket(t *testing.T) {
	for _, accept := range []bool{false, true} {
		t.Run("accepted "+strconv.FormatBool(accept), func(t *testing.T) { failedConnectCloses(t, accept) })
	}
}

func failedConnectCloses(t *testing.T, accept bool) {
	// No garbage collection: only an explicit close may close the socket.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	port, closed := failing(t, accept)
	st := testenv.Store(t)
	testenv.Put(t, st, "ora-refused", "oracle", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(port), "user_name": "u", "password": password, "dbname": "NOPE"})
	db := testenv.OpenDB(t, st, "ora-refused")
	db.SetMaxIdleConns(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err == nil {
		t.Fatal("ping succeeded against a refusing listener")
	} else {
		t.Logf("ping: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
}
