package postgres_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store"
)

// proxiedURL returns a store URL on a fresh schema reached through a proxy
// the test controls.
func proxiedURL(t *testing.T) (string, *testenv.Proxy) {
	t.Helper()
	u, err := url.Parse(storeURL(t, tempSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	p := testenv.StartProxy(t, u.Host)
	u.Host = p.Addr()
	return u.String(), p
}

// TestSilentStoreOpenHoldsNoLock: while a caller without a deadline waits on
// a store that went silent before it was ever opened, another caller with a
// deadline returns at its deadline with the context's error: opening the
// backend is not done under a lock other calls need.
func TestSilentStoreOpenHoldsNoLock(t *testing.T) {
	u, p := proxiedURL(t)
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(u), store.WithKeyset(h), store.WithoutEnvOverrides())
	p.SetMode(testenv.BlackHole)
	t.Cleanup(func() {
		p.Close()
		st.Close()
	})

	first := make(chan error, 1)
	go func() {
		_, err := st.List(context.Background())
		first <- err
	}()
	time.Sleep(100 * time.Millisecond) // let it start opening

	second := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := st.List(ctx)
		second <- err
	}()
	select {
	case err := <-second:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("List with a 1 s deadline on a silent store: %v, want the deadline's error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("List with a 1 s deadline is still waiting after 10 s: the store's open holds a lock")
	}
	select {
	case err := <-first:
		t.Fatalf("the deadline-less List returned while the store is silent: %v", err)
	default:
	}
}
