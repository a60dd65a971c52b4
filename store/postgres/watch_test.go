package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	_ "github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/postgres"
)

// waitVersion polls st.Version until it reports want (bounded).
func waitVersion(t *testing.T, st *store.Store, name string, want int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := st.Version(context.Background(), name)
		if err == nil && v == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Version(%q) = %d, %v 30s on; want %d", name, v, err, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWatchLostIsNotStale: when the listening session dies, a change made
// meanwhile (its NOTIFY lost) must still reach Store.Version: the store
// forgets its cache and watches again.
func TestWatchLostIsNotStale(t *testing.T) {
	ctx := context.Background()
	admin := testenv.Postgres(t)
	schema := tempSchema(t)
	b, err := postgres.Open(ctx, storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithBackend(b), store.WithKeyset(h), store.WithoutEnvOverrides())
	defer st.Close()
	c := &store.Connection{Name: "w", Type: "postgresql"}
	c.Set("host", "h1", false)
	c.Set("user_name", "u", false)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	waitVersion(t, st, "w", 1)

	// Wait for the watch session, then kill it. The watch starts only once
	// the process proves long-lived: keep checking versions meanwhile.
	app := postgres.WatchApplicationName(schema)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := st.Version(ctx, "w"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no watch session appeared in 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A change from elsewhere while nobody listens.
	if _, err := admin.ExecContext(ctx, `UPDATE `+schema+`.vap_connections SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	waitVersion(t, st, "w", 2)
}

// TestWatchAnswersVersionAfterNotify: right after a LISTEN watch reports a
// change, the version check that follows takes no connection from the
// pool: the watch read the new version on its own session. (Before, every
// long-lived process opened a store connection at the same moment after
// each change, and with a hundred of them the update took seconds.)
func TestWatchAnswersVersionAfterNotify(t *testing.T) {
	ctx := context.Background()
	schema := tempSchema(t)
	w, err := postgres.Open(ctx, storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	writer, err := postgres.Open(ctx, storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := w.Watch(wctx)
	if err != nil {
		t.Fatal(err)
	}
	r := &backend.Record{Name: "n", Type: "postgresql", Fields: map[string]backend.SealedField{"host": {Value: "h1"}}}
	if err := writer.Insert(ctx, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int64{r.Version, r.Version + 1, r.Version + 2} {
		if want > r.Version {
			if err := writer.Update(ctx, &backend.Record{Name: "n", Type: "postgresql", Version: want - 1, Fields: r.Fields}); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case name := <-ch:
			if name != "n" {
				t.Fatalf("watch reported %q", name)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("no notification in 30 s")
		}
		before := postgres.AcquireCount(w)
		v, err := w.Version(ctx, "n")
		if err != nil || v != want {
			t.Fatalf("Version after the report = %d, %v; want %d", v, err, want)
		}
		if n := postgres.AcquireCount(w) - before; n != 0 {
			t.Fatalf("the version check after the report took %d pool connection(s), want none", n)
		}
	}
	if err := writer.Delete(ctx, "n"); err != nil {
		t.Fatal(err)
	}
	<-ch
	if _, err := w.Version(ctx, "n"); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("Version after a delete: %v, want ErrNotFound", err)
	}
	cancel()
	for range ch {
	}
	before := postgres.AcquireCount(w)
	w.Version(ctx, "n")
	if postgres.AcquireCount(w) == before {
		t.Fatal("a version check after the watch ended was answered without the store")
	}
}
