package backend_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/vapsql/vap/store/backend"
)

// FuzzStoreURL parses VAP_STORE values and selects a backend for them: no
// panic, a bare path is the SQLite file it names, and no error holds the
// password a URL carries.
func FuzzStoreURL(f *testing.F) {
	const pw = "fz-store-pw-canary"
	var reg backend.Registry
	reg.Register(func(ctx context.Context, u *url.URL) (backend.Backend, error) {
		return nil, errors.New("fake postgres backend")
	}, "postgres", "postgresql")
	reg.Register(func(ctx context.Context, u *url.URL) (backend.Backend, error) {
		return nil, errors.New("fake sqlite backend")
	}, "sqlite", "file")
	for _, s := range []string{"/var/lib/vap/store.db", "C:\\vap\\store.db", ":memory:", "sqlite:///x.db", "file:x.db", "postgres://u@h/db", "host=h password=x", "%zz://", "mysql://h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.Contains(raw, pw) {
			return
		}
		u, err := backend.ParseURL(raw)
		if err == nil && !strings.Contains(raw, ":") && (u.Scheme != "sqlite" || u.Path != raw) {
			t.Fatalf("bare path %q parsed as sqlite path %q", raw, u.Path)
		}
		backend.IsLocalURL(raw)
		reg.Open(context.Background(), raw)
		for _, withPw := range []string{
			"postgres://u:" + pw + "@" + raw,
			"postgres://u@h/db?password=" + pw + "&" + raw,
			raw + "://u:" + pw + "@h",
		} {
			if _, err := reg.Open(context.Background(), withPw); err != nil && strings.Contains(err.Error(), pw) {
				t.Fatalf("error holds the URL's password: %v", err)
			}
		}
	})
}
