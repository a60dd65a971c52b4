package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/postgres"
)

// withParams adds query parameters to a store URL.
func withParams(t *testing.T, raw string, kv ...string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for i := 0; i < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func openStore(t *testing.T, u string) *store.Store {
	t.Helper()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(u), store.WithKeyset(h), store.WithoutEnvOverrides())
	t.Cleanup(func() { st.Close() })
	return st
}

func put(t *testing.T, st *store.Store, name string) {
	t.Helper()
	c := &store.Connection{Name: name, Type: "postgresql"}
	c.Set("host", "h1", false)
	c.Set("user_name", "u", false)
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// sessions counts the store sessions of application name app, and the
// watch sessions of schema.
func sessions(t *testing.T, app, schema string) (pool, watch int) {
	t.Helper()
	admin := testenv.Postgres(t)
	if err := admin.QueryRow(`SELECT count(*) FILTER (WHERE application_name = $1), count(*) FILTER (WHERE application_name = $2) FROM pg_stat_activity`,
		app, postgres.WatchApplicationName(schema)).Scan(&pool, &watch); err != nil {
		t.Fatal(err)
	}
	return pool, watch
}

// TestResolvedProcessHoldsNoStoreConnection: a process that resolved a
// name and checked its version (what the driver does on its first physical
// connection) holds no store connection soon after: no idle pooled
// connection, no LISTEN session (the watch waits until the process proves
// long-lived).
func TestResolvedProcessHoldsNoStoreConnection(t *testing.T) {
	ctx := context.Background()
	schema := tempSchema(t)
	var b [4]byte
	rand.Read(b[:])
	app := "vap-test-" + hex.EncodeToString(b[:])
	st := openStore(t, withParams(t, storeURL(t, schema), "application_name", app))
	put(t, st, "n")
	if _, err := st.Resolve(ctx, "n"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Version(ctx, "n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		pool, watch := sessions(t, app, schema)
		if watch != 0 {
			t.Fatalf("a process that only resolved a name opened a watch session")
		}
		if pool == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d idle store connection(s) still open 20 s after the name was resolved", pool)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPollWatch: with watch=poll the store learns of another process's
// change without a LISTEN session (PgBouncer in transaction pooling mode
// has none).
func TestPollWatch(t *testing.T) {
	ctx := context.Background()
	schema := tempSchema(t)
	st := openStore(t, withParams(t, storeURL(t, schema), "watch", "poll"))
	put(t, st, "w")
	other := openStore(t, storeURL(t, schema))
	deadline := time.Now().Add(20 * time.Second)
	// Prove long-lived, so that the (polling) watch starts and versions are
	// served from its cache.
	for time.Now().Before(deadline) {
		if _, err := st.Version(ctx, "w"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		if time.Until(deadline) < 15*time.Second {
			break
		}
	}
	c, err := other.Get(ctx, "w")
	if err != nil {
		t.Fatal(err)
	}
	c.Set("host", "h2", false)
	if err := other.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	for {
		v, err := st.Version(ctx, "w")
		if err != nil {
			t.Fatal(err)
		}
		if v == c.Version {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a polling store still sees version %d, want %d", v, c.Version)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, watch := sessions(t, "-", schema); watch != 0 {
		t.Errorf("a watch=poll store opened %d LISTEN session(s)", watch)
	}
	for _, bad := range []string{"0s", "10ms", "forever"} {
		if _, err := postgres.Open(ctx, withParams(t, storeURL(t, schema), "watch", "poll", "poll_interval", bad)); err == nil || !strings.Contains(err.Error(), "poll_interval") {
			t.Errorf("poll_interval=%s: %v", bad, err)
		}
	}
	if _, err := postgres.Open(ctx, withParams(t, storeURL(t, schema), "watch", "sometimes")); err == nil || !strings.Contains(err.Error(), `watch="sometimes"`) {
		t.Errorf("watch=sometimes: %v", err)
	}
}

// TestResolveRetriesUnavailableStore: a Flow starting while the store
// turns connections away retries within its deadline: it succeeds when the
// store comes back in time, and fails with ErrUnavailable when it does not.
func TestResolveRetriesUnavailableStore(t *testing.T) {
	ctx := context.Background()
	u, p := proxiedURL(t)
	put(t, openStore(t, u), "r")

	p.SetMode(testenv.Reset)
	st := openStore(t, u)
	go func() {
		time.Sleep(500 * time.Millisecond)
		p.SetMode(testenv.Forward)
	}()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := st.Resolve(cctx, "r"); err != nil {
		t.Fatalf("Resolve while the store came back within the deadline: %v", err)
	}

	p.SetMode(testenv.Reset)
	st2 := openStore(t, u)
	cctx2, cancel2 := context.WithTimeout(ctx, time.Second)
	defer cancel2()
	_, err := st2.Resolve(cctx2, "r")
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "tried") {
		t.Fatalf("Resolve on a store that stays down: %v, want ErrUnavailable saying how long it tried", err)
	}
}
