package oracle_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/internal/wire"
	"github.com/vapsql/vap/registry/oracle"
)

const password = `p@ss:w/o;rd "q" %+\ 'x' ü{}=&?#`

// listen accepts TNS connections on loopback, decodes the CONNECT
// descriptor of each and hangs up.
func listen(t *testing.T) (port int, got chan *wire.Descriptor, errs chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got, errs = make(chan *wire.Descriptor, 16), make(chan error, 16)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				s, err := wire.ReadTNSConnect(c)
				if err == nil {
					var d *wire.Descriptor
					if d, err = wire.ParseDescriptor(s); err == nil {
						got <- d
						return
					}
				}
				select {
				case errs <- err:
				default:
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().(*net.TCPAddr).Port, got, errs
}

func TestConnectDescriptorOnTheWire(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fields map[string]string
		key    string
		want   string
		absent string
	}{
		{"service name", map[string]string{"dbname": "ORCLPDB1.example.com"}, "SERVICE_NAME", "ORCLPDB1.example.com", "SID"},
		{"sid", map[string]string{"sid": "ORCL"}, "SID", "ORCL", "SERVICE_NAME"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port, got, errs := listen(t)
			st := testenv.Store(t)
			name := "oracle wire " + tc.name
			fields := map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(port), "user_name": "app:user@x", "password": password}
			for k, v := range tc.fields {
				fields[k] = v
			}
			testenv.Put(t, st, name, "oracle", fields)
			db := testenv.OpenDB(t, st, name)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := db.PingContext(ctx)
			if err == nil {
				t.Fatal("ping succeeded against a listener that hangs up after CONNECT")
			}
			if strings.Contains(err.Error(), password) {
				t.Fatal("the connect error holds the password")
			}
			var d *wire.Descriptor
			select {
			case d = <-got:
			case e := <-errs:
				t.Fatalf("listener: %v", e)
			case <-time.After(30 * time.Second):
				t.Fatalf("no CONNECT arrived (ping error: %v)", err)
			}
			for k, want := range map[string]string{"HOST": "127.0.0.1", "PORT": strconv.Itoa(port), tc.key: tc.want, "PROTOCOL": "tcp"} {
				if v, ok := d.Find(k); !ok || v != want {
					t.Errorf("descriptor %s = %q (present %v), want %q", k, v, ok, want)
				}
			}
			if v, ok := d.Find(tc.absent); ok {
				t.Errorf("descriptor has %s=%q too", tc.absent, v)
			}

			// The credentials travel later, inside the encrypted O5LOGON
			// exchange, which a listener cannot decode without a real server:
			// check them in the go-ora configuration the connector is built
			// from, parsed by go-ora itself.
			conn, err := st.Resolve(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := oracle.Config(conn.Params())
			if err != nil {
				t.Fatal(err)
			}
			if cfg.UserID != "app:user@x" {
				t.Errorf("go-ora user = %q", cfg.UserID)
			}
			if cfg.Password != password {
				t.Error("go-ora password differs from the stored one")
			}
			if len(cfg.Servers) != 1 || cfg.Servers[0].Addr != "127.0.0.1" || cfg.Servers[0].Port != port {
				t.Errorf("go-ora servers = %+v", cfg.Servers)
			}
		})
	}
}
