package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/sqlite"
)

// remoteBackend hides the SQLite backend's Local method: it stands for a
// backend given in code that is no local file.
type remoteBackend struct{ backend.Backend }

// TestKeysetCreatedOnlyForLocalStore: a missing $VAP_HOME/keyset.json is
// created by a write for the embedded store (by default, or named by path or
// sqlite:// URL) and refused for any other store.
func TestKeysetCreatedOnlyForLocalStore(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		opts   func(t *testing.T, home string) []store.Option
		create bool
	}{
		{"default store", func(t *testing.T, home string) []store.Option { return nil }, true},
		{"path", func(t *testing.T, home string) []store.Option {
			return []store.Option{store.WithURL(filepath.Join(t.TempDir(), "s.db"))}
		}, true},
		{"sqlite URL", func(t *testing.T, home string) []store.Option {
			return []store.Option{store.WithURL("sqlite://" + filepath.Join(t.TempDir(), "s.db"))}
		}, true},
		{"sqlite backend", func(t *testing.T, home string) []store.Option {
			b, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
			if err != nil {
				t.Fatal(err)
			}
			return []store.Option{store.WithBackend(b)}
		}, true},
		{"postgres URL", func(t *testing.T, home string) []store.Option {
			return []store.Option{store.WithURL("postgres://vap@db.invalid/platform")}
		}, false},
		{"backend that is not local", func(t *testing.T, home string) []store.Option {
			b, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
			if err != nil {
				t.Fatal(err)
			}
			return []store.Option{store.WithBackend(remoteBackend{b})}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, home := newStoreIn(t, tc.opts)
			c := &store.Connection{Name: "c", Type: "sqlite"}
			c.Set("path", "/tmp/x.db", false)
			err := st.Create(ctx, c) // a write: reads never create a keyset
			_, statErr := os.Stat(filepath.Join(home, store.KeysetFileName))
			if tc.create {
				if err != nil || statErr != nil {
					t.Fatalf("Create: %v; keyset file: %v", err, statErr)
				}
				return
			}
			if !errors.Is(err, store.ErrKeyset) {
				t.Fatalf("Create on a shared store without a keyset: %v, want ErrKeyset", err)
			}
			if !errors.Is(statErr, os.ErrNotExist) {
				t.Fatalf("a keyset file was created for a shared store: %v", statErr)
			}
		})
	}
}

func newStoreIn(t *testing.T, opts func(t *testing.T, home string) []store.Option) (*store.Store, string) {
	t.Helper()
	home := t.TempDir()
	st := store.Open(append([]store.Option{store.WithHome(home), noEnv}, opts(t, home)...)...)
	t.Cleanup(func() { st.Close() })
	return st, home
}
