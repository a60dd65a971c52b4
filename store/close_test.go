package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/sqlite"
)

// TestClosedStoreRefusesEverything proves a Store used after Close fails
// with ErrClosed and never opens another store: here the default
// $VAP_HOME/store.db a Store built WithBackend would otherwise fall back to.
func TestClosedStoreRefusesEverything(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	b, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "given.db"))
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithHome(home), store.WithBackend(b), noEnv)
	if err := st.Create(ctx, pgConn("c", "pw-1")); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	calls := []struct {
		name string
		fn   func() error
	}{
		{"Get", func() error { _, err := st.Get(ctx, "c"); return err }},
		{"Resolve", func() error { _, err := st.Resolve(ctx, "c"); return err }},
		{"Version", func() error { _, err := st.Version(ctx, "c"); return err }},
		{"List", func() error { _, err := st.List(ctx); return err }},
		{"Create", func() error { return st.Create(ctx, pgConn("d", "pw-2")) }},
		{"Create invalid", func() error { return st.Create(ctx, &store.Connection{Name: "e", Type: "postgresql"}) }},
		{"Update", func() error { c := pgConn("c", "pw-3"); c.Version = 1; return st.Update(ctx, c) }},
		{"Delete", func() error { return st.Delete(ctx, "c") }},
		{"Keys", func() error { _, err := st.Keys(ctx); return err }},
		{"RotateKey", func() error { _, err := st.RotateKey(ctx); return err }},
		{"RetireKey", func() error { return st.RetireKey(ctx, 1) }},
		{"Reencrypt", func() error {
			h, err := store.NewKeyset()
			if err != nil {
				return err
			}
			return st.Reencrypt(ctx, h)
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			if err := c.fn(); !errors.Is(err, store.ErrClosed) {
				t.Fatalf("%s after Close: %v, want ErrClosed", c.name, err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(home, store.StoreFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a closed Store opened the default store file: %v", err)
	}
}
