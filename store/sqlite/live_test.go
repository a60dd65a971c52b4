package sqlite_test

import (
	"context"
	sqldriver "database/sql/driver"
	"path/filepath"
	"testing"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/sqlite"
	"github.com/vapsql/vap/store/storetest"
)

// TestLiveUpdateTwoProcesses: another process changes the connection; this
// one's *sql.DB opens its next physical connections on the new database.
func TestLiveUpdateTwoProcesses(t *testing.T) {
	const rounds = 5
	path := filepath.Join(t.TempDir(), "store.db")
	res := storetest.RunLive(t, path, rounds, func(t *testing.T) backend.Backend {
		b, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}, vapConnector)
	t.Logf("embedded store, update → new connection: %s", res.Summary())
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
