package stdlib_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"testing"
	"time"

	pgxstdlib "github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// benchAll returns the pgx connector and the vap connector for the same
// server, user and database, side by side, and vap connectors whose
// password is a secret reference (env:, served from the credential cache),
// without and with a bounded connection lifetime (the wrapped connection).
func benchAll(b *testing.B) (direct, vap driver.Connector, refs []namedConnector) {
	b.Helper()
	testenv.Postgres(b)
	st := testenv.Store(b)
	c := testenv.Put(b, st, "bench-pg", "postgresql", map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"})
	// The same pgx configuration vap builds, so that only vap's layer differs.
	cfg, err := postgres.Config(c.Params(), 5432, "prefer")
	if err != nil {
		b.Fatal(err)
	}
	vc, err := stdlib.NewConnector("bench-pg", stdlib.WithStore(st))
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv("VAP_BENCH_PG_PASSWORD", "trust-ignores-it")
	key := uniq("bench")
	counting.set(key, "trust-ignores-it", time.Hour)
	for _, rc := range []struct{ name, ref string }{{"vap-ref", "env:VAP_BENCH_PG_PASSWORD"}, {"vap-ref-lifetime", "count-test:" + key}} {
		c := &store.Connection{Name: rc.name, Type: "postgresql"}
		for k, v := range map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"} {
			c.Set(k, v, false)
		}
		c.SetRef("password", rc.ref)
		if err := st.Create(context.Background(), c); err != nil {
			b.Fatal(err)
		}
		rv, err := stdlib.NewConnector(rc.name, stdlib.WithStore(st))
		if err != nil {
			b.Fatal(err)
		}
		refs = append(refs, namedConnector{rc.name, rv})
	}
	return pgxstdlib.GetConnector(*cfg), vc, refs
}

type namedConnector struct {
	name string
	c    driver.Connector
}

// BenchmarkSelect1 runs SELECT 1 on one pooled connection, through pgx's
// database/sql driver directly and through vap. vap returns pgx's own
// connection, so the two should be equal (target: vap/pgx ≤ 1.02).
func BenchmarkSelect1(b *testing.B) {
	direct, vap, refs := benchAll(b)
	for _, bc := range append([]namedConnector{{"pgx", direct}, {"vap", vap}}, refs...) {
		b.Run(bc.name, func(b *testing.B) {
			db := sql.OpenDB(bc.c)
			defer db.Close()
			db.SetMaxOpenConns(1)
			ctx := context.Background()
			var n int
			if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConnect opens and closes a fresh physical connection (TCP,
// startup, auth) through pgx's connector and through vap's, which adds one
// version check on the embedded store (target: vap/pgx ≤ 1.05). vap-ref
// adds a credential cache hit and a digest of the dynamic fields.
func BenchmarkConnect(b *testing.B) {
	direct, vap, refs := benchAll(b)
	for _, bc := range append([]namedConnector{{"pgx", direct}, {"vap", vap}}, refs...) {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				conn, err := bc.c.Connect(ctx)
				if err != nil {
					b.Fatal(err)
				}
				conn.Close()
			}
		})
	}
}

// BenchmarkResolve measures name resolution alone on the embedded store:
// the version check done before each new connection, a full resolve (read
// and decrypt), and a whole NewConnector (resolve and build pgx's config).
func BenchmarkResolve(b *testing.B) {
	ctx := context.Background()
	home := b.TempDir()
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, "s.db")), store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	defer st.Close()
	testenv.Put(b, st, "bench-pg", "postgresql", map[string]string{"host": "127.0.0.1", "user_name": "root", "password": "pw", "dbname": "test"})
	b.Run("version-check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := st.Version(ctx, "bench-pg"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("resolve", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := st.Resolve(ctx, "bench-pg"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("new-connector", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := stdlib.NewConnector("bench-pg", stdlib.WithStore(st)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
