package stdlib_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// nullConnector makes connections that do nothing, so that a benchmark of
// Connect measures vap's own work alone.
type nullConnector struct{}

func (nullConnector) Connect(context.Context) (driver.Conn, error) { return nullConn{}, nil }
func (nullConnector) Driver() driver.Driver                        { return nil }

type nullConn struct{}

func (nullConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("null") }
func (nullConn) Close() error                        { return nil }
func (nullConn) Begin() (driver.Tx, error)           { return nil, errors.New("null") }

// BenchmarkConnectOverhead is Connect on a type whose connections cost
// nothing: vap's work per new physical connection (the version check on
// the embedded store; for a connection with a reference, the cache hit and
// the digest of the dynamic fields; with a lifetime, the wrapper), side by
// side.
func BenchmarkConnectOverhead(b *testing.B) {
	reg := &registry.Registry{}
	reg.Register(&registry.Type{Name: "nulltype", Optional: []string{"password", "user_name"}, Secrets: []string{"password"},
		Connector: func(context.Context, registry.Params) (driver.Connector, error) { return nullConnector{}, nil }})
	home := b.TempDir()
	st := store.Open(store.WithHome(home), store.WithRegistry(reg), store.WithoutEnvOverrides())
	defer st.Close()
	b.Setenv("VAP_BENCH_NULL_PASSWORD", "bench-password-1")
	key := uniq("null")
	counting.set(key, "bench-password-2", time.Hour)
	for name, ref := range map[string]string{"static": "", "ref": "env:VAP_BENCH_NULL_PASSWORD", "ref-lifetime": "count-test:" + key} {
		c := &store.Connection{Name: name, Type: "nulltype"}
		c.Set("user_name", "u", false)
		if ref == "" {
			c.Set("password", "bench-password-0", true)
		} else {
			c.SetRef("password", ref)
		}
		if err := st.Create(context.Background(), c); err != nil {
			b.Fatal(err)
		}
	}
	for _, name := range []string{"static", "ref", "ref-lifetime"} {
		b.Run(name, func(b *testing.B) {
			c, err := stdlib.NewConnector(name, stdlib.WithStore(st), stdlib.WithRegistry(reg), stdlib.WithCredentialCache(credential.NewCache()))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				conn, err := c.Connect(ctx)
				if err != nil {
					b.Fatal(err)
				}
				conn.Close()
			}
		})
	}
}
