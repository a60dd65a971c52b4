package postgres_test

import (
	"context"
	sqldriver "database/sql/driver"
	"testing"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/postgres"
	"github.com/vapsql/vap/store/storetest"
)

// TestLiveUpdateTwoProcesses: another process changes the connection in the
// shared store; this one's *sql.DB opens its next physical connections on
// the new database, told by LISTEN/NOTIFY.
func TestLiveUpdateTwoProcesses(t *testing.T) {
	const rounds = 5
	u := storeURL(t, tempSchema(t))
	res := storetest.RunLive(t, u, rounds, func(t *testing.T) backend.Backend {
		b, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}, vapConnector)
	t.Logf("shared store, update → new connection: %s", res.Summary())
	// One change per round invalidates the cached version once; a few
	// spurious reports are allowed, one query per connection is not.
	if res.VersionQueries > 4*rounds {
		t.Errorf("%d version queries for %d connections in %d rounds: the store is asked on every connect", res.VersionQueries, res.Connects, rounds)
	}
}

// vapConnector is the vap driver's connector for name in st.
func vapConnector(st *store.Store, name string) (sqldriver.Connector, error) {
	return vapdriver.NewConnector(name, vapdriver.WithStore(st), vapdriver.WithRegistry(st.Registry()))
}
