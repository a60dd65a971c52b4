package stdlib_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/postgres" // the shared store case
)

// pgStore returns a store on a fresh schema of the test PostgreSQL server
// (a Watcher backend: Version answers from its cache), dropped when t ends.
func pgStore(t *testing.T) *store.Store {
	t.Helper()
	admin := testenv.Postgres(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "vap_test_" + hex.EncodeToString(b[:])
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal("the test PostgreSQL URL does not parse")
	}
	q := u.Query()
	q.Set("schema", schema)
	u.RawQuery = q.Encode()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(u.String()), store.WithKeyset(h), store.WithoutEnvOverrides())
	t.Cleanup(func() {
		st.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return st
}

// TestRecreatedConnectionPickedUp proves an open *sql.DB follows a
// connection that was deleted and created again with another
// configuration: its next physical connection uses the new one. The
// re-created name must not come back at the version the connector holds,
// or the connector would not look again.
func TestRecreatedConnectionPickedUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		st   func(t *testing.T) *store.Store
	}{
		{"sqlite store", func(t *testing.T) *store.Store { return testenv.Store(t) }},
		{"postgres store", pgStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := tc.st(t)
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
			testenv.Put(t, st, "recreated", "sqlite", map[string]string{"path": a})
			db := testenv.OpenDB(t, st, "recreated")
			db.SetMaxIdleConns(0) // every query opens a new physical connection
			file := func() string {
				t.Helper()
				var f string
				if err := db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&f); err != nil {
					t.Fatal(err)
				}
				return f
			}
			if got := file(); got != a {
				t.Fatalf("before: the connection opens %s, want %s", got, a)
			}
			if err := st.Delete(ctx, "recreated"); err != nil {
				t.Fatal(err)
			}
			c := testenv.Put(t, st, "recreated", "sqlite", map[string]string{"path": b})
			if c.Version <= 1 {
				t.Errorf("re-created at version %d, want above the deleted version 1", c.Version)
			}
			// The writes went through st, which forgets its cached versions
			// of the name at once: no wait is needed.
			if got := file(); got != b {
				t.Fatalf("after delete and re-create with path b, the open DB still opens %s", got)
			}
		})
	}
}
