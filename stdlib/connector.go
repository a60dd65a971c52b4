package stdlib

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync"

	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

// Connector is the connector of one named connection. It is safe for
// concurrent use.
type Connector struct {
	name  string
	store *store.Store
	reg   *registry.Registry
	drv   *Driver

	mu  sync.Mutex
	cur *resolved
}

// resolved is one version of the connection, turned into a real connector.
type resolved struct {
	version int64
	typ     *registry.Type
	real    driver.Connector
	secrets []string
}

var (
	_ driver.Connector = (*Connector)(nil)
	_ io.Closer        = (*Connector)(nil)
)

// NewConnector resolves connection name and returns its connector, for
// sql.OpenDB:
//
//	c, err := stdlib.NewConnector("my-postgres-connection")
//	db := sql.OpenDB(c)
//
// It is NewConnectorContext with context.Background().
func NewConnector(name string, opts ...Option) (*Connector, error) {
	return NewConnectorContext(context.Background(), name, opts...)
}

// NewConnectorContext resolves connection name within ctx (the store may be
// a server) and returns its connector.
//
// A missing name fails with the store's missing-name error
// (errors.Is(err, store.ErrNotFound)); any other failure is a
// *ConnectError. A connection whose type vap ships but the program does not
// link fails with errors.Is(err, registry.ErrUnknownType) and a message
// naming the package to import.
func NewConnectorContext(ctx context.Context, name string, opts ...Option) (*Connector, error) {
	cfg := config{}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Connector{name: name, store: cfg.store, reg: cfg.reg, drv: cfg.drv}
	if c.store == nil {
		c.store = DefaultStore()
	}
	if c.reg == nil {
		c.reg = registry.Default
	}
	if c.drv == nil {
		c.drv = &Driver{}
	}
	r, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	c.cur = r
	return c, nil
}

func (c *Connector) resolve(ctx context.Context) (*resolved, error) {
	conn, err := c.store.Resolve(ctx, c.name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, &ConnectError{Op: OpResolve, Conn: c.name, Err: linkHint(err)}
	}
	t, err := c.reg.Resolve(conn.Type)
	if err != nil {
		return nil, &ConnectError{Op: OpResolve, Conn: c.name, Err: linkHint(err)}
	}
	secrets := conn.SecretValues()
	real, err := t.Connector(ctx, conn.Params())
	if err != nil {
		return nil, &ConnectError{Op: OpResolve, Conn: c.name, Type: t.Name, Err: redact.Error(err, secrets...)}
	}
	return &resolved{version: conn.Version, typ: t, real: real, secrets: secrets}, nil
}

// current returns the resolved connection, resolving again when the store's
// version moved since the last look.
func (c *Connector) current(ctx context.Context) (*resolved, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, err := c.store.Version(ctx, c.name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, err
	case err != nil:
		// The store is unreachable: keep serving the version we have.
		return c.cur, nil
	case v == c.cur.version:
		return c.cur, nil
	}
	r, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	old := c.cur
	c.cur = r
	if cl, ok := old.real.(io.Closer); ok {
		cl.Close()
	}
	return r, nil
}

// Connect opens a physical connection with the real driver and returns it
// unwrapped. Errors name the connection and never hold a secret.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	r, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := r.real.Connect(ctx)
	if err != nil {
		return nil, &ConnectError{Op: OpConnect, Conn: c.name, Type: r.typ.Name, Err: redact.Error(err, r.secrets...)}
	}
	return conn, nil
}

// Driver returns the vap driver.
func (c *Connector) Driver() driver.Driver { return c.drv }

// Name returns the connection name.
func (c *Connector) Name() string { return c.name }

// Type returns the connection's registry type (placeholder style, ping
// query, …) as last resolved.
func (c *Connector) Type() *registry.Type {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur.typ
}

// Close closes the real connector when it holds resources. sql.DB.Close
// calls it.
func (c *Connector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.cur.real.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}
