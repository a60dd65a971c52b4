package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"

	_ "github.com/vapsql/vap/registry/all" // every connection type
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/postgres" // the shared store, VAP_STORE=postgres://…
	_ "github.com/vapsql/vap/store/sqlite"   // the embedded default store
)

// Name is the name the driver is registered under.
const Name = "vap"

func init() { sql.Register(Name, &Driver{}) }

// Driver is the vap driver. Its zero value uses the default store.
type Driver struct {
	opts []Option
}

var (
	_ driver.Driver        = (*Driver)(nil)
	_ driver.DriverContext = (*Driver)(nil)
)

// New returns a Driver whose connectors use opts (for sql.Register under
// another name, or tests).
func New(opts ...Option) *Driver { return &Driver{opts: opts} }

// Open opens one connection to the named connection. database/sql uses
// OpenConnector instead.
func (d *Driver) Open(name string) (driver.Conn, error) {
	c, err := d.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector resolves name once and returns its connector.
func (d *Driver) OpenConnector(name string) (driver.Connector, error) {
	opts := append([]Option{withDriver(d)}, d.opts...)
	return NewConnector(name, opts...)
}

// DefaultStore is the store connectors use unless given WithStore: the
// environment's (VAP_STORE, VAP_HOME, VAP_KEYSET…), opened on first use.
var DefaultStore = sync.OnceValue(func() *store.Store { return store.Open() })
