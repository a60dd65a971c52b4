package driver

import (
	"github.com/vapsql/vap/stdlib"
	_ "github.com/vapsql/vap/store/hub"      // the store hub, VAP_STORE=vap+https://…
	_ "github.com/vapsql/vap/store/postgres" // the shared store, VAP_STORE=postgres://…
	_ "github.com/vapsql/vap/store/sqlite"   // the embedded default store
)

// Name is the name the driver is registered under.
const Name = stdlib.Name

// Driver is stdlib.Driver.
type Driver = stdlib.Driver

// Connector is stdlib.Connector.
type Connector = stdlib.Connector

// Option is stdlib.Option.
type Option = stdlib.Option

// ConnectError is stdlib.ConnectError.
type ConnectError = stdlib.ConnectError

// NewConnector is stdlib.NewConnector.
func NewConnector(name string, opts ...Option) (*Connector, error) {
	return stdlib.NewConnector(name, opts...)
}

// WithStore is stdlib.WithStore.
var WithStore = stdlib.WithStore

// WithRegistry is stdlib.WithRegistry.
var WithRegistry = stdlib.WithRegistry

// DefaultStore is stdlib.DefaultStore.
var DefaultStore = stdlib.DefaultStore
