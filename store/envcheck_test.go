package store_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

// TestVersionOfEnvOverrideChecksOnce: the version check before each new
// physical connection (Version) does not decode and validate an unchanged
// VAP_CONN_<NAME> again; a changed value is checked anew, and an invalid
// one fails Version as it fails Resolve.
func TestVersionOfEnvOverrideChecksOnce(t *testing.T) {
	var checks atomic.Int64
	reg := &registry.Registry{}
	reg.Register(&registry.Type{Name: "envcheck", Required: []string{"host"}, Optional: []string{"password"},
		Secrets: []string{"password"},
		Connector: func(context.Context, registry.Params) (driver.Connector, error) {
			return nil, errors.New("envcheck: not connectable")
		},
		Check: func(p registry.Params) error {
			checks.Add(1)
			if p.Get("host") == "bad" {
				return &registry.FieldError{Type: "envcheck", Field: "host", Reason: "is bad"}
			}
			return nil
		}})
	env := map[string]string{"VAP_CONN_DB": `{"connection_type":"envcheck","host":"a","password":"pw-9f8e7d6c"}`}
	st := store.Open(store.WithHome(t.TempDir()), store.WithRegistry(reg),
		store.WithLookupEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }))
	defer st.Close()
	ctx := context.Background()

	if _, err := st.Resolve(ctx, "db"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if v, err := st.Version(ctx, "db"); err != nil || v != 0 {
			t.Fatalf("Version = %d, %v", v, err)
		}
	}
	if n := checks.Load(); n != 1 {
		t.Errorf("an unchanged override was checked %d times for one Resolve and three Versions, want 1", n)
	}

	env["VAP_CONN_DB"] = `{"connection_type":"envcheck","host":"bad"}`
	_, err := st.Version(ctx, "db")
	var fe *registry.FieldError
	if !errors.As(err, &fe) || fe.Field != "host" {
		t.Fatalf("Version of a changed, invalid override: %v", err)
	}
	if _, err := st.Version(ctx, "db"); !errors.As(err, &fe) {
		t.Fatalf("Version again: %v", err)
	}
	if _, err := st.Resolve(ctx, "db"); !errors.As(err, &fe) {
		t.Fatalf("Resolve: %v", err)
	}
	env["VAP_CONN_DB"] = `{"connection_type":"envcheck","host":"b"}`
	if _, err := st.Version(ctx, "db"); err != nil {
		t.Fatal(err)
	}
	delete(env, "VAP_CONN_DB")
	if _, err := st.Version(ctx, "db"); err == nil {
		t.Fatal("Version after the override is gone, with no store: no error")
	}
}
