package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store/postgres"
)

// tempSchema returns a schema name no other test or run uses, and drops it
// when t ends.
func tempSchema(t *testing.T) string {
	t.Helper()
	admin := testenv.Postgres(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "vap_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// storeURL returns the test server's URL selecting schema.
func storeURL(t *testing.T, schema string) string {
	t.Helper()
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal("the test PostgreSQL URL does not parse")
	}
	q := u.Query()
	q.Set("schema", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openTemp opens a backend on a fresh schema.
func openTemp(t *testing.T) *postgres.Backend {
	t.Helper()
	schema := tempSchema(t)
	b, err := postgres.Open(context.Background(), storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
