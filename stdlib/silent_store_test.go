package stdlib_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// proxiedPGStore returns a store on a fresh schema of the test PostgreSQL
// server, reached through a proxy the test controls, and the proxy.
func proxiedPGStore(t *testing.T) (*store.Store, *testenv.Proxy) {
	t.Helper()
	admin := testenv.Postgres(t)
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal("the test PostgreSQL URL does not parse")
	}
	p := testenv.StartProxy(t, u.Host)
	var b [6]byte
	rand.Read(b[:])
	schema := "vap_test_" + hex.EncodeToString(b[:])
	u.Host = p.Addr()
	q := u.Query()
	q.Set("schema", schema)
	u.RawQuery = q.Encode()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(u.String()), store.WithKeyset(h), store.WithoutEnvOverrides())
	t.Cleanup(func() {
		p.Close() // unblock whatever still waits on the silent store
		st.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	})
	return st, p
}

// healthyDB stores connection name: an SQLite database file, a database
// that stays up while the store fails and whose connections cost no
// server process (the test is about the store's path, not the database's).
func healthyDB(t *testing.T, st *store.Store, name string) {
	t.Helper()
	testenv.Put(t, st, name, "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "healthy.db")})
}

// TestSilentStoreDoesNotBlockHealthyDatabase: the store goes silent (the
// proxy in front of it accepts and never answers, no RST) while the
// database stays up. A caller without a deadline asks first; then 20
// queries with a 3 s deadline run at once. Each must succeed and return
// well before its deadline: the version check is bounded on its own, runs
// outside the connector's lock, is shared by every caller, and serves the
// last known version when the store does not answer in time.
func TestSilentStoreDoesNotBlockHealthyDatabase(t *testing.T) {
	testSilentStore(t, testenv.BlackHole)
}

// TestDownStoreDoesNotBlockHealthyDatabase is the same with a store that
// resets every connection (an RST-style outage).
func TestDownStoreDoesNotBlockHealthyDatabase(t *testing.T) {
	testSilentStore(t, testenv.Reset)
}

func testSilentStore(t *testing.T, mode testenv.ProxyMode) {
	st, proxy := proxiedPGStore(t)
	healthyDB(t, st, "healthy")
	c, err := stdlib.NewConnector("healthy", stdlib.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer func() {
		proxy.Close() // release whatever still waits on the store first
		db.Close()
	}()
	db.SetMaxIdleConns(0) // every query opens a new physical connection: a version check each

	proxy.SetMode(mode)

	// A caller without a deadline goes first and must not hold the others up.
	bg := make(chan error, 1)
	go func() {
		var one int
		bg <- db.QueryRowContext(context.Background(), "SELECT 1").Scan(&one)
	}()
	time.Sleep(50 * time.Millisecond)

	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := make([]error, n)
	late := make([]error, n)
	back := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			// Half of the deadline is the bound: a query must come back
			// with time to spare, not merely at its deadline.
			half, cancelHalf := context.WithTimeout(ctx, 1500*time.Millisecond)
			defer cancelHalf()
			var one int
			err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
			mu.Lock()
			errs[i], late[i], back[i] = err, half.Err(), true
			mu.Unlock()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		// Blocked past its own deadline (a lock held across the store's
		// I/O ignores contexts): report, and let the cleanup's closing of
		// the proxy release them.
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range n {
		if !back[i] {
			t.Errorf("query %d with a 3 s deadline has not returned after 10 s", i)
		} else if errs[i] != nil {
			t.Errorf("query %d with a 3 s deadline on the healthy database: %v", i, errs[i])
		} else if late[i] != nil {
			t.Errorf("query %d came back only after 1.5 s of its 3 s deadline", i)
		}
	}
	select {
	case err := <-bg:
		if err != nil {
			t.Errorf("the deadline-less caller: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the deadline-less caller is still waiting on the store after 10 s")
	}
}
