package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
)

// TestDecodeRefusesAmbiguousJSON: a payload encoding/json would silently
// alter (a key given twice, bytes that are not UTF-8, a lone surrogate
// escape) is refused on both decoding paths, CLI -f and VAP_CONN_*.
func TestDecodeRefusesAmbiguousJSON(t *testing.T) {
	const secret = "dup-canary-secret"
	tests := []struct{ name, data string }{
		{"duplicate field turns a secret plain", `{"connection_type":"postgresql","host":"h","user_name":"u","dbname":{"value":"` + secret + `","encrypt":true},"dbname":"x"}`},
		{"duplicate connection_type", `{"connection_type":"sqlite","connection_type":"postgresql","path":"/x"}`},
		{"duplicate option", `{"connection_type":"sqlite","path":"/x","options":{"mode":"ro","mode":"rw"}}`},
		{"duplicate key in a field object", `{"connection_type":"postgresql","host":"h","user_name":"u","password":{"value":"` + secret + `","value":"b"}}`},
		{"invalid UTF-8 in a value", "{\"connection_type\":\"sqlite\",\"path\":\"/x\xff\"}"},
		{"invalid UTF-8 in a key", "{\"connection_type\":\"sqlite\",\"path\":\"/x\",\"\xfe\":\"a\"}"},
		{"lone high surrogate", `{"connection_type":"sqlite","path":"/x\ud800"}`},
		{"lone low surrogate", `{"connection_type":"sqlite","path":"/x\udc00y"}`},
		{"high surrogate then a plain escape", `{"connection_type":"sqlite","path":"/x\ud800\n"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := store.DecodeConnectionData("c", strings.NewReader(tc.data)); !errors.Is(err, store.ErrInvalid) || strings.Contains(err.Error(), secret) {
				t.Errorf("DecodeConnectionData: %v, want ErrInvalid without the value", err)
			}
			payload := `{"name":"c","connection_data":` + tc.data + `}`
			if _, err := store.DecodePayload(strings.NewReader(payload)); !errors.Is(err, store.ErrInvalid) || strings.Contains(err.Error(), secret) {
				t.Errorf("DecodePayload: %v, want ErrInvalid without the value", err)
			}
		})
	}
	// A pair of surrogates is one character, not an error.
	c, err := store.DecodeConnectionData("c", strings.NewReader(`{"connection_type":"sqlite","path":"/x\ud83e\udd80"}`))
	if err != nil || c.Get("path") != "/x🦀" {
		t.Fatalf("surrogate pair: %v %q", err, c.Get("path"))
	}
	// Duplicate top-level payload keys too.
	if _, err := store.DecodePayload(strings.NewReader(`{"name":"a","name":"b","connection_data":{"connection_type":"sqlite","path":"/x"}}`)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("payload with name twice: %v", err)
	}
}

// TestEnvOverrideRefusesBadUTF8: VAP_CONN_<NAME> goes through the same
// checks as a payload.
func TestEnvOverrideRefusesBadUTF8(t *testing.T) {
	env := map[string]string{
		store.EnvName("bad"): "{\"connection_type\":\"sqlite\",\"path\":\"/x\xff\"}",
		store.EnvName("sur"): `{"connection_type":"sqlite","path":"/x\udc00"}`,
		store.EnvName("dup"): `{"connection_type":"sqlite","path":"/x","path":"/y"}`,
	}
	st := store.Open(store.WithHome(t.TempDir()), store.WithLookupEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }))
	defer st.Close()
	for _, name := range []string{"bad", "sur", "dup"} {
		if _, err := st.Resolve(context.Background(), name); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Resolve(%s): %v, want ErrInvalid", name, err)
		}
	}
}

// TestTypeStoredCanonical: a type given by alias, case or padding is stored
// under its canonical name.
func TestTypeStoredCanonical(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	for i, typ := range []string{" PostgreSQL ", "postgres", "PG"} {
		c := pgConn("canon-"+string(rune('a'+i)), "pw")
		c.Type = typ
		if err := st.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := st.Get(ctx, c.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got.Type != "postgresql" {
			t.Errorf("type %q stored as %q, want postgresql", typ, got.Type)
		}
	}
}

// TestRelativeSQLitePathStoredAbsolute: the path of a sqlite connection is
// stored absolute, so that it names the same file from every directory.
func TestRelativeSQLitePathStoredAbsolute(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	c := &store.Connection{Name: "rel", Type: "sqlite"}
	c.Set("path", filepath.Join("data", "app.db"), false)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, "rel")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Join(wd, "data", "app.db"); got.Get("path") != want {
		t.Fatalf("path stored as %q, want %q", got.Get("path"), want)
	}
	// The in-memory database is left alone.
	for _, p := range []string{":memory:"} {
		c := &store.Connection{Name: "mem" + p, Type: "sqlite"}
		c.Set("path", p, false)
		if err := st.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Get(ctx, c.Name); got.Get("path") != p {
			t.Errorf("path %q stored as %q", p, got.Get("path"))
		}
	}
}
