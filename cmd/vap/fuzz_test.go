package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

const flagCanary = "fz-flag-Secret-canary"

// FuzzConnFromFlags builds connections from command-line flags (NAME,
// --type, --set, --secret with the value inline or on standard input) and
// validates them as create does: no panic, no secret in any error.
func FuzzConnFromFlags(f *testing.F) {
	f.Add("my-db", "postgresql", "host=localhost", "user_name=ben", "password", "dbname")
	f.Add("x", "sqlite", "path=rel.db", "options.mode=rw", "pw=", "=v")
	f.Add("", "PG", "host", "port=+1", "", "password:oops")
	f.Fuzz(func(t *testing.T, name, typ, set1, set2, secretKey, secretKey2 string) {
		for _, s := range []string{name, typ, set1, set2, secretKey, secretKey2} {
			if strings.Contains(s, flagCanary[:10]) {
				return
			}
		}
		a := &app{stdin: strings.NewReader(flagCanary + "\n" + flagCanary + "\n"), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
		secrets := []string{secretKey, secretKey2 + "=" + flagCanary}
		c, err := connFromFlags(a, name, typ, []string{set1, set2}, secrets)
		if err == nil {
			err = store.Validate(c, registry.Default)
		}
		if err != nil && strings.Contains(err.Error(), flagCanary) {
			t.Fatalf("error holds the secret: %v", err)
		}
	})
}
