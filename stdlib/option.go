package stdlib

import (
	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

// config is what the options set.
type config struct {
	store *store.Store
	reg   *registry.Registry
	drv   *Driver
	cache *credential.Cache
}

// Option configures NewConnector and NewConnectorContext.
type Option func(*config)

// WithStore resolves names in s instead of DefaultStore().
func WithStore(s *store.Store) Option { return func(c *config) { c.store = s } }

// WithRegistry looks connection types up in r instead of registry.Default.
func WithRegistry(r *registry.Registry) Option { return func(c *config) { c.reg = r } }

func withDriver(d *Driver) Option { return func(c *config) { c.drv = d } }

// WithCredentialCache resolves secret references and mints credentials
// through cc instead of credential.DefaultCache (a cache with another TTL,
// or a test clock).
func WithCredentialCache(cc *credential.Cache) Option { return func(c *config) { c.cache = cc } }
