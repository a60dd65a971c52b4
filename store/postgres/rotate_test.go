package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// TestRotateOnSharedStore rotates the key of a PostgreSQL store: every
// secret is re-encrypted in one transaction, a second process (another
// Store on the same schema and keyset file) still reads them, and the old
// key can then be retired.
func TestRotateOnSharedStore(t *testing.T) {
	ctx := context.Background()
	u := storeURL(t, tempSchema(t))
	home := t.TempDir()
	// A shared store gets no keyset made up on the fly: provision it.
	if _, err := keyset.LoadOrCreate(filepath.Join(home, store.KeysetFileName)); err != nil {
		t.Fatal(err)
	}
	open := func() *store.Store {
		st := store.Open(store.WithURL(u), store.WithHome(home), store.WithoutEnvOverrides(),
			store.WithLookupEnv(func(string) (string, bool) { return "", false }))
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	pw := map[string]string{"one": "pw-one-rot", "two": "pw-two-rot"}
	for name, p := range pw {
		c := &store.Connection{Name: name, Type: "postgresql"}
		c.Set("host", "h", false)
		c.Set("user_name", "u", false)
		c.Set("password", p, false)
		if err := a.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Get(ctx, "one"); err != nil { // b holds the old keyset now
		t.Fatal(err)
	}
	ks, err := a.Keys(ctx)
	if err != nil || len(ks) != 1 {
		t.Fatalf("keys: %+v %v", ks, err)
	}
	old := ks[0].ID
	k, err := a.RotateKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range pw {
		c, err := b.Get(ctx, name)
		if err != nil || c.Get("password") != p {
			t.Fatalf("%s after rotation, from the other store: %v", name, err)
		}
	}
	if err := a.RetireKey(ctx, old); err != nil {
		t.Fatal(err)
	}
	ks, err = b.Keys(ctx)
	if err != nil || len(ks) != 1 || ks[0].ID != k.ID || ks[0].Secrets != 2 {
		t.Fatalf("keys after retire: %+v %v", ks, err)
	}
}
