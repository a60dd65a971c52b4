package mssql_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/internal/wire"
)

// password is a canary full of characters that break naive DSN building.
const password = `p@ss:w/o;rd "q" %+\ 'x' ü{}=&?#`

// fakeServer is a loopback listener that speaks the first two steps of TDS:
// it answers PRELOGIN with the given ENCRYPTION value, decodes LOGIN7 (if
// the driver sends one) and hangs up.
type fakeServer struct {
	ln       net.Listener
	prelogin chan *wire.Prelogin
	login    chan *wire.Login7
	errs     chan error
	wg       sync.WaitGroup
}

func startServer(t *testing.T, encryption byte) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{ln: ln, prelogin: make(chan *wire.Prelogin, 16), login: make(chan *wire.Login7, 16), errs: make(chan error, 16)}
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
				c.SetDeadline(time.Now().Add(30 * time.Second))
				if err := s.serve(c, encryption); err != nil {
					select {
					case s.errs <- err:
					default:
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *fakeServer) serve(c net.Conn, encryption byte) error {
	typ, payload, err := wire.ReadTDSMessage(c)
	if err != nil {
		return err
	}
	if typ != wire.TDSPrelogin {
		return errors.New("first message is not PRELOGIN: type " + strconv.Itoa(int(typ)))
	}
	pl, err := wire.ParsePrelogin(payload)
	if err != nil {
		return err
	}
	s.prelogin <- pl
	if err := wire.WriteTDSMessage(c, wire.TDSReply, wire.PreloginResponse(encryption)); err != nil {
		return err
	}
	typ, payload, err = wire.ReadTDSMessage(c)
	if err != nil {
		return nil // the client hung up after PRELOGIN
	}
	if typ != wire.TDSLogin7 {
		return errors.New("second message is not LOGIN7: type " + strconv.Itoa(int(typ)))
	}
	l, err := wire.ParseLogin7(payload)
	if err != nil {
		return err
	}
	s.login <- l
	return nil
}

func (s *fakeServer) port() string { return strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port) }

// ping opens the named connection through the vap driver and pings it. The
// fake server hangs up after LOGIN7, so the ping must fail.
func ping(t *testing.T, fields map[string]string, typ string) error {
	t.Helper()
	st := testenv.Store(t)
	name := "mssql wire " + typ
	testenv.Put(t, st, name, typ, fields)
	db := testenv.OpenDB(t, st, name)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := db.PingContext(ctx)
	if err == nil {
		t.Fatal("ping succeeded against a server that hangs up after LOGIN7")
	}
	if strings.Contains(err.Error(), password) {
		t.Fatal("the connect error holds the password")
	}
	return err
}

func TestLogin7OnTheWire(t *testing.T) {
	for _, typ := range []string{"mssql", "sqlserver", "mssql+pyodbc", "mssql+pymysql", "mssql+pymssql"} {
		t.Run(typ, func(t *testing.T) {
			srv := startServer(t, wire.EncryptNotSup)
			err := ping(t, map[string]string{
				"host": "127.0.0.1", "port": srv.port(), "user_name": "app:user@x",
				"password": password, "dbname": "sales db;x", "options.encrypt": "disable",
			}, typ)
			var pl *wire.Prelogin
			select {
			case pl = <-srv.prelogin:
			case e := <-srv.errs:
				t.Fatalf("server: %v", e)
			case <-time.After(30 * time.Second):
				t.Fatalf("no PRELOGIN arrived (ping error: %v)", err)
			}
			if pl.Encryption != wire.EncryptNotSup {
				t.Errorf("PRELOGIN ENCRYPTION = %d, want %d (not supported) for options.encrypt=disable", pl.Encryption, wire.EncryptNotSup)
			}
			select {
			case l := <-srv.login:
				if l.UserName != "app:user@x" {
					t.Errorf("LOGIN7 user = %q", l.UserName)
				}
				if l.Password != password {
					t.Error("LOGIN7 password differs from the stored one") // never print it
				}
				if l.Database != "sales db;x" {
					t.Errorf("LOGIN7 database = %q", l.Database)
				}
				if l.AppName != "vap" {
					t.Errorf("LOGIN7 app name = %q, want vap", l.AppName)
				}
				if len(l.SSPI) != 0 {
					t.Error("a SQL login sent an SSPI blob")
				}
			case e := <-srv.errs:
				t.Fatalf("server: %v", e)
			case <-time.After(30 * time.Second):
				t.Fatalf("no LOGIN7 arrived (ping error: %v)", err)
			}
		})
	}
}

// TestDefaultRefusesPlaintext shows the safe default on the wire: without
// options.encrypt the driver asks for encryption and, told "not
// supported", hangs up before sending LOGIN7.
func TestDefaultRefusesPlaintext(t *testing.T) {
	srv := startServer(t, wire.EncryptNotSup)
	err := ping(t, map[string]string{"host": "127.0.0.1", "port": srv.port(), "user_name": "sa", "password": password}, "mssql")
	select {
	case pl := <-srv.prelogin:
		if pl.Encryption != wire.EncryptOn {
			t.Errorf("PRELOGIN ENCRYPTION = %d, want %d (on)", pl.Encryption, wire.EncryptOn)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no PRELOGIN arrived (ping error: %v)", err)
	}
	srv.ln.Close()
	srv.wg.Wait()
	select {
	case <-srv.login:
		t.Fatal("LOGIN7 (with the password) was sent to a server without encryption")
	default:
	}
	if !strings.Contains(err.Error(), `"mssql wire mssql"`) {
		t.Errorf("error does not name the connection: %v", err)
	}
}

// TestNTLMOnTheWire shows that a backslash in the user name switches to
// NTLM: LOGIN7 carries an SSPI (NTLM NEGOTIATE) blob and no SQL user name
// or password.
func TestNTLMOnTheWire(t *testing.T) {
	srv := startServer(t, wire.EncryptNotSup)
	err := ping(t, map[string]string{"host": "127.0.0.1", "port": srv.port(), "user_name": `CORP\alice`,
		"password": password, "options.encrypt": "disable"}, "mssql")
	select {
	case l := <-srv.login:
		if l.UserName != "" || l.Password != "" {
			t.Errorf("NTLM login sent a SQL user name %q or a password", l.UserName)
		}
		if !strings.HasPrefix(string(l.SSPI), "NTLMSSP\x00") {
			t.Errorf("SSPI blob does not start with NTLMSSP: %q", l.SSPI)
		}
		if !strings.Contains(strings.ToUpper(string(l.SSPI)), "CORP") {
			t.Errorf("NTLM NEGOTIATE does not name the domain CORP: %q", l.SSPI)
		}
	case e := <-srv.errs:
		t.Fatalf("server: %v", e)
	case <-time.After(30 * time.Second):
		t.Fatalf("no LOGIN7 arrived (ping error: %v)", err)
	}
}
