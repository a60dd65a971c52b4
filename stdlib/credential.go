package stdlib

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

// A connection is dynamic when some of its fields exist only at connect
// time: fields given as secret references ({"ref": "env:VAR"}), or an
// auth_type its type lists in CredentialAuths (credential minted per
// connection). Its real connector is built from the stored fields with the
// dynamic ones laid over them, and built again, the previous one closed,
// whenever the dynamic fields change (a rotated password, a new token).
// A connection that is not dynamic pays nothing for this: its real
// connector is built once per version and its connections are returned
// unwrapped.

// dynamic is what a dynamic version of a connection needs at each new
// physical connection.
type dynamic struct {
	base     map[string]string // the stored fields, references left out
	refs     map[string]string // field → "SCHEME:REST"
	fields   []string          // refs' fields, sorted
	authType string
	auth     credential.Auth // nil: no minted credential
	build    func(ctx context.Context, p registry.Params) (driver.Connector, error)
	release  []func() // the cache holds on the references

	mu   sync.Mutex
	key  [sha256.Size]byte // digest of the fields real was built with
	real driver.Connector
}

// newDynamic returns the dynamic part of conn, or nil when it has none.
// An auth type or a reference scheme that is not linked fails here, with
// the package to import.
func (c *Connector) newDynamic(conn *store.Connection, t *registry.Type) (*dynamic, error) {
	refs := conn.Refs()
	at := conn.Get("auth_type")
	minted := at != "" && slices.Contains(t.CredentialAuths, at)
	if len(refs) == 0 && !minted {
		return nil, nil
	}
	d := &dynamic{base: map[string]string{}, refs: refs, fields: slices.Sorted(maps.Keys(refs)), build: t.Connector}
	p := conn.Params()
	for _, k := range p.Keys() {
		d.base[k] = p.Get(k)
	}
	for _, k := range d.fields {
		scheme, _, err := credential.ParseRef(refs[k])
		if err == nil {
			_, err = credential.LookupResolver(scheme)
		}
		if err != nil {
			return nil, &ConnectError{Op: OpRef, Conn: c.name, Type: t.Name, Err: fmt.Errorf("field %q: %w", k, err)}
		}
	}
	if minted {
		a, err := credential.LookupAuth(at, t.Name)
		if err != nil {
			return nil, &ConnectError{Op: OpMint, Conn: c.name, Type: t.Name, Err: err}
		}
		d.authType, d.auth = at, a
		if ca, ok := a.(credential.ConnectorAuth); ok {
			d.build = ca.Connector
		}
	}
	for _, k := range d.fields {
		d.release = append(d.release, c.cache.Use(refs[k]))
	}
	return d, nil
}

// close releases the references and closes the real connector.
func (d *dynamic) close() error {
	for _, r := range d.release {
		r()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	real := d.real
	d.real = nil
	if real != nil {
		return closeReal(real)
	}
	return nil
}

// overlay is what one physical connection is made with: the dynamic
// fields, the secrets among them (to scrub) and how long a connection made
// with them may live (0: no limit).
type overlay struct {
	fields   map[string]string
	secrets  []string
	lifetime time.Duration
}

// resolveFields resolves the references and mints the credential through
// the cache. Errors are *ConnectError with Op OpRef or OpMint.
func (c *Connector) resolveFields(ctx context.Context, r *resolved) (overlay, error) {
	d := r.dyn
	o := overlay{fields: map[string]string{}}
	var companions map[string]string
	limit := func(life time.Duration, exp time.Time) {
		if life <= 0 {
			return
		}
		if !exp.IsZero() {
			life = min(life, time.Until(exp))
		}
		if life <= 0 {
			life = time.Nanosecond
		}
		if o.lifetime == 0 || life < o.lifetime {
			o.lifetime = life
		}
	}
	secret := func(k string) bool { return r.typ.IsSecret(k) || slices.Contains(store.AlwaysSecret, k) }
	for _, k := range d.fields {
		s, err := c.cache.Resolve(ctx, d.refs[k])
		if err != nil {
			return overlay{}, &ConnectError{Op: OpRef, Conn: c.name, Type: r.typ.Name, Err: redact.Error(fmt.Errorf("field %q (%s): %w", k, d.refs[k], err), r.secrets...)}
		}
		o.fields[k] = s.Value
		o.secrets = append(o.secrets, s.Value)
		for ck, cv := range s.Fields {
			if companions == nil {
				companions = map[string]string{}
			}
			companions[ck] = cv
			if secret(ck) && cv != "" {
				o.secrets = append(o.secrets, cv)
			}
		}
		limit(s.ConnLifetime, s.Expires)
	}
	maps.Copy(o.fields, companions)
	if d.auth != nil {
		if _, ok := d.auth.(credential.ConnectorAuth); !ok {
			m := maps.Clone(d.base)
			maps.Copy(m, o.fields)
			p := registry.NewParams(c.name, r.typ.Name, m)
			mt, err := c.cache.Mint(ctx, d.authType, d.auth, p)
			if err != nil {
				return overlay{}, &ConnectError{Op: OpMint, Conn: c.name, Type: r.typ.Name, Err: redact.Error(fmt.Errorf("auth_type %s: %w", d.authType, err), append(o.secrets, r.secrets...)...)}
			}
			for k, v := range mt.Fields {
				o.fields[k] = v
				if secret(k) && v != "" {
					o.secrets = append(o.secrets, v)
				}
			}
			limit(mt.ConnLifetime, mt.Expires)
		}
	}
	return o, nil
}

// digest is a digest of fields, to tell whether the real connector was
// built with them.
func digest(fields map[string]string) [sha256.Size]byte {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		for _, s := range []string{k, fields[k]} {
			h.Write(binary.AppendUvarint(nil, uint64(len(s))))
			h.Write([]byte(s))
		}
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// connectDynamic opens a physical connection of a dynamic version: the
// dynamic fields from the cache, the real connector rebuilt when they
// changed, and a connection whose credential bounds its life wrapped so
// that the pool retires it in time (lifetime.go).
func (c *Connector) connectDynamic(ctx context.Context, r *resolved) (driver.Conn, error) {
	o, err := c.resolveFields(ctx, r)
	if err != nil {
		return nil, err
	}
	secrets := append(slices.Clip(r.secrets), o.secrets...)
	real, err := r.dyn.connector(ctx, c, r, o)
	if err != nil {
		return nil, &ConnectError{Op: OpResolve, Conn: c.name, Type: r.typ.Name, Err: redact.Error(err, secrets...)}
	}
	start := c.cache.Now()
	conn, err := real.Connect(ctx)
	if err != nil {
		return nil, &ConnectError{Op: OpConnect, Conn: c.name, Type: r.typ.Name, Err: redact.Error(err, secrets...), authError: r.typ.AuthError}
	}
	if o.lifetime > 0 {
		return limitConn(conn, start.Add(o.lifetime), c.cache.Now), nil
	}
	return conn, nil
}

// connector returns the real connector built with o's fields, building it
// (and closing the previous one) when they changed.
func (d *dynamic) connector(ctx context.Context, c *Connector, r *resolved, o overlay) (driver.Connector, error) {
	key := digest(o.fields)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.real != nil && d.key == key {
		return d.real, nil
	}
	m := maps.Clone(d.base)
	maps.Copy(m, o.fields)
	real, err := d.build(ctx, registry.NewParams(c.name, r.typ.Name, m))
	if err != nil {
		return nil, err
	}
	if real == nil {
		return nil, errors.New("the connection type built no connector")
	}
	old := d.real
	d.real, d.key = real, key
	if old != nil {
		closeReal(old)
	}
	return real, nil
}
