package driver

import "github.com/vapsql/vap/store"

// Option configures NewConnector.
type Option func(*Connector)

// WithStore resolves names in s instead of DefaultStore().
func WithStore(s *store.Store) Option { return func(c *Connector) { c.store = s } }

func withDriver(d *Driver) Option { return func(c *Connector) { c.drv = d } }
