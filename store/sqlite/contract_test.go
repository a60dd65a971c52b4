package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vapsql/vap/internal/sqliteuri"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/sqlite"
	"github.com/vapsql/vap/store/storetest"
)

func TestContract(t *testing.T) {
	for _, tc := range []struct {
		name string
		path func(t *testing.T) string
	}{
		{"file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "store.db") }},
		{"memory", func(t *testing.T) string { return sqliteuri.Memory }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) backend.Backend {
				b, err := sqlite.Open(context.Background(), tc.path(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { b.Close() })
				return b
			})
		})
	}
}
