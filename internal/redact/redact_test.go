package redact

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"testing"
)

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func TestError(t *testing.T) {
	secret := `p@ss:w/o;rd "q" %+\ 'x' ü`
	for _, tc := range []struct {
		name string
		msg  string
	}{
		{"plain", "auth failed for " + secret},
		{"query escaped", "dsn user:" + url.QueryEscape(secret) + "@host"},
		{"path escaped", "dsn /" + url.PathEscape(secret)},
		{"userinfo escaped", "postgres://u:" + url.UserPassword("u", secret).String()[2:] + "@h"},
		{"go quoted", fmt.Sprintf("bad value %q", secret)},
		{"json escaped", `{"password": ` + string(mustJSON(secret)) + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := &wrapped{msg: tc.msg, err: io.EOF}
			err := Error(base, secret)
			if Contains(err.Error(), secret) {
				t.Fatalf("still holds the secret: %s", err)
			}
			if !errors.Is(err, io.EOF) {
				t.Fatal("chain lost")
			}
			var w *wrapped
			if !errors.As(err, &w) {
				t.Fatal("As lost")
			}
		})
	}
	clean := errors.New("nothing secret")
	if Error(clean, secret) != clean || Error(nil, secret) != nil || Error(clean, "") != clean {
		t.Fatal("clean errors must pass through unchanged")
	}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// Scrubbing never garbles ordinary words that merely contain a secret's
// letters, and never reveals a secret of any length.
func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		name, msg, secret, want string
	}{
		{"type name", `vap: connect "x" (postgresql): refused`, "postgres", `vap: connect "x" (postgresql): refused`},
		{"one letter inside words", "invalid password", "a", "invalid password"},
		{"one letter as a word", "failed for user a at host", "a", Withheld},
		{"word-like secret as a token", `role "postgres" does not exist`, "postgres", Withheld},
		{"strong secret quoted", `bad password "s3cr3t-pw!"`, "s3cr3t-pw!", `bad password "` + Mask + `"`},
		{"strong secret inside a longer word", `token xs3cr3t-pw9y`, "s3cr3t-pw9", `token xs3cr3t-pw9y`},
		{"strong secret after =", `password=Tr0ub4dor&3 host=h`, "Tr0ub4dor&3", `password=` + Mask + ` host=h`},
		{"strong secret url escaped", "dsn u:" + url.QueryEscape("p w/x?1234") + "@h", "p w/x?1234", "dsn u:" + Mask + "@h"},
		{"dbname in a URL path", "postgres://h:5432/" + (&url.URL{Path: "/db name/ü1234"}).EscapedPath()[1:] + "?x", "db name/ü1234", "postgres://h:5432/" + Mask + "?x"},
		{"base64", "echo Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("secret-123")), "secret-123", "echo Authorization: Basic " + Mask},
		{"withheld stays ours", "vap: " + Withheld, "to", "vap: " + Withheld},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := String(tc.msg, tc.secret)
			if got != tc.want {
				t.Fatalf("String(%q, %q)\n got %q\nwant %q", tc.msg, tc.secret, got, tc.want)
			}
			if Contains(got, tc.secret) {
				t.Fatalf("the result still holds the secret: %q", got)
			}
			err := Error(errors.New(tc.msg), tc.secret)
			if err.Error() != tc.want {
				t.Fatalf("Error: %q", err)
			}
		})
	}
}

func TestWeak(t *testing.T) {
	for s, want := range map[string]bool{"a": true, "1234567": true, "postgres": true, "Überschrift": true, "12345678": false, "pass word": false, "s3cr3tpw": false} {
		if Weak(s) != want {
			t.Errorf("Weak(%q) = %v", s, !want)
		}
	}
}
