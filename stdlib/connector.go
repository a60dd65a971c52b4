package stdlib

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/vapsql/vap/credential"
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
	cache *credential.Cache

	checks singleflight.Group // the version check in flight, shared by callers

	mu     sync.Mutex
	cur    *resolved
	closed bool
}

// resolved is one version of the connection, turned into a real connector.
type resolved struct {
	version int64
	typ     *registry.Type
	real    driver.Connector // nil when dyn is set
	secrets []string
	dyn     *dynamic // the fields that exist only at connect time; nil: none
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
	c := &Connector{name: name, store: cfg.store, reg: cfg.reg, drv: cfg.drv, cache: cfg.cache}
	if c.cache == nil {
		c.cache = credential.DefaultCache
	}
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
	dyn, err := c.newDynamic(conn, t)
	if err != nil {
		return nil, err
	}
	if dyn != nil {
		return &resolved{version: conn.Version, typ: t, secrets: secrets, dyn: dyn}, nil
	}
	real, err := t.Connector(ctx, conn.Params())
	if err != nil {
		return nil, &ConnectError{Op: OpResolve, Conn: c.name, Type: t.Name, Err: redact.Error(err, secrets...)}
	}
	return &resolved{version: conn.Version, typ: t, real: real, secrets: secrets}, nil
}

// The version check before each new physical connection asks the store
// whether the connection changed. It must never hold a healthy database up:
//
//   - one check is in flight at a time, shared by every caller (the
//     connector's lock is not held while it runs);
//   - the check has a budget of its own, checkTimeout, whatever the callers'
//     deadlines;
//   - a caller waits for it checkWait at most, and never more than a
//     checkShare of its remaining deadline; then it proceeds with the
//     version it already has (the last known version), and the check goes on
//     in the background for the next caller.
//
// Tests lower them.
var (
	checkTimeout = 5 * time.Second
	checkWait    = 200 * time.Millisecond
	checkShare   = 4 // at most a quarter of the caller's remaining deadline
)

// checkResult is what one version check found: a new resolution (nil when
// the version did not move or the store did not answer) or the name's
// absence.
type checkResult struct {
	r   *resolved
	err error // store.ErrNotFound: the name was deleted
}

// current returns the resolved connection, resolving again when the store's
// version moved since the last look. See checkTimeout.
func (c *Connector) current(ctx context.Context) (*resolved, error) {
	c.mu.Lock()
	cur := c.cur
	c.mu.Unlock()

	ch := c.checks.DoChan("", func() (any, error) { return c.check(cur), nil })
	wait := checkWait
	if dl, ok := ctx.Deadline(); ok {
		if share := time.Until(dl) / time.Duration(checkShare); share < wait {
			wait = share
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case res := <-ch:
		cr := res.Val.(checkResult)
		if cr.err != nil {
			return nil, cr.err
		}
	case <-t.C:
		// The store is slow or silent: serve the version we have.
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur, nil
}

// check asks the store for the connection's version within checkTimeout and
// resolves it again when it moved. It runs once for all waiting callers,
// outside c.mu, under a context of its own: a caller that stops waiting does
// not cancel it.
func (c *Connector) check(cur *resolved) checkResult {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	v, err := c.store.Version(ctx, c.name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return checkResult{err: err}
	case err != nil:
		// The store is unreachable: keep serving the version we have.
		return checkResult{}
	case v == cur.version:
		return checkResult{}
	}
	r, err := c.resolve(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return checkResult{err: err}
	}
	if err != nil {
		// The new version does not resolve (or the store stopped answering
		// meanwhile): keep serving the one we have, ask again next time.
		return checkResult{}
	}
	c.mu.Lock()
	old := c.cur
	if c.closed {
		c.mu.Unlock()
		r.close()
		return checkResult{}
	}
	c.cur = r
	c.mu.Unlock()
	if old != r {
		old.close()
	}
	return checkResult{r: r}
}

// close releases what r holds: its real connector, or its dynamic part.
func (r *resolved) close() error {
	if r.dyn != nil {
		return r.dyn.close()
	}
	return closeReal(r.real)
}

func closeReal(real driver.Connector) error {
	if cl, ok := real.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// Connect opens a physical connection with the real driver and returns it
// unwrapped, unless its credential bounds its life (see limitConn). A
// connection with secret references or a minted auth_type gets them from
// the credential cache first (credential.go). Errors name the connection
// and never hold a secret.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	r, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	if r.dyn != nil {
		return c.connectDynamic(ctx, r)
	}
	conn, err := r.real.Connect(ctx)
	if err != nil {
		return nil, &ConnectError{Op: OpConnect, Conn: c.name, Type: r.typ.Name, Err: redact.Error(err, r.secrets...), authError: r.typ.AuthError}
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
	if c.closed {
		return nil
	}
	c.closed = true
	return c.cur.close()
}
