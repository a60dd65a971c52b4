package stdlib

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"

	"github.com/vapsql/vap/store"
)

// Name is the name the driver is registered under.
const Name = "vap"

func init() { sql.Register(Name, &Driver{}) }

// Driver is the vap driver registered as "vap". It uses the default store
// and registry.Default.
type Driver struct{}

var (
	_ driver.Driver        = (*Driver)(nil)
	_ driver.DriverContext = (*Driver)(nil)
)

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
	return NewConnector(name, withDriver(d))
}

// DefaultStore is the store connectors use unless given WithStore: the
// environment's (VAP_STORE, VAP_HOME, VAP_KEYSET…), opened on first use.
var DefaultStore = sync.OnceValue(func() *store.Store { return store.Open() })
