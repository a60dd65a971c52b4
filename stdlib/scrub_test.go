package stdlib_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/internal/testenv"
)

// A wrong password's error, through vap, keeps the server's words intact
// whatever the password (one letter included), masks a strong password
// where the server echoes it, and withholds a text in which a weak
// password stands as a word, rather than let the mask give it away.
func TestConnectErrorScrubbing(t *testing.T) {
	admin := testenv.MySQL(t)
	user := uniq("vap_scrub_")
	if _, err := admin.Exec(fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY 'the-right-one-9'", user)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	st := testenv.Store(t)
	for i, tc := range []struct {
		password string
		want     string // in the error
	}{
		{"a", "Access denied for user '" + user + "'"},
		{"s", "(using password: YES)"},
		{"postgres", "(mysql)"},
		{"YES", redact.Withheld},
	} {
		t.Run(tc.password, func(t *testing.T) {
			name := fmt.Sprintf("scrub-%d", i)
			testenv.Put(t, st, name, "mysql", map[string]string{"host": "127.0.0.1", "user_name": user, "password": tc.password})
			_, err := whoami(t, st, name, "SELECT 1")
			if err == nil {
				t.Fatal("a wrong password was accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("error %q does not hold %q", msg, tc.want)
			}
			if strings.Contains(msg, redact.Mask) {
				t.Fatalf("error %q masks an ordinary word", msg)
			}
			if redact.Contains(msg, tc.password) {
				t.Fatalf("error %q holds the password", msg)
			}
		})
	}
}
