package oracle

import (
	"context"
	"database/sql/driver"
	"net"
	"sync"
	"time"

	goora "github.com/sijms/go-ora/v2"
)

// connector is go-ora's connector with every socket of a failed connect
// closed at once: go-ora returns a failed login (or any failure after the
// TCP connection is up) without closing the socket, which then stays open,
// and the server's session with it, until the garbage collector runs.
type connector struct {
	inner  *goora.OracleConnector
	dialer net.Dialer
}

func newConnector(connString string, timeout time.Duration) *connector {
	c := &connector{inner: goora.NewConnector(connString).(*goora.OracleConnector), dialer: net.Dialer{Timeout: timeout}}
	c.inner.Dialer(c)
	return c
}

// dialed is the sockets one Connect call opened.
type dialed struct {
	mu    sync.Mutex
	conns []net.Conn
}

type dialedKey struct{}

// DialContext dials for go-ora and records the socket for the Connect call
// whose context it is.
func (c *connector) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	conn, err := c.dialer.DialContext(ctx, network, address)
	if err == nil {
		if d, ok := ctx.Value(dialedKey{}).(*dialed); ok {
			d.mu.Lock()
			d.conns = append(d.conns, conn)
			d.mu.Unlock()
		}
	}
	return conn, err
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	d := &dialed{}
	conn, err := c.inner.Connect(context.WithValue(ctx, dialedKey{}, d))
	if err != nil {
		d.mu.Lock()
		for _, s := range d.conns {
			s.Close()
		}
		d.mu.Unlock()
		return nil, err
	}
	return conn, nil
}

func (c *connector) Driver() driver.Driver { return c.inner.Driver() }
