package store_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
)

const fuzzCanary = "fz-env-Secret-canary"

var envNameRE = regexp.MustCompile(`^VAP_CONN_[A-Z0-9_]*$`)

// FuzzEnvOverride maps connection names to VAP_CONN_* variables and
// resolves connections from them: the variable is always a plain
// environment name, no panic, and the planted secret is in no error.
func FuzzEnvOverride(f *testing.F) {
	f.Add("my-postgres-connection", "postgresql", "db", "5432", "sslmode", "require", "")
	f.Add("é/ü", " PG ", "a,b", "+1", "x", "\x00", `,"password":"x"`)
	f.Add("a", "sqlite", "rel/path", "", "mode", "ro", `}`)
	f.Fuzz(func(t *testing.T, name, typ, host, port, optKey, optVal, tail string) {
		env := store.EnvName(name)
		if !envNameRE.MatchString(env) {
			t.Fatalf("EnvName(%q) = %q", name, env)
		}
		for _, s := range []string{name, typ, host, port, optKey, optVal, tail} {
			if strings.Contains(s, fuzzCanary[:10]) {
				return
			}
		}
		data := map[string]any{
			"connection_type": typ, "host": host, "path": host, "user_name": "u", "port": port,
			"password": map[string]any{"value": fuzzCanary, "encrypt": true},
			"options":  map[string]string{optKey: optVal},
		}
		js, _ := json.Marshal(data)
		raw := string(js)
		if tail != "" {
			raw = raw[:len(raw)-1] + tail + "}"
		}
		// An override never touches the home: a directory that does not exist.
		st := store.Open(store.WithHome("/nonexistent/vap-fuzz-home"), store.WithLookupEnv(func(k string) (string, bool) {
			if k == env {
				return raw, true
			}
			return "", false
		}))
		defer st.Close()
		if _, err := st.Resolve(context.Background(), name); err != nil && strings.Contains(err.Error(), fuzzCanary) {
			t.Fatalf("error holds the secret: %v", err)
		}
	})
}
