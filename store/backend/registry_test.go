package backend_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vapsql/vap/store/backend"
)

func opener(tag string) backend.OpenFunc {
	return func(_ context.Context, u *url.URL) (backend.Backend, error) {
		return nil, errors.New(tag + " " + u.Scheme + " " + u.Path)
	}
}

func mustPanic(t *testing.T, what string, fn func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	fn()
}

func TestRegistry(t *testing.T) {
	var r backend.Registry
	r.Register(opener("a"), "alpha", "Beta")
	mustPanic(t, "nil OpenFunc", func() { r.Register(nil, "gamma") })
	mustPanic(t, "no scheme", func() { r.Register(opener("x")) })
	mustPanic(t, "empty scheme", func() { r.Register(opener("x"), "") })
	mustPanic(t, "duplicate scheme", func() { r.Register(opener("x"), "delta", "BETA") })
	mustPanic(t, "scheme twice in one call", func() { r.Register(opener("x"), "eps", "eps") })
	if got, want := r.Schemes(), []string{"alpha", "beta"}; !slices.Equal(got, want) {
		t.Fatalf("Schemes = %q, want %q (a refused Register adds nothing)", got, want)
	}
	if r.Lookup("ALPHA") == nil || r.Lookup("delta") != nil {
		t.Fatal("Lookup is case-insensitive and finds only registered schemes")
	}
	if _, err := r.Open(context.Background(), "beta://h/p"); err == nil || err.Error() != "a beta /p" {
		t.Fatalf("Open(beta://) = %v, want the beta OpenFunc's answer", err)
	}
}

func TestOpenUnknownSchemeHidesURL(t *testing.T) {
	var r backend.Registry
	r.Register(opener("s"), "sqlite")
	_, err := r.Open(context.Background(), "mongodb://user:hunter2@h/db")
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), `"mongodb"`) || !strings.Contains(err.Error(), "sqlite") {
		t.Fatalf("Open of an unknown scheme: %v; want the scheme and the known ones, no password", err)
	}
	_, err = r.Open(context.Background(), "postgres://u:hunter2@h:bad port/db")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Open of a bad URL: %v; want an error without the password", err)
	}
}

func TestBarePathIsSQLite(t *testing.T) {
	var r backend.Registry
	r.Register(opener("s"), "sqlite")
	for _, p := range []string{"/tmp/x/store.db", ":memory:", `C:\vap\store.db`} {
		if _, err := r.Open(context.Background(), p); err == nil || err.Error() != "s sqlite "+p {
			t.Errorf("Open(%q) = %v, want the sqlite OpenFunc with the path", p, err)
		}
		if !backend.IsLocalURL(p) {
			t.Errorf("IsLocalURL(%q) = false", p)
		}
	}
	if backend.IsLocalURL("postgres://h/db") {
		t.Error("IsLocalURL(postgres://) = true")
	}
}

func TestNotFound(t *testing.T) {
	if err := backend.NotFound("x"); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("NotFound does not match ErrNotFound: %v", err)
	}
}

// A keyword/value connection string is not a SQLite file name: it is
// refused, and the error does not repeat it.
func TestKeywordValueDSNRefused(t *testing.T) {
	for _, dsn := range []string{"host=db user=root password=kv-canary dbname=vap", " dbname=vap password=kv-canary", "password=kv-canary"} {
		u, err := backend.ParseURL(dsn)
		if err == nil {
			t.Fatalf("%q parsed as %s", dsn, u)
		}
		if strings.Contains(err.Error(), "kv-canary") {
			t.Fatalf("the error repeats the DSN: %v", err)
		}
		if _, err := backend.Open(context.Background(), dsn); err == nil {
			t.Fatalf("%q opened", dsn)
		}
	}
	for _, path := range []string{"/tmp/store.db", "store.db", ":memory:", `C:\\vap\\store.db`, "/tmp/a=b/store.db"} {
		if u, err := backend.ParseURL(path); err != nil || u.Scheme != "sqlite" {
			t.Errorf("%q: %v %v", path, u, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:pw-canary@h/db":                   "postgres://u:xxxxx@h/db",
		"postgres://u@h/db?password=pw-canary&schema=s": "postgres://u@h/db?password=xxxxx&schema=s",
		"postgres://u@h/db?sslpassword=pw-canary":       "postgres://u@h/db?sslpassword=xxxxx",
		"host=h password=pw-canary":                     "host=h password=xxxxx",
		"host=h password='pw canary \\' x' dbname=d":    "host=h password=xxxxx dbname=d",
		"/var/lib/vap/store.db":                         "/var/lib/vap/store.db",
	} {
		if got := backend.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
