package redact

import (
	"strings"
	"testing"
)

// FuzzString: a scrubbed message holds no secret in any form Contains
// recognises (as a whole token: a word that merely contains the secret's
// letters is no leak), and String never panics.
func FuzzString(f *testing.F) {
	f.Add("dial tcp: password authentication failed for pw s3cr3t", "s3cr3t")
	f.Add("postgres://u:p%40ss@h/db", "p@ss")
	f.Add(`"pw\n\"x"`, "pw\n\"x")
	f.Fuzz(func(t *testing.T, msg, secret string) {
		out := String(msg, secret)
		if secret != "" && !strings.Contains(secret, "*") && Contains(out, secret) {
			t.Fatalf("String(%q, %q) = %q still holds the secret", msg, secret, out)
		}
	})
}
