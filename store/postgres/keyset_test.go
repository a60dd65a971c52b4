package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// TestSharedStoreNeedsItsKeyset: a process on a fresh machine pointed at the
// shared PostgreSQL store with no keyset configured must not mint a keyset
// of its own and write secrets nobody else can read. It fails with an error
// naming VAP_KEYSET_FILE and VAP_KEYSET, writes nothing, creates no keyset
// file; given the team's keyset file it works.
func TestSharedStoreNeedsItsKeyset(t *testing.T) {
	ctx := context.Background()
	u := storeURL(t, tempSchema(t))
	teamHome := t.TempDir()
	teamKeyset := filepath.Join(teamHome, store.KeysetFileName)
	if _, err := keyset.LoadOrCreate(teamKeyset); err != nil {
		t.Fatal(err)
	}
	open := func(home string, env map[string]string) *store.Store {
		st := store.Open(store.WithURL(u), store.WithHome(home), store.WithoutEnvOverrides(),
			store.WithLookupEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }))
		t.Cleanup(func() { st.Close() })
		return st
	}
	conn := func(name string) *store.Connection {
		c := &store.Connection{Name: name, Type: "postgresql"}
		c.Set("host", "h", false)
		c.Set("user_name", "u", false)
		c.Set("password", "pw-"+name, false)
		return c
	}
	if err := open(teamHome, nil).Create(ctx, conn("x")); err != nil {
		t.Fatal(err)
	}

	freshHome := t.TempDir()
	fresh := open(freshHome, nil)
	err := fresh.Create(ctx, conn("y"))
	if !errors.Is(err, store.ErrKeyset) || !strings.Contains(err.Error(), store.EnvKeysetFile) || !strings.Contains(err.Error(), store.EnvKeyset) {
		t.Fatalf("Create on the shared store without a keyset: %v; want ErrKeyset naming %s and %s", err, store.EnvKeysetFile, store.EnvKeyset)
	}
	if _, err := fresh.Get(ctx, "x"); !errors.Is(err, store.ErrKeyset) {
		t.Fatalf("Get without a keyset: %v, want ErrKeyset", err)
	}
	if _, err := os.Stat(filepath.Join(freshHome, store.KeysetFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a keyset file was created for the shared store: %v", err)
	}
	list, err := open(teamHome, nil).List(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("the refused Create changed the store: %d connections, %v", len(list), err)
	}

	withTeamKeyset := open(freshHome, map[string]string{store.EnvKeysetFile: teamKeyset})
	if err := withTeamKeyset.Create(ctx, conn("y")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x", "y"} {
		if c, err := open(teamHome, nil).Get(ctx, name); err != nil || c.Get("password") != "pw-"+name {
			t.Fatalf("%s from the team's side: %v", name, err)
		}
	}
}
